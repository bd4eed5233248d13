"""The same version-key caching through Redis (NEWSHUB_REDIS_URL's backend), on 127.0.0.1:6379.

Skipped when Redis is not reachable, unless NEWSHUB_REQUIRE_SERVICES=1 makes that a failure."""

import uuid

import pytest
from django.core.cache import cache, caches

from newshub.api.cache import cached_for_story, story_version
from tests.search.corpus import make_story
from tests.services import require_server

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379

pytestmark = [pytest.mark.django_db, pytest.mark.services]


@pytest.fixture
def redis_cache(settings):
    require_server("Redis", REDIS_HOST, REDIS_PORT)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://{REDIS_HOST}:{REDIS_PORT}/0",
            # A prefix of our own: other test runs may share this Redis.
            "KEY_PREFIX": f"newshub-test-{uuid.uuid4().hex}",
        }
    }
    yield cache
    cache.clear()


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
