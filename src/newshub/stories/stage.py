"""The pipeline stage: credit the original of a copy, then place the article in a story.

    story_id = assign_story(article.id)   # after extraction; idempotent
    merge_pass()                          # also run every `merge_every` articles by assign_story

The decisions come from the in-memory `StoryEngine`; this module is its database edge. The engine's
state is not stored separately: it is rebuilt from the database on first use in a process, from
the articles of the recent window (their text, stored entities and MinHash signatures, and the
stories and originals already assigned), so no NER runs again and restarts lose nothing. One
process should run this stage at a time (the in-process driver, or a single Celery queue), since
each process holds its own state.
"""

import logging
import threading
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, F, Max, Min
from django.db.models.functions import Coalesce
from django.utils import timezone

from newshub.ingest.models import Article
from newshub.sources.models import OutletKind
from newshub.stories.cluster import ClusterConfig, Features
from newshub.stories.copies import Candidate, Fingerprint, fingerprint
from newshub.stories.engine import MAX_REMEMBERED_ARTICLES, ArticleRecord, StoryEngine
from newshub.stories.features import (
    content_terms,
    entities_from_json,
    entities_to_json,
    entity_input,
    entity_terms,
    extract_entities,
)
from newshub.stories.models import Story
from newshub.stories.signals import stories_merged

log = logging.getLogger(__name__)

# A publication time this far ahead of the clock is a wrong date, not an embargo.
FUTURE_TOLERANCE = timedelta(hours=1)

# What rebuilding the state reads of each article (never raw_html, which can be large).
REPLAY_FIELDS = (
    "id",
    "title",
    "lead",
    "text",
    "entities",
    "content_hash",
    "minhash",
    "published_at",
    "fetched_at",
    "story_id",
    "original_id",
    "outlet__kind",
)

_engine: StoryEngine | None = None
_lock = threading.RLock()


def assign_story(article_id: int) -> int | None:
    """The story the article belongs to (joining or starting one); None if it cannot be placed.

    Also credits the original when the article copies another. Re-running it changes nothing.
    """
    article = Article.objects.select_related("outlet").filter(pk=article_id).first()
    if article is None:
        log.warning("assign_story skipped article=%s reason=missing", article_id)
        return None
    if article.story_id is not None:
        return live_story(article.story_id)
    record = article_record(article)
    if record is None:
        log.warning("assign_story skipped article=%s reason=no_text", article_id)
        return None
    with _lock:
        engine = get_engine()
        try:
            with transaction.atomic():
                story_id = place(engine, article, record)
        except Exception:
            reset_engine()  # memory may now disagree with the rolled-back database
            raise
        if engine.clusterer.merge_due():
            apply_merges(engine)
    return live_story(story_id)


def merge_pass() -> list[tuple[int, int]]:
    """Merges stories that turned out to be one; returns (absorbed, survivor) story ids."""
    with _lock:
        return apply_merges(get_engine())


def place(engine: StoryEngine, article: Article, record: ArticleRecord) -> int:
    placement = engine.place(record)
    article.story_id = placement.story
    article.original_id = placement.original
    article.content_hash = record.fingerprint.content_hash
    article.minhash = record.fingerprint.to_bytes()
    article.save(update_fields=["story", "original", "content_hash", "minhash", "entities"])
    for member, new_original in placement.repointed.items():
        Article.objects.filter(pk=member).update(original_id=new_original)
    if placement.original is not None:
        log.info("copy article=%s original=%s", article.pk, placement.original)
    update_story(placement.story)
    return placement.story


def apply_merges(engine: StoryEngine) -> list[tuple[int, int]]:
    merges = engine.merge_pass()
    with transaction.atomic():
        for absorbed, survivor in merges:
            Article.objects.filter(story_id=absorbed).update(story_id=survivor)
            Story.objects.filter(pk=absorbed).update(merged_into_id=survivor, article_count=0, outlet_count=0)
        for survivor in sorted({survivor for _, survivor in merges}):
            update_story(survivor)
        if merges:
            stories_merged.send(sender=Story, merges=merges)
    if merges:
        log.info("stories merged=%d", len(merges))
    return merges


def live_story(story_id: int) -> int:
    """The story a (possibly merged) story now lives in."""
    seen = {story_id}
    while (target := Story.objects.filter(pk=story_id).values_list("merged_into_id", flat=True).first()) and (
        target not in seen
    ):
        seen.add(target)
        story_id = target
    return story_id


# -- the engine and its state ------------------------------------------------------------------------


def get_engine() -> StoryEngine:
    global _engine
    with _lock:
        if _engine is None:
            _engine = build_engine()
        return _engine


