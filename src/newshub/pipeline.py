"""The ingestion pipeline: poll → fetch → extract → store, then the later stages per article.

Each stage is a plain function; re-running one on the same input is harmless (a canonical URL is stored
once). Two drivers use them: the in-process loop below (`run_due_feeds`, used by `newshub ingest` and
`newshub run`) and, for larger deployments, Celery tasks calling the same functions.

    report = poll_feed(feed.id)                     # one feed, now
    report = run_due_feeds()                        # every feed whose next poll is due
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from newshub.ingest.encoding import decode_html
from newshub.ingest.extract import ExtractedArticle, content_hash, extract_article
from newshub.ingest.feeds import NOT_A_FEED, FeedEntry, FeedError, ParsedFeed, parse_feed
from newshub.ingest.fetcher import Fetcher, FetchError, FetchResult
from newshub.ingest.models import Article
from newshub.sources.models import Feed
from newshub.stories.models import Story

logger = logging.getLogger(__name__)

# The stages run on every newly stored article, in order: dotted paths to functions taking an
# article id. Each must be idempotent; one that fails is logged and does not stop the others.
ARTICLE_STAGES: list[str] = [
    "newshub.stories.stage.assign_story",  # credit the original, join or start a story
    "newshub.claims.stage.attribute",  # who claims what
]
# The stages run on each story whose articles (or their claims) changed since they last ran: functions
# taking a story id, each rebuilding what it derives from all of the story's articles. They run once per
# round, not per article, so a story of n articles costs n of them per round, not n² over its life.
STORY_STAGES: list[str] = [
    "newshub.stories.summary.refresh_story",  # title, lead, entities, category, coverage mix, rank
    "newshub.claims.stage.group_story_claims",  # who says what, speakers named story-wide
]
# The stages run once after a round of polling that stored new articles (in-process driver; with Celery
# the scheduler runs them as one chain, newshub.tasks.finish_round): functions taking no argument.
ROUND_STAGES: list[str] = [
    "newshub.stories.stage.merge_pass",  # stories that the round's articles showed to be one
    "newshub.pipeline.rebuild_changed_stories",  # STORY_STAGES on the stories that changed
    "newshub.stories.related.refresh_related",  # related-story lists of the stories that changed
]

MAX_BACKOFF = timedelta(days=1)
MAX_CHILD_SITEMAPS = 3
HTML_TYPES = {"", "text/html", "application/xhtml+xml"}
LOOKUP_CHUNK = 500
INTERNAL_ERROR = "internal error (see the log)"


def article_stages() -> list[str]:
    """ARTICLE_STAGES, unless a deployment (or a test's worker processes) names others in settings."""
    return getattr(settings, "NEWSHUB_ARTICLE_STAGES", ARTICLE_STAGES)


def broker_configured() -> bool:
    """With a broker, stages run on Celery workers (newshub.tasks) instead of in this process."""
    return bool(settings.NEWSHUB_BROKER_URL)


@dataclass
class Poll:
    """What one poll of a feed found."""

    status: int
    entries: list[FeedEntry] = field(default_factory=list)
    etag: str = ""
    last_modified: str = ""
    kind: str = ""
    title: str = ""
    retry_after: float | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class FeedReport:
    feed_id: int
    url: str
    new_articles: int = 0
    summary_only: int = 0
    not_modified: bool = False
    error: str = ""


@dataclass
class RunReport:
    feeds: list[FeedReport] = field(default_factory=list)
    queued: int = 0  # feeds handed to Celery workers instead of polled here

    @property
    def new_articles(self) -> int:
        return sum(report.new_articles for report in self.feeds)

    @property
    def failed_feeds(self) -> int:
        return sum(1 for report in self.feeds if report.error)


# --- stage 1: poll ------------------------------------------------------------------------------


def read_feed(feed_url: str, fetcher: Fetcher, *, etag: str = "", last_modified: str = "") -> Poll:
    """Fetch and parse a feed (conditional GET). Raises FetchError."""
    result = fetcher.fetch(feed_url, etag=etag, last_modified=last_modified)
    if result.not_modified:
        return Poll(status=304, etag=etag, last_modified=last_modified, retry_after=result.retry_after)
    parsed = parse_feed(result.body, result.url)
    if not parsed.is_feed:
        raise FeedError(NOT_A_FEED)
    entries = parsed.entries + child_sitemap_entries(parsed, fetcher)
    return Poll(
        status=result.status,
        entries=entries,
        etag=result.etag,
        last_modified=result.last_modified,
        kind=parsed.kind,
        title=parsed.title,
        retry_after=result.retry_after,
    )


def child_sitemap_entries(parsed: ParsedFeed, fetcher: Fetcher) -> list[FeedEntry]:
    entries: list[FeedEntry] = []
    for url in parsed.sitemaps[:MAX_CHILD_SITEMAPS]:
        try:
            entries += parse_feed(fetcher.fetch(url).body, url).entries
        except FetchError as error:
            logger.info("child_sitemap_failed url=%s error=%r", url, error.message)
    return entries


def unseen_entries(feed: Feed, entries: list[FeedEntry]) -> list[FeedEntry]:
    """Entries whose URL and GUID are not stored yet (GUIDs are only unique within an outlet)."""
    known_urls: set[str] = set()
    known_guids: set[str] = set()
    for start in range(0, len(entries), LOOKUP_CHUNK):
        chunk = entries[start : start + LOOKUP_CHUNK]
        urls = [entry.url for entry in chunk]
        guids = [entry.guid for entry in chunk if entry.guid]
        for url, guid in Article.objects.filter(
            Q(url__in=urls) | Q(outlet_id=feed.outlet_id, guid__in=guids)
        ).values_list("url", "guid"):
            known_urls.add(url)
            known_guids.add(guid)
    return [entry for entry in entries if entry.url not in known_urls and entry.guid not in known_guids]


def next_poll_delay(feed: Feed, retry_after: float | None) -> timedelta:
    """The regular interval, doubled for each error in a row (at most a day), never sooner than a
    server's Retry-After."""
    delay = timedelta(seconds=feed.poll_interval)
    if feed.error_count:
        delay = min(delay * 2 ** min(feed.error_count, 16), MAX_BACKOFF)
    if retry_after:
        delay = max(delay, timedelta(seconds=retry_after))
    return delay


def record_success(feed: Feed, poll: Poll) -> None:
    now = timezone.now()
    feed.last_polled_at = feed.last_success_at = now
    feed.last_status = poll.status
    feed.last_error = ""
    feed.error_count = 0
    if not poll.not_modified:
        feed.etag, feed.last_modified = poll.etag[:500], poll.last_modified[:100]
        feed.kind = poll.kind or feed.kind
        feed.title = feed.title or poll.title
    feed.next_poll_at = now + next_poll_delay(feed, poll.retry_after)
    feed.save()


def record_failure(feed: Feed, error: FetchError) -> None:
    """The feed backs off; its articles stay."""
    now = timezone.now()
    feed.last_polled_at = now
    feed.last_status = error.status
    feed.last_error = error.message[:500]
    feed.error_count += 1
    feed.next_poll_at = now + next_poll_delay(feed, error.retry_after)
    feed.save()
    logger.warning(
        "feed_failed feed=%s url=%s error=%r errors=%d", feed.pk, feed.url, error.message, feed.error_count
    )


# --- stages 2 and 3: fetch and extract an article page ----------------------------------------


def fetch_page(url: str, fetcher: Fetcher) -> FetchResult | None:
    """None when the page cannot be had; the caller keeps the feed's summary."""
    try:
        page = fetcher.fetch(url)
    except FetchError as error:
        logger.info("page_failed url=%s error=%r", url, error.message)
        return None
    if page.content_type not in HTML_TYPES:
        logger.info("page_not_html url=%s content_type=%s", url, page.content_type)
        return None
    return page


def extract(page: FetchResult | None) -> ExtractedArticle | None:
    if page is None:
        return None
    try:
        extracted = extract_article(page.body, page.url, page.charset)
    except Exception:  # a hostile page must not stop the feed: keep the summary instead
        logger.exception("extract_failed url=%s", page.url)
        return None
    if extracted is None:
        logger.info("page_not_article url=%s", page.url)
    return extracted


# --- stage 4: store -----------------------------------------------------------------------------


def article_fields(entry: FeedEntry, extracted: ExtractedArticle | None) -> dict:
    if extracted is None:
        return {
            "title": entry.title,
            "lead": entry.summary,
            "text": entry.summary,
            "published_at": entry.published,
            "section": entry.section,
            "summary_only": True,
        }
    return {
        "title": (extracted.title or entry.title)[:1000],
        "lead": extracted.lead,
        "text": extracted.text,
        "authors": extracted.authors,
        "published_at": extracted.published or entry.published,
        "updated_at": extracted.updated,
        "language": extracted.language[:16],
        "image_url": extracted.image[:2000],
        "section": (entry.section or extracted.section)[:100],
        "summary_only": False,
    }


def store(
    feed: Feed, entry: FeedEntry, extracted: ExtractedArticle | None, page: FetchResult | None = None
) -> tuple[Article | None, bool]:
    """(article, created). The canonical URL is the article's identity: a second store of the same
    page returns the first one untouched."""
    url = (extracted.canonical_url if extracted else "") or (page.url if page else "") or entry.url
    existing = Article.objects.filter(url=url).order_by().first()
    if existing:
        return existing, False
    fields = article_fields(entry, extracted)
    if not fields["title"] and not fields["text"]:
        logger.info("entry_skipped url=%s reason=empty", entry.url)
        return None, False
    if page is not None and settings.NEWSHUB_KEEP_RAW_HTML:
        fields["raw_html"] = decode_html(page.body, page.charset)
    try:
        with transaction.atomic():
            article = Article.objects.create(
                outlet_id=feed.outlet_id,
                feed=feed,
                url=url[:2000],
                guid=(entry.guid or entry.url)[:2000],
                content_hash=content_hash(fields["text"]),
                **fields,
            )
    except IntegrityError:  # stored meanwhile by another worker
        return Article.objects.filter(url=url).order_by().first(), False
    return article, True


# --- later stages -------------------------------------------------------------------------------


def run_stage(
    path: str, item_id: int, transient: tuple[type[Exception], ...] = (), savepoint: bool = False
) -> None:
    """One stage on one article (or story). A failing stage is logged and the item stays; errors of the
    `transient` kinds are raised instead, for a driver that retries later. Inside a transaction, pass
    `savepoint` so that a failed stage's writes are undone and the transaction stays usable."""
    try:
        with transaction.atomic() if savepoint else nullcontext():
            import_string(path)(item_id)
    except transient:
        raise
    except Exception:
        logger.exception("stage_failed stage=%s id=%s", path, item_id)


def process_article(article_id: int) -> None:
    """Run the article stages on a stored article, in order, here and now."""
    for path in article_stages():
        run_stage(path, article_id)


def rebuild_story(story_id: int) -> bool:
    """Run STORY_STAGES on the story if it changed since they last ran; returns whether they ran.

    The story's row stays locked meanwhile (PostgreSQL), so two workers never rebuild one story at once;
    a change that lands meanwhile leaves the story due again (its revision moves past the one read here).
    """
    with transaction.atomic():
        revision = (
            Story.objects.select_for_update()
            .changed()
            .filter(pk=story_id)
            .values_list("revision", flat=True)
            .first()
        )
        if revision is None:
            return False
        for path in STORY_STAGES:
            run_stage(path, story_id, savepoint=True)
        Story.objects.filter(pk=story_id).update(refreshed_revision=revision, updated_at=timezone.now())
    return True


def stories_due() -> list[int]:
    """Stories that changed since STORY_STAGES last ran on them."""
    return list(Story.objects.changed().order_by("pk").values_list("pk", flat=True))


def rebuild_stories(story_ids: list[int]) -> int:
    """STORY_STAGES on those of the stories that are due; returns how many."""
    rebuilt = sum(rebuild_story(story_id) for story_id in story_ids)
    if rebuilt:
        logger.info("stories_rebuilt count=%d", rebuilt)
    return rebuilt


def rebuild_changed_stories() -> int:
    """STORY_STAGES on every story that changed since they last ran on it; returns how many."""
    return rebuild_stories(stories_due())


def finish_round() -> None:
    """Run ROUND_STAGES after new articles were processed here. A failing stage is logged. With a
    broker the workers own the stories state, and the scheduler runs these stages there."""
    if broker_configured():
        return
    for path in ROUND_STAGES:
        try:
            import_string(path)()
        except Exception:
            logger.exception("round_stage_failed stage=%s", path)


def dispatch_article(article_id: int) -> None:
    """Process a newly stored article: here, or on the workers once the row is committed."""
    if broker_configured():
        from newshub.tasks import enqueue_article

        transaction.on_commit(lambda: enqueue_article(article_id))
    else:
        process_article(article_id)


# --- drivers ------------------------------------------------------------------------------------


def ingest_entry(feed: Feed, entry: FeedEntry, fetcher: Fetcher) -> tuple[Article | None, bool]:
    page = fetch_page(entry.url, fetcher)
    article, created = store(feed, entry, extract(page), page)
    if created:
        dispatch_article(article.pk)
    return article, created


def poll_feed(feed_id: int, fetcher: Fetcher | None = None) -> FeedReport:
    """Poll one feed now and store its new articles; article pages are fetched one after another."""
    feed = Feed.objects.select_related("outlet").get(pk=feed_id)
    report = FeedReport(feed_id=feed.pk, url=feed.url)
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        try:
            poll = read_feed(feed.url, fetcher, etag=feed.etag, last_modified=feed.last_modified)
        except FetchError as error:
            record_failure(feed, error)
            report.error = error.message
            return report
        report.not_modified = poll.not_modified
        for entry in unseen_entries(feed, poll.entries)[: settings.NEWSHUB_MAX_ENTRIES_PER_POLL]:
            article, created = ingest_entry(feed, entry, fetcher)
            if created:
                report.new_articles += 1
                report.summary_only += article.summary_only
        # Only now: a poll interrupted halfway must not have saved an ETag that would make its
        # re-run see "not modified" and skip the entries it had not stored yet.
        record_success(feed, poll)
    finally:
        if own_fetcher:
            fetcher.close()
    logger.info(
        "feed_polled feed=%s new=%d summary_only=%d not_modified=%s",
        feed.pk,
        report.new_articles,
        report.summary_only,
        report.not_modified,
    )
    return report


def due_feeds() -> QuerySet[Feed]:
    return Feed.objects.filter(active=True, next_poll_at__lte=timezone.now()).order_by("next_poll_at")


def poll_feed_safely(feed_id: int, fetcher: Fetcher) -> FeedReport:
    """poll_feed for the drivers: an unexpected failure is logged and reported, and the next feed runs."""
    try:
        return poll_feed(feed_id, fetcher)
    except Exception:
        logger.exception("feed_crashed feed=%s", feed_id)
        return FeedReport(feed_id=feed_id, url="", error=INTERNAL_ERROR)


def _poll_in_thread(feed_id: int, fetcher: Fetcher) -> FeedReport:
    try:
        return poll_feed_safely(feed_id, fetcher)
    finally:
        connection.close()  # this thread's own connection


def run_due_feeds(
    fetcher: Fetcher | None = None,
    progress: Callable[[FeedReport], None] | None = None,
    feed_ids: list[int] | None = None,
    workers: int | None = None,
) -> RunReport:
    """Poll every due feed (or the given ones). Feeds run side by side on `workers` threads; the
    fetcher keeps each host to one request at a time, so this only overlaps different hosts.
    With a broker configured the polls are queued for the Celery workers instead."""
    ids = feed_ids if feed_ids is not None else list(due_feeds().values_list("pk", flat=True))
    if broker_configured():
        from newshub.tasks import enqueue_polls

        return RunReport(queued=enqueue_polls(ids))
    workers = workers or settings.NEWSHUB_INGEST_WORKERS
    run = RunReport()
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        if workers <= 1 or len(ids) <= 1:
            for feed_id in ids:
                report = poll_feed_safely(feed_id, fetcher)
                run.feeds.append(report)
                if progress:
                    progress(report)
        else:
            close_old_connections()
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ingest") as pool:
                for report in pool.map(lambda feed_id: _poll_in_thread(feed_id, fetcher), ids):
                    run.feeds.append(report)
                    if progress:
                        progress(report)
    finally:
        if own_fetcher:
            fetcher.close()
    if run.new_articles:
        finish_round()
    return run
