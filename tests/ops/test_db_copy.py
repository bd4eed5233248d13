import datetime as dt
import sqlite3
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connections

from newshub.ingest.models import Article
from newshub.ops.dbcopy import copy_database, register_database
from newshub.sources.models import Feed, Outlet
from newshub.stories.models import Story
from tests.services import fresh_postgres_database

pytestmark = pytest.mark.services


@pytest.fixture(autouse=True)
def own_databases(django_db_blocker):
    """These tests bring their own databases (files, PostgreSQL), outside pytest-django's test database."""
    with django_db_blocker.unblock():
        yield


def fill_sqlite(path) -> None:
    alias = register_database("fill", f"sqlite:///{path}")
    call_command("migrate", database=alias, verbosity=0)
    outlet = Outlet.objects.using(alias).create(name="Wire Ünïcode", slug="wire", country="GB", kind="wire")
    feed = Feed.objects.using(alias).create(outlet=outlet, url="https://wire.example/feed.xml")
    story = Story.objects.using(alias).create(
        title="Blast", coverage={"lean": {"unrated": 1}, "country": {"GB": 1}}
    )
    original = Article.objects.using(alias).create(
        outlet=outlet,
        feed=feed,
        url="https://wire.example/b",
        title="Original",
        text="t" * 5000,
        published_at=dt.datetime(2026, 4, 20, 1, 0, tzinfo=dt.UTC),
        minhash=b"\x00\x01\xff",
        story=story,
        authors=["A. Writer"],
        entities=[{"text": "CENTCOM", "label": "ORG"}],
    )
    # A copy stored before its original (lower id) must survive the deferred self-reference.
    copy = Article.objects.using(alias).create(outlet=outlet, url="https://wire.example/a", title="Copy")
    Article.objects.using(alias).filter(pk=copy.pk).update(original=original)
    connections[alias].close()


def test_copy_sqlite_to_postgresql_keeps_every_row(tmp_path):
    source = tmp_path / "embedded.sqlite3"
    fill_sqlite(source)
    with fresh_postgres_database() as target_url:
        proofs = copy_database(f"sqlite:///{source}", target_url)
        assert [p.table for p in proofs if not p.matches] == []
        by_table = {proof.table: proof.target_rows for proof in proofs}
        assert by_table["ingest_article"] == 2
        assert by_table["sources_outlet"] == 1
        target = connections["copy_target"]
        # New rows continue after the copied ids instead of colliding with them.
        outlet = Outlet.objects.using("copy_target").create(name="New", slug="new")
        assert outlet.pk > 1
        copy = Article.objects.using("copy_target").get(title="Copy")
        assert copy.original.title == "Original"
        target.close()


def test_copy_refuses_a_database_that_already_has_data(tmp_path):
    source = tmp_path / "a.sqlite3"
    fill_sqlite(source)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "newshub",
            "db",
            "copy",
            "--from",
            f"sqlite:///{source}",
            "--to",
            f"sqlite:///{source}",
        ],
        capture_output=True,
        text=True,
        env={"NEWSHUB_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0
    assert "already has rows" in result.stderr
    assert sqlite3.connect(source).execute("select count(*) from ingest_article").fetchone()[0] == 2
