"""Shared fixtures: a local HTTP server that tests fill with pages, so no test touches the internet."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    # For misbehaving servers: called with the handler instead of sending `body`.
    handler: Callable[[BaseHTTPRequestHandler], None] | None = None


class LocalSite:
    """Routes path -> Route; records every request so tests can check what was asked for."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        # Bodies of POST requests, in order: (path, body).
        self.posted: list[tuple[str, bytes]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", status: int = 200, **kwargs) -> str:
        if isinstance(body, str):
            body = body.encode()
        headers = kwargs.pop("headers", {})
        content_type = kwargs.pop("content_type", None)
        if content_type:
            headers["Content-Type"] = content_type
        self.routes[path] = Route(body=body, status=status, headers=headers, **kwargs)
        return self.url(path)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                site.requests.append((self.path, dict(self.headers)))
                route = site.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.handler is not None:
                    route.handler(self)
                    return
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                site.posted.append((self.path, self.rfile.read(length)))
                self.do_GET()

        return Handler


@pytest.fixture
def local_site() -> Iterator[LocalSite]:
    site = LocalSite()
    site.thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()


@pytest.fixture(autouse=True)
def fresh_story_engine() -> Iterator[None]:
    """The clusterer keeps its state in memory per process; each test's database starts empty, so must it."""
    from newshub.stories.stage import reset_engine

    reset_engine()
    yield
    reset_engine()


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Cached pages and API answers are invalidated by version bumps on save and delete; a test's rolled-back
    rows bump nothing, so the next test, whose rows reuse the same ids, must start from an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def redis_cache(settings):
    """Django's cache on the local Redis (as with NEWSHUB_REDIS_URL), under a key prefix of its own."""
    from django.core.cache import cache

    from tests.services import require_server

    require_server("Redis", "127.0.0.1", 6379)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            # A prefix of our own: other test runs may share this Redis.
            "KEY_PREFIX": f"newshub-test-{uuid.uuid4().hex}",
        }
    }
    yield cache
    cache.clear()
