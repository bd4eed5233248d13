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


def newshub_json(env: dict[str, str], *arguments: str) -> dict:
    """What a `newshub` command prints as JSON."""
    done = subprocess.run(
        [NEWSHUB, *arguments], env=env, check=True, capture_output=True, text=True, timeout=120
    )
    return json.loads(done.stdout)


def test_migrations_demo_and_search_on_a_fresh_postgresql_database(tmp_path):
    with fresh_postgres_database() as postgres_url:
        env = process_env(tmp_path, postgres_url)
        newshub(env, "migrate")
        newshub(env, "makemigrations", "--check", "--dry-run")  # the models and migrations agree here too
        newshub(env, "demo")
        results = newshub_json(env, "shell", "--verbosity", "0", "-c", SEARCH)
        counts = newshub_json(env, "status", "--json")
    assert results["message"] == "" and results["articles"] >= 2
    assert results["stories"] and "Sarnen" in results["stories"][0]
    assert counts["articles"] >= 30 and counts["stories"] >= 5 and counts["last_ingest_at"]


THROTTLE = """
import json, threading, time
from django.db import connection
from newshub.ingest.throttle import DatabaseHostThrottle
in_flight, overlaps = [], []
def request(throttle):
    with throttle.turn("slow.example"):
        overlaps.append(bool(in_flight)); in_flight.append(1); time.sleep(0.1); in_flight.pop()
    connection.close()
workers = [DatabaseHostThrottle(0.3), DatabaseHostThrottle(0.3)]
threads = [threading.Thread(target=request, args=(workers[i % 2],)) for i in range(4)]
started = time.monotonic()
for thread in threads: thread.start()
for thread in threads: thread.join()
print(json.dumps({"overlaps": overlaps, "elapsed": time.monotonic() - started}))
"""


def test_host_politeness_through_postgresql_without_redis(tmp_path):
    with fresh_postgres_database() as postgres_url:
        env = process_env(tmp_path, postgres_url)
        newshub(env, "migrate")
        result = newshub_json(env, "shell", "--verbosity", "0", "-c", THROTTLE)
    assert result["overlaps"] == [False] * 4  # one request at a time, across the two throttles
    assert result["elapsed"] >= 4 * 0.1 + 3 * 0.3  # with the pause between them
