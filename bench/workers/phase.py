"""One run of bench/workers, in a process configured by its environment (database, broker):

    python -m bench.workers.phase inprocess|celery BASE_URL FEEDS_JSON WORKERS TIMEOUT

Adds the generated site's outlets and feeds, ingests them all (in-process, or by queuing the polls for
the already running Celery workers and waiting for them to fall idle), and prints the time and counts.
"""

import json
import resource
import sys
import time
from urllib.parse import urlsplit

import django

# Asking the broker and the workers whether they are idle costs CPU the workers could use; checking once
# a second adds under a second to runs of minutes.
IDLE_CHECK_SECONDS = 1.0


def add_feeds(base: str, feed_paths: list[str]) -> list[int]:
    from newshub.sources.models import Feed, Outlet, OutletKind

    ids = []
    for path in feed_paths:
        slug = path.split("/")[1]
        kind = OutletKind.WIRE if slug in ("o0", "o1") else OutletKind.NEWSPAPER
        outlet, _ = Outlet.objects.get_or_create(slug=slug, defaults={"name": f"Outlet {slug}", "kind": kind})
        ids.append(Feed.objects.create(outlet=outlet, url=base + path).pk)
    return ids


def wait_for_workers(workers: int, timeout: float = 120) -> None:
    from newshub.celery import app

    deadline = time.monotonic() + timeout
    while len(app.control.ping(timeout=1.0)) < workers:
        if time.monotonic() > deadline:
            raise SystemExit(f"{workers} workers did not answer within {timeout} s")


def counts() -> dict:
    from newshub.claims.models import Claim
    from newshub.ingest.models import Article
    from newshub.stories.models import Story

    articles = Article.objects.all()
    paths = [urlsplit(url).path for url in articles.values_list("url", flat=True)]
    return {
        "articles": len(paths),
        "distinct_pages": len(set(paths)),
        "summary_only": articles.filter(summary_only=True).count(),
        "placed_in_stories": articles.filter(story__isnull=False).count(),
        "copies": articles.filter(original__isnull=False).count(),
        "stories": Story.objects.filter(merged_into__isnull=True, article_count__gt=0).count(),
        "claims": Claim.objects.count(),
    }


def main(driver: str, base: str, feeds_file: str, workers: int, timeout: float) -> None:
    django.setup()
    from newshub.pipeline import run_due_feeds

    with open(feeds_file) as handle:
        feed_ids = add_feeds(base, json.load(handle))
    if driver == "celery":
        from newshub.ops.drain import wait_until_idle
        from newshub.tasks import enqueue_polls, finish_round

        wait_for_workers(workers)
        started = time.monotonic()
        enqueue_polls(feed_ids)
        finished = wait_until_idle(timeout, workers=workers, interval=IDLE_CHECK_SECONDS)
        # The round that the in-process driver ends with (merges, story rebuilds), as the scheduler runs it.
        finish_round.delay()
        finished = finished and wait_until_idle(timeout, workers=workers, interval=IDLE_CHECK_SECONDS)
        if finished is None:
            raise SystemExit(f"the workers did not finish within {timeout} s")
        cpu = None  # the workers' own, measured by the caller
    else:
        cpu_before, started = cpu_seconds(), time.monotonic()
        run_due_feeds(feed_ids=feed_ids)
        finished = time.monotonic()
        cpu = round(cpu_seconds() - cpu_before, 2)
    print(json.dumps({"seconds": round(finished - started, 2), "cpu_seconds": cpu, "counts": counts()}))


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))
