"""Extraction of real-looking pages, odd encodings, pages that are not articles, and `newshub extract`."""

import json
from datetime import UTC, datetime

from django.core.management import call_command

from newshub.ingest.encoding import decode_html
from newshub.ingest.extract import content_hash, extract_article
from tests.ingest.pages import article_page

URL = "https://news.example.org/2026/11/24/transit-plan"


def test_fields_of_an_article():
    page = article_page("Council approves transit plan", canonical=URL + "?ref=canonical", lang="en-GB")
    article = extract_article(page.encode(), URL)
    assert article.title == "Council approves transit plan"
    assert article.text.startswith("The city council voted on Tuesday")
    assert "Copyright Example News" not in article.text and "Home" not in article.text
    assert article.lead.startswith("The city council voted")
    assert article.authors == ["Ada Reporter"]
    assert article.published == datetime(2026, 11, 24, 8, 30, tzinfo=UTC)
    assert article.language == "en"
    assert article.canonical_url == URL + "?ref=canonical"
    assert article.image.startswith("https://img.example.org/")


def test_canonical_url_on_another_site_is_ignored():
    page = article_page("Hijack attempt", canonical="https://other-outlet.example.com/their-story")
    assert extract_article(page.encode(), URL).canonical_url == URL


def test_page_that_is_not_an_article_gives_none():
    index = "<html><body><ul>" + "".join(f"<li><a href='/{n}'>Story {n}</a></li>" for n in range(30))
    assert extract_article((index + "</ul></body></html>").encode(), URL) is None
    assert extract_article(b"", URL) is None
    assert extract_article(b"%PDF-1.7 \x00\x01\x02 binary", URL) is None


def test_invalid_encoding_is_read_anyway():
    page = article_page(
        "Caf\u00e9 owners protest", body_text="Caf\u00e9 owners in the old town protested " * 8
    )
    latin1 = page.encode("latin-1", errors="replace")  # declares utf-8, is latin-1
    article = extract_article(latin1 + b"\xff\xfe\xfd", URL, charset="utf-8")
    assert article is not None and "owners in the old town protested" in article.text
    assert decode_html("caf\u00e9".encode("cp1252"), "no-such-charset")  # unknown charset: detected


def test_declared_charset_is_used():
    page = article_page("Zürich votes", body_text="Die Stimmbürger in Zürich haben entschieden. " * 6)
    article = extract_article(page.encode("iso-8859-1"), URL, charset="iso-8859-1")
    assert "Stimmbürger in Zürich" in article.text


def test_huge_page_is_cut_before_parsing():
    page = article_page("Long read", paragraphs=6) + "<!--" + "x" * 20_000_000 + "-->"
    article = extract_article(page.encode(), URL)
    assert article is not None and article.title == "Long read"


def test_content_hash_ignores_case_and_spacing():
    assert content_hash("The  Council\nvoted.") == content_hash("the council voted.")
    assert content_hash("the council voted.") != content_hash("the council did not vote.")


def test_extract_command_prints_json(tmp_path, capsys):
    page = tmp_path / "page.html"
    page.write_text(article_page("Council approves transit plan"), encoding="utf-8")
    call_command("extract", str(page), "--url", URL)
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {
        "title",
        "text",
        "lead",
        "authors",
        "published",
        "language",
        "canonical_url",
        "image",
    }
    assert data["title"] == "Council approves transit plan"
    assert data["published"] == "2026-11-24T08:30:00+00:00"
