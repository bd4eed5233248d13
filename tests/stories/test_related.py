"""Related stories: close in key entities and words, from the same weeks, computed after each round."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newshub.ingest.models import Article
from newshub.pipeline import ROUND_STAGES, finish_round
from newshub.stories.models import Story
from newshub.stories.related import refresh_all, refresh_related, related_stories

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


def related_to(story: Story, limit: int = 5) -> list[Story]:
    story.refresh_from_db()
    return related_stories(story, limit=limit)


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
    refresh_related()
    assert related_to(story) == [close, related_place]


def test_limit_and_ties_by_score():
    story = make_story("Storm closes ports", "Ports shut as storm nears.", ["Rotterdam"])
    low = make_story("Storm closes ports", "Ports shut as storm nears.", ["Rotterdam"], score=1.0)
    high = make_story("Storm closes ports", "Ports shut as storm nears.", ["Rotterdam"], score=5.0)
    refresh_related()
    assert related_to(story, limit=1) == [high]
    assert related_to(story) == [high, low]


def test_same_category_alone_is_not_enough():
    story = make_story("Wildfire near Athens", "", ["Athens"], category="World")
    close = make_story("Athens wildfire spreads", "", ["Athens", "Greece"], category="World")
    make_story("Quarterly profits", "", category="World")
    make_story("", "")
    refresh_related()
    assert related_to(story) == [close]


def test_nothing_is_computed_when_a_page_is_read(client):
    story = make_story("Election in Chile", "Chileans vote.", ["Chile"])
    make_story("Chile votes for president", "Chileans vote today.", ["Chile"])
    assert related_to(story) == []
    assert "Related stories" not in client.get(story.get_absolute_url()).content.decode()


def test_a_new_story_joins_the_lists_of_the_stories_it_is_close_to():
    story = make_story("Election in Chile", "Chileans vote.", ["Chile"])
    first = make_story("Chile votes for president", "Chileans vote today.", ["Chile"])
    refresh_related()
    assert related_to(story) == [first]
    second = make_story("Chile election result", "Chileans voted.", ["Chile"], score=9.0)
    refresh_related()
    assert related_to(story) == [second, first]  # `story` did not change: refreshed as a neighbour
    assert set(related_to(second)) == {first, story}


def test_a_changed_story_leaves_lists_it_no_longer_belongs_to():
    story = make_story("Election in Chile", "Chileans vote.", ["Chile"])
    other = make_story("Chile votes for president", "Chileans vote today.", ["Chile"])
    refresh_related()
    assert related_to(story) == [other]
    other.title, other.lead, other.key_entities = "Chess champion retires", "A long career ends.", []
    other.save()
    refresh_related()
    assert related_to(story) == []


def test_only_stale_lists_are_recomputed():
    make_story("Election in Chile", "Chileans vote.", ["Chile"])
    make_story("Chile votes for president", "Chileans vote today.", ["Chile"])
    assert refresh_related() == 2
    assert refresh_related() == 0


def test_merged_stories_drop_out_of_lists_at_once():
    story = make_story("Election in Chile", "Chileans vote.", ["Chile"])
    other = make_story("Chile votes for president", "Chileans vote today.", ["Chile"])
    refresh_related()
    Story.objects.filter(pk=other.pk).update(merged_into=story, article_count=0)
    assert related_to(story) == []


def test_a_changed_list_rebuilds_the_cached_story_page(client):
    story = make_story("Floods hit Valencia", "Heavy rain flooded Valencia.", ["Valencia"], outlet_count=2)
    assert "Related stories" not in client.get(story.get_absolute_url()).content.decode()
    other = make_story("Valencia counts flood damage", "Rain in Valencia.", ["Valencia"], 1, outlet_count=3)
    refresh_related()
    assert f'href="{other.get_absolute_url()}"' in client.get(story.get_absolute_url()).content.decode()


def test_the_story_page_lists_related_stories_in_one_query(client):
    story = make_story("Floods hit Valencia", "Heavy rain flooded Valencia.", ["Valencia"], outlet_count=2)
    other = make_story("Valencia counts flood damage", "Rain in Valencia.", ["Valencia"], 1, outlet_count=3)
    make_story("Chess champion retires", "A long career ends.", ["Oslo"], 1)
    refresh_all()
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Related stories" in page
    assert f'href="{other.get_absolute_url()}"' in page and "Chess champion" not in page
    story.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        related_stories(story)
    assert len(queries) == 1


def test_runs_after_every_polling_round():
    assert ROUND_STAGES.index("newshub.stories.related.refresh_related") > ROUND_STAGES.index(
        "newshub.stories.stage.merge_pass"
    )
    story = make_story("Election in Chile", "Chileans vote.", ["Chile"])
    other = make_story("Chile votes for president", "Chileans vote today.", ["Chile"])
    finish_round()
    assert related_to(story) == [other]


def test_the_demo_shows_related_stories(client):
    call_command("demo", verbosity=0)
    blast = Article.objects.get(title__startswith="Blast at Marovian air base").story
    floods = Article.objects.get(title__startswith="Floods force thousands").story
    page = client.get(blast.get_absolute_url()).content.decode()
    assert "Related stories" in page and f'href="{floods.get_absolute_url()}"' in page
