import pytest
from django.core.management import call_command


def test_migrations_are_complete(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_health_endpoint_answers(client):
    assert client.get("/health").json() == {"status": "ok"}


def test_a_command_on_a_database_not_set_up_says_what_to_do(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "newshub", "sources", "list"],
        capture_output=True,
        text=True,
        env={"NEWSHUB_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert "run `newshub migrate` or `newshub run` first" in result.stderr
    assert "Traceback" not in result.stderr


def test_migrate_leaves_planner_statistics(db):
    """ANALYZE after migrate: a rebuilt SQLite table otherwise leaves the planner without statistics."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("checks SQLite's statistics table")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone() is not None
