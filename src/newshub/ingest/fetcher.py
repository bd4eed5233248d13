"""A polite, SSRF-safe HTTP fetcher.

    fetcher = Fetcher()
    result = fetcher.fetch("https://example.org/feed.xml", etag=feed.etag)
    if result.not_modified: ...

Politeness: a User-Agent naming Newshub, robots.txt (with Crawl-delay), one request at a time and a
minimum pause per host, conditional GET, Retry-After. Safety: only http(s), at most five redirects
(each hop checked again), bodies and their decompression capped, addresses checked where the socket
is opened (netguard). Every failure is a FetchError whose message is meant for the user, and is shown
on the feed in the admin.
"""

from __future__ import annotations

import email.utils
import logging
import ssl
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings

import newshub
from newshub.ingest.netguard import PrivateAddressError, guarded_transport
from newshub.ingest.robots import ROBOTS_MAX_BYTES, RobotsCache
from newshub.ingest.throttle import host_throttle

logger = logging.getLogger(__name__)

USER_AGENT = f"Newshub/{newshub.__version__} (+{newshub.PROJECT_URL})"
ROBOTS_AGENT = "Newshub"
MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
CHUNK_BYTES = 64 * 1024
MAX_RETRY_AFTER_SECONDS = 7 * 24 * 3600

# The user-facing failure messages (shown on the feed).
TOO_MANY_REDIRECTS = "too many redirects"
REDIRECT_LOOP = "redirect loop"
BODY_TOO_LARGE = "response body too large"
PRIVATE_ADDRESS = "private network address refused"
TIMED_OUT = "timed out"
HOST_NOT_FOUND = "host not found"
CONNECTION_FAILED = "connection failed"
TLS_ERROR = "TLS certificate error"
INVALID_RESPONSE = "invalid HTTP response"
INVALID_COMPRESSION = "invalid compressed data"
UNSUPPORTED_ENCODING = "unsupported content encoding"
UNSUPPORTED_URL = "unsupported URL"
BLOCKED_BY_ROBOTS = "blocked by robots.txt"
STATUS_MESSAGES = {
    401: "access denied (401)",
    403: "access denied (403)",
    404: "page not found (404)",
    410: "page gone (410)",
    429: "too many requests (429)",
    500: "server error (500)",
    502: "bad gateway (502)",
    503: "service unavailable (503)",
    504: "gateway timeout (504)",
}


