"""The same migrations on a fresh PostgreSQL database, the demo ingested into it, and search working there."""

import json
import subprocess

import pytest

from tests.ops.scaleout import NEWSHUB, newshub, process_env
from tests.services import fresh_postgres_database

pytestmark = [pytest.mark.services, pytest.mark.slow]

SEARCH = """
import json
from newshub.search.query import search
stories = search("Sarnen floods")
articles = search("Sarnen floods", kind="articles")
print(json.dumps({"stories": [s.title for s in stories.items], "articles": articles.total,
                  "message": stories.message}))
"""


def test_migrations_demo_and_search_on_a_fresh_postgresql_database(tmp_path):
    with fresh_postgres_database() as postgres_url:
        env = process_env(tmp_path, postgres_url)
        newshub(env, "migrate")
        newshub(env, "makemigrations", "--check", "--dry-run")  # the models and migrations agree here too
        newshub(env, "demo")
        found = subprocess.run(
            [NEWSHUB, "shell", "--verbosity", "0", "-c", SEARCH],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        status = subprocess.run(
            [NEWSHUB, "status", "--json"], env=env, check=True, capture_output=True, text=True, timeout=120
        )
    results = json.loads(found.stdout)
    assert results["message"] == "" and results["articles"] >= 2
    assert results["stories"] and "Sarnen" in results["stories"][0]
    counts = json.loads(status.stdout)
    assert counts["articles"] >= 30 and counts["stories"] >= 5 and counts["last_ingest_at"]
