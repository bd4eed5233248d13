"""Two Celery workers on PostgreSQL and Redis ingest the demo corpus into the same stories, copies and
claims as the in-process driver on SQLite."""

import subprocess
import sys

import pytest

from tests.ops.scaleout import BROKER_URL, ROOT, empty_broker, ingestion_result, newshub, process_env, workers
from tests.services import fresh_postgres_database, require_server

pytestmark = [pytest.mark.services, pytest.mark.slow]

DRAIN_TIMEOUT = 150


@pytest.fixture(autouse=True)
def own_databases(django_db_blocker):
    """These tests bring their own databases (a file, PostgreSQL), outside pytest-django's test database."""
    with django_db_blocker.unblock():
        yield


def test_two_workers_on_postgresql_match_the_in_process_driver_on_sqlite(tmp_path):
    require_server("Redis", "127.0.0.1", 6379)
    sqlite_home = tmp_path / "sqlite"
    sqlite_url = f"sqlite:///{sqlite_home / 'newshub.sqlite3'}"
    reference_env = process_env(sqlite_home, sqlite_url)
    newshub(reference_env, "migrate")
    newshub(reference_env, "demo")
    expected = ingestion_result(sqlite_url, "reference")
    assert len(expected["articles"]) >= 30 and expected["stories"] and expected["claims"]

    with fresh_postgres_database() as postgres_url:
        env = process_env(tmp_path / "celery", postgres_url, BROKER_URL)
        (tmp_path / "celery").mkdir()
        empty_broker(BROKER_URL)
        newshub(env, "migrate")
        # One worker with a pool process, one running tasks in its own process (--pool solo).
        with workers(env, 2, tmp_path, pools=("prefork", "solo")):
            loaded = subprocess.run(
                [sys.executable, "-m", "tests.ops.queue_demo", str(DRAIN_TIMEOUT)], env=env, cwd=ROOT
            )
        logs = "\n".join(log.read_text()[-3000:] for log in sorted(tmp_path.glob("w*.log")))
        assert loaded.returncode == 0, f"the workers did not finish in time:\n{logs}"
        actual = ingestion_result(postgres_url, "celery")

    assert actual["articles"] == expected["articles"]
    assert actual["unplaced"] == expected["unplaced"]
    assert actual["stories"] == expected["stories"]
    assert actual["copies"] == expected["copies"]
    assert actual["claims"] == expected["claims"]
