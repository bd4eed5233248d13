"""Load the demo corpus through the real pipeline: serve it locally, add its outlets and feeds, poll them.

The corpus is served either by a short-lived DemoServer or, under `newshub run`, by Newshub itself at
/demo-sites/ (so the demo's "Read at" links keep working). The demo feeds are inactive: the demo
polls them once itself, and the scheduler never polls a demo server that may be gone. Loading twice
is harmless: outlets and feeds are updated in place, and the pipeline stores each GUID and canonical
URL once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from newshub.demo.corpus import Corpus, DemoFeed, DemoOutlet, load_corpus
from newshub.demo.server import DemoServer, feed_path
from newshub.sources.models import Feed, Outlet

logger = logging.getLogger(__name__)


@dataclass
class DemoReport:
    outlets: int = 0
    feeds: int = 0
    feeds_done: int = 0
    new_articles: int = 0
    failed_feeds: int = 0


def upsert_outlet(demo: DemoOutlet) -> Outlet:
    outlet, _ = Outlet.objects.update_or_create(
        slug=demo.slug,
        defaults={
            "name": demo.name,
            "homepage": demo.homepage,
            "country": demo.country,
            "language": demo.language,
            "kind": demo.kind,
            "owner": demo.owner,
            "lean": demo.lean,
            "lean_basis": demo.lean_basis,
            "reliability": demo.reliability,
            "reliability_basis": demo.reliability_basis,
        },
    )
    return outlet


def upsert_feed(outlet: Outlet, demo: DemoFeed, url: str) -> Feed:
    """A demo feed is known by its outlet and title: its URL changes with the demo server's port.
    It stays inactive: the demo polls it itself, and the scheduler must never poll it."""
    fields = {"url": url, "kind": demo.format, "section": demo.section, "active": False, "etag": ""}
    fields |= {"last_modified": ""}
    feed, _ = Feed.objects.update_or_create(outlet=outlet, title=demo.title, defaults=fields)
    return feed


def demo_feeds(base_url: str, corpus: Corpus) -> list[Feed]:
    feeds = []
    for demo_outlet in corpus.outlets:
        outlet = upsert_outlet(demo_outlet)
        feeds += [
            upsert_feed(outlet, feed, base_url + feed_path(demo_outlet, feed)) for feed in demo_outlet.feeds
        ]
    return feeds


@contextmanager
def corpus_served(corpus: Corpus, site_url: str) -> Iterator[str]:
    """The base URL of the demo outlets: `site_url` if something already serves them, else a DemoServer's."""
    if site_url:
        yield site_url.rstrip("/")
        return
    with DemoServer(corpus) as server:
        yield server.base_url


def load_demo(
    now: datetime | None = None,
    site_url: str = "",
    on_start: Callable[[int], None] | None = None,
    on_feed: Callable[[Feed], None] | None = None,
    stop: threading.Event | None = None,
) -> DemoReport:
    """Ingest the whole corpus; `on_start(feed_count)` and `on_feed(feed)` report progress.
    Setting `stop` ends the loading after the feed in hand (a server shutting down)."""
    from newshub.ingest.fetcher import Fetcher
    from newshub.pipeline import finish_round, poll_feed

    corpus = load_corpus(now or timezone.now())
    report = DemoReport(outlets=len(corpus.outlets))
    with (
        corpus_served(corpus, site_url) as base_url,
        Fetcher(allow_private_networks=True, min_host_delay=0) as fetcher,
    ):
        feeds = demo_feeds(base_url, corpus)
        report.feeds = len(feeds)
        if on_start:
            on_start(len(feeds))
        for feed in feeds:
            if stop is not None and stop.is_set():
                logger.info("demo_stopped feeds_done=%d", report.feeds_done)
                break
            feed_report = poll_feed(feed.pk, fetcher=fetcher)
            report.feeds_done += 1
            report.new_articles += feed_report.new_articles
            report.failed_feeds += bool(feed_report.error)
            if on_feed:
                on_feed(feed)
    if report.new_articles:
        finish_round()
    logger.info(
        "demo_loaded outlets=%d feeds=%d new_articles=%d failed_feeds=%d",
        report.outlets,
        report.feeds,
        report.new_articles,
        report.failed_feeds,
    )
    return report
