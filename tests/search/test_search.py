"""Search: ranking, filters, index kept in sync, and hostile input. Runs on SQLite, and on PostgreSQL
through test_postgres.py (the same tests with NEWSHUB_DATABASE_URL pointing at the server)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newshub.ingest.models import Article
from newshub.search.query import MAX_TERMS, NO_WORDS_MESSAGE, search, search_terms
from newshub.stories.models import Story
from tests.search.corpus import build_corpus, make_article, make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return build_corpus()


def titles(results) -> list[str]:
    return [item.title for item in results.items]


def test_finds_stories_by_their_own_title(corpus):
    results = search("earthquake")
    assert titles(results) == ["Earthquake shakes the coast"]
    assert results.total == 1
    assert results.message == ""


def test_finds_stories_through_their_articles_text(corpus):
    # "cranes" is only in an article's text, not in the story's title or lead.
    assert titles(search("cranes")) == ["Dock workers strike at the northern port"]


def test_words_are_stemmed(corpus):
    assert "Dock workers strike at the northern port" in titles(search("striking worker"))


def test_every_word_must_match(corpus):
    assert titles(search("harbour mayor")) == ["Mayor wins second term"]
    assert search("harbour zeppelin").total == 0


def test_recent_stories_rank_above_old_ones_of_equal_relevance(corpus):
    # "harbour" appears once in an article of each story; the oldest story comes last.
    ranked = titles(search("harbour"))
    assert ranked[-1] == "Earthquake shakes the coast"
    assert set(ranked) == {"Dock workers strike at the northern port", "Mayor wins second term", ranked[-1]}
    scores = [item.search_score for item in search("harbour").items]
    assert scores == sorted(scores, reverse=True)


def test_articles_kind_returns_articles_with_outlets(corpus):
    results = search("dockers", kind="articles")
    assert {a.pk for a in results.items} == {corpus.strike_wire.pk, corpus.strike_copy.pk}
    assert all(isinstance(a, Article) and a.outlet.name for a in results.items)


def test_filters_by_category_outlet_and_dates(corpus):
    assert titles(search("harbour", category="politics")) == ["Mayor wins second term"]
    assert set(titles(search("harbour", outlet="harbor-wire"))) == {
        "Dock workers strike at the northern port",
        "Earthquake shakes the coast",
    }
    recent = search("harbour", since=timezone.now() - timedelta(days=1))
    assert titles(recent) == ["Dock workers strike at the northern port"]
    old = search("harbour", until=date.today() - timedelta(days=10))
    assert titles(old) == ["Earthquake shakes the coast"]
    articles = search("harbour", kind="articles", outlet="daily-lantern", category="Politics")
    assert [a.pk for a in articles.items] == [corpus.election_daily.pk]
    assert search("harbour", outlet="no-such-outlet").total == 0


def test_pagination_counts_all_hits(corpus):
    first = search("harbour", limit=2)
    assert (len(first.items), first.total, first.has_next) == (2, 3, True)
    second = search("harbour", limit=2, offset=2)
    assert (len(second.items), second.total, second.has_next, second.has_previous) == (1, 3, False, True)
    beyond = search("harbour", limit=2, offset=50)
    assert (beyond.items, beyond.total) == ([], 3)


def test_index_follows_insert_update_and_delete(corpus):
    story = make_story("Zeppelin lands in the park", category="World")
    assert titles(search("zeppelin")) == ["Zeppelin lands in the park"]

    story.title = "Airship lands in the park"
    story.save()
    assert search("zeppelin").total == 0
    assert titles(search("airship")) == ["Airship lands in the park"]

    article = make_article(corpus.wire, "Balloon festival", "Hundreds of kazoos", story=story)
    assert [a.pk for a in search("kazoos", kind="articles").items] == [article.pk]
    # Bulk updates bypass Django's signals; the database triggers still see them.
    Article.objects.filter(pk=article.pk).update(text="Kites everywhere")
    assert search("kazoos", kind="articles").total == 0
    assert search("kites", kind="articles").total == 1

    Article.objects.filter(pk=article.pk).delete()
    Story.objects.filter(pk=story.pk).delete()
    assert search("kites", kind="articles").total == 0
    assert search("airship").total == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the cap on broad queries is SQLite's")
def test_very_broad_queries_rank_only_the_newest_matches(corpus, monkeypatch):
    from newshub.search import query

    monkeypatch.setattr(query, "BROAD_QUERY_LIMIT", 1)
    articles = search("harbour", kind="articles")
    # Three articles say "harbour"; only those newer than the second newest match are ranked.
    assert [a.pk for a in articles.items] == [corpus.quake_wire.pk]
    assert articles.message == query.BROAD_MESSAGE
    stories = search("harbour")
    assert stories.items and stories.message == query.BROAD_MESSAGE
    assert search("mayor").message == ""


def test_merged_stories_are_not_listed(corpus):
    Story.objects.filter(pk=corpus.quake.pk).update(merged_into=corpus.strike)
    assert "Earthquake shakes the coast" not in titles(search("harbour"))


HOSTILE_QUERIES = [
    '"unbalanced quote',
    "harbour OR",
    "NEAR(harbour dockers",
    "harbour AND NOT",
    "((((",
    "title:harbour",
    "harbour*",
    "^harbour",
    "-harbour",
    "'; DROP TABLE ingest_article; --",
    "1' OR '1'='1",
    "harbour\x00dockers",
    "🚢 harbour 🚢",
    "h" * 10_000,
    "harbour " * 2_000,
    "\u202e\u200b\ufeff",
    "Ḩarbőur",
    "_",
    "a_b",
    "{} [] <> \\ ; : | & ! ~",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
@pytest.mark.parametrize("kind", ["stories", "articles"])
def test_any_input_gives_results_or_a_message(corpus, query, kind):
    results = search(query, kind=kind)
    assert results.items or results.message or results.total == 0
    assert Article.objects.count() == 5  # nothing was dropped


def test_operators_are_searched_as_plain_words(corpus):
    assert titles(search('"harbour" AND mayor')) == ["Mayor wins second term"]
    assert titles(search("(mayor* ^trams)")) == ["Mayor wins second term"]


def test_empty_input_says_what_to_do(corpus):
    for query in ["", "   ", "!!!", "\x00"]:
        results = search(query)
        assert (results.items, results.message) == ([], NO_WORDS_MESSAGE)


def test_long_input_is_cut_to_a_number_of_words():
    terms, truncated = search_terms(" ".join(f"word{i}" for i in range(100)))
    assert len(terms) == MAX_TERMS and truncated
    assert search_terms("Harbour harbour HARBOUR") == (["Harbour"], False)


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        search("harbour", kind="outlets")


def test_runs_on_the_configured_database():
    assert connection.vendor in {"sqlite", "postgresql"}


def test_snippets_mark_the_matches_and_escape_the_rest(corpus):
    make_article(
        corpus.wire,
        "Tram <script>alert(1)</script> plans",
        "The council's <b>tram</b> plan & budget were approved.",
        story=corpus.election,
    )
    articles = search("budget", kind="articles")
    snippet = str(articles.items[0].search_snippet)
    assert "<mark>budget</mark>" in snippet
    # Markup in outside text is shown as text (SQLite) or dropped (PostgreSQL's ts_headline), never kept.
    assert "<b>" not in snippet and "<script" not in snippet and "&amp;" in snippet
    story = search("budget").items[0]
    assert story.pk == corpus.election.pk and "<mark>budget</mark>" in str(story.search_snippet)
    title_match = search("earthquake").items[0]
    assert "<mark>Earthquake</mark>" in str(title_match.search_snippet)


def test_snippets_take_the_same_queries_for_a_few_results_or_a_page(corpus):
    with CaptureQueriesContext(connection) as one:
        assert search("harbour").total == 3
    for number in range(12):
        make_story(f"Harbour report {number}")
    with CaptureQueriesContext(connection) as many:
        assert search("harbour").total > 12
    assert len(many) == len(one)


def test_results_without_snippets_skip_making_them(corpus):
    with CaptureQueriesContext(connection) as without:
        found = search("harbour", snippets=False)
    with CaptureQueriesContext(connection) as with_snippets:
        search("harbour")
    assert found.items and all(str(item.search_snippet) == "" for item in found.items)
    assert len(without) < len(with_snippets)
