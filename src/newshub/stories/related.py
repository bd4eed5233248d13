"""Related stories: the stories of the same weeks closest to a story in key entities and words.

    similarity = 0.6 × cosine(TF-IDF of title + lead) + 0.4 × Jaccard(key entities) (+ 0.05 same category)

Stories last seen more than `WINDOW_DAYS` apart, or below `MIN_SIMILARITY`, are not related. The lists
are computed after each polling round (`refresh_related`, a ROUND_STAGE) and stored on the story
(`Story.related_ids`), so a story page only reads them: one query for the related stories' rows.

A round recomputes the stories that changed since their list was made (`related_at` older than
`updated_at`, or never made), and then the stories whose list they may enter or leave: those close
enough to a changed story, and those listing one. That second set is bounded (`MAX_REFRESHED`), the
closest first. All similarities of a round come from one TF-IDF fit over the stories of the weeks
around the changed ones, computed as sparse matrix products in blocks of rows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.db import transaction
from django.db.models import F, Q
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from newshub.api.cache import bump_stories
from newshub.stories.models import Story

logger = logging.getLogger(__name__)

WINDOW_DAYS = 14
RELATED_COUNT = 5
TEXT_WEIGHT = 0.6
ENTITY_WEIGHT = 0.4
SAME_CATEGORY_BONUS = 0.05
MIN_SIMILARITY = 0.08  # the demo's two Marovia stories (an air base blast, floods) score 0.10
MAX_CHANGED = 2_000  # changed stories recomputed per round; the rest wait for the next round
MAX_REFRESHED = 1_000  # other stories recomputed per slice because a changed story may enter their list
MAX_POOL = 20_000  # candidate stories per slice, highest scored first
ROWS_PER_BLOCK = 128  # rows of the similarity matrix held at once (ROWS_PER_BLOCK × pool floats)
POOL_FIELDS = ("id", "title", "lead", "key_entities", "category", "score", "last_seen", "updated_at")


def related_stories(story: Story, limit: int = RELATED_COUNT) -> list[Story]:
    """The stored related stories still shown to readers, closest first (one query)."""
    ids = list(story.related_ids or [])[:limit]
    if not ids:
        return []
    by_id = Story.objects.live().in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


# --- The round stage ------------------------------------------------------------------------------


def refresh_related() -> int:
    """Recompute the related lists a round may have changed; returns how many lists were stored."""
    changed = list(
        Story.objects.live()
        .filter(Q(related_at__isnull=True) | Q(updated_at__gt=F("related_at")))
        .order_by("-last_seen", "-pk")
        .values_list("pk", "last_seen")[:MAX_CHANGED]
    )
    stored = 0
    for stories in time_slices(changed):
        stored += refresh_slice(stories)
    if changed:
        logger.info("related_refreshed changed=%d stored=%d", len(changed), stored)
    return stored


def refresh_all() -> int:
    """Every live story's list (a new database, a benchmark corpus): rounds until none is stale."""
    stored = 0
    while made := refresh_related():
        stored += made
    return stored


def time_slices(stories: list[tuple[int, datetime]]) -> list[list[int]]:
    """Story ids in runs spanning at most WINDOW_DAYS each, so each run's pool stays a few weeks wide."""
    window = timedelta(days=WINDOW_DAYS)
    slices: list[list[int]] = []
    start: datetime | None = None
    for pk, last_seen in sorted(stories, key=lambda item: item[1]):
        if start is None or last_seen - start > window:
            slices.append([])
            start = last_seen
        slices[-1].append(pk)
    return slices


@dataclass
class Pool:
    """The stories a slice's lists are chosen from, with their features as matrices (row i = ids[i])."""

    ids: np.ndarray
    scores: np.ndarray
    seen: np.ndarray  # last_seen, seconds
    text: sparse.csr_matrix  # L2-normalised TF-IDF rows: text @ text.T is the cosine
    entities: sparse.csr_matrix  # 0/1 rows
    entity_counts: np.ndarray
    categories: np.ndarray  # category codes, -1 for none
    stored: list[list[int]]  # each story's current related_ids
    versions: list[datetime]  # each story's updated_at

    def rows_of(self, story_ids: list[int]) -> np.ndarray:
        position = {pk: row for row, pk in enumerate(self.ids.tolist())}
        return np.array([position[pk] for pk in story_ids if pk in position], dtype=np.int64)


def refresh_slice(changed_ids: list[int]) -> int:
    """The lists of these stories (last seen within WINDOW_DAYS of each other) and of those they affect."""
    seen = Story.objects.filter(pk__in=changed_ids).values_list("last_seen", flat=True)
    # Stories near the changed ones, and the candidates of those: two windows on each side.
    reach = timedelta(days=2 * WINDOW_DAYS)
    pool = load_pool(min(seen) - reach, max(seen) + reach, changed_ids)
    changed = pool.rows_of(changed_ids)
    targets = np.concatenate([changed, affected_stories(pool, changed)])
    return store_lists(pool, targets, related_lists(pool, targets))


