"""`newshub sources add|list|import-opml|export-opml|starter|import-ratings`."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from newshub.ingest.fetcher import FetchError
from newshub.sources.models import Feed
from newshub.sources.opml import OpmlError, parse_opml, write_opml
from newshub.sources.registry import ImportSummary, export_sources, import_sources, starter_sources, subscribe


class Command(BaseCommand):
    help = "Manage outlets and their feeds."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add = actions.add_parser("add", help="add a feed, given its URL or the outlet's home page")
        add.add_argument("url")
        add.add_argument("--outlet", default="", help="the outlet's name (default: the feed's title)")
        actions.add_parser("list", help="list feeds and their health")
        import_opml = actions.add_parser("import-opml", help="add the feeds of an OPML file")
        import_opml.add_argument("file", type=Path)
        export_opml = actions.add_parser("export-opml", help="write all feeds to an OPML file")
        export_opml.add_argument("file", type=Path)
        actions.add_parser("starter", help="add the starter list of reputable outlets shipped with Newshub")
        ratings = actions.add_parser(
            "import-ratings", help="import outlet ratings (lean, reliability) from CSV"
        )
        ratings.add_argument("file", type=Path)

    def handle(self, *args, action: str, **options) -> None:
        handler = getattr(self, "handle_" + action.replace("-", "_"))
        handler(**options)

    def report(self, summary: ImportSummary) -> None:
        self.stdout.write(
            f"{summary.feeds_created} feeds added ({summary.outlets_created} new outlets), "
            f"{summary.feeds_existing} already known"
        )

    def handle_add(self, url: str, outlet: str, **options) -> None:
        try:
            feed, created = subscribe(url, outlet_name=outlet)
        except FetchError as error:
            raise CommandError(f"{url}: {error.message}") from error
        state = "added" if created else "already known"
        self.stdout.write(f"{state}: feed {feed.pk} {feed.url} (outlet: {feed.outlet.name})")

    def handle_list(self, **options) -> None:
        table = Table("id", "outlet", "feed", "kind", "status", "errors", "last error", "next poll")
        for feed in Feed.objects.select_related("outlet"):
            table.add_row(
                str(feed.pk),
                feed.outlet.name,
                feed.url,
                feed.kind,
                str(feed.last_status or "-"),
                str(feed.error_count),
                feed.last_error or "-",
                feed.next_poll_at.strftime("%Y-%m-%d %H:%M") if feed.active else "inactive",
            )
        Console(file=self.stdout, width=200).print(table)

    def handle_import_opml(self, file: Path, **options) -> None:
        try:
            sources = parse_opml(file.read_bytes())
        except (OSError, OpmlError) as error:
            raise CommandError(f"{file}: {error}") from error
        self.report(import_sources(sources))

    def handle_export_opml(self, file: Path, **options) -> None:
        sources = export_sources()
        file.write_bytes(write_opml(sources))
        self.stdout.write(f"{len(sources)} feeds written to {file}")

    def handle_starter(self, **options) -> None:
        self.report(import_sources(starter_sources()))

    def handle_import_ratings(self, file: Path, **options) -> None:
        try:
            from newshub.sources.ratings import import_ratings
        except ImportError as error:
            raise CommandError("ratings import is not available in this version") from error
        try:
            summary = import_ratings(file)
        except (OSError, ValueError) as error:
            raise CommandError(f"{file}: {error}") from error
        self.stdout.write(json.dumps(summary, indent=2, default=str))
