"""Helpers for the scale-out tests: Celery worker subprocesses, and what a database holds after ingestion."""

from __future__ import annotations

import os
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from django.db import connections

from newshub.claims.models import Claim
from newshub.ingest.models import Article
from newshub.ops.dbcopy import register_database
from newshub.ops.sandbox import NEWSHUB
from newshub.ops.sandbox import worker_process as worker
from tests.services import REDIS_URL

ROOT = Path(__file__).resolve().parents[2]
# Redis database of these tests' queues, emptied before each run (the cache tests use another).
BROKER_URL = REDIS_URL.rsplit("/", 1)[0] + "/13"


def process_env(home: Path, database_url: str = "", broker_url: str = "") -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEWSHUB_")}
    env |= {
        "NEWSHUB_HOME": str(home),
        "DJANGO_SETTINGS_MODULE": "tests.ops.worker_settings",
        "PYTHONPATH": str(ROOT),
        "NEWSHUB_LOG_LEVEL": "WARNING",
    }
    if database_url:
        env["NEWSHUB_DATABASE_URL"] = database_url
    if broker_url:
        env["NEWSHUB_BROKER_URL"] = broker_url
    return env


def newshub(env: dict[str, str], *args: str, timeout: float = 300) -> None:
    subprocess.run([NEWSHUB, *args], env=env, check=True, timeout=timeout, capture_output=True)


def empty_broker(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


@contextmanager
def workers(
    env: dict[str, str], count: int, logs: Path, pools: tuple[str, ...] = ("prefork",)
) -> Iterator[list[subprocess.Popen]]:
    """`count` workers serving fetch and process; the first also serves the cluster queue. Worker n uses
    pools[n], or the last of `pools`."""
    with ExitStack() as stack:
        yield [
            stack.enter_context(
                worker(
                    env,
                    "fetch,process,cluster" if index == 0 else "fetch,process",
                    logs / f"w{index}.log",
                    pool=pools[min(index, len(pools) - 1)],
                )
            )
            for index in range(count)
        ]


def queued(queue: str) -> list[tuple[str, list]]:
    """(task name, args) of every message waiting in `queue`, taken off it."""
    from newshub.celery import app

    messages = []
    with app.connection_for_read() as conn, conn.SimpleQueue(queue) as simple:
        while True:
            try:
                message = simple.get(block=False)
            except simple.Empty:
                return messages
            messages.append((message.headers["task"], message.payload[0]))
            message.ack()


def page(url: str) -> str:
    """An article's URL without the local server's address, which changes from run to run."""
    return urlsplit(url).path


def ingestion_result(database_url: str, alias: str) -> dict:
    """Stories (as sets of article pages), copies and claims stored in a database."""
    register_database(alias, database_url)
    try:
        articles = Article.objects.using(alias)
        pages = dict(articles.values_list("pk", "url"))
        stories: defaultdict[int, set[str]] = defaultdict(set)
        for article_id, story_id in articles.filter(story__isnull=False).values_list("pk", "story_id"):
            stories[story_id].add(page(pages[article_id]))
        # The speaker as the article names them: the story-wide canonical name and the claim groups are
        # rebuilt as articles arrive, and still carry the order they arrived in (see the ops report).
        claims = [
            (page(pages[article_id]), speaker, cue, content, stance)
            for article_id, speaker, cue, content, stance in Claim.objects.using(alias).values_list(
                "article_id", "speaker_text", "cue", "content", "stance"
            )
        ]
        return {
            "articles": sorted(page(url) for url in pages.values()),
            "unplaced": sorted(
                page(pages[pk]) for pk in articles.filter(story__isnull=True).values_list("pk", flat=True)
            ),
            "stories": sorted(sorted(members) for members in stories.values()),
            "copies": sorted(
                (page(pages[pk]), page(pages[original]))
                for pk, original in articles.filter(original__isnull=False).values_list("pk", "original_id")
            ),
            "claims": sorted(claims),
        }
    finally:
        connections[alias].close()
