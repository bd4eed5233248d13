"""Celery tasks: the pipeline's stages on workers, calling the same plain functions as `newshub run`.

    poll_feed(feed_id)                      fetch queue: poll, fetch pages, extract, store (newshub.pipeline)
    run_stages(article_id, stages, queue)   process queue: the article stages (claims, ...);
                                            cluster queue: the stories stage, on its single consumer

A stored article goes to the `process` queue, which runs the stages in order. The stories stage keeps
its clustering state in the memory of the process running it (rebuilt from the database at start), so
it runs on the `cluster` queue, served by exactly one worker process with concurrency 1: one mind
decides story membership, and no two workers can open two stories for one event. The process queue
does that stage's costly preparation (entity recognition, stored on the article) beforehand, so the
single consumer only decides. What is derived from a whole story (its summary fields, its claim groups)
is rebuilt once per round by `finish_round`, the pipeline's ROUND_STAGES as one chain of tasks, which the
scheduler starts every minute; a story being rebuilt is locked (newshub.pipeline.rebuild_story).

Every task is idempotent, acknowledged late and requeued when its worker dies (see the Celery block in
settings), and retried with exponential backoff on transient errors.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import chain
from celery.signals import task_postrun, task_prerun, worker_process_init
from django.db import InterfaceError, OperationalError, close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from newshub import pipeline
from newshub.celery import app
from newshub.ingest.fetcher import TIMED_OUT, Fetcher
from newshub.ingest.models import Article
from newshub.sources.models import Feed

logger = logging.getLogger(__name__)

FETCH_QUEUE, PROCESS_QUEUE, CLUSTER_QUEUE = "fetch", "process", "cluster"
STORIES_STAGE = "newshub.stories.stage.assign_story"
# Stages whose state lives in their process's memory: they run on the single `cluster` consumer.
SERIAL_STAGES = {STORIES_STAGE, "newshub.stories.stage.merge_pass"}

# Database hiccups (a restart, a failover, too many connections) and a lost Redis pass; retry later.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
RETRY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 2,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 10,
}
# A feed that timed out is tried again a few times (after 10 s, 20 s, 40 s) before it waits for its
# next poll, itself pushed back further after each failure (pipeline.next_poll_delay).
FEED_TIMEOUT_RETRIES = 3
FEED_TIMEOUT_FIRST_RETRY = 10
# Queued polls are not queued again for this long, even if the workers are slow to reach them.
POLL_LEASE = timedelta(minutes=10)
# Articles stored this long ago (but not longer than the window) and still in no story are queued again
# when the queues are empty: their worker died between storing them and queuing them.
REQUEUE_AFTER = timedelta(minutes=10)
REQUEUE_WINDOW = timedelta(hours=6)

REBUILD_STAGE = "newshub.pipeline.rebuild_changed_stories"
# Stories per rebuild task: small enough to share a round's rebuilds among workers, large enough that a
# task's own overhead (a message, a lock per story anyway) stays small.
REBUILD_BATCH = 10

# Set by `newshub worker` for workers serving the process or cluster queue.
WARM_UP_SETTING = "newshub_warm_up"

_fetcher: Fetcher | None = None


def worker_fetcher() -> Fetcher:
    """One fetcher per worker process: its connection pool and robots.txt cache outlive a task."""
    global _fetcher
    if _fetcher is None:
        _fetcher = Fetcher()
    return _fetcher


def warm_up_models() -> None:
    """Load the spaCy pipelines of the article stages now, so a worker's first articles are not slow."""
    from newshub.claims.extract import extract_claims
    from newshub.stories.features import entity_input, extract_entities

    list(extract_entities([entity_input("Warm-up", "The council in Kavna said the river rose.")]))
    extract_claims('"The river rose," the council said.')


@worker_process_init.connect
def warm_up_pool_process(**_signal) -> None:
    if app.conf.get(WARM_UP_SETTING):
        warm_up_models()


@task_prerun.connect
@task_postrun.connect
def drop_stale_connections(**_signal) -> None:
    """A task boundary is like a request's: broken or expired database connections go (the settings
    keep Celery from closing sound ones, which would cost a new PostgreSQL backend per task)."""
    close_old_connections()


# --- fetch queue --------------------------------------------------------------------------------


def enqueue_polls(feed_ids: list[int]) -> int:
    """Queue a poll of each feed; returns how many. They are leased first, so the scheduler's next
    round does not queue them again while they wait."""
    Feed.objects.filter(pk__in=feed_ids).update(next_poll_at=timezone.now() + POLL_LEASE)
    for feed_id in feed_ids:
        poll_feed.apply_async((feed_id,), queue=FETCH_QUEUE)
    logger.info("polls_queued feeds=%d", len(feed_ids))
    return len(feed_ids)