def load_pool(first: datetime, last: datetime, changed_ids: list[int]) -> Pool:
    """Live stories last seen between `first` and `last` (the MAX_POOL highest scored), and the changed
    ones whatever their score."""
    fields = (*POOL_FIELDS, "related_ids")
    live = Story.objects.live().order_by("-score", "-pk")
    rows = list(live.filter(last_seen__gte=first, last_seen__lte=last).values_list(*fields)[:MAX_POOL])
    missing = set(changed_ids) - {row[0] for row in rows}
    rows += list(live.filter(pk__in=missing).values_list(*fields))
    ids, titles, leads, entities, categories, scores, seen, versions, stored = zip(*rows, strict=True)
    keys = [entity_keys(value) for value in entities]
    category_codes = {name: code for code, name in enumerate(sorted(set(categories) - {""}))}
    return Pool(
        ids=np.array(ids, dtype=np.int64),
        scores=np.array(scores, dtype=np.float64),
        seen=np.array([moment.timestamp() for moment in seen], dtype=np.float64),
        text=text_vectors([f"{title}\n{lead}" for title, lead in zip(titles, leads, strict=True)]),
        entities=entity_matrix(keys),
        entity_counts=np.array([len(names) for names in keys], dtype=np.float32),
        categories=np.array([category_codes.get(name, -1) for name in categories], dtype=np.int64),
        stored=[list(value or []) for value in stored],
        versions=list(versions),
    )


def text_vectors(texts: list[str]) -> sparse.csr_matrix:
    try:
        vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, dtype=np.float32)
        return vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # no words at all (empty titles and leads)
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)


def entity_keys(key_entities: object) -> frozenset[str]:
    if not isinstance(key_entities, list):
        return frozenset()
    return frozenset(
        " ".join(str(item["text"]).casefold().split())
        for item in key_entities
        if isinstance(item, dict) and item.get("text")
    )


def entity_matrix(keys: list[frozenset[str]]) -> sparse.csr_matrix:
    """One row per story, one column per entity name: 1 where the story has that key entity."""
    vocabulary: dict[str, int] = {}
    rows, columns = [], []
    for row, names in enumerate(keys):
        for name in names:
            rows.append(row)
            columns.append(vocabulary.setdefault(name, len(vocabulary)))
    values = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((values, (rows, columns)), shape=(len(keys), max(1, len(vocabulary))))


def similarities(pool: Pool, rows: np.ndarray) -> np.ndarray:
    """similarity[i, j] of pool story rows[i] with pool story j; -1 where j cannot be related to it
    (itself, or last seen more than WINDOW_DAYS apart)."""
    text = (pool.text[rows] @ pool.text.T).toarray()
    shared = (pool.entities[rows] @ pool.entities.T).toarray()
    union = pool.entity_counts[rows, None] + pool.entity_counts[None, :] - shared
    jaccard = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
    categories = pool.categories[rows, None]
    same_category = (categories == pool.categories[None, :]) & (categories >= 0)
    similarity = TEXT_WEIGHT * text + ENTITY_WEIGHT * jaccard + SAME_CATEGORY_BONUS * same_category
    similarity[np.abs(pool.seen[rows, None] - pool.seen[None, :]) > WINDOW_DAYS * 86400] = -1.0
    similarity[np.arange(len(rows)), rows] = -1.0
    return similarity


def similarity_blocks(pool: Pool, rows: np.ndarray) -> Iterator[np.ndarray]:
    """similarities() for `rows`, ROWS_PER_BLOCK rows at a time."""
    for start in range(0, len(rows), ROWS_PER_BLOCK):
        yield similarities(pool, rows[start : start + ROWS_PER_BLOCK])


def affected_stories(pool: Pool, changed: np.ndarray) -> np.ndarray:
    """Pool rows (other than `changed`) whose list a changed story may enter or leave: those listing
    one, then those closest to one, at most MAX_REFRESHED."""
    closeness = np.full(len(pool.ids), -1.0)
    for similarity in similarity_blocks(pool, changed):
        closeness = np.maximum(closeness, similarity.max(axis=0))
    changed_ids = set(pool.ids[changed].tolist())
    listing = [row for row, stored in enumerate(pool.stored) if changed_ids.intersection(stored)]
    closeness[listing] = np.inf
    closeness[changed] = -1.0
    candidates = np.flatnonzero(closeness >= MIN_SIMILARITY)
    closest_first = candidates[np.argsort(-closeness[candidates], kind="stable")]
    return closest_first[:MAX_REFRESHED]


def related_lists(pool: Pool, rows: np.ndarray) -> list[list[int]]:
    """For each pool row, the ids of its RELATED_COUNT closest stories (at least MIN_SIMILARITY);
    ties go to the higher-scored story, then the older id."""
    lists = []
    for similarity in similarity_blocks(pool, rows):
        for row_similarity in similarity:
            found = np.flatnonzero(row_similarity >= MIN_SIMILARITY)
            order = np.lexsort((pool.ids[found], -pool.scores[found], -row_similarity[found]))
            lists.append(pool.ids[found[order[:RELATED_COUNT]]].tolist())
    return lists


def store_lists(pool: Pool, rows: np.ndarray, lists: list[list[int]]) -> int:
    """Stores each list with the story version it was computed from, unless the story changed
    meanwhile (the next round redoes it); story pages whose list changed are rebuilt."""
    stored, differ = 0, []
    with transaction.atomic():
        for row, ranked in zip(rows.tolist(), lists, strict=True):
            version = pool.versions[row]
            same_version = Story.objects.filter(pk=int(pool.ids[row]), updated_at=version)
            stored += same_version.update(related_ids=ranked, related_at=version)
            if ranked != pool.stored[row]:
                differ.append(int(pool.ids[row]))
    bump_stories(differ)
    return stored
