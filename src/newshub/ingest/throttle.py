"""Politeness per host: one request at a time, and a minimum pause between two requests."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager


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
