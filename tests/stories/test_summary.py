"""A story's fields recomputed from its real articles in the test database."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from newshub.ingest.models import Article
from newshub.sources.models import Feed, Outlet
from newshub.stories.models import Story
from newshub.stories.summary import refresh_story

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 20, 8, tzinfo=UTC)

WIRE_TEXT = (
    "The U.S. military said it had no evidence that American forces were behind an explosion at the "
    "Kalso military base south of Baghdad, which killed a member of the Popular Mobilization Forces. "
    "Central Command said reports of U.S. airstrikes in Iraq were false. The Iraqi military said it was "
    "investigating the cause of the blast and the fire at the base."
)
OTHER_TEXT = (
    "An explosion at a base of Iraq's Popular Mobilization Forces near Baghdad killed one fighter and "
    "wounded eight. The U.S. military denied carrying out airstrikes; the Iraqi military is investigating "
    "the cause of the blast at the Kalso base."
)
OFF_TOPIC_TEXT = (
    "Officials gave few details about the night. Residents said they heard a loud bang and saw smoke "
    "rising above the base before dawn."
)


def make_outlet(name: str, **fields) -> Outlet:
    return Outlet.objects.create(name=name, slug=name.lower().replace(" ", "-"), **fields)


def make_article(outlet: Outlet, story: Story, n: int, **fields) -> Article:
    fields.setdefault("published_at", T0 + timedelta(hours=n))
    return Article.objects.create(
        outlet=outlet, url=f"https://{outlet.slug}.example/{n}", story=story, **fields
    )


@pytest.fixture
def story_with_copies() -> Story:
    wire = make_outlet("Wire", country="US", kind="wire", lean="center", lean_basis="Panel 2026")
    paper = make_outlet("Paper", country="GB", kind="newspaper", lean="lean_left", lean_basis="Survey")
    blog = make_outlet("Blog", country="US", kind="blog")
    local = make_outlet("Local", country="US", kind="newspaper")
    story = Story.objects.create()
    entities = [
        {"text": "Baghdad", "label": "GPE", "count": 2},
        {"text": "Popular Mobilization Forces", "label": "ORG", "count": 1},
    ]
    original = make_article(
        wire, story, 0, title="US denies airstrike on Iraq base", text=WIRE_TEXT, entities=entities
    )
    make_article(
        paper, story, 2, title="Blast at Iraqi militia base kills one", text=OTHER_TEXT, entities=entities[:1]
    )
    make_article(blog, story, 3, title="Smoke over the base", text=OFF_TOPIC_TEXT)
    # Copies of the wire story, re-headlined: they count as coverage (not as mentions of entities, their
    # text being the original's), and never give the story its title.
    make_article(
        blog, story, 4, title="SHOCK: Pentagon says it wasn't them", text=WIRE_TEXT, original=original
    )
    make_article(local, story, 5, title="Copy headline", text=WIRE_TEXT, original=original, entities=entities)
    return story


def test_fields_come_from_the_articles_and_copies_count_as_coverage(story_with_copies):
    refresh_story(story_with_copies.pk)
    story = Story.objects.get(pk=story_with_copies.pk)
    assert story.title == "US denies airstrike on Iraq base"
    assert story.lead.startswith("The U.S. military said it had no evidence")
    assert story.first_seen == T0 and story.last_seen == T0 + timedelta(hours=5)
    assert (story.article_count, story.outlet_count) == (5, 4)
    assert story.coverage == {
        "country": {"US": 3, "GB": 1},
        "kind": {"newspaper": 2, "blog": 1, "wire": 1},
        "lean": {"unrated": 2, "center": 1, "lean_left": 1},
        "reliability": {"unrated": 4},
    }
    assert story.blindspot == ""
    assert story.key_entities[0] == {
        "text": "Baghdad",
        "label": "GPE",
        "articles": 2,
    }
    assert story.key_entities[1]["text"] == "Popular Mobilization Forces"
    assert story.category == "World"
    assert story.score > 0


def test_refreshing_twice_gives_the_same_fields(story_with_copies):
    refresh_story(story_with_copies.pk)
    first = Story.objects.filter(pk=story_with_copies.pk).values().get()
    refresh_story(story_with_copies.pk)
    second = Story.objects.filter(pk=story_with_copies.pk).values().get()
    first.pop("updated_at"), second.pop("updated_at")
    assert first == second


def test_more_outlets_rank_higher_on_the_front_page(story_with_copies):
    small = Story.objects.create()
    make_article(make_outlet("Solo", country="US"), small, 5, title="Blast at base", text=OTHER_TEXT)
    refresh_story(story_with_copies.pk)
    refresh_story(small.pk)
    assert list(Story.objects.values_list("pk", flat=True)) == [story_with_copies.pk, small.pk]


def test_entities_are_recognised_when_the_articles_have_none():
    story = Story.objects.create()
    outlet = make_outlet("Gazette", country="FR")
    make_article(
        outlet,
        story,
        0,
        title="Emmanuel Macron meets Olaf Scholz in Berlin",
        lead="The French president and the German chancellor discussed Airbus and energy prices.",
    )
    refresh_story(story.pk)
    story.refresh_from_db()
    entities = {(e["text"], e["label"]) for e in story.key_entities}
    assert ("Berlin", "GPE") in entities
    assert any(label == "PERSON" for _, label in entities)


def test_section_given_by_the_feed_or_page_wins_over_the_classifier():
    outlet = make_outlet("Sports Daily")
    feed = Feed.objects.create(outlet=outlet, url="https://sports.example/feed", section="Sport")
    story = Story.objects.create()
    # The words say business; the feed says sport.
    make_article(
        outlet, story, 0, feed=feed, title="Club shares fall after profit warning", text="Shares fell."
    )
    make_article(outlet, story, 1, section="Football", title="Investors sell", text="The stock market fell.")
    make_article(outlet, story, 2, section="Markets", title="Stock falls", text="Shares fell again.")
    refresh_story(story.pk)
    story.refresh_from_db()
    assert story.category == "Sports"


def test_the_classifier_decides_without_a_section():
    story = Story.objects.create()
    make_article(
        make_outlet("Tribune"),
        story,
        0,
        title="Striker scores twice as United beat Chelsea",
        text="The striker scored in the first half and again after the break; the coach praised the team.",
    )
    refresh_story(story.pk)
    assert Story.objects.get(pk=story.pk).category == "Sports"


def test_bad_articles_do_not_break_the_story():
    story = Story.objects.create()
    outlet = make_outlet("Odd")
    future = timezone.now() + timedelta(days=400)
    make_article(outlet, story, 0, title="", text="", lead="", published_at=future)
    make_article(
        outlet, story, 1, title="", lead="", text="Police closed the road. " * 5000, published_at=None
    )
    before = timezone.now()
    refresh_story(story.pk)
    story.refresh_from_db()
    assert story.last_seen <= timezone.now() and story.last_seen >= before  # the future date is clamped
    assert story.title == "Police closed the road."
    assert len(story.lead) <= 500
    assert story.article_count == 2 and story.outlet_count == 1


def test_a_story_whose_articles_left_is_emptied():
    story = Story.objects.create(title="Merged away", article_count=3, outlet_count=2, score=9.0)
    refresh_story(story.pk)
    story.refresh_from_db()
    assert (story.article_count, story.outlet_count, story.score, story.title) == (0, 0, 0.0, "Merged away")


def test_a_missing_story_is_skipped():
    refresh_story(123456)


def test_a_person_named_by_surname_is_counted_with_the_full_name():
    story = Story.objects.create()
    outlet = make_outlet("Herald")
    people = [
        [{"text": "Kamala Harris", "label": "PERSON"}, {"text": "Ohio", "label": "GPE"}],
        [{"text": "Harris", "label": "PERSON"}, {"text": "Ohio", "label": "GPE"}],
        [{"text": "Harris", "label": "PERSON"}, {"text": "the Senate", "label": "ORG"}],
        [{"text": "Smith", "label": "PERSON"}, {"text": "Anna Smith", "label": "PERSON"}],
        [{"text": "Smith", "label": "PERSON"}, {"text": "John Smith", "label": "PERSON"}],
    ]
    for n, entities in enumerate(people):
        make_article(outlet, story, n, title=f"Campaign day {n}", text="Rally.", entities=entities)
    refresh_story(story.pk)
    found = {e["text"]: e["articles"] for e in Story.objects.get(pk=story.pk).key_entities}
    assert found["Kamala Harris"] == 3 and "Harris" not in found
    assert found["Ohio"] == 2 and found["Senate"] == 1
    assert found["Smith"] == 2  # two Smiths in the story: the surname stays ambiguous
