"""Related stories: close in key entities and words, from the same weeks, cached per story version."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache

from newshub.stories.models import Story
from newshub.stories.related import StoryFeatures, rank_related, related_stories

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 20, 12, tzinfo=UTC)


def entities(*names: str) -> list[dict]:
    return [{"text": name, "label": "GPE"} for name in names]


def make_story(title: str, lead: str = "", names=(), days: float = 0, **fields) -> Story:
    fields.setdefault("article_count", 2)
    return Story.objects.create(
        title=title,
        lead=lead,
        key_entities=entities(*names),
        last_seen=T0 + timedelta(days=days),
        first_seen=T0 + timedelta(days=days),
        **fields,
    )


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def test_stories_sharing_entities_and_words_come_first():
    story = make_story("Floods hit Valencia", "Heavy rain flooded Valencia streets.", ["Valencia", "Spain"])
    close = make_story("Valencia floods: death toll rises", "Rain in Valencia.", ["Valencia", "Spain"], 1)
    related_place = make_story("Spain asks EU for flood aid", "Madrid wants help.", ["Spain", "EU"], 2)
    make_story("Chess champion retires", "A long career ends.", ["Oslo"], 1)
    make_story("Valencia floods a year ago", "Rain in Valencia.", ["Valencia", "Spain"], -40)  # too old
    make_story("Valencia floods, merged", "Rain in Valencia.", ["Valencia"], 1, merged_into=close)
    make_story("Valencia floods, empty", "Rain in Valencia.", ["Valencia"], 1, article_count=0)
    assert related_stories(story) == [close, related_place]


def test_limit_and_ties_by_score():
    story = make_story("Storm closes ports", "Ports shut as storm nears.", ["Rotterdam"])
    low = make_story("Storm closes ports", "Ports shut as storm nears.", ["Rotterdam"], score=1.0)
    high = make_story("Storm closes ports", "Ports shut as storm nears.", ["Rotterdam"], score=5.0)
    assert related_stories(story, limit=1) == [high]
    assert related_stories(story, limit=5) == [high, low]


def test_answers_are_cached_until_the_story_changes():
    story = make_story("Election in Chile", "Chileans vote.", ["Chile"])
    first = make_story("Chile votes for president", "Chileans vote today.", ["Chile"])
    assert related_stories(story) == [first]
    second = make_story("Chile election result", "Chileans voted.", ["Chile"], score=9.0)
    assert related_stories(story) == [first]  # cached
    story.save()  # a refresh changes updated_at
    assert related_stories(story) == [second, first]


def test_rank_related_on_plain_features():
    target = StoryFeatures(1, "Wildfire near Athens", frozenset({"athens"}), "World")
    candidates = [
        StoryFeatures(2, "Athens wildfire spreads", frozenset({"athens", "greece"}), "World"),
        StoryFeatures(3, "Quarterly profits", frozenset(), "World"),  # same category alone is not enough
        StoryFeatures(4, "", frozenset(), ""),
    ]
    assert rank_related(target, candidates, 5) == [2]
    assert rank_related(target, [], 5) == []
    assert rank_related(StoryFeatures(5, "", frozenset()), [StoryFeatures(6, "", frozenset())], 5) == []


def test_the_story_page_lists_related_stories(client):
    story = make_story("Floods hit Valencia", "Heavy rain flooded Valencia.", ["Valencia"], outlet_count=2)
    other = make_story("Valencia counts flood damage", "Rain in Valencia.", ["Valencia"], 1, outlet_count=3)
    make_story("Chess champion retires", "A long career ends.", ["Oslo"], 1)
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Related stories" in page
    assert f'href="{other.get_absolute_url()}"' in page and "Chess champion" not in page
