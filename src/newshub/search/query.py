"""Full-text search over stories and articles, ranked by relevance and recency.

    from newshub.search.query import search
    results = search("harbour strike", category="Business", since=date(2026, 11, 1))
    for story in results.items:
        print(story.title, story.search_score)

Whatever the reader types is reduced to plain words (letters and digits); each word is quoted for
SQLite FTS5 and handed to PostgreSQL's plainto_tsquery, so operators, quotes, SQL and stray bytes
are just text. Input that leaves no word gives an empty result with a message, never an exception.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Literal

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from newshub.ingest.models import Article
from newshub.search.index import SQLITE_ARTICLE_STORY_INDEX
from newshub.stories.models import Story

logger = logging.getLogger(__name__)

Kind = Literal["stories", "articles"]
KINDS: tuple[str, ...] = ("stories", "articles")
MAX_TERMS = 12
MAX_TERM_LENGTH = 64
MAX_LIMIT = 100
MAX_OFFSET = 10_000
# Half of a hit's score is its relevance alone; the other half fades with age (halved after a week),
# so an old exact match still beats a fresh passing mention.
RECENCY_HALF_LIFE_DAYS = 7.0

# A word in most documents makes ranking every match slow and says little: rank the newest matches only.
# PostgreSQL's ts_rank reads each match's whole tsvector, so it ranks fewer (bench/search: ~30 us a match).
BROAD_QUERY_LIMIT = 10_000
POSTGRES_BROAD_QUERY_LIMIT = 2_000
BROAD_MESSAGE = "Very many matches: only the most recent were ranked; add words to narrow the search."
NO_WORDS_MESSAGE = "Type one or more words to search for."
TOO_MANY_WORDS_MESSAGE = f"Only the first {MAX_TERMS} words were searched for."
UNAVAILABLE_MESSAGE = "Search is unavailable right now; please try again later."
UNSUPPORTED_MESSAGE = "Search needs SQLite or PostgreSQL as the database."

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class SearchResults:
    """One page of results. `items` are Story or Article instances, best first, each with a
    `search_score` and a `search_snippet` (safe HTML: escaped text, the matched words in <mark>, or ""
    when the match is in text not shown); `message` is set when the query could not be run as typed."""

    query: str
    terms: tuple[str, ...]
    kind: str
    items: list = field(default_factory=list)
    total: int = 0
    limit: int = 20
    offset: int = 0
    message: str = ""

    @property
    def failed(self) -> bool:
        """The database could not answer: worth asking again, not worth keeping."""
        return self.message == UNAVAILABLE_MESSAGE

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.items) < self.total

    @property
    def has_previous(self) -> bool:
        return self.offset > 0


def search_terms(text: str) -> tuple[list[str], bool]:
    """The plain words of a query, without duplicates, and whether some were left out."""
    normalized = unicodedata.normalize("NFKC", text.replace("\x00", " "))
    words: list[str] = []
    seen: set[str] = set()
    for match in _WORD.finditer(normalized):
        word = match.group()[:MAX_TERM_LENGTH]
        if word.casefold() not in seen:
            seen.add(word.casefold())
            words.append(word)
    return words[:MAX_TERMS], len(words) > MAX_TERMS


def fts5_match_expression(terms: Sequence[str]) -> str:
    # Each term is letters/digits only, so quoting makes it a plain phrase: no FTS5 operator survives.
    return " ".join(f'"{term}"' for term in terms)


# --- Where the hits come from: (id, relevance) rows, per database ------------------------------


def _newest_matches_bound(fts_table: str, match: str) -> int | None:
    """For a very broad query, the rowid above which its BROAD_QUERY_LIMIT newest matches lie."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH %s ORDER BY rowid DESC LIMIT 1 OFFSET %s",
            [match, BROAD_QUERY_LIMIT],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _sqlite_fts_hits(fts_table: str, id_column: str, weights: str, match: str, join: str = "") -> tuple:
    """(sql, params, capped): rows (id, relevance) matching; very broad queries keep their newest matches."""
    bound = _newest_matches_bound(fts_table, match)
    sql = (
        f"SELECT {id_column} AS id, -bm25({fts_table}, {weights}) AS relevance "
        f"FROM {fts_table} {join} WHERE {fts_table} MATCH %s"
    )
    params: list = [match]
    if bound is not None:
        sql += f" AND {fts_table}.rowid > %s"
        params.append(bound)
    return sql, params, bound is not None


