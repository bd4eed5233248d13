"""The full-text index: SQLite FTS5 tables, or PostgreSQL tsvector columns with GIN indexes, kept by triggers.

Both live in the database itself, so every write (ORM save, bulk update, raw SQL, another process)
keeps the index right without Python in the loop.

SQLite drops a table's triggers whenever Django rebuilds that table (most AddField/AlterField
migrations do), so `ensure_search_index` also runs after every `migrate` (see apps.py): it recreates
whatever is missing and rebuilds the index when a trigger had been lost.
"""

from __future__ import annotations

import logging

from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

# Indexed columns per source table; the first column weighs most in ranking.
INDEXED_COLUMNS = {
    "ingest_article": ("title", "lead", "text"),
    "stories_story": ("title", "lead"),
}
FTS_TABLES = {"ingest_article": "search_article_fts", "stories_story": "search_story_fts"}
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"
# Maps an article hit to its story without reading the article row (story_id is its last column,
# behind the text): a third less time for a common word (bench/web). Not a model index, so a table
# rebuild by a later migration drops it, and ensure_search_index puts it back like the triggers.
SQLITE_ARTICLE_STORY_INDEX = "search_article_story"

# PostgreSQL: weights A, B, C for title, lead, text; long texts are cut so the tsvector stays
# under PostgreSQL's 1 MB limit.
POSTGRES_VECTOR_COLUMN = "search_vector"
POSTGRES_TEXT_LIMIT = 100_000
POSTGRES_CONFIG = "english"


def _sqlite_triggers(source: str) -> dict[str, str]:
    fts = FTS_TABLES[source]
    columns = INDEXED_COLUMNS[source]
    names = ", ".join(columns)
    new_values = ", ".join(f"new.{c}" for c in columns)
    old_values = ", ".join(f"old.{c}" for c in columns)
    delete_old = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old_values});"
    insert_new = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new_values});"
    return {
        f"{fts}_insert": f"AFTER INSERT ON {source} BEGIN {insert_new} END",
        f"{fts}_delete": f"AFTER DELETE ON {source} BEGIN {delete_old} END",
        f"{fts}_update": f"AFTER UPDATE OF {names} ON {source} BEGIN {delete_old} {insert_new} END",
    }


def _sqlite_existing(cursor, kind: str) -> set[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = %s", [kind])
    return {row[0] for row in cursor.fetchall()}


def _ensure_sqlite(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        tables = _sqlite_existing(cursor, "table")
        triggers = _sqlite_existing(cursor, "trigger")
        for source, fts in FTS_TABLES.items():
            if source not in tables:
                continue
            created = fts not in tables
            if created:
                columns = ", ".join(INDEXED_COLUMNS[source])
                cursor.execute(
                    f"CREATE VIRTUAL TABLE {fts} USING fts5({columns}, content='{source}', "
                    f"content_rowid='id', tokenize='{FTS_TOKENIZER}')"
                )
            missing = {name: body for name, body in _sqlite_triggers(source).items() if name not in triggers}
            for name, body in missing.items():
                cursor.execute(f"CREATE TRIGGER {name} {body}")
            if created or missing:
                # A lost trigger means writes went unindexed: rebuild from the source table.
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
                logger.info("search_index=rebuilt table=%s missing_triggers=%d", fts, len(missing))
        if "ingest_article" in tables:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {SQLITE_ARTICLE_STORY_INDEX} ON ingest_article (id, story_id)"
            )


def _drop_sqlite(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {SQLITE_ARTICLE_STORY_INDEX}")
        for source, fts in FTS_TABLES.items():
            for name in _sqlite_triggers(source):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {fts}")


def postgres_vector_expression(source: str, row: str = "") -> str:
    """The weighted tsvector of a row; `row` is "NEW." inside the trigger, "" in plain SQL."""
    weights = "ABC"
    parts = []
    for weight, column in zip(weights, INDEXED_COLUMNS[source], strict=False):
        value = f"coalesce({row}{column}, '')"
        if column == "text":
            value = f"left({value}, {POSTGRES_TEXT_LIMIT})"
        parts.append(f"setweight(to_tsvector('{POSTGRES_CONFIG}'::regconfig, {value}), '{weight}')")
    return " || ".join(parts)


def _postgres_vector_is_generated(cursor, source: str) -> bool:
    cursor.execute(
        "SELECT is_generated FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
        [source, POSTGRES_VECTOR_COLUMN],
    )
    row = cursor.fetchone()
    return row is not None and row[0] == "ALWAYS"


def _ensure_postgres(connection: BaseDatabaseWrapper) -> None:
    # A plain column filled by a trigger, not a generated column: PostgreSQL refuses to change the type
    # of a column a generated column reads, which would block later migrations of title, lead or text.
    with connection.cursor() as cursor:
        for source in INDEXED_COLUMNS:
            if _postgres_vector_is_generated(cursor, source):
                cursor.execute(f"ALTER TABLE {source} DROP COLUMN {POSTGRES_VECTOR_COLUMN}")
            cursor.execute(f"ALTER TABLE {source} ADD COLUMN IF NOT EXISTS {POSTGRES_VECTOR_COLUMN} tsvector")
            # The columns are named only inside the function: a trigger's "UPDATE OF columns" would
            # again pin their types.
            unchanged = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in INDEXED_COLUMNS[source])
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {source}_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN IF TG_OP = 'UPDATE' AND {unchanged} THEN RETURN NEW; END IF; "
                f"NEW.{POSTGRES_VECTOR_COLUMN} := {postgres_vector_expression(source, 'NEW.')}; "
                f"RETURN NEW; END $$"
            )
            cursor.execute(f"DROP TRIGGER IF EXISTS {source}_search_vector ON {source}")
            cursor.execute(
                f"CREATE TRIGGER {source}_search_vector BEFORE INSERT OR UPDATE ON {source} "
                f"FOR EACH ROW EXECUTE FUNCTION {source}_search_vector()"
            )
            cursor.execute(
                f"UPDATE {source} SET {POSTGRES_VECTOR_COLUMN} = {postgres_vector_expression(source)} "
                f"WHERE {POSTGRES_VECTOR_COLUMN} IS NULL"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {source}_search_gin ON {source} "
                f"USING gin ({POSTGRES_VECTOR_COLUMN})"
            )


def _drop_postgres(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for source in INDEXED_COLUMNS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {source}_search_vector ON {source}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {source}_search_vector()")
            cursor.execute(f"DROP INDEX IF EXISTS {source}_search_gin")
            cursor.execute(f"ALTER TABLE {source} DROP COLUMN IF EXISTS {POSTGRES_VECTOR_COLUMN}")


def ensure_search_index(connection: BaseDatabaseWrapper) -> None:
    """Create the index where it is missing; harmless to call again. Other databases: no index."""
    if connection.vendor == "sqlite":
        _ensure_sqlite(connection)
    elif connection.vendor == "postgresql":
        _ensure_postgres(connection)


def rebuild_search_index(connection: BaseDatabaseWrapper) -> None:
    """Re-create the index from the tables (after restoring a backup made without it, for instance)."""
    ensure_search_index(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for fts in FTS_TABLES.values():
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
        elif connection.vendor == "postgresql":
            for source in INDEXED_COLUMNS:
                expression = postgres_vector_expression(source)
                cursor.execute(f"UPDATE {source} SET {POSTGRES_VECTOR_COLUMN} = {expression}")


def drop_search_index(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "sqlite":
        _drop_sqlite(connection)
    elif connection.vendor == "postgresql":
        _drop_postgres(connection)
