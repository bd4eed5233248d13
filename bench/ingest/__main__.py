"""`python -m bench.ingest [--feeds N] [--per-feed M] [--workers W]`: the ingestion pipeline's speed.

Serves N generated RSS feeds of M article pages each (default 20 × 50 = 1,000 pages of ~40 KB, with
navigation, scripts and sidebars like real pages) from a local server in another process, then runs
poll + fetch + extract + store (newshub.pipeline.run_due_feeds) into a fresh SQLite database in a
temporary NEWSHUB_HOME. Reports articles per second and the peak memory (RSS) of the ingesting process.
The later per-article stages (stories, claims: pipeline.ARTICLE_STAGES) are off: the figure is the
ingestion's own, and the generated pages, all drawn from one small vocabulary, would make one giant story
that says nothing about clustering speed on real news (bench/clustering measures that).
The per-host politeness delay is set to 0 here: against real outlets, NEWSHUB_MIN_HOST_DELAY bounds
each host to one page per delay, and throughput comes from polling many hosts.
Writes bench/results/ingest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bench.ingest.site import GeneratedSite

RESULT = Path(__file__).resolve().parents[1] / "results" / "ingest.json"


def configure(home: str) -> None:
    os.environ.update(
        NEWSHUB_HOME=home,
        NEWSHUB_ALLOW_PRIVATE_NETWORKS="1",
        NEWSHUB_MIN_HOST_DELAY="0",
        NEWSHUB_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="newshub.settings",
    )
    os.environ.pop("NEWSHUB_DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def add_feeds(site: GeneratedSite, feeds: int) -> None:
    from newshub.sources.models import Feed, Outlet

    for number in range(feeds):
        outlet = Outlet.objects.create(name=f"Outlet {number}", slug=f"outlet-{number}")
        Feed.objects.create(outlet=outlet, url=site.feed_url(number))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--per-feed", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1, help="feeds polled side by side (threads)")
    args = parser.parse_args()
    console = Console()
    home = tempfile.mkdtemp(prefix="newshub-bench-ingest-")
    try:
        # The server process starts before Django and the extractor are loaded (a lean fork).
        with GeneratedSite(args.feeds, args.per_feed) as site:
            configure(home)
            from django.conf import settings

            from newshub.ingest.models import Article
            from newshub.pipeline import run_due_feeds

            settings.NEWSHUB_MAX_ENTRIES_PER_POLL = args.per_feed
            settings.NEWSHUB_ARTICLE_STAGES = []
            add_feeds(site, args.feeds)
            columns = (TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
            with Progress(*columns, console=console) as progress:
                task = progress.add_task("feeds", total=args.feeds)
                started = time.perf_counter()
                run = run_due_feeds(progress=lambda report: progress.advance(task), workers=args.workers)
                seconds = time.perf_counter() - started
            stored = Article.objects.count()
            summary_only = Article.objects.filter(summary_only=True).count()
    finally:
        shutil.rmtree(home, ignore_errors=True)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "benchmark": "ingest",
        "feeds": args.feeds,
        "pages": args.feeds * args.per_feed,
        "workers": args.workers,
        "article_stages": "off (poll, fetch, extract, store only)",
        "articles_stored": stored,
        "summary_only": summary_only,
        "failed_feeds": run.failed_feeds,
        "seconds": round(seconds, 2),
        "articles_per_second": round(stored / seconds, 1),
        "peak_rss_mb": round(peak_rss_mb, 1),
        "database": "SQLite (WAL), fresh",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "note": "2-core machine shared with other work: timings are noisy",
    }
    console.print(
        f"{stored} articles ({summary_only} summary-only) in {seconds:.1f} s: "
        f"{result['articles_per_second']} articles/s (target 30); "
        f"peak RSS {result['peak_rss_mb']} MB (limit 500)"
    )
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2))
    console.print(f"written to {RESULT}")


if __name__ == "__main__":
    main()
