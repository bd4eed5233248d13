"""Real-world oddities kept as files in testdata/ (after Miniflux's reader tests)."""

from pathlib import Path

import pytest

from newshub.ingest.extract import extract_article
from newshub.ingest.feeds import parse_feed

TESTDATA = Path(__file__).parent / "testdata"


@pytest.mark.parametrize(
    ("name", "title", "summary"),
    [
        ("invalid-prolog.xml", "After blank lines", ""),  # blank lines before <?xml ...?>
        ("iso-8859-1-feed.xml", "Crème brûlée à Zürich", "Déjà vu"),
        ("html-entities-feed.xml", "Fish & chips — a history", "Café © 2026"),  # &nbsp; is not XML
    ],
)
def test_odd_feeds(name, title, summary):
    [entry] = parse_feed((TESTDATA / name).read_bytes(), "https://example.org/feed").entries
    assert (entry.title, entry.summary) == (title, summary)


@pytest.mark.parametrize("declared", [None, "utf-8"])
def test_charset_meta_after_1024_bytes(declared):
    """The page is windows-1252, says so only after a long comment, and the server may even claim
    UTF-8: the text still comes out right."""
    page = (TESTDATA / "windows-1252-meta-after-1024.html").read_bytes()
    article = extract_article(page, "https://example.org/cafes", charset=declared)
    assert article.title == "Cafés à Zürich" and article.language == "fr"
    assert article.text.startswith("Les propriétaires de café à Zürich")
