"""The same version-key caching through Redis (NEWSHUB_REDIS_URL's backend), on 127.0.0.1:6379
(the redis_cache fixture, tests/conftest.py).

Skipped when Redis is not reachable, unless NEWSHUB_REQUIRE_SERVICES=1 makes that a failure."""

import pytest
from django.core.cache import caches

from newshub.api.cache import cached_for_story, story_version
from tests.search.corpus import make_story

pytestmark = [pytest.mark.django_db, pytest.mark.services]


def test_story_changes_invalidate_through_redis(redis_cache):
    assert type(caches["default"]).__name__ == "RedisCache"
    story = make_story("Bridge reopens")
    first = story_version(story.pk)
    assert cached_for_story(story.pk, "page", lambda: "v1") == "v1"
    assert cached_for_story(story.pk, "page", lambda: "v2") == "v1"
    story.title = "Bridge reopens early"
    story.save()
    assert story_version(story.pk) != first
    assert cached_for_story(story.pk, "page", lambda: "v2") == "v2"
