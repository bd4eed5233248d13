"""The search tests again, on PostgreSQL (127.0.0.1:5432, user postgres, trust auth).

They run in a child pytest with NEWSHUB_DATABASE_URL set, because one test process has one default
database. The server missing is a skip, unless NEWSHUB_REQUIRE_SERVICES=1 makes it a failure.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.services import require_server

POSTGRES_HOST, POSTGRES_PORT = "127.0.0.1", 5432
SEARCH_TESTS = [str(Path(__file__).with_name(name)) for name in ("test_search.py", "test_index.py")]


@pytest.mark.services
@pytest.mark.slow
def test_search_suite_passes_on_postgresql(tmp_path):
    require_server("PostgreSQL", POSTGRES_HOST, POSTGRES_PORT)
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[dev]')")
    # A database name of our own: Django creates and drops test_<name>, so parallel runs do not collide.
    database = f"newshub_search_{os.getpid()}"
    env = {
        **os.environ,
        "NEWSHUB_DATABASE_URL": f"postgres://postgres@{POSTGRES_HOST}:{POSTGRES_PORT}/{database}",
        "NEWSHUB_HOME": str(tmp_path),
    }
    run = subprocess.run(
        [sys.executable, "-m", "pytest", *SEARCH_TESTS, "-q", "-p", "no:cacheprovider", "--create-db"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).parents[2],
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "passed" in run.stdout and "failed" not in run.stdout
