"""Scaling benchmark: time to place one new article with 1k, 10k and 100k articles already stored.

    .venv/bin/python -m bench.scaling [--sizes 1000 10000 100000] [--probe 200] [--per-day 1000]

Generated articles (synthetic events: topic words, named people and places) are stored in a throwaway
SQLite database, `--per-day` of them per day going back from now, each with its story, entities and
copy fingerprint, as the stage would have left them. At each size the stage's state is rebuilt from
the database (timed), then `--probe` new articles about recent and new events go through the real
`assign_story` (spaCy NER and the summary refresh included) and through the clustering engine alone.
Target: time per article flat within 2x from 1k to 100k stored articles.
"""

import argparse
import json
import os
import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[1] / "results"
SYLLABLES = [
    f"{a}{b}{c}" for a in "bcdfghklmnprstvz" for b in "aeiou" for c in ("n", "r", "s", "t", "l", "m")
]
# Everyday words (drawn Zipf-like, as in real text) and a large pool of rarer words for topics and names.
COMMON = SYLLABLES
RARE = [a + b for a in SYLLABLES for b in SYLLABLES[::7]]
ZIPF_WEIGHTS = [1 / (rank + 1) for rank in range(len(COMMON))]
EVENT_SIZE = 12


def setup_django(home: Path) -> None:
    os.environ["NEWSHUB_HOME"] = str(home)
    os.environ["NEWSHUB_DATABASE_URL"] = f"sqlite:///{home / 'scaling.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "newshub.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def event_words(event: int) -> tuple[list[str], list[dict]]:
    rng = random.Random(event)
    topic = rng.sample(RARE, 25)
    people = [f"{rng.choice(RARE).title()} {rng.choice(RARE).title()}" for _ in range(3)]
    place = rng.choice(RARE).title() + "ville"
    entities = [{"text": p, "label": "PERSON", "count": 2} for p in people] + [
        {"text": place, "label": "GPE", "count": 2}
    ]
    return topic, entities


def article_text(event: int, rng: random.Random) -> tuple[str, str, list[dict]]:
    topic, entities = event_words(event)
    names = [e["text"] for e in entities]
    background = rng.choices(COMMON, weights=ZIPF_WEIGHTS, k=180)
    words = [rng.choice(topic) if rng.random() < 0.3 else word for word in background]
    for position in rng.sample(range(len(words)), 6):
        words[position] = rng.choice(names)
    title = " ".join(rng.sample(topic, 5)).capitalize()
    sentences = [" ".join(words[i : i + 18]).capitalize() + "." for i in range(0, len(words), 18)]
    return title, " ".join(sentences), entities


