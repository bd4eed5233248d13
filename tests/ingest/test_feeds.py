"""Feed reading: every feed format, malformed and huge feeds, sitemaps, discovery."""

import time
from datetime import UTC, datetime

from newshub.ingest.feeds import dedupe_entries, discover_feed_urls, parse_feed
from tests.ingest.pages import rss_feed

RSS_091 = b"""<?xml version="1.0"?><rss version="0.91"><channel><title>Old Times</title>
<link>https://old.example.org/</link><description>d</description><language>en</language>
<item><title>Ninety-one</title><link>https://old.example.org/a</link>
<description>Old &amp; fine</description></item>
</channel></rss>"""

RSS_10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example.org/"><title>RDF Daily</title><link>https://rdf.example.org/</link>
<description>d</description></channel>
<item rdf:about="https://rdf.example.org/one"><title>One</title><link>https://rdf.example.org/one</link>
<dc:date>2026-11-20T10:00:00Z</dc:date><dc:subject>Science</dc:subject></item>
</rdf:RDF>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Atom Post</title><id>urn:feed</id><updated>2026-11-21T09:00:00Z</updated>
<entry><title type="html">Rates &lt;b&gt;rise&lt;/b&gt;</title><id>urn:uuid:1</id>
<link rel="alternate" href="https://atom.example.org/rates"/><updated>2026-11-21T09:00:00Z</updated>
<summary type="html">&lt;p&gt;The bank &lt;em&gt;raised&lt;/em&gt; rates.&lt;/p&gt;</summary>
<category term="Business"/></entry></feed>"""

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://map.example.org/older</loc><news:news><news:publication>
<news:name>Map News</news:name><news:language>en</news:language></news:publication>
<news:publication_date>2026-11-20T08:00:00+00:00</news:publication_date><news:title>Older</news:title></news:news></url>
<url><loc>https://map.example.org/newer</loc><news:news>
<news:publication_date>2026-11-22T08:00:00+00:00</news:publication_date><news:title>Newer</news:title></news:news></url>
<url><loc>javascript:alert(1)</loc></url>
</urlset>"""

SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://map.example.org/news-1.xml</loc></sitemap>
<sitemap><loc>https://map.example.org/news-2.xml</loc></sitemap></sitemapindex>"""


def test_rss_20():
    body = rss_feed(
        [
            {
                "link": "https://example.org/a",
                "guid": "urn:example:a-1",
                "title": "A &amp; B",
                "description": "<p>Summary <b>here</b></p>",
                "pubDate": "Tue, 24 Nov 2026 08:00:00 GMT",
                "category": "Politics",
            }
        ]
    ).encode()
    parsed = parse_feed(body, "https://example.org/feed")
    assert parsed.kind == "rss" and parsed.title == "Example News"
    [entry] = parsed.entries
    assert entry.url == "https://example.org/a" and entry.guid == "urn:example:a-1"
    assert entry.summary == "Summary here"
    assert entry.published == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    assert entry.section == "Politics"


def test_rss_091_and_10_and_atom():
    old = parse_feed(RSS_091, "https://old.example.org/rss")
    assert old.kind == "rss" and old.entries[0].summary == "Old & fine"
    rdf = parse_feed(RSS_10, "https://rdf.example.org/rss")
    assert rdf.kind == "rss" and rdf.entries[0].url == "https://rdf.example.org/one"
    assert rdf.entries[0].published == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    atom = parse_feed(ATOM, "https://atom.example.org/feed")
    assert atom.kind == "atom"
    [entry] = atom.entries
    assert (entry.title, entry.summary, entry.section) == ("Rates rise", "The bank raised rates.", "Business")


def test_malformed_feed_still_yields_its_good_entries():
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title>'
        b"<item><title>Good one</title><link>https://example.org/good</link></item>"
        b"<item><title>Unclosed & bad</title><link>https://example.org/bad</link>"
    )
    parsed = parse_feed(body, "https://example.org/feed")
    assert parsed.problem  # logged and kept
    assert "https://example.org/good" in [entry.url for entry in parsed.entries]


def test_garbage_is_not_a_feed():
    parsed = parse_feed(b"\x00\x01 this is not xml at all", "https://example.org/feed")
    assert not parsed.is_feed
    assert not parse_feed(b"<html><body><p>A page</p></body></html>", "https://example.org/").is_feed


def test_entries_without_usable_links_are_dropped():
    body = rss_feed([{"link": "javascript:alert(1)"}, {"link": "https://example.org/ok"}]).encode()
    assert [entry.url for entry in parse_feed(body, "https://example.org/feed").entries] == [
        "https://example.org/ok"
    ]


def test_duplicate_guids_and_urls_are_dropped():
    body = rss_feed(
        [
            {"link": "https://example.org/1", "guid": "urn:same"},
            {"link": "https://example.org/2", "guid": "urn:same"},
            {"link": "https://example.org/1", "guid": "urn:other"},
            {"link": "https://example.org/3", "guid": "urn:third"},
        ]
    ).encode()
    entries = parse_feed(body, "https://example.org/feed").entries
    assert [(entry.url, entry.guid) for entry in entries] == [
        ("https://example.org/1", "urn:same"),
        ("https://example.org/3", "urn:third"),
    ]
    assert dedupe_entries(entries + entries) == entries


def test_feed_with_ten_thousand_entries_parses_in_seconds():
    items = [
        {"link": f"https://example.org/{n}", "guid": f"g{n}", "title": f"Entry {n}", "description": "x" * 100}
        for n in range(10_000)
    ]
    body = rss_feed(items).encode()
    started = time.monotonic()
    parsed = parse_feed(body, "https://example.org/feed")
    assert len(parsed.entries) == 10_000
    assert time.monotonic() - started < 60  # ~3 s on an idle 2-core machine


def test_news_sitemap_newest_first():
    parsed = parse_feed(NEWS_SITEMAP, "https://map.example.org/sitemap.xml")
    assert parsed.kind == "sitemap"
    assert [(entry.url, entry.title) for entry in parsed.entries] == [
        ("https://map.example.org/newer", "Newer"),
        ("https://map.example.org/older", "Older"),
    ]
    assert parsed.entries[0].published == datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def test_sitemap_index_lists_its_sitemaps():
    parsed = parse_feed(SITEMAP_INDEX, "https://map.example.org/sitemap.xml")
    assert parsed.is_feed and parsed.entries == []
    assert parsed.sitemaps == ["https://map.example.org/news-1.xml", "https://map.example.org/news-2.xml"]


def test_feed_discovery_on_a_home_page():
    page = b"""<html><head>
    <link rel="stylesheet" href="/style.css">
    <link rel="alternate" type="application/rss+xml" title="All" href="/feeds/all.rss">
    <link rel="alternate" type="application/atom+xml" href="https://cdn.example.org/atom.xml">
    <link rel="alternate" hreflang="fr" href="/fr/">
    </head><body></body></html>"""
    assert discover_feed_urls(page, "https://example.org/news/") == [
        "https://example.org/feeds/all.rss",
        "https://cdn.example.org/atom.xml",
    ]
    assert discover_feed_urls(b"", "https://example.org/") == []
