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
        done = subprocess.run(
            [NEWSHUB, "shell", "--verbosity", "0", "-c", THROTTLE],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
    result = json.loads(done.stdout)
    assert result["overlaps"] == [False] * 4  # one request at a time, across the two throttles
    assert result["elapsed"] >= 4 * 0.1 + 3 * 0.3  # with the pause between them
