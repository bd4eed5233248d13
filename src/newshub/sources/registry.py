"""Adding outlets and feeds: from OPML, from the starter list, or from one URL (a feed or a home page).

The database edge of sources: the parsing lives in sources/opml.py and ingest/feeds.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import resources
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from newshub.ingest.feeds import FeedError, discover_feed_urls, parse_feed
from newshub.ingest.fetcher import Fetcher
from newshub.sources.models import Feed, Outlet
from newshub.sources.opml import OpmlSource, parse_opml

logger = logging.getLogger(__name__)

NO_FEED_FOUND = "no feed found on this page"


@dataclass
class ImportSummary:
    outlets_created: int = 0
    feeds_created: int = 0
    feeds_existing: int = 0


def unique_slug(name: str) -> str:
    base = slugify(name)[:190] or "outlet"
    slug, number = base, 2
    while Outlet.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def outlet_for(source: OpmlSource) -> tuple[Outlet, bool]:
    outlet = Outlet.objects.filter(name__iexact=source.outlet).first()
    if outlet:
        return outlet, False
    outlet = Outlet.objects.create(
        name=source.outlet[:200],
        slug=unique_slug(source.outlet),
        homepage=source.homepage,
        country=source.country,
        language=source.language,
        **({"kind": source.kind} if source.kind else {}),
    )
    return outlet, True


@transaction.atomic
def add_source(source: OpmlSource) -> tuple[Feed, bool, bool]:
    """(feed, feed_created, outlet_created); a feed URL already known is left as it is."""
    existing = Feed.objects.filter(url=source.feed_url).first()
    if existing:
        return existing, False, False
    outlet, outlet_created = outlet_for(source)
    feed = Feed.objects.create(
        outlet=outlet,
        url=source.feed_url,
        section=source.section[:100],
        poll_interval=settings.NEWSHUB_POLL_INTERVAL,
    )
    logger.debug("feed_added outlet=%r url=%s", outlet.name, feed.url)
    return feed, True, outlet_created


def import_sources(sources: list[OpmlSource]) -> ImportSummary:
    summary = ImportSummary()
    for source in sources:
        if not source.outlet:
            source = OpmlSource(**{**source.__dict__, "outlet": urlsplit(source.feed_url).hostname or ""})
        _feed, feed_created, outlet_created = add_source(source)
        summary.outlets_created += outlet_created
        summary.feeds_created += feed_created
        summary.feeds_existing += not feed_created
    return summary


def export_sources() -> list[OpmlSource]:
    return [
        OpmlSource(
            outlet=feed.outlet.name,
            feed_url=feed.url,
            homepage=feed.outlet.homepage,
            country=feed.outlet.country,
            kind=feed.outlet.kind,
            language=feed.outlet.language,
            section=feed.section,
        )
        for feed in Feed.objects.select_related("outlet").order_by("outlet__name", "url")
    ]


def starter_sources() -> list[OpmlSource]:
    return parse_opml(resources.files("newshub.sources").joinpath("starter.opml").read_bytes())


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def subscribe(url: str, outlet_name: str = "", fetcher: Fetcher | None = None) -> tuple[Feed, bool]:
    """Add a feed given its URL or its outlet's home page (found through <link rel="alternate">).
    Raises FetchError (FeedError when the page announces no feed)."""
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        page = fetcher.fetch(url)
        parsed = parse_feed(page.body, page.url)
        feed_url, homepage = page.url, origin_of(page.url)
        if not parsed.is_feed:
            candidates = discover_feed_urls(page.body, page.url)
            if not candidates:
                raise FeedError(NO_FEED_FOUND)
            feed_url, homepage = candidates[0], page.url
            parsed = parse_feed(fetcher.fetch(feed_url).body, feed_url)
            if not parsed.is_feed:
                raise FeedError(NO_FEED_FOUND)
    finally:
        if own_fetcher:
            fetcher.close()
    name = outlet_name or parsed.title or urlsplit(homepage).hostname or feed_url
    feed, created, _outlet_created = add_source(OpmlSource(outlet=name, feed_url=feed_url, homepage=homepage))
    if created and parsed.title and not feed.title:
        Feed.objects.filter(pk=feed.pk).update(title=parsed.title)
    return feed, created