def _sqlite_hits(kind: str, terms: Sequence[str]) -> tuple[str, list, bool]:
    match = fts5_match_expression(terms)
    if kind == "articles":
        return _sqlite_fts_hits("search_article_fts", "search_article_fts.rowid", "10.0, 4.0, 1.0", match)
    stories, story_params, stories_capped = _sqlite_fts_hits(
        "search_story_fts", "search_story_fts.rowid", "10.0, 4.0", match
    )
    through_articles, article_params, articles_capped = _sqlite_fts_hits(
        "search_article_fts",
        "hit_article.story_id",
        "10.0, 4.0, 1.0",
        match,
        join=f"JOIN ingest_article hit_article INDEXED BY {SQLITE_ARTICLE_STORY_INDEX} "
        "ON hit_article.id = search_article_fts.rowid",
    )
    through_articles += " AND hit_article.story_id IS NOT NULL"
    sql = _best_per_story(stories, through_articles)
    return sql, [*story_params, *article_params], stories_capped or articles_capped


def _postgres_hits(kind: str, terms: Sequence[str]) -> tuple[str, list, None]:
    """Like _sqlite_hits; whether the cut applied is only known from the number of hits (None here)."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
    from django.db.models import F, Value
    from django.db.models.expressions import RawSQL

    from newshub.search.index import POSTGRES_CONFIG, POSTGRES_VECTOR_COLUMN

    query = SearchQuery(" ".join(terms), config=POSTGRES_CONFIG, search_type="plain")

    def ranked(model, id_field: str):
        vector = RawSQL(
            f'"{model._meta.db_table}"."{POSTGRES_VECTOR_COLUMN}"', [], output_field=SearchVectorField()
        )
        queryset = model.objects.annotate(document=vector).filter(document=query)
        if id_field != "id":
            queryset = queryset.filter(**{f"{id_field}__isnull": False})
        # Newest matches first, cut: PostgreSQL computes ts_rank only for the rows kept. Ordering by
        # id + 0 keeps the planner on the GIN index rather than walking the primary key backwards.
        newest_first = (F("id") + Value(0)).desc()
        queryset = queryset.annotate(relevance=SearchRank(vector, query)).order_by(newest_first)
        queryset = queryset.values_list(id_field, "relevance")[:POSTGRES_BROAD_QUERY_LIMIT]
        return queryset.query.sql_with_params()

    articles_sql, articles_params = ranked(Article, "id")
    if kind == "articles":
        return f"SELECT * FROM ({articles_sql}) AS article_hits", list(articles_params), None
    stories_sql, stories_params = ranked(Story, "id")
    through_sql, through_params = ranked(Article, "story_id")
    return _best_per_story(stories_sql, through_sql), [*stories_params, *through_params], None


def _best_per_story(stories_sql: str, through_articles_sql: str) -> str:
    # A story is found by its own title and lead, or through any of its articles' text.
    return (
        f"SELECT found.id AS id, MAX(found.relevance) AS relevance FROM "
        f"(SELECT * FROM ({stories_sql}) AS by_story "
        f"UNION ALL SELECT * FROM ({through_articles_sql}) AS by_article) AS found GROUP BY found.id"
    )


def _age_in_days(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"GREATEST(CAST(EXTRACT(EPOCH FROM (now() - {column})) AS double precision) / 86400.0, 0)"
    return f"MAX(julianday('now') - julianday({column}), 0)"


# --- Filters, the same SQL on both databases -----------------------------------------------------


def _as_datetime(value: date | datetime, end_of_day: bool) -> datetime:
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.max if end_of_day else time.min)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def _db_datetime(value: date | datetime, end_of_day: bool = False):
    return connection.ops.adapt_datetimefield_value(_as_datetime(value, end_of_day))


def _filters(
    kind: str,
    category: str | None,
    outlet: str | None,
    since: date | datetime | None,
    until: date | datetime | None,
) -> tuple[list[str], list]:
    clauses: list[str] = []
    params: list = []
    if kind == "stories":
        clauses.append("t.merged_into_id IS NULL")
        when_from, when_to = "t.last_seen", "t.first_seen"
        if category:
            clauses.append("LOWER(t.category) = LOWER(%s)")
            params.append(category)
        if outlet:
            clauses.append(
                "EXISTS (SELECT 1 FROM ingest_article fa JOIN sources_outlet fo ON fo.id = fa.outlet_id "
                "WHERE fa.story_id = t.id AND fo.slug = %s)"
            )
            params.append(outlet)
    else:
        when_from = when_to = "COALESCE(t.published_at, t.fetched_at)"
        if category:
            clauses.append(
                "EXISTS (SELECT 1 FROM stories_story fs WHERE fs.id = t.story_id "
                "AND LOWER(fs.category) = LOWER(%s))"
            )
            params.append(category)
        if outlet:
            clauses.append("t.outlet_id IN (SELECT fo.id FROM sources_outlet fo WHERE fo.slug = %s)")
            params.append(outlet)
    if since:
        clauses.append(f"{when_from} >= %s")
        params.append(_db_datetime(since))
    if until:
        clauses.append(f"{when_to} <= %s")
        params.append(_db_datetime(until, end_of_day=True))
    return clauses, params


def _ranked_page(kind: str, hits_sql: str, hits_params: list, filters, limit: int, offset: int):
    table = "stories_story" if kind == "stories" else "ingest_article"
    when = "t.last_seen" if kind == "stories" else "COALESCE(t.published_at, t.fetched_at)"
    clauses, filter_params = filters
    where = " AND ".join(clauses) or "1 = 1"
    score = f"hits.relevance * (0.5 + 0.5 / (1.0 + {_age_in_days(when)} / {RECENCY_HALF_LIFE_DAYS}))"
    sql = (
        f"SELECT t.id, {score} AS score, COUNT(*) OVER () AS total "
        f"FROM {table} t JOIN ({hits_sql}) hits ON hits.id = t.id "
        f"WHERE {where} ORDER BY score DESC, t.id DESC LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*hits_params, *filter_params, limit, offset])
        rows = cursor.fetchall()
        if rows or offset == 0:
            return rows, (rows[0][2] if rows else 0)
        # Past the last page: count separately so the caller can still show how many there are.
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} t JOIN ({hits_sql}) hits ON hits.id = t.id WHERE {where}",
            [*hits_params, *filter_params],
        )
        return rows, cursor.fetchone()[0]


# --- Snippets: a few words around the matches, matches marked ------------------------------------

SNIPPET_WORDS = 24
_START, _STOP = "\x01", "\x02"  # stand-ins for <mark>, which must survive HTML escaping


def snippet_html(marked: str) -> str:
    """Escaped text with the matched words in <mark>; the text itself is never trusted as HTML."""
    return mark_safe(escape(marked).replace(_START, "<mark>").replace(_STOP, "</mark>"))


SNIPPET_ARTICLES_PER_STORY = 5


def _sqlite_snippets(kind: str, terms: Sequence[str], items: list) -> dict[int, str]:
    """One query per FTS table for the whole page: FTS5 answers "MATCH ... AND rowid IN (...)" by
    seeking each rowid, never by walking every match of a common word."""
    match = fts5_match_expression(terms)
    if kind == "articles":
        return _sqlite_marked("search_article_fts", match, [item.pk for item in items])
    stories = [item.pk for item in items]
    snippets = _sqlite_marked("search_story_fts", match, stories)
    # A story found through its articles' text shows the words of its newest matching article.
    newest: dict[int, list[int]] = {pk: [] for pk in stories if pk not in snippets}
    recent = Article.objects.filter(story_id__in=newest).order_by("-published_at", "-pk")
    for story_id, article_id in recent.values_list("story_id", "pk"):
        if len(newest[story_id]) < SNIPPET_ARTICLES_PER_STORY:
            newest[story_id].append(article_id)
    by_article = _sqlite_marked("search_article_fts", match, [pk for ids in newest.values() for pk in ids])
    for story_id, article_ids in newest.items():
        marked = next((by_article[pk] for pk in article_ids if pk in by_article), "")
        if marked:
            snippets[story_id] = marked
    return snippets


def _sqlite_marked(fts_table: str, match: str, rowids: list[int]) -> dict[int, str]:
    """rowid -> text around the matches, for those of `rowids` whose shown text has a match."""
    if not rowids:
        return {}
    marks = f"'{_START}', '{_STOP}', '…', {SNIPPET_WORDS}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, snippet({fts_table}, -1, {marks}) FROM {fts_table} "
            f"WHERE {fts_table} MATCH %s AND rowid IN ({', '.join(['%s'] * len(rowids))})",
            [match, *rowids],
        )
        return {rowid: marked for rowid, marked in cursor.fetchall() if _START in (marked or "")}


def _postgres_snippets(kind: str, terms: Sequence[str], items: list) -> dict[int, str]:
    """Two queries for the whole page: the items' own text, then, for stories not matched there,
    their best matching article's words."""
    from newshub.search.index import POSTGRES_CONFIG, POSTGRES_VECTOR_COLUMN

    options = f"StartSel={_START}, StopSel={_STOP}, MaxWords={SNIPPET_WORDS}, MinWords=8, MaxFragments=1"
    query = "plainto_tsquery(%s::regconfig, %s)"
    query_params = [POSTGRES_CONFIG, " ".join(terms)]
    headline = f"ts_headline(%s::regconfig, {{text}}, {query}, %s)"
    headline_params = [POSTGRES_CONFIG, *query_params, options]
    table, own_text = ("stories_story", "concat_ws(' ', title, lead)")
    if kind == "articles":
        table, own_text = ("ingest_article", "left(concat_ws(' ', title, lead, text), 5000)")
    own = (
        f"SELECT id, {headline.format(text=own_text)} FROM {table} WHERE id = ANY(%s)",
        [*headline_params, [item.pk for item in items]],
    )
    snippets = _postgres_marked(*own)
    unmatched = [item.pk for item in items if item.pk not in snippets]
    if kind == "stories" and unmatched:
        article_text = "coalesce(best.lead, '') || ' ' || left(coalesce(best.text, ''), 5000)"
        best_articles = (
            f"SELECT best.story_id, {headline.format(text=article_text)} FROM ("
            f"SELECT DISTINCT ON (story_id) story_id, lead, text FROM ingest_article "
            f"WHERE story_id = ANY(%s) AND {POSTGRES_VECTOR_COLUMN} @@ {query} "
            f"ORDER BY story_id, ts_rank({POSTGRES_VECTOR_COLUMN}, {query}) DESC) AS best"
        )
        snippets |= _postgres_marked(
            best_articles, [*headline_params, unmatched, *query_params, *query_params]
        )
    return snippets


