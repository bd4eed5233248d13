"""Whole pages for readers who bring nothing of their own, answered before Django runs.

A reader without a session and without pending messages sees the front, category, story and search pages
exactly as every such reader does. So those pages are kept whole (status, headers, body) in Django's cache,
with the versions of the stories they were built from (newshub.api.cache), and `serve_stored_pages`, a
WSGI layer around Django, answers them from there: no request object, middleware, URL routing or query;
what a reverse proxy's micro-cache does, kept inside Newshub so invalidation stays exact. A page is
served only while every version it was built from is current.

A view offers its response for storing with `offer(response, versions)`; PageStoreMiddleware, the
outermost middleware, stores the final response (every middleware's headers included) unless some part
of it belongs to one reader: a cookie set, or any `Vary` header (`Vary: Cookie` when the session or the CSRF
token was used).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from newshub.api.cache import DEFAULT_TIMEOUT, versions_are_current

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]

# Longer query strings are served by Django but not stored: junk parameters must not fill the cache.
MAX_STORED_QUERY = 200
PAGE_VERSIONS_ATTRIBUTE = "newshub_page_versions"


@dataclass(frozen=True)
class StoredPage:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    versions: dict[str, int]


def reader_cookies() -> tuple[str, ...]:
    """Cookies that make a page one reader's own: their session (and login), their pending messages."""
    return (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)


def page_key(environ: dict) -> str | None:
    """The stored page this request may be answered with, or None when it must reach Django."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return None
    cookies = environ.get("HTTP_COOKIE", "")
    if cookies and any(f"{name}=" in cookies for name in reader_cookies()):
        return None
    query = environ.get("QUERY_STRING", "")
    if len(query) > MAX_STORED_QUERY:
        return None
    # Pages carry absolute URLs (canonical, OpenGraph): whatever Django builds them from is in the key.
    parts = [environ.get(name, "") for name in ("wsgi.url_scheme", "HTTP_HOST", "PATH_INFO")] + [query]
    if settings.SECURE_PROXY_SSL_HEADER:
        parts.append(environ.get(settings.SECURE_PROXY_SSL_HEADER[0], ""))
    if settings.USE_X_FORWARDED_HOST:
        parts.append(environ.get("HTTP_X_FORWARDED_HOST", ""))
    return "newshub:page:" + hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def offer(response: HttpResponse, versions: dict[str, int]) -> HttpResponse:
    """Let PageStoreMiddleware keep this response until one of `versions` (read before it was built)
    changes."""
    setattr(response, PAGE_VERSIONS_ATTRIBUTE, versions)
    return response


def storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # Vary names request headers the key leaves out: Cookie when the session or CSRF token was used.
        and not response.has_header("Vary")
    )


def stored_page(response: HttpResponse, versions: dict[str, int]) -> StoredPage:
    headers = [(name, value) for name, value in response.items() if name.lower() != "content-length"]
    headers.append(("Content-Length", str(len(response.content))))
    return StoredPage(f"{response.status_code} {response.reason_phrase}", headers, response.content, versions)


class PageStoreMiddleware:
    """Keeps the pages views offer (see `offer`) for the next reader without a session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        versions = getattr(response, PAGE_VERSIONS_ATTRIBUTE, None)
        if versions and storable(response) and (key := page_key(request.META)):
            cache.set(key, stored_page(response, versions), DEFAULT_TIMEOUT)
        return response


def current_page(environ: dict) -> StoredPage | None:
    key = page_key(environ)
    page = cache.get(key) if key else None
    if page is None or not versions_are_current(page.versions):
        return None
    return page


def serve_stored_pages(django_app: WSGIApp) -> WSGIApp:
    """Django's WSGI application, with stored pages answered before it."""

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        page = current_page(environ)
        if page is None:
            return django_app(environ, start_response)
        start_response(page.status, page.headers)
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else page.body]

    return application
