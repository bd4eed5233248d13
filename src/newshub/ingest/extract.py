"""Article extraction with trafilatura: one HTML page in, plain data out.

The options were chosen on bench/extraction (see EXTRACTION_OPTIONS); metadata the extractor does not
give (language, time of the last update) is read from the page's own tags.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin

import trafilatura
from courlan import is_external
from django.utils.dateparse import parse_datetime
from lxml import html as lxml_html

from newshub.ingest.encoding import decode_html

logger = logging.getLogger(__name__)

# Pages beyond this are cut before parsing: the article is near the top, and lxml's time and memory
# grow with the page.
MAX_PARSE_CHARS = 3_000_000
# A page that is not an article (an index, a login wall, a video page) has less text than this, or no
# paragraph of prose: only short lines such as link lists.
MIN_ARTICLE_CHARS = 200
MIN_PARAGRAPH_CHARS = 60
# Chosen on bench/extraction (`python -m bench.extraction --sweep`, 181 pages, F1), each with our
# headline removal and trafilatura's own HTML loader; plain trafilatura with defaults scores 0.956:
#   include_comments=False 0.965 · + favor_precision 0.967 (slower) · + favor_recall 0.963 (slowest)
#   + include_tables=False 0.962 · + fast (no fallback extractors) 0.966, chosen: as good, cheaper.
# Readers' comments are not the article.
EXTRACTION_OPTIONS = {"include_comments": False, "include_tables": True, "fast": True}
# The publisher's meta tags are read first (PUBLISHED_XPATHS); htmldate's extensive search through the
# page text costs more than it finds on news pages.
DATE_OPTIONS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}
# Publishers' own time stamps come first: htmldate (trafilatura's date finder) may settle on a date
# without a time, such as the one in the URL.
PUBLISHED_XPATHS = (
    '//meta[@property="article:published_time"]/@content',
    '//meta[@itemprop="datePublished"]/@content',
    '//meta[@name="parsely-pub-date"]/@content',
    '//meta[@name="pubdate"]/@content',
    '//meta[@name="dc.date"]/@content',
)
UPDATED_XPATHS = (
    '//meta[@property="article:modified_time"]/@content',
    '//meta[@property="og:updated_time"]/@content',
    '//meta[@itemprop="dateModified"]/@content',
    '//meta[@name="lastmod"]/@content',
)
CANONICAL_XPATHS = ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content')
LANGUAGE_XPATHS = (
    "/html/@lang",
    '//meta[@http-equiv="content-language"]/@content',
    '//meta[@property="og:locale"]/@content',
)


@dataclass
class ExtractedArticle:
    title: str
    text: str
    lead: str
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    updated: datetime | None = None
    language: str = ""
    canonical_url: str = ""
    image: str = ""
    section: str = ""

    def as_json(self) -> dict:
        data = asdict(self)
        for key in ("published", "updated"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def parse_date(value: str | None) -> datetime | None:
    """ISO 8601 date or date-time; a time without a zone is taken as UTC."""
    if not value:
        return None
    value = value.strip().replace("Z", "+00:00")
    try:
        parsed = parse_datetime(value) or parse_datetime(value[:10] + "T00:00:00")
    except ValueError:
        return None
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def first_value(tree: lxml_html.HtmlElement, xpaths: tuple[str, ...]) -> str:
    for xpath in xpaths:
        for value in tree.xpath(xpath):
            if str(value).strip():
                return str(value).strip()
    return ""


def normalize_language(value: str) -> str:
    """ "en-GB", "en_US" -> "en"; the primary subtag is what stages downstream act on."""
    primary = re.split(r"[-_]", value.strip().lower())[0]
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else ""


def split_authors(value: str | None) -> list[str]:
    if not value:
        return []
    return [name.strip() for name in value.split(";") if name.strip()]


def is_article_text(text: str) -> bool:
    return len(text) >= MIN_ARTICLE_CHARS and any(
        len(line) >= MIN_PARAGRAPH_CHARS for line in text.splitlines()
    )


def without_headline(text: str, title: str) -> str:
    """The headline is stored apart; trafilatura keeps it when it sits inside <article>."""
    first, _, rest = text.partition("\n")
    if title and rest and first.strip().casefold() == title.casefold():
        return rest.strip()
    return text


def choose_lead(text: str, description: str | None) -> str:
    """The first real paragraph (not a dateline or a caption), else the page's description."""
    for paragraph in text.split("\n")[:3]:
        if len(paragraph.strip()) >= MIN_PARAGRAPH_CHARS:
            return paragraph.strip()
    return (description or "").strip() or text.split("\n", 1)[0].strip()


def trusted_canonical(canonical: str | None, page_url: str) -> str:
    """A page may only name a canonical URL on its own site: a foreign one could hijack another
    outlet's article (the canonical URL is the article's identity)."""
    if canonical and canonical.startswith(("http://", "https://")) and page_url:
        if not is_external(canonical, page_url, ignore_suffix=False):
            return canonical
        logger.info("canonical_ignored page=%s canonical=%s", page_url, canonical)
    return page_url


def parse_tree(page: str) -> lxml_html.HtmlElement | None:
    # trafilatura's own loader: it repairs what lxml alone gets wrong on real pages (measured on
    # bench/extraction: recall 0.980 against 0.974 with lxml.html.document_fromstring).
    return trafilatura.load_html(page[:MAX_PARSE_CHARS])


def extract_article(body: bytes | str, url: str, charset: str | None = None) -> ExtractedArticle | None:
    """None when the page holds no article: the caller then keeps the feed's summary."""
    page = decode_html(body, charset) if isinstance(body, bytes) else body
    tree = parse_tree(page)
    if tree is None:
        return None
    language = normalize_language(first_value(tree, LANGUAGE_XPATHS))
    published = parse_date(first_value(tree, PUBLISHED_XPATHS))
    updated = parse_date(first_value(tree, UPDATED_XPATHS))
    canonical = first_value(tree, CANONICAL_XPATHS)
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        date_extraction_params=DATE_OPTIONS,
        **EXTRACTION_OPTIONS,
    )
    if document is None or not is_article_text(document.text or ""):
        return None
    title = (document.title or "").strip()
    text = without_headline(document.text.strip(), title)
    return ExtractedArticle(
        title=title,
        text=text,
        lead=choose_lead(text, document.description),
        authors=split_authors(document.author),
        published=published or parse_date(document.date),
        updated=updated,
        language=language or normalize_language(document.language or ""),
        canonical_url=trusted_canonical(urljoin(url, canonical) if canonical else document.url, url),
        image=document.image or "",
        section=", ".join(document.categories or [])[:100],
    )


def normalize_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def content_hash(text: str) -> str:
    """sha256 of the text with case, Unicode forms and spacing normalized: equal texts, equal hash."""
    return hashlib.sha256(normalize_text(text).encode()).hexdigest()
