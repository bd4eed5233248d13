"""robots.txt, read once per host and kept for an hour (RFC 9309)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

logger = logging.getLogger(__name__)

ROBOTS_TTL_SECONDS = 3600
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309: parse at least 500 KiB, ignore the rest
MAX_CRAWL_DELAY = 60.0

# Given the robots.txt URL, returns (status, text). Network failures raise: an unreachable
# robots.txt means the page is not fetched either (RFC 9309 "assume complete disallow").
RobotsLoader = Callable[[str], tuple[int, str]]


def parse_robots(status: int, text: str) -> RobotFileParser:
    parser = RobotFileParser()
    if 200 <= status < 300:
        parser.parse(text.splitlines())
    else:
        # 4xx: no rules, everything allowed (RFC 9309 2.3.1.3). 5xx raises before reaching here.
        parser.allow_all = True
    return parser


class RobotsCache:
    def __init__(self, load: RobotsLoader, user_agent: str, ttl: float = ROBOTS_TTL_SECONDS) -> None:
        self._load = load
        self.user_agent = user_agent
        self.ttl = ttl
        self._parsers: dict[str, tuple[float, RobotFileParser]] = {}
        self._lock = threading.Lock()

    def _parser_for(self, url: str) -> RobotFileParser:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            cached = self._parsers.get(origin)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        status, text = self._load(origin + "/robots.txt")
        parser = parse_robots(status, text)
        logger.debug("robots origin=%s status=%s", origin, status)
        with self._lock:
            self._parsers[origin] = (time.monotonic() + self.ttl, parser)
        return parser

    def allowed(self, url: str) -> bool:
        return self._parser_for(url).can_fetch(self.user_agent, url)

    def crawl_delay(self, url: str) -> float:
        delay = self._parser_for(url).crawl_delay(self.user_agent)
        return min(float(delay), MAX_CRAWL_DELAY) if delay else 0.0