class FetchError(Exception):
    """A fetch that failed, with a short message for the user and what the caller needs to react."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class FetchResult:
    url: str  # after redirects
    status: int
    body: bytes
    content_type: str  # media type only, lower case: "text/html"
    charset: str | None
    etag: str
    last_modified: str
    retry_after: float | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After is either seconds or an HTTP date; returns seconds from now (bounded)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


def status_error(status: int, retry_after: float | None = None) -> FetchError:
    message = STATUS_MESSAGES.get(status, f"HTTP error ({status})")
    return FetchError(message, status=status, retry_after=retry_after)


class BoundedDecoder:
    """Decodes Content-Encoding chunk by chunk and stops as soon as the decoded size passes the cap.

    zlib's max_length keeps each step bounded too, so a gzip bomb never expands in memory beyond
    the cap plus one chunk.
    """

    def __init__(self, content_encoding: str, limit: int, truncate: bool = False) -> None:
        encoding = content_encoding.strip().lower()
        if encoding in ("", "identity"):
            self._inflater = None
        elif encoding in ("gzip", "x-gzip", "deflate"):
            self._inflater = zlib.decompressobj(32 + zlib.MAX_WBITS)  # gzip or zlib header, detected
        else:
            raise FetchError(UNSUPPORTED_ENCODING)
        self.limit = limit
        self.truncate = truncate
        self.size = 0
        self.full = False

    def _take(self, piece: bytes) -> bytes:
        room = self.limit - self.size
        if len(piece) > room:
            if not self.truncate:
                raise FetchError(BODY_TOO_LARGE)
            self.full = True
            piece = piece[:room]
        self.size += len(piece)
        return piece

    def feed(self, chunk: bytes) -> bytes:
        if self._inflater is None:
            return self._take(chunk)
        pieces = []
        data = chunk
        try:
            while data and not self.full:
                piece = self._inflater.decompress(data, self.limit - self.size + 1)
                pieces.append(self._take(piece))
                data = self._inflater.unconsumed_tail
        except zlib.error as error:
            raise FetchError(INVALID_COMPRESSION) from error
        return b"".join(pieces)


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(UNSUPPORTED_URL)
    return parts.hostname.lower()


def map_transport_error(error: Exception) -> FetchError:
    if isinstance(error, PrivateAddressError):
        return FetchError(PRIVATE_ADDRESS)
    if isinstance(error, httpx.TimeoutException):
        return FetchError(TIMED_OUT)
    if isinstance(error, httpx.ConnectError):
        text = str(error)
        if text.startswith("host not found"):
            return FetchError(HOST_NOT_FOUND)
        if isinstance(error.__context__, ssl.SSLError) or "CERTIFICATE" in text:
            return FetchError(TLS_ERROR)
        return FetchError(CONNECTION_FAILED)
    if isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return FetchError(UNSUPPORTED_URL)
    return FetchError(INVALID_RESPONSE)


class Fetcher:
    """Thread-safe; share one per process (it holds the connection pool, robots and host timing)."""

    def __init__(
        self,
        *,
        allow_private_networks: bool | None = None,
        max_body_bytes: int | None = None,
        min_host_delay: float | None = None,
        timeout: float = 30.0,
        respect_robots: bool = True,
    ) -> None:
        if allow_private_networks is None:
            allow_private_networks = settings.NEWSHUB_ALLOW_PRIVATE_NETWORKS
        self.max_body_bytes = max_body_bytes or settings.NEWSHUB_MAX_BODY_BYTES
        self.total_timeout = timeout
        self.respect_robots = respect_robots
        self._throttle = host_throttle(
            settings.NEWSHUB_MIN_HOST_DELAY if min_host_delay is None else min_host_delay,
            # A request holds its host at most `timeout`; a holder that died frees it soon after.
            lock_timeout=2 * timeout,
        )
        self._robots = RobotsCache(self._load_robots, ROBOTS_AGENT)
        self._client = httpx.Client(
            transport=guarded_transport(allow_private_networks),
            timeout=httpx.Timeout(timeout, connect=min(10.0, timeout), read=min(20.0, timeout)),
            follow_redirects=False,  # followed by hand, so each hop is checked
            trust_env=False,  # a proxy from the environment would bypass the address check
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def fetch(self, url: str, *, etag: str = "", last_modified: str = "") -> FetchResult:
        """GET url; raises FetchError for anything but a 2xx body or a 304."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        result = self._follow(url, headers, self.max_body_bytes, obey_robots=self.respect_robots)
        if result.status != 304 and not 200 <= result.status < 300:
            raise status_error(result.status, result.retry_after)
        return result

    def _load_robots(self, robots_url: str) -> tuple[int, str]:
        result = self._follow(robots_url, {}, ROBOTS_MAX_BYTES, obey_robots=False, truncate=True)
        if result.status >= 500 or result.status == 429:
            raise status_error(result.status, result.retry_after)
        return result.status, result.body.decode("utf-8", errors="replace")

    def _follow(
        self, url: str, headers: dict[str, str], max_bytes: int, *, obey_robots: bool, truncate: bool = False
    ) -> FetchResult:
        visited: set[str] = set()
        for _hop in range(MAX_REDIRECTS + 1):
            host = check_url(url)
            visited.add(url)
            if obey_robots:
                if not self._robots.allowed(url):
                    raise FetchError(BLOCKED_BY_ROBOTS)
                if crawl_delay := self._robots.crawl_delay(url):
                    self._throttle.set_delay(host, crawl_delay)
            with self._throttle.turn(host):
                result = self._get_once(url, headers, max_bytes, truncate)
            if result.status not in REDIRECT_STATUSES:
                return result
            url = result.url
            if url in visited:
                raise FetchError(REDIRECT_LOOP)
        raise FetchError(TOO_MANY_REDIRECTS)

    def _get_once(self, url: str, headers: dict[str, str], max_bytes: int, truncate: bool) -> FetchResult:
        started = time.monotonic()
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in REDIRECT_STATUSES:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(INVALID_RESPONSE, status=status)
                    return FetchResult(urljoin(url, location), status, b"", "", None, "", "")
                body = b""
                if 200 <= status < 300:
                    body = self._read_body(response, max_bytes, truncate, started)
                media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
                return FetchResult(
                    url=url,
                    status=status,
                    body=body,
                    content_type=media_type,
                    charset=response.charset_encoding,
                    etag=response.headers.get("etag", ""),
                    last_modified=response.headers.get("last-modified", ""),
                    retry_after=parse_retry_after(response.headers.get("retry-after")),
                )
        except FetchError:
            raise
        except (httpx.HTTPError, PrivateAddressError) as error:
            logger.info("fetch_failed url=%s error=%r", url, error)
            raise map_transport_error(error) from error

    def _read_body(self, response: httpx.Response, max_bytes: int, truncate: bool, started: float) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes and not truncate:
            raise FetchError(BODY_TOO_LARGE)
        decoder = BoundedDecoder(response.headers.get("content-encoding", ""), max_bytes, truncate)
        chunks = []
        for chunk in response.iter_raw(CHUNK_BYTES):
            chunks.append(decoder.feed(chunk))
            if decoder.full:
                break
            # Read timeouts bound each wait; this bounds a server that trickles bytes forever.
            if time.monotonic() - started > self.total_timeout:
                raise FetchError(TIMED_OUT)
        return b"".join(chunks)
