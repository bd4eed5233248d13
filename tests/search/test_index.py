"""The index repairs itself after `migrate` when SQLite lost its triggers (a table rebuild drops them)."""

import pytest
from django.core.management import call_command
from django.db import connection

from newshub.search.index import FTS_TABLES, SQLITE_ARTICLE_STORY_INDEX, ensure_search_index
from newshub.search.query import search
from tests.search.corpus import build_corpus, make_story

pytestmark = pytest.mark.django_db(transaction=True)


def triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="triggers are the SQLite index's")
def test_lost_triggers_are_recreated_and_the_index_rebuilt():
    build_corpus()
    with connection.cursor() as cursor:
        for name in [t for t in triggers() if t.startswith(tuple(FTS_TABLES.values()))]:
            cursor.execute(f"DROP TRIGGER {name}")
    make_story("Unindexed zeppelin")  # written while no trigger was there
    assert search("zeppelin").total == 0

    call_command("migrate", verbosity=0)  # post_migrate puts the triggers back and rebuilds

    assert len([t for t in triggers() if t.startswith(tuple(FTS_TABLES.values()))]) == 6
    assert search("zeppelin").total == 1
    make_story("Indexed airship")
    assert search("airship").total == 1


def test_ensuring_twice_changes_nothing():
    build_corpus()
    ensure_search_index(connection)
    ensure_search_index(connection)
    assert search("harbour").total == 3


def test_rebuild_command_restores_a_wiped_index(capsys):
    build_corpus()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_story_fts(search_story_fts) VALUES ('delete-all')")
            cursor.execute("INSERT INTO search_article_fts(search_article_fts) VALUES ('delete-all')")
        assert search("harbour").total == 0
    call_command("rebuild_search_index")
    assert "rebuilt" in capsys.readouterr().out
    assert search("harbour").total == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's tsvector column")
def test_later_migrations_can_still_change_the_indexed_columns():
    build_corpus()
    with connection.cursor() as cursor:
        # What AlterField(max_length=...) issues: refused if a generated column read the column.
        cursor.execute("ALTER TABLE ingest_article ALTER COLUMN title TYPE varchar(3000)")
    make_story("Typed zeppelin")
    assert search("zeppelin").total == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="an index of SQLite's search path")
def test_the_article_to_story_index_comes_back_after_a_table_rebuild():
    def indexes() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
            return {row[0] for row in cursor.fetchall()}

    assert SQLITE_ARTICLE_STORY_INDEX in indexes()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {SQLITE_ARTICLE_STORY_INDEX}")
    call_command("migrate", verbosity=0)
    assert SQLITE_ARTICLE_STORY_INDEX in indexes()
    build_corpus()
    assert search("harbour").total == 3
