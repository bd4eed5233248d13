"""The search page: any input gives results or a clear message, never an error page."""

import pytest

from tests.web.conftest import HOSTILE, make_article, make_outlet


def test_search_finds_stories_and_articles(client, newsroom):
    stories = client.get("/search/", {"q": "explosion base"}).content.decode()
    assert "Explosion at the base" in stories and "1 result" in stories
    articles = client.get("/search/", {"q": "wire story", "kind": "articles"}).content.decode()
    assert "Paper runs the wire story" in articles and "Blog reposts the wire story" in articles


def test_search_filters_and_ignores_bad_filters(client, newsroom):
    assert "0 results" in client.get("/search/", {"q": "base", "category": "Sports"}).content.decode()
    html = client.get(
        "/search/", {"q": "base", "category": "Astrology", "since": "yesterday"}
    ).content.decode()
    assert "Explosion at the base" in html


def test_the_empty_search_page_shows_the_form(client, db):
    html = client.get("/search/").content.decode()
    assert 'role="search"' in html and "result" not in html


@pytest.mark.parametrize(
    "query",
    [
        '"unclosed',
        "base OR 1=1; DROP TABLE ingest_article;--",
        "NEAR(a b)",
        "*",
        "!!!",
        "x" * 10_000,
        HOSTILE,
    ],
)
def test_any_input_gives_results_or_a_message(client, newsroom, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "result" in html or "Type one or more words" in html


def test_an_overlong_query_is_refused_with_a_message(client, db):
    html = client.get("/search/", {"q": "x" * 10_001}).content.decode()
    assert "at most 10000 characters" in html


def test_search_results_are_paged(client, newsroom):
    outlet = make_outlet("Pager")
    for number in range(25):
        make_article(outlet, f"Harbour strike day {number}", number, slug=f"strike-{number}")
    first = client.get("/search/", {"q": "harbour strike", "kind": "articles"}).content.decode()
    assert "25 results" in first and 'rel="next"' in first
    second = client.get("/search/", {"q": "harbour strike", "kind": "articles", "page": 2}).content.decode()
    assert 'rel="prev"' in second and 'rel="next"' not in second
