"""Version keys: what is cached for a story is rebuilt after anything shown with it changes."""

import pytest
from django.core.cache import cache

from newshub.api.cache import cached_for_lists, cached_for_story, lists_version, story_version
from newshub.claims.models import ClaimGroup
from newshub.ingest.models import Article
from newshub.stories.models import Story
from tests.search.corpus import build_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    cache.clear()
    return build_corpus()


def counting_builder():
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    return build, calls


def test_cached_until_the_story_changes(corpus):
    build, calls = counting_builder()
    assert cached_for_story(corpus.strike.pk, "page", build) == 1
    assert cached_for_story(corpus.strike.pk, "page", build) == 1
    corpus.election.save()  # another story: no effect on this one
    assert cached_for_story(corpus.strike.pk, "page", build) == 1
    corpus.strike.save()
    assert cached_for_story(corpus.strike.pk, "page", build) == 2
    assert len(calls) == 2


def test_moving_an_article_changes_both_stories(corpus):
    before = (story_version(corpus.strike.pk), story_version(corpus.election.pk))
    article = Article.objects.get(pk=corpus.strike_daily.pk)
    article.story = corpus.election
    article.save()
    after = (story_version(corpus.strike.pk), story_version(corpus.election.pk))
    assert before[0] != after[0] and before[1] != after[1]


def test_claim_groups_and_lists(corpus):
    version = story_version(corpus.quake.pk)
    ClaimGroup.objects.create(story=corpus.quake, label="the wall held")
    assert story_version(corpus.quake.pk) != version

    build, calls = counting_builder()
    cached_for_lists("front", build)
    cached_for_lists("front", build)
    lists = lists_version()
    corpus.quake.delete()
    assert lists_version() != lists
    cached_for_lists("front", build)
    assert len(calls) == 2


def test_a_result_refused_by_keep_is_served_but_not_cached(corpus):
    build, _ = counting_builder()
    assert cached_for_lists("refused", build, keep=lambda value: False) == 1
    assert cached_for_lists("refused", build, keep=lambda value: False) == 2
    assert cached_for_lists("kept", build, keep=lambda value: True) == 3
    assert cached_for_lists("kept", build, keep=lambda value: True) == 3


def test_search_answers_are_cached_until_a_story_changes(client, corpus):
    assert client.get("/api/search?q=harbour").json()["count"] == 3
    Story.objects.filter(pk=corpus.strike.pk).update(title="Harbour strike renamed quietly")
    assert "renamed quietly" not in client.get("/api/search?q=harbour").content.decode()
    corpus.election.save()
    assert "renamed quietly" in client.get("/api/search?q=harbour").content.decode()
