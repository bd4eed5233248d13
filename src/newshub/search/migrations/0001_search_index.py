"""The full-text index: FTS5 on SQLite, tsvector columns with GIN indexes on PostgreSQL.

Acts only on those two databases (see newshub.search.index); on others, search finds nothing.
"""

from django.db import migrations

from newshub.search.index import drop_search_index, ensure_search_index


def create_index(apps, schema_editor):
    ensure_search_index(schema_editor.connection)


def remove_index(apps, schema_editor):
    drop_search_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("ingest", "0001_initial"),
        ("stories", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_index, remove_index, elidable=False)]