@app.task(bind=True, name="newshub.tasks.poll_feed", **RETRY)
def poll_feed(self, feed_id: int) -> None:
    try:
        report = pipeline.poll_feed(feed_id, worker_fetcher())
    except Feed.DoesNotExist:
        logger.info("poll_skipped feed=%s reason=missing", feed_id)
        return
    if report.error == TIMED_OUT and self.request.retries < FEED_TIMEOUT_RETRIES:
        raise self.retry(countdown=FEED_TIMEOUT_FIRST_RETRY * 2**self.request.retries)


@app.task(name="newshub.tasks.poll_due_feeds", **RETRY)
def poll_due_feeds() -> int:
    """The scheduler's minute: every due feed's poll goes on the fetch queue."""
    return pipeline.run_due_feeds().queued


# --- process and cluster queues -----------------------------------------------------------------


def stage_queue(stage: str) -> str:
    return CLUSTER_QUEUE if stage in SERIAL_STAGES else PROCESS_QUEUE


def enqueue_article(article_id: int) -> None:
    """Send a stored article through the article stages (pipeline.dispatch_article calls this)."""
    stages = pipeline.article_stages()
    if stages:
        run_stages.apply_async((article_id, list(stages), PROCESS_QUEUE), queue=PROCESS_QUEUE)


@app.task(name="newshub.tasks.run_stages", **RETRY)
def run_stages(article_id: int, stages: list[str], queue: str = PROCESS_QUEUE) -> None:
    """Run the stages that belong on this queue, in order; hand the rest on to the next queue."""
    remaining = list(stages)
    while remaining:
        stage = remaining[0]
        if stage_queue(stage) != queue:
            if queue == PROCESS_QUEUE:
                prepare(stage, article_id)
            run_stages.apply_async((article_id, remaining, stage_queue(stage)), queue=stage_queue(stage))
            return
        pipeline.run_stage(stage, article_id, transient=TRANSIENT_ERRORS)
        remaining.pop(0)


def prepare(stage: str, article_id: int) -> None:
    """The part of a serial stage that any worker can do: for stories, entity recognition."""
    if stage == STORIES_STAGE:
        store_story_features(article_id)


def store_story_features(article_id: int) -> None:
    """Store the article's entities as the stories stage computes them, so it need not run spaCy."""
    from newshub.stories.stage import article_record

    article = Article.objects.select_related("outlet").filter(pk=article_id).first()
    if article is None or article.story_id is not None or article.entities:
        return
    article_record(article)  # fills article.entities
    if article.entities:
        Article.objects.filter(pk=article_id, story__isnull=True).update(entities=article.entities)


# --- housekeeping (newshub scheduler) -----------------------------------------------------------


@app.task(name="newshub.tasks.finish_round", **RETRY)
def finish_round() -> None:
    """The scheduler's round: the pipeline's ROUND_STAGES in order, each on its queue (merging stories on
    the cluster queue, where the stories state lives), each starting when the one before has finished.
    The story rebuilds are spread over the process queue, so every processing worker takes a share; the
    stage after them is queued behind them."""
    chain(
        spread_rebuilds.si().set(queue=PROCESS_QUEUE)
        if path == REBUILD_STAGE
        else run_round_stage.si(path).set(queue=stage_queue(path))
        for path in pipeline.ROUND_STAGES
    ).apply_async()


@app.task(name="newshub.tasks.spread_rebuilds", **RETRY)
def spread_rebuilds() -> int:
    """Queue the stories due for a rebuild, a few per task; returns how many tasks."""
    due = pipeline.stories_due()
    batches = [due[start : start + REBUILD_BATCH] for start in range(0, len(due), REBUILD_BATCH)]
    for batch in batches:
        rebuild_stories.apply_async((batch,), queue=PROCESS_QUEUE)
    return len(batches)


@app.task(name="newshub.tasks.rebuild_stories", **RETRY)
def rebuild_stories(story_ids: list[int]) -> None:
    pipeline.rebuild_stories(story_ids)


@app.task(name="newshub.tasks.run_round_stage", **RETRY)
def run_round_stage(path: str) -> None:
    import_string(path)()


@app.task(name="newshub.tasks.requeue_unplaced_articles", **RETRY)
def requeue_unplaced_articles() -> int:
    """Queue the article stages again for recent articles that are in no story, once the process and
    cluster queues are empty (so none is merely waiting its turn). Returns how many."""
    from newshub.ops.status import queue_depths

    depths = queue_depths((PROCESS_QUEUE, CLUSTER_QUEUE))
    if any(depth != 0 for depth in depths.values()):
        return 0
    now = timezone.now()
    stalled = Article.objects.filter(
        story__isnull=True, fetched_at__range=(now - REQUEUE_WINDOW, now - REQUEUE_AFTER)
    ).values_list("pk", flat=True)
    count = 0
    for article_id in stalled.iterator():
        enqueue_article(article_id)
        count += 1
    if count:
        logger.info("articles_requeued count=%d", count)
    return count


@app.task(name="newshub.tasks.purge_comment_data", **RETRY)
def purge_comment_data() -> dict:
    from newshub.comments.services import purge_old_comment_data

    return purge_old_comment_data()