def reset_engine() -> None:
    """Forgets the in-memory state; the next call rebuilds it from the database."""
    global _engine
    with _lock:
        _engine = None


def new_story() -> int:
    now = timezone.now()
    return Story.objects.create(first_seen=now, last_seen=now).pk


def build_engine(config: ClusterConfig | None = None) -> StoryEngine:
    """The engine as it was: the recent window's placed articles replayed in publication order."""
    engine = StoryEngine(new_story, config)
    config = engine.clusterer.config
    # Everything the clusterer may still compare with: the recent window, and the older stories it remembers.
    since = timezone.now() - timedelta(days=max(2 * config.window_days, config.memory_days))
    recent = (
        Article.objects.filter(story__isnull=False, fetched_at__gte=since)
        .annotate(seen_at=Coalesce("published_at", "fetched_at"))
        .order_by("-seen_at", "-id")
    )
    # The newest MAX_REMEMBERED_ARTICLES, oldest first, without holding them all (nor raw_html) at once.
    oldest = recent.values_list("seen_at", flat=True)[
        MAX_REMEMBERED_ARTICLES - 1 : MAX_REMEMBERED_ARTICLES
    ].first()
    rows = (
        (recent.filter(seen_at__gte=oldest) if oldest else recent)
        .select_related("outlet")
        .only(*REPLAY_FIELDS)
        .order_by("seen_at", "id")
    )
    merged = dict(Story.objects.filter(merged_into__isnull=False).values_list("id", "merged_into_id"))
    count = 0
    for article in rows.iterator(chunk_size=2000):
        record = article_record(article, extract=False)
        if record is not None:
            engine.replay(record, follow(article.story_id, merged), article.original_id)
            count += 1
    engine.settle()
    log.info("stories engine rebuilt articles=%d stories=%d", count, len(engine.clusterer.stories))
    return engine


def follow(story_id: int, merged: dict[int, int]) -> int:
    seen = set()
    while story_id in merged and story_id not in seen:
        seen.add(story_id)
        story_id = merged[story_id]
    return story_id


# -- articles as the engine sees them ----------------------------------------------------------------


def article_time(article: Article, now: datetime) -> datetime:
    """When the article appeared: its publication time, unless missing or in the future."""
    if article.published_at is None:
        log.info("assign_story article=%s reason=no_date using=fetched_at", article.pk)
        return article.fetched_at
    if article.published_at > now + FUTURE_TOLERANCE:
        log.info("assign_story article=%s reason=future_date using=fetched_at", article.pk)
        return min(article.fetched_at, now)
    return article.published_at


def article_record(article: Article, extract: bool = True) -> ArticleRecord | None:
    """The article's features; spaCy runs only when no entities are stored yet (and `extract`)."""
    text = article.text or article.lead
    terms = content_terms(article.title, text)
    stored = entities_from_json(article.entities)
    if not stored and extract and (article.title or text):
        stored = next(extract_entities([entity_input(article.title, text)]))
        article.entities = entities_to_json(stored)
    if not terms and not stored:
        return None
    when = article_time(article, timezone.now())
    stored_fp = (
        Fingerprint.from_bytes(article.content_hash, article.minhash) if article.content_hash else None
    )
    return ArticleRecord(
        Candidate(
            article.pk,
            when,
            article.fetched_at,
            wire=article.outlet.kind == OutletKind.WIRE,
        ),
        Features(terms, entity_terms(stored), when),
        stored_fp or fingerprint(text),
    )


def update_story(story_id: int) -> None:
    """Counts, first and last seen and a provisional title now; the rest of the story's fields are
    rebuilt once per round (newshub.pipeline.rebuild_changed_stories), not once per article."""
    articles = Article.objects.filter(story_id=story_id)
    facts = articles.annotate(when_=Coalesce("published_at", "fetched_at")).aggregate(
        count=Count("id"), outlets=Count("outlet", distinct=True), first=Min("when_"), last=Max("when_")
    )
    if not facts["count"]:
        return
    first_article = (
        articles.filter(original__isnull=True).order_by("published_at", "fetched_at", "id").first()
    )
    story = Story.objects.get(pk=story_id)
    story.article_count = facts["count"]
    story.outlet_count = facts["outlets"]
    now = timezone.now()  # a wrong future date must not keep a story on top
    story.first_seen = min(facts["first"], now)
    story.last_seen = min(facts["last"], now)
    if not story.title and first_article is not None:
        story.title = first_article.title[:1000]
    story.revision = F("revision") + 1
    story.save(
        update_fields=[
            "article_count",
            "outlet_count",
            "first_seen",
            "last_seen",
            "title",
            "revision",
            "updated_at",
        ]
    )
