"""Recompute a story's fields from its articles: title, lead, times, counts, entities, category, coverage.

`refresh_story` runs once per round on each story that changed (newshub.pipeline.STORY_STAGES), and on
stories whose outlets' ratings changed; it stays cheap: text similarity
is TF-IDF over headlines, leads and the first part of each text; spaCy only runs (NER only, cached per
article) when the clustering stage left `Article.entities` empty, and then only on the headlines and leads
of the few most central articles.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

import numpy as np
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from newshub.ingest.models import Article
from newshub.sources.models import Outlet
from newshub.stories import categories
from newshub.stories.coverage import OutletProfile, blindspot, coverage_mix, story_score
from newshub.stories.features import Entity, entity_key, extract_entities
from newshub.stories.models import Story

logger = logging.getLogger(__name__)

# People, organisations, places.
KEY_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})
MAX_KEY_ENTITIES = 10
# Characters of each article's text used for centrality and categories: the top of a news text says
# what it is about, and reading whole 100k-word texts on every refresh would not be cheap.
TEXT_HEAD_CHARS = 2000
# Centrality compares at most this many originals (the most recent), so huge stories stay cheap.
MAX_CENTRALITY_ARTICLES = 100
# spaCy runs on the headline and lead of at most this many central articles.
MAX_NER_ARTICLES = 8
LEAD_MAX_CHARS = 500
TITLE_MAX_CHARS = 300


@dataclass
class ArticleFacts:
    """The parts of one article that a story's fields are made from."""

    id: int
    title: str
    lead: str
    text_head: str
    when: datetime
    outlet_id: int
    is_copy: bool
    section: str = ""
    entities: list[dict] = field(default_factory=list)

    @property
    def content(self) -> str:
        return f"{self.title}\n{self.lead}\n{self.text_head}"


def refresh_story(story_id: int) -> None:
    """Recompute every derived field of the story from its articles (copies count as coverage)."""
    story = Story.objects.filter(pk=story_id).first()
    if story is None:
        logger.info("story refresh skipped story=%s reason=missing", story_id)
        return
    articles = load_articles(story_id)
    outlets = load_outlet_profiles({a.outlet_id for a in articles})
    fields = story_fields(articles, outlets, now=timezone.now())
    for name, value in fields.items():
        setattr(story, name, value)
    story.save(update_fields=[*fields, "updated_at"])


def refresh_stories_of_outlets(outlet_ids: Iterable[int], days: int = 30) -> int:
    """Refresh the recent stories these outlets cover (after their ratings changed); return how many."""
    since = timezone.now() - timedelta(days=days)
    story_ids = (
        Article.objects.filter(outlet_id__in=list(outlet_ids), story__last_seen__gte=since)
        .values_list("story_id", flat=True)
        .distinct()
    )
    count = 0
    for story_id in sorted(set(story_ids)):
        refresh_story(story_id)
        count += 1
    return count


def load_articles(story_id: int) -> list[ArticleFacts]:
    rows = (
        Article.objects.filter(story_id=story_id)
        .annotate(
            text_head=Substr("text", 1, TEXT_HEAD_CHARS),
            when_=Coalesce("published_at", "fetched_at"),
        )
        .values(
            "id",
            "title",
            "lead",
            "text_head",
            "when_",
            "fetched_at",
            "outlet_id",
            "original_id",
            "section",
            "feed__section",
            "entities",
        )
        .order_by("when_", "id")
    )
    return [
        ArticleFacts(
            id=row["id"],
            title=row["title"] or "",
            lead=row["lead"] or "",
            text_head=row["text_head"] or "",
            when=row["when_"] or row["fetched_at"],
            outlet_id=row["outlet_id"],
            is_copy=row["original_id"] is not None,
            section=row["section"] or row["feed__section"] or "",
            entities=row["entities"] if isinstance(row["entities"], list) else [],
        )
        for row in rows
    ]


def load_outlet_profiles(outlet_ids: set[int]) -> list[OutletProfile]:
    rows = Outlet.objects.filter(pk__in=outlet_ids).values_list("country", "kind", "lean", "reliability")
    return [OutletProfile(*row) for row in rows]


def story_fields(articles: list[ArticleFacts], outlets: list[OutletProfile], now: datetime) -> dict:
    """The story's derived fields from its articles and the distinct outlets covering it."""
    coverage = coverage_mix(outlets)
    if not articles:
        return {
            "article_count": 0,
            "outlet_count": 0,
            "coverage": coverage,
            "blindspot": "",
            "score": 0.0,
            "key_entities": [],
        }
    # A date in the future is a publisher's mistake: it must not pin a story to the top.
    times = [min(a.when, now) for a in articles]
    ranked = rank_by_centrality([a for a in articles if not a.is_copy] or articles)
    central = ranked[0]
    outlet_count = len(outlets)
    last_seen = max(times)
    return {
        "title": headline(ranked),
        "lead": lead_of(central),
        "first_seen": min(times),
        "last_seen": last_seen,
        "article_count": len(articles),
        "outlet_count": outlet_count,
        "key_entities": key_entities(ranked),
        "category": story_category(articles, ranked),
        "coverage": coverage,
        "blindspot": blindspot(coverage),
        "score": story_score(outlet_count, coverage, last_seen),
    }


