"""`newshub rebuild_search_index`: rebuild the full-text index from the stories and articles tables."""

import time

from django.core.management.base import BaseCommand
from django.db import connections

from newshub.search.index import rebuild_search_index


class Command(BaseCommand):
    help = "Rebuild the full-text search index (SQLite FTS5 tables, or PostgreSQL's GIN indexes)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args, database: str, **options) -> None:
        connection = connections[database]
        started = time.perf_counter()
        rebuild_search_index(connection)
        seconds = time.perf_counter() - started
        self.stdout.write(f"Search index rebuilt on {connection.vendor} in {seconds:.1f} s.")