def _postgres_marked(sql: str, params: list) -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row_id: marked for row_id, marked in cursor.fetchall() if _START in (marked or "")}


# Results show headlines, leads and counts: the heavy columns stay in the database.
STORY_FIELDS_NOT_SHOWN = ("key_entities", "coverage", "related_ids")
ARTICLE_FIELDS_NOT_SHOWN = (
    "text",
    "raw_html",
    "minhash",
    "entities",
    *(f"story__{f}" for f in STORY_FIELDS_NOT_SHOWN),
)


def _load(kind: str, rows, terms: Sequence[str], snippets: bool) -> list:
    ids = [row[0] for row in rows]
    if kind == "stories":
        found = Story.objects.defer(*STORY_FIELDS_NOT_SHOWN).in_bulk(ids)
    else:
        found = (
            Article.objects.select_related("outlet", "story").defer(*ARTICLE_FIELDS_NOT_SHOWN).in_bulk(ids)
        )
    items = []
    for row_id, score, _total in rows:
        if row_id in found:
            item = found[row_id]
            item.search_score = float(score)
            items.append(item)
    marked: dict[int, str] = {}
    if items and snippets:
        snippets_for = _sqlite_snippets if connection.vendor == "sqlite" else _postgres_snippets
        marked = snippets_for(kind, terms, items)
    for item in items:
        item.search_snippet = snippet_html(marked.get(item.pk, ""))
    return items