def rank_by_centrality(articles: list[ArticleFacts]) -> list[ArticleFacts]:
    """Articles ordered from most to least central: mean TF-IDF cosine similarity to the others.

    Ties (and stories of one or two articles) go to the earliest article, which is usually the one the
    others follow.
    """
    if len(articles) <= 2:
        return list(articles)
    sample = articles[-MAX_CENTRALITY_ARTICLES:]
    contents = [a.content for a in sample]
    try:
        vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(contents)
    except ValueError:  # nothing but stop words or empty texts
        return list(articles)
    similarity = cosine_similarity(vectors)
    np.fill_diagonal(similarity, 0.0)
    centrality = similarity.sum(axis=1) / (len(sample) - 1)
    order = sorted(range(len(sample)), key=lambda i: (-round(float(centrality[i]), 6), i))
    ranked = [sample[i] for i in order]
    return ranked + [a for a in articles if a not in sample]


def headline(ranked: list[ArticleFacts]) -> str:
    """The most central article's headline; an untitled story borrows the start of its lead."""
    for article in ranked:
        if article.title.strip():
            return clip(article.title, TITLE_MAX_CHARS)
    return clip(first_sentence(lead_of(ranked[0])), TITLE_MAX_CHARS)


def lead_of(article: ArticleFacts) -> str:
    if article.lead.strip():
        return clip(article.lead, LEAD_MAX_CHARS)
    sentences = SENTENCE_END.split(article.text_head.strip())
    lead = ""
    for sentence in sentences:
        if lead and len(lead) + len(sentence) > LEAD_MAX_CHARS:
            break
        lead = f"{lead} {sentence}".strip()
    return clip(lead, LEAD_MAX_CHARS)


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“‘])")


def first_sentence(text: str) -> str:
    return SENTENCE_END.split(text.strip(), maxsplit=1)[0] if text.strip() else ""


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def key_entities(ranked: list[ArticleFacts]) -> list[dict]:
    """The people, organisations and places most articles mention: [{"text", "label", "articles"}].

    Each article counts once per entity. Uses the entities the clustering stage stored on the articles;
    if none are stored, runs spaCy on the headlines and leads of the most central articles.
    """
    per_article = [a.entities for a in ranked if a.entities]
    if not per_article:
        per_article = [
            recognise_entities(a.id, f"{a.title}.\n{a.lead or a.text_head[:600]}")
            for a in ranked[:MAX_NER_ARTICLES]
        ]
    mentions = [list(named_entities(entities)) for entities in per_article]
    full_names = surname_to_full_name(key for article in mentions for key, _ in article)
    counts: Counter[tuple[str, str]] = Counter()
    surface: dict[tuple[str, str], str] = {}
    for article in mentions:
        seen = set()
        for key, text in article:
            key = full_names.get(key, key)
            surface.setdefault(key, text)
            seen.add(key)
        counts.update(seen)
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:MAX_KEY_ENTITIES]
    return [{"text": surface[key], "label": key[1], "articles": count} for key, count in top]


def named_entities(entities: list) -> Iterator[tuple[tuple[str, str], str]]:
    """((normalized name, label), surface text) for each person, organisation or place."""
    for entity in entities:
        if not isinstance(entity, dict) or entity.get("label") not in KEY_ENTITY_LABELS:
            continue
        # "the Senate" reads as "Senate"; a capital "The" belongs to names like "The Hague".
        text = " ".join(str(entity.get("text", "")).split()).removeprefix("the ").strip(" .,'’")
        name = entity_key(Entity(text, entity["label"]))
        if len(name) >= 2:
            yield (name, entity["label"]), text


def surname_to_full_name(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str]]:
    """A person named once in full and then by surname ("Kamala Harris", "Harris") is one person.

    Only when the surname belongs to a single full name in the story.
    """
    by_surname: dict[str, set[str]] = {}
    for name, label in set(keys):
        if label == "PERSON" and " " in name:
            by_surname.setdefault(name.rsplit(" ", 1)[1], set()).add(name)
    return {
        (surname, "PERSON"): (next(iter(names)), "PERSON")
        for surname, names in by_surname.items()
        if len(names) == 1
    }


@lru_cache(maxsize=4096)
def recognise_entities(article_id: int, text: str) -> list[dict]:
    """spaCy NER on a short text; cached, since a story is refreshed each time an article joins it."""
    entities = next(extract_entities([text[:5000]]))
    return [{"text": entity.text, "label": entity.label} for entity in entities]


def story_category(articles: list[ArticleFacts], ranked: list[ArticleFacts]) -> str:
    """The sections the outlets gave, by majority; else the classifier on the most central articles."""
    from_sections = categories.category_from_sections(a.section for a in articles)
    if from_sections:
        return from_sections
    text = "\n".join(f"{a.lead}\n{a.text_head}" for a in ranked[:3])
    return categories.classify(" ".join(a.title for a in ranked[:3]), text)
