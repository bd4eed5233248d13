"""Feeds into entries: RSS 0.9x/1.0/2.0 and Atom (feedparser), news sitemaps (lxml), and feed
discovery on a home page (<link rel="alternate">).

Everything here is pure: bytes in, plain data out. Malformed feeds yield what can be read from them.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin

import feedparser
from lxml import etree
from lxml import html as lxml_html

from newshub.ingest.extract import parse_date
from newshub.ingest.fetcher import FetchError
from newshub.sources.models import FeedKind

logger = logging.getLogger(__name__)

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
MAX_URL_LENGTH = 2000  # Article.url; longer ones are not links to articles
FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
}
NOT_A_FEED = "not a feed (no RSS, Atom or sitemap found)"


class FeedError(FetchError):
    """What was fetched is not a feed (shown on the feed like a fetch error)."""


@dataclass(frozen=True)
class FeedEntry:
    url: str
    guid: str = ""
    title: str = ""
    summary: str = ""
    published: datetime | None = None
    section: str = ""


@dataclass
class ParsedFeed:
    kind: str
    title: str = ""
    entries: list[FeedEntry] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # a sitemap index lists further sitemaps
    problem: str = ""  # what was wrong with a malformed feed that still yielded entries

    @property
    def is_feed(self) -> bool:
        return bool(self.entries or self.sitemaps) or self.kind != FeedKind.UNKNOWN


def html_to_text(fragment: str) -> str:
    if not fragment or not fragment.strip():
        return ""
    try:
        return " ".join(lxml_html.fromstring(fragment).text_content().split())
    except (etree.ParserError, ValueError):
        return " ".join(fragment.split())


def struct_to_datetime(value) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError):
        return None


def usable_url(url: str) -> bool:
    return url.startswith(("http://", "https://")) and len(url) <= MAX_URL_LENGTH


def entry_from_feedparser(item: feedparser.FeedParserDict) -> FeedEntry | None:
    url = (item.get("link") or "").strip()
    if not usable_url(url):
        return None
    tags = [tag.get("term", "") for tag in item.get("tags") or [] if tag.get("term")]
    return FeedEntry(
        url=url,
        guid=(item.get("id") or "").strip()[:2000],
        title=html_to_text(item.get("title", ""))[:1000],
        summary=html_to_text(item.get("summary", "")),
        published=struct_to_datetime(item.get("published_parsed") or item.get("updated_parsed")),
        section=(tags[0] if tags else "")[:100],
    )


def feed_kind(version: str) -> str:
    if version.startswith("atom"):
        return FeedKind.ATOM
    if version.startswith("rss"):
        return FeedKind.RSS
    return FeedKind.UNKNOWN


def parse_syndication(body: bytes, url: str) -> ParsedFeed:
    # The declared type is fixed: servers label feeds text/html or text/plain, which would make
    # feedparser flag every such feed as malformed; the encoding comes from the XML declaration.
    headers = {"content-location": url, "content-type": "application/xml"}
    parsed = feedparser.parse(body, response_headers=headers)
    problem = ""
    if parsed.bozo:
        problem = str(parsed.get("bozo_exception", "malformed feed"))[:200]
        logger.info("feed_malformed url=%s problem=%r entries=%d", url, problem, len(parsed.entries))
    entries = [entry for item in parsed.entries if (entry := entry_from_feedparser(item))]
    return ParsedFeed(
        kind=feed_kind(parsed.get("version", "")),
        title=html_to_text(parsed.feed.get("title", ""))[:500],
        entries=entries,
        problem=problem,
    )


def parse_sitemap_root(root: etree._Element) -> ParsedFeed:
    if root.tag == f"{SITEMAP_NS}sitemapindex":
        locations = [
            (node.text or "").strip() for node in root.iterfind(f"{SITEMAP_NS}sitemap/{SITEMAP_NS}loc")
        ]
        return ParsedFeed(kind=FeedKind.SITEMAP, sitemaps=[loc for loc in locations if loc])
    entries = []
    for node in root.iterfind(f"{SITEMAP_NS}url"):
        url = (node.findtext(f"{SITEMAP_NS}loc") or "").strip()
        if not usable_url(url):
            continue
        news = node.find(f"{NEWS_NS}news")
        published = node.findtext(f"{SITEMAP_NS}lastmod")
        title = ""
        if news is not None:
            published = news.findtext(f"{NEWS_NS}publication_date") or published
            title = (news.findtext(f"{NEWS_NS}title") or "").strip()
        entries.append(FeedEntry(url=url, title=title[:1000], published=parse_date(published)))
    return ParsedFeed(kind=FeedKind.SITEMAP, entries=entries)


def sitemap_root(body: bytes) -> etree._Element | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return None
    if root is not None and root.tag in (f"{SITEMAP_NS}urlset", f"{SITEMAP_NS}sitemapindex"):
        return root
    return None


def dedupe_entries(entries: list[FeedEntry]) -> list[FeedEntry]:
    """Keep the first entry for each GUID and for each URL (feeds repeat both)."""
    seen_guids: set[str] = set()
    seen_urls: set[str] = set()
    unique = []
    for entry in entries:
        if (entry.guid and entry.guid in seen_guids) or entry.url in seen_urls:
            continue
        if entry.guid:
            seen_guids.add(entry.guid)
        seen_urls.add(entry.url)
        unique.append(entry)
    return unique


def newest_first(entries: list[FeedEntry]) -> list[FeedEntry]:
    # sorted() is stable: undated entries keep their feed order, after the dated ones.
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(entries, key=lambda entry: entry.published or oldest, reverse=True)


def parse_feed(body: bytes, url: str) -> ParsedFeed:
    """Any feed or sitemap; entries deduplicated, newest first."""
    root = sitemap_root(body) if b"sitemaps.org" in body[:4096] else None
    parsed = parse_sitemap_root(root) if root is not None else parse_syndication(body, url)
    parsed.entries = newest_first(dedupe_entries(parsed.entries))
    return parsed


def discover_feed_urls(page: bytes | str, base_url: str) -> list[str]:
    """Feed URLs a home page announces with <link rel="alternate" type="application/rss+xml">."""
    try:
        tree = lxml_html.fromstring(page)
    except (etree.ParserError, ValueError):
        return []
    found = []
    for link in tree.iterfind(".//link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in FEED_TYPES and href:
            absolute = urljoin(base_url, href)
            if absolute not in found:
                found.append(absolute)
    return found
