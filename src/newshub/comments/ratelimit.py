"""Fixed-window post counters in Django's cache (shared between processes when the cache is Redis)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    scope: str
    posts: int
    seconds: int


# One reader: a few comments a minute is plenty. One story: a busy thread, not a flood.
PER_IP = (Limit("ip", 5, 60), Limit("ip", 30, 3600))
PER_STORY = (Limit("story", 60, 60),)


def window_key(limit: Limit, who: str, now: float) -> str:
    return f"comments:rate:{limit.scope}:{limit.seconds}:{who}:{int(now // limit.seconds)}"


def exceeded(limits: tuple[Limit, ...], who: str) -> Limit | None:
    """Count one post against each limit; the first limit it goes over, or None."""
    now = time.time()
    for limit in limits:
        key = window_key(limit, who, now)
        cache.add(key, 0, timeout=limit.seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add and incr: this post opens a new window
            cache.set(key, 1, timeout=limit.seconds + 1)
            count = 1
        if count > limit.posts:
            return limit
    return None
