"""Related stories: the stories of the same weeks closest to a story in key entities and words.

A story is compared with at most `MAX_CANDIDATES` stories (the highest-scored of those last seen within
`WINDOW_DAYS` of it), on two cheap features:

    similarity = 0.6 × cosine(TF-IDF of title + lead) + 0.4 × Jaccard(key entities) (+ 0.05 same category)

Stories below `MIN_SIMILARITY` are not related, however few others there are. The answer is cached
per story version (its `updated_at`), so a story page costs one small query on a cache hit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from newshub.stories.models import Story

WINDOW_DAYS = 14
MAX_CANDIDATES = 2000
TEXT_WEIGHT = 0.6
ENTITY_WEIGHT = 0.4
SAME_CATEGORY_BONUS = 0.05
MIN_SIMILARITY = 0.12
CACHE_SECONDS = 15 * 60


@dataclass(frozen=True)
class StoryFeatures:
    id: int
    text: str
    entities: frozenset[str]
    category: str = ""
    score: float = 0.0


def related_stories(story: Story, limit: int = 5) -> list[Story]:
    """Up to `limit` stories related to `story`, closest first."""
    stamp = story.updated_at.timestamp() if story.updated_at else 0
    key = f"newshub:related:{story.pk}:{stamp}:{limit}"
    ids = cache.get(key)
    if ids is None:
        ids = rank_related(features_of(story), candidates_for(story), limit)
        cache.set(key, ids, CACHE_SECONDS)
    by_id = Story.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def candidates_for(story: Story) -> list[StoryFeatures]:
    window = timedelta(days=WINDOW_DAYS)
    rows = (
        Story.objects.live()
        .filter(
            last_seen__gte=story.last_seen - window,
            last_seen__lte=story.last_seen + window,
        )
        .exclude(pk=story.pk)
        .order_by("-score", "-pk")
        .values("id", "title", "lead", "key_entities", "category", "score")[:MAX_CANDIDATES]
    )
    return [
        StoryFeatures(
            id=row["id"],
            text=f"{row['title']}\n{row['lead']}",
            entities=entity_keys(row["key_entities"]),
            category=row["category"],
            score=row["score"],
        )
        for row in rows
    ]


def features_of(story: Story) -> StoryFeatures:
    return StoryFeatures(
        id=story.pk,
        text=f"{story.title}\n{story.lead}",
        entities=entity_keys(story.key_entities),
        category=story.category,
        score=story.score,
    )


def entity_keys(key_entities: object) -> frozenset[str]:
    if not isinstance(key_entities, list):
        return frozenset()
    return frozenset(
        " ".join(str(item["text"]).casefold().split())
        for item in key_entities
        if isinstance(item, dict) and item.get("text")
    )


def rank_related(target: StoryFeatures, candidates: list[StoryFeatures], limit: int) -> list[int]:
    """Ids of the `limit` candidates most similar to `target` (at least MIN_SIMILARITY), best first."""
    if not candidates or limit <= 0:
        return []
    try:
        vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
            [target.text] + [c.text for c in candidates]
        )
        text_similarity = cosine_similarity(vectors[0], vectors[1:])[0]
    except ValueError:  # no words at all (empty titles and leads)
        text_similarity = [0.0] * len(candidates)
    scored = []
    for candidate, text_score in zip(candidates, text_similarity, strict=True):
        similarity = TEXT_WEIGHT * float(text_score) + ENTITY_WEIGHT * jaccard(
            target.entities, candidate.entities
        )
        if target.category and candidate.category == target.category:
            similarity += SAME_CATEGORY_BONUS
        if similarity >= MIN_SIMILARITY:
            scored.append((similarity, candidate.score, candidate.id))
    scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
    return [story_id for _, _, story_id in scored[:limit]]


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
