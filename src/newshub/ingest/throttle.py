"""Politeness per host: one request at a time, and a minimum pause between two requests.

`HostThrottle` keeps it within one process; `SharedHostThrottle` across Celery workers on any number
of machines, through one Redis key per host, and `DatabaseHostThrottle` the same through one database row
per host, where there is no Redis (a RabbitMQ broker).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db.models import DateTimeField, ExpressionWrapper, Q
from django.db.models.functions import Now


class HostThrottle:
    def __init__(self, min_delay: float) -> None:
        self.min_delay = min_delay
        self._locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
        self._last_request: dict[str, float] = {}
        self._extra_delay: dict[str, float] = {}
        self._guard = threading.Lock()

    def set_delay(self, host: str, seconds: float) -> None:
        """A host may ask for a longer pause (robots.txt Crawl-delay); never a shorter one."""
        self._extra_delay[host] = seconds

    @contextmanager
    def turn(self, host: str) -> Iterator[None]:
        with self._guard:
            lock = self._locks[host]
        with lock:
            delay = max(self.min_delay, self._extra_delay.get(host, 0.0))
            wait = self._last_request.get(host, float("-inf")) + delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                yield
            finally:
                self._last_request[host] = time.monotonic()


# Give the key its pause as its remaining life, but only if this turn still holds it.
RELEASE_SCRIPT = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    if tonumber(ARGV[2]) > 0 then redis.call('pexpire', KEYS[1], ARGV[2]) else redis.call('del', KEYS[1]) end
end
"""
MAX_WAIT_STEP = 0.01


class SharedHostThrottle(HostThrottle):
    """The same rules for every process sharing a Redis: the key `newshub:host:<host>` is the lock
    while a request is in flight, then lives on for the pause, so the next turn waits for it to expire.
    A holder that dies frees the host after `lock_timeout` seconds."""

    def __init__(self, min_delay: float, redis_url: str, lock_timeout: float = 120.0) -> None:
        import redis

        super().__init__(min_delay)
        self._redis = redis.Redis.from_url(redis_url)
        self._release = self._redis.register_script(RELEASE_SCRIPT)
        self.lock_timeout_ms = int(lock_timeout * 1000)

    @contextmanager
    def turn(self, host: str) -> Iterator[None]:
        with super().turn(host):
            key = f"newshub:host:{host}"
            token = uuid.uuid4().hex
            while not self._redis.set(key, token, nx=True, px=self.lock_timeout_ms):
                remaining_ms = self._redis.pttl(key)
                time.sleep(min(max(remaining_ms, 1) / 1000, MAX_WAIT_STEP))
            try:
                yield
            finally:
                delay = max(self.min_delay, self._extra_delay.get(host, 0.0))
                self._release(keys=[key], args=[token, int(delay * 1000)])


class DatabaseHostThrottle(HostThrottle):
    """The same rules through the database's `HostTurn` rows: a turn is taken by one conditional UPDATE
    (free, and not held by a live holder), so two workers can never both take it."""

    def __init__(self, min_delay: float, lock_timeout: float = 120.0, poll_interval: float = 0.02) -> None:
        super().__init__(min_delay)
        self.lock_timeout = timedelta(seconds=lock_timeout)
        self.poll_interval = poll_interval

    @contextmanager
    def turn(self, host: str) -> Iterator[None]:
        from newshub.ingest.models import HostTurn

        with super().turn(host):
            token = uuid.uuid4().hex
            HostTurn.objects.get_or_create(host=host)
            while not self._take(host, token):
                time.sleep(self.poll_interval)
            try:
                yield
            finally:
                delay = timedelta(seconds=max(self.min_delay, self._extra_delay.get(host, 0.0)))
                HostTurn.objects.filter(host=host, holder=token).update(
                    holder="", held_until=None, free_at=database_time(delay)
                )

    def _take(self, host: str, token: str) -> bool:
        from newshub.ingest.models import HostTurn

        free = Q(free_at__isnull=True) | Q(free_at__lte=Now())
        unheld = Q(holder="") | Q(held_until__lt=Now())
        taken = HostTurn.objects.filter(free & unheld, host=host).update(
            holder=token, held_until=database_time(self.lock_timeout)
        )
        return taken == 1


def database_time(after: timedelta) -> ExpressionWrapper:
    """The database server's clock plus `after`."""
    return ExpressionWrapper(Now() + after, output_field=DateTimeField())


def host_throttle(min_delay: float, lock_timeout: float = 120.0) -> HostThrottle:
    """Shared across processes when Celery workers run the pipeline (a broker is set): through Redis when
    one is known (NEWSHUB_REDIS_URL, or a redis:// broker), else through the database; otherwise (one
    process runs the pipeline) in memory."""
    from django.conf import settings

    broker = settings.NEWSHUB_BROKER_URL
    redis_url = settings.REDIS_URL or (broker if broker.startswith(("redis://", "rediss://")) else "")
    if broker and redis_url:
        return SharedHostThrottle(min_delay, redis_url, lock_timeout=lock_timeout)
    if broker:
        return DatabaseHostThrottle(min_delay, lock_timeout=lock_timeout)
    return HostThrottle(min_delay)
