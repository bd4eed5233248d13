"""`python -m bench.search [--articles N] [--stories N] [--database-url URL]`: search latency at scale.

Builds a generated corpus (words drawn from a Zipf-like vocabulary, so some query words are common and
some rare) in a throwaway database — SQLite in a temporary folder by default, or the database at
--database-url (e.g. postgres://postgres@127.0.0.1:5432/newshub_bench; Django creates nothing there but
the tables, so use a database of its own) — then times `newshub.search.query.search` for a mix of
queries and filters. Writes bench/results/search.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

RESULT = Path(__file__).resolve().parents[1] / "results" / "search.json"
VOCABULARY_SIZE = 20_000
WORDS_PER_ARTICLE = 120
CATEGORIES = ["World", "Politics", "Business", "Technology", "Science", "Health", "Sports"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--outlets", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=20, help="timed runs per query")
    parser.add_argument("--database-url", default="", help="default: SQLite in a temporary folder")
    return parser.parse_args()


def setup_django(args: argparse.Namespace) -> None:
    os.environ["NEWSHUB_HOME"] = tempfile.mkdtemp(prefix="newshub-bench-search-")
    if args.database_url:
        os.environ["NEWSHUB_DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newshub.settings")
    os.environ.setdefault("NEWSHUB_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def vocabulary(rng) -> tuple[list[str], list[float]]:
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "de", "ga", "po", "ze", "bri", "stan", "mor"]
    words = set()
    while len(words) < VOCABULARY_SIZE:
        words.add("".join(rng.choice(syllables, size=rng.integers(2, 5))))
    ranked = sorted(words)
    weights = [1.0 / (rank + 1) for rank in range(len(ranked))]
    total = sum(weights)
    return ranked, [w / total for w in weights]


def build_corpus(args: argparse.Namespace) -> dict:
    import numpy as np
    from django.db import connection, transaction
    from django.utils import timezone
    from rich.progress import track

    from newshub.ingest.models import Article
    from newshub.sources.models import Outlet
    from newshub.stories.models import Story

    rng = np.random.default_rng(7)
    words, weights = vocabulary(rng)
    word_array = np.array(words, dtype=object)
    cumulative = np.cumsum(weights)
    now = timezone.now()

    def sentence(count: int) -> str:
        picks = np.minimum(np.searchsorted(cumulative, rng.random(count)), len(words) - 1)
        return " ".join(word_array[picks])

    started = time.perf_counter()
    outlets = Outlet.objects.bulk_create(
        Outlet(name=f"Outlet {i}", slug=f"outlet-{i}", kind="newspaper") for i in range(args.outlets)
    )
    stories = []
    for offset in track(range(0, args.stories, 1000), description="stories"):
        batch = [
            Story(
                title=sentence(8),
                lead=sentence(25),
                category=CATEGORIES[i % len(CATEGORIES)],
                first_seen=now - timezone.timedelta(hours=i % 2000),
                last_seen=now - timezone.timedelta(hours=i % 1000),
                article_count=args.articles // args.stories,
                outlet_count=5,
            )
            for i in range(offset, min(offset + 1000, args.stories))
        ]
        stories.extend(Story.objects.bulk_create(batch))
    for offset in track(range(0, args.articles, 2000), description="articles"):
        batch = [
            Article(
                outlet=outlets[i % len(outlets)],
                story=stories[i % len(stories)],
                url=f"https://bench.example/{i}",
                title=sentence(10),
                lead=sentence(30),
                text=sentence(WORDS_PER_ARTICLE),
                published_at=now - timezone.timedelta(minutes=i),
            )
            for i in range(offset, min(offset + 2000, args.articles))
        ]
        with transaction.atomic():
            Article.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would gather after a bulk load
    return {"seconds_to_build": round(time.perf_counter() - started, 1), "words": words}


def time_queries(words: list[str], repeats: int) -> dict:
    from newshub.search.query import search

    common, middling, rare = words[0], words[300], words[15_000]
    cases = {
        "rare word, stories": dict(q=rare),
        "middling word, stories": dict(q=middling),
        "common word, stories": dict(q=common),
        "two words, stories": dict(q=f"{common} {middling}"),
        "middling word, articles": dict(q=middling, kind="articles"),
        "common word, articles": dict(q=common, kind="articles"),
        "middling word, category filter": dict(q=middling, category="Science"),
        "middling word, outlet filter, articles": dict(q=middling, outlet="outlet-3", kind="articles"),
        "hostile input": dict(q='"(' + common + " OR NEAR(" + "x" * 5000),
    }
    results = {}
    for name, params in cases.items():
        search(**params)  # warm the page cache
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            found = search(**params)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        results[name] = {
            "hits": found.total,
            "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))], 2),
            "max_ms": round(timings[-1], 2),
        }
    return results


def main() -> None:
    args = parse_args()
    setup_django(args)
    from django.db import connection
    from rich.console import Console
    from rich.table import Table

    built = build_corpus(args)
    queries = time_queries(built["words"], args.repeats)
    summary = {
        "database": connection.vendor,
        "articles": args.articles,
        "stories": args.stories,
        "words_per_article": WORDS_PER_ARTICLE,
        "seconds_to_build": built["seconds_to_build"],
        "repeats": args.repeats,
        "queries": queries,
        "worst_p95_ms": max(q["p95_ms"] for q in queries.values()),
        "note": "single process, no HTTP; figures are noisy on a shared 2-core machine",
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(summary, indent=2))
    table = Table(title=f"search on {connection.vendor}: {args.articles} articles, {args.stories} stories")
    for column in ("query", "hits", "p50 ms", "p95 ms", "max ms"):
        table.add_column(column)
    for name, figures in queries.items():
        table.add_row(name, *(str(figures[k]) for k in ("hits", "p50_ms", "p95_ms", "max_ms")))
    Console().print(table)
    print(f"wrote {RESULT}", file=sys.stderr)


if __name__ == "__main__":
    main()
