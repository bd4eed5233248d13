"""Copies: exact and near copies point to their original (the earliest published, then wire, then fetched)."""

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newshub.ingest.models import Article
from newshub.sources.models import Outlet, OutletKind
from newshub.stories.cluster import Features
from newshub.stories.copies import (
    Candidate,
    CopyIndex,
    Fingerprint,
    content_hash,
    fingerprint,
    is_copy,
    pick_original,
)
from newshub.stories.engine import ArticleRecord, StoryEngine
from newshub.stories.stage import assign_story, reset_engine
from tests.stories.test_cluster_texts import CHIPS, FLOOD

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "article.txt"
WIRE_TEXT = " ".join(text for _, text in FLOOD)
BOILERPLATE = "Sign up for our morning newsletter. Follow us on social media. All rights reserved."
T0 = datetime(2026, 3, 1, 8, tzinfo=UTC)


def sentences(text: str) -> list[str]:
    return [s.strip() + "." for s in text.split(".") if s.strip()]


def near_copy(text: str, keep: float = 0.8, added: str = "Local officials said more help was coming.") -> str:
    kept = sentences(text)
    kept = kept[: max(1, round(len(kept) * keep))]
    return f"{BOILERPLATE}\n\n{added} " + " ".join(kept) + f"\n\n{BOILERPLATE}"


def test_exact_copies_share_a_hash_whatever_the_spacing_and_case():
    assert content_hash("The  river ROSE.\n\nRescuers came!") == content_hash("the river rose rescuers came")
    assert content_hash("The river rose.") != content_hash("The river fell.")


def test_fingerprint_survives_storage():
    fp = fingerprint(WIRE_TEXT)
    restored = Fingerprint.from_bytes(fp.content_hash, fp.to_bytes())
    assert restored is not None and restored.size == fp.size
    assert is_copy(fp, restored)
    assert Fingerprint.from_bytes("x", b"garbage") is None


def test_near_copies_match_and_distinct_articles_do_not():
    index = CopyIndex()
    index.add(1, fingerprint(WIRE_TEXT))
    index.add(2, fingerprint(" ".join(text for _, text in CHIPS[:2])))
    assert index.match(fingerprint(near_copy(WIRE_TEXT))) == 1
    assert (
        index.match(fingerprint(near_copy(WIRE_TEXT, keep=0.6, added="It was the worst flood in years.")))
        == 1
    )
    quoting_one_sentence = " ".join(
        [
            CHIPS[2][1],
            sentences(FLOOD[0][1])[0],
            "Analysts said the investment would take years to pay off, while local unions welcomed the news "
            "of new jobs in a region that lost many of its factories in the last decade.",
        ]
    )
    assert index.match(fingerprint(quoting_one_sentence)) is None
    assert index.match(fingerprint("Too short to judge.")) is None


def test_the_original_is_the_earliest_published_then_wire_then_earliest_fetched():
    early = Candidate(3, T0, T0 + timedelta(hours=5))
    later_wire = Candidate(1, T0 + timedelta(hours=1), T0, wire=True)
    assert pick_original([later_wire, early]).key == 3
    same_time_wire = Candidate(4, T0, T0 + timedelta(hours=9), wire=True)
    assert pick_original([early, same_time_wire]).key == 4
    fetched_first = Candidate(5, T0, T0 + timedelta(hours=1))
    assert pick_original([early, fetched_first]).key == 5
    assert pick_original([Candidate(6, None), Candidate(7, T0 + timedelta(days=3))]).key == 7


def make_outlet(name: str, kind: str = OutletKind.NEWSPAPER) -> Outlet:
    return Outlet.objects.create(name=name, slug=name.lower().replace(" ", "-"), kind=kind)


def make_article(outlet: Outlet, slug: str, title: str, text: str, published: datetime | None) -> Article:
    return Article.objects.create(
        outlet=outlet,
        url=f"https://{outlet.slug}.example/{slug}",
        title=title,
        text=text,
        published_at=published,
    )


@pytest.fixture
def fresh_engine():
    reset_engine()
    yield
    reset_engine()


@pytest.mark.django_db
def test_seed_page_copies_are_credited_to_the_wire_original(fresh_engine):
    if not SEED.exists():
        pytest.skip(f"seed page not found: {SEED}")
    seed_lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    headline, body = seed_lines[1], "\n\n".join(seed_lines[2:])
    wire = make_outlet("Wire Service", OutletKind.WIRE)
    blog = make_outlet("Blog Reposts")
    paper = make_outlet("Daily Paper")
    # The copy that arrives first (fetched first) but was published later must not take the credit.
    reworded = make_article(
        blog, "a", "Pentagon denies Iraq strike", near_copy(body, 0.7), T0 + timedelta(hours=3)
    )
    original = make_article(wire, "b", headline, body, T0)
    exact = make_article(paper, "c", headline.upper(), body.replace("\n\n", "\n"), T0 + timedelta(hours=1))
    for article in (reworded, original, exact):
        assign_story(article.pk)
    for article in (reworded, original, exact):
        article.refresh_from_db()
    assert original.original is None
    assert reworded.original_id == original.pk
    assert exact.original_id == original.pk
    assert reworded.story_id == original.story_id == exact.story_id
    assert original.story.article_count == 3 and original.story.outlet_count == 3


@pytest.mark.django_db
def test_a_late_arriving_original_takes_the_credit_from_its_copies(fresh_engine):
    wire, paper = make_outlet("Wire", OutletKind.WIRE), make_outlet("Paper")
    copy = make_article(paper, "copy", "Valencia floods", near_copy(WIRE_TEXT), T0 + timedelta(hours=2))
    first = make_article(wire, "wire", "Floods in Valencia", WIRE_TEXT, T0)
    assign_story(copy.pk)
    assign_story(first.pk)
    copy.refresh_from_db()
    first.refresh_from_db()
    assert copy.original_id == first.pk and first.original_id is None
    assert copy.story_id == first.story_id


def record(key: int, text: str, day: int | None) -> ArticleRecord:
    when = None if day is None else T0 + timedelta(days=day)
    return ArticleRecord(
        Candidate(key, when), Features(Counter(text.split()), Counter(), when), fingerprint(text)
    )


def test_a_copy_of_a_forgotten_original_still_credits_it():
    engine = StoryEngine(iter(range(1, 100)).__next__)
    engine.place(record(1, WIRE_TEXT, 0))
    assert engine.place(record(2, near_copy(WIRE_TEXT), 50)).original == 1
    engine.place(record(3, CHIPS[0][1], 75))
    engine.merge_pass()  # forgets article 1, older than twice the window, but not its copy 2
    assert 1 not in engine.story_of and 2 in engine.story_of
    assert engine.place(record(4, near_copy(WIRE_TEXT, keep=0.7), 76)).original == 1


def test_an_undated_first_article_is_forgotten_like_the_others():
    engine = StoryEngine(iter(range(1, 100)).__next__)
    engine.place(record(1, WIRE_TEXT, None))  # before any date: no clock yet
    engine.place(record(2, CHIPS[0][1], 0))
    engine.place(record(3, CHIPS[1][1], 70))
    engine.merge_pass()
    assert sorted(engine.story_of) == [3]
