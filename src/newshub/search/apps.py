from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _repair_search_index(using: str, **kwargs) -> None:
    # SQLite loses a table's triggers when a later migration rebuilds the table: put them back.
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from newshub.search.index import ensure_search_index

    connection = connections[using]
    applied = MigrationRecorder(connection).applied_migrations()
    if ("search", "0001_search_index") in applied:
        ensure_search_index(connection)


class SearchConfig(AppConfig):
    name = "newshub.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        post_migrate.connect(_repair_search_index, sender=self, dispatch_uid="newshub.search.repair_index")
