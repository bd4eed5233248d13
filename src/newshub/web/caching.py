"""Reader pages kept whole in Django's cache, rebuilt when a story they show changes.

The versions come from newshub.api.cache (one per story, one for every list of stories), bumped by
signals on Story, Article (joining or leaving a story), Comment and ClaimGroup saves. Only what is the
same for every reader is cached: the story page's comment section (CSRF token, one-time form token,
flash messages, ?reply_to) is rendered for each request and put in place of COMMENTS_SLOT.

With the local-memory cache (the default) each process has its own copy: a change made by another
process (a separate ingest worker) reaches it when the entry expires (DEFAULT_TIMEOUT, 5 minutes).
Several processes share invalidation through Redis (NEWSHUB_REDIS_URL).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from newshub.api.cache import cached_for_lists, cached_for_story, lists_versions, story_versions
from newshub.web.pagecache import offer

COMMENTS_SLOT = "<!--newshub:comments-->"
MAX_PAGE_DIGITS = 6


def page_key(request: HttpRequest, view: str, *parts: object) -> str:
    """Pages carry absolute URLs (canonical, OpenGraph): one copy per scheme and host."""
    return ":".join(["web", view, request.scheme, request.get_host(), *(str(part) for part in parts)])


def page_number(request: HttpRequest) -> str:
    """The ?page= a paginated list shows; anything that is not a plain number shows the first page,
    so junk values all share one cache entry instead of filling the cache."""
    raw = request.GET.get("page", "")
    return raw if raw.isdigit() and len(raw) <= MAX_PAGE_DIGITS else "1"


def list_page(key: str, build: Callable[[], str], keep: Callable[[str], bool] | None = None) -> HttpResponse:
    """A page of story lists (front, category, search results), rebuilt after any story changes;
    one `keep` refuses is served but not cached."""
    versions = lists_versions()
    refused = []

    def judged(html: str) -> bool:
        if keep is not None and not keep(html):
            refused.append(html)
        return not refused

    response = HttpResponse(cached_for_lists(key, build, keep=judged))
    return response if refused else offer(response, versions)


def story_page(
    story_id: int, key: str, build: Callable[[], str], comments: Callable[[], str]
) -> HttpResponse:
    """A story page rebuilt after the story changes, with a comment section made for this request."""
    versions = story_versions(story_id)
    html = cached_for_story(story_id, key, build)
    return offer(HttpResponse(html.replace(COMMENTS_SLOT, comments(), 1)), versions)