def search(
    q: str,
    *,
    category: str | None = None,
    outlet: str | None = None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    kind: Kind = "stories",
    limit: int = 20,
    offset: int = 0,
    snippets: bool = True,
) -> SearchResults:
    """Stories (found by their own text or their articles') or articles matching every word of `q`.

    `category` is a story category name (any case), `outlet` an outlet slug; `since`/`until` bound
    the story's last/first sighting or the article's publication time (dates include the whole day).
    Without `snippets`, every item's `search_snippet` is "" (a page that does not show them).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    q = q if isinstance(q, str) else ""
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, min(int(offset), MAX_OFFSET))
    terms, truncated = search_terms(q)
    empty = SearchResults(query=q, terms=tuple(terms), kind=kind, limit=limit, offset=offset)
    if not terms:
        return _with_message(empty, NO_WORDS_MESSAGE)
    hits_for = {"sqlite": _sqlite_hits, "postgresql": _postgres_hits}.get(connection.vendor)
    if hits_for is None:
        return _with_message(empty, UNSUPPORTED_MESSAGE)
    # A savepoint only inside a caller's transaction, so a failed query cannot poison it; at the top
    # level SQLite's IMMEDIATE transactions would take the write lock and queue searches behind ingest.
    guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with guard:
            hits_sql, hits_params, capped = hits_for(kind, terms)
            filters = _filters(kind, category, outlet, since, until)
            rows, total = _ranked_page(kind, hits_sql, hits_params, filters, limit, offset)
            items = _load(kind, rows, terms, snippets)
    except DatabaseError as error:
        logger.warning("search_failed kind=%s terms=%d error=%r", kind, len(terms), str(error)[:200])
        return _with_message(empty, UNAVAILABLE_MESSAGE)
    if capped is None:
        capped = total >= POSTGRES_BROAD_QUERY_LIMIT
    notes = [note for note, on in ((TOO_MANY_WORDS_MESSAGE, truncated), (BROAD_MESSAGE, capped)) if on]
    return SearchResults(
        query=q,
        terms=tuple(terms),
        kind=kind,
        items=items,
        total=int(total),
        limit=limit,
        offset=offset,
        message=" ".join(notes),
    )


def _with_message(results: SearchResults, message: str) -> SearchResults:
    return SearchResults(**{**results.__dict__, "message": message})
