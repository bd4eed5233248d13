"""Cached views of stories, invalidated by version keys instead of by deleting entries.

Every story has a version number in the cache; lists of stories share one more. Anything built from
a story is cached under a key that includes the versions it depends on, so bumping a version (on
Story save/delete, on an article joining or leaving the story, on a comment or claim group changing)
makes all older entries unreachable at once; they simply expire. Works the same with the local-memory
cache and with Redis (NEWSHUB_REDIS_URL), and across processes when the cache is shared.

For pages (the web app):

    from newshub.api.cache import cached_for_story, cached_for_lists
    html = cached_for_story(story.pk, "story-page", lambda: render_to_string(...))
    body = cached_for_lists(f"front-page:{page}", lambda: render_to_string(...))

Cache only what is the same for every reader: a page with a CSRF token or a user name must keep
those parts out of the cached fragment.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")

DEFAULT_TIMEOUT = 300  # seconds; a ceiling on staleness for changes that bypass signals (bulk updates)
LISTS_KEY = "newshub:stories-version"


def _story_key(story_id: int) -> str:
    return f"newshub:story-version:{story_id}"


def _new_version() -> int:
    # Time-based, so a version lost from the cache (eviction, restart) never comes back as an old one.
    return time.time_ns()


def _version(key: str) -> int:
    version = cache.get(key)
    if version is None:
        version = _new_version()
        # add() keeps a version another process set meanwhile.
        cache.add(key, version, timeout=None)
        version = cache.get(key, version)
    return version


def story_version(story_id: int) -> int:
    return _version(_story_key(story_id))


def lists_version() -> int:
    return _version(LISTS_KEY)


def story_versions(story_id: int) -> dict[str, int]:
    """What a page of this story is built from, by key (newshub.web.pagecache keeps pages by it)."""
    key = _story_key(story_id)
    return {key: _version(key)}


def lists_versions() -> dict[str, int]:
    return {LISTS_KEY: _version(LISTS_KEY)}


def versions_are_current(versions: dict[str, int]) -> bool:
    return cache.get_many(list(versions)) == versions


def bump_story(story_id: int | None) -> None:
    """Forget everything cached for this story and every list of stories."""
    keys = {LISTS_KEY: _new_version()}
    if story_id is not None:
        keys[_story_key(story_id)] = _new_version()
    cache.set_many(keys, timeout=None)


def bump_stories(story_ids: Iterable[int | None]) -> None:
    for story_id in set(story_ids):
        bump_story(story_id)


def _key(name: str, versions: Iterable[int]) -> str:
    digest = hashlib.sha256(name.encode()).hexdigest()[:32]
    return "newshub:cached:" + digest + ":" + ".".join(str(v) for v in versions)


def cached_for_story(story_id: int, name: str, build: Callable[[], T], timeout: int = DEFAULT_TIMEOUT) -> T:
    """`build()`'s result, rebuilt after the story changes. `name` tells apart the things cached."""
    return cache.get_or_set(_key(f"{name}|{story_id}", [story_version(story_id)]), build, timeout)


def cached_for_lists(
    name: str, build: Callable[[], T], timeout: int = DEFAULT_TIMEOUT, keep: Callable[[T], bool] | None = None
) -> T:
    """`build()`'s result, rebuilt after any story changes (front page, category pages, lists).
    A result `keep` refuses (a search the database could not answer) is returned but not cached."""
    key = _key(name, [lists_version()])
    value = cache.get(key)
    if value is None:
        value = build()
        if keep is None or keep(value):
            cache.set(key, value, timeout)
    return value