def store_articles(start: int, stop: int, per_day: int, outlets: list, now) -> None:
    """Articles start..stop-1, the i-th published i/per_day days before now, grouped in events."""
    from newshub.ingest.models import Article
    from newshub.stories.copies import fingerprint
    from newshub.stories.models import Story

    rng = random.Random(start)
    window = timedelta(days=14)
    batch = 2000
    for low in range(start, stop, batch):
        high = min(stop, low + batch)
        events = sorted({i // EVENT_SIZE for i in range(low, high)})
        existing = dict(
            Story.objects.filter(lead__in=[f"event {e}" for e in events]).values_list("lead", "id")
        )
        new = [Story(lead=f"event {e}", title=f"Event {e}") for e in events if f"event {e}" not in existing]
        for story in Story.objects.bulk_create(new):
            existing[story.lead] = story.pk
        articles = []
        for i in range(low, high):
            when = now - timedelta(days=i / per_day)
            title, text, entities = article_text(i // EVENT_SIZE, rng)
            # Fingerprints only where the stage would read them back (the recent window), to save time.
            fp = fingerprint(text) if now - when < window else None
            articles.append(
                Article(
                    outlet=outlets[i % len(outlets)],
                    url=f"https://gen.example/{i}",
                    title=title,
                    text=text,
                    published_at=when,
                    fetched_at=when,
                    entities=entities,
                    content_hash=fp.content_hash if fp else "",
                    minhash=fp.to_bytes() if fp else None,
                    story_id=existing[f"event {i // EVENT_SIZE}"],
                )
            )
        Article.objects.bulk_create(articles)
    for story_id in Story.objects.filter(article_count=0).values_list("id", flat=True).iterator():
        Story.objects.filter(pk=story_id).update(article_count=EVENT_SIZE, outlet_count=3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--probe", type=int, default=200)
    parser.add_argument("--per-day", type=int, default=1000)
    parser.add_argument("--output", type=Path, default=RESULTS / "scaling.json")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="newshub-scaling-"))
    setup_django(home)

    from django.utils import timezone

    from newshub.ingest.models import Article
    from newshub.sources.models import Outlet
    from newshub.stories import stage
    from newshub.stories.models import Story

    outlets = [Outlet.objects.create(name=f"Outlet {n}", slug=f"outlet-{n}") for n in range(20)]
    now = timezone.now()
    # One article placed first loads what loads once per process (spaCy, the summary's models), so
    # that cost stays out of the first size's timing; it is then removed.
    title, text, _ = article_text(-1, random.Random(0))
    warm_up = Article.objects.create(
        outlet=outlets[0], url="https://probe.example/warm-up", title=title, text=text, published_at=now
    )
    stage.assign_story(warm_up.pk)
    Story.objects.filter(articles=warm_up).delete()
    warm_up.delete()
    rows, stored = [], 0
    for size in sorted(args.sizes):
        started = time.perf_counter()
        store_articles(stored, size, args.per_day, outlets, now)
        stored = size
        generated = time.perf_counter() - started

        stage.reset_engine()
        started = time.perf_counter()
        engine = stage.get_engine()
        rebuild = time.perf_counter() - started

        rng = random.Random(size)
        probes = []
        for n in range(args.probe):
            # Half continue recent events, half are new ones.
            event = rng.randrange(0, 200) if n % 2 else 10_000_000 + size + n
            title, text, _ = article_text(event, rng)
            probes.append(
                Article.objects.create(
                    outlet=outlets[n % len(outlets)],
                    url=f"https://probe.example/{size}/{n}",
                    title=title,
                    text=text,
                    published_at=timezone.now(),
                )
            )
        stored_count = Article.objects.count() - len(probes)
        engine_seconds = [0.0]
        place = engine.place

        def timed_place(record, place=place, spent=engine_seconds):
            started = time.perf_counter()
            try:
                return place(record)
            finally:
                spent[0] += time.perf_counter() - started

        engine.place = timed_place  # the engine's share of the stage's time
        started = time.perf_counter()
        for article in probes:
            stage.assign_story(article.pk)
        total = time.perf_counter() - started
        row = {
            "stored_articles": stored_count,
            "articles_in_memory": len(engine.story_of),
            "stories_in_memory": len(engine.clusterer.stories),
            "generate_seconds": round(generated, 1),
            "rebuild_seconds": round(rebuild, 2),
            "assign_story_ms_per_article": round(1000 * total / len(probes), 2),
            "engine_ms_per_article": round(1000 * engine_seconds[0] / len(probes), 2),
        }
        rows.append(row)
        print(json.dumps(row), flush=True)

    report = {
        "sizes": rows,
        "per_day": args.per_day,
        "probe_articles": args.probe,
        "slowdown_largest_vs_smallest": round(
            rows[-1]["assign_story_ms_per_article"] / rows[0]["assign_story_ms_per_article"], 2
        ),
        "engine_slowdown_largest_vs_smallest": round(
            rows[-1]["engine_ms_per_article"] / rows[0]["engine_ms_per_article"], 2
        ),
        "target": "flat within 2x",
        "note": "shared 2-core machine: timings are noisy",
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"slowdown {rows[0]['stored_articles']} -> {rows[-1]['stored_articles']} stored articles: "
        f"{report['slowdown_largest_vs_smallest']}x per article (engine alone "
        f"{report['engine_slowdown_largest_vs_smallest']}x)\nwrote {args.output}"
    )


if __name__ == "__main__":
    main()
