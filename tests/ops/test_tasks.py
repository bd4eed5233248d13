"""The Celery driver against a real Redis broker: what is queued where, and the shared host politeness."""

import json
import threading
import time
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from newshub import pipeline
from newshub.celery import app
from newshub.ingest.models import Article
from newshub.ingest.throttle import SharedHostThrottle
from newshub.sources.models import Feed, Outlet
from newshub.stories.models import Story
from newshub.tasks import STORIES_STAGE, requeue_unplaced_articles, run_stages
from tests.ops.scaleout import BROKER_URL, empty_broker, queued
from tests.services import require_server
from tests.test_pipeline import rss_feed, serve_articles

pytestmark = [pytest.mark.services, pytest.mark.django_db]

calls: list[int] = []


def record_stage(article_id: int) -> None:
    calls.append(article_id)


@pytest.fixture
def broker(settings):
    require_server("Redis", "127.0.0.1", 6379)
    empty_broker(BROKER_URL)
    settings.NEWSHUB_BROKER_URL = BROKER_URL
    app.conf.broker_url = BROKER_URL  # for the rest of the session: nothing else here sends tasks
    yield
    empty_broker(BROKER_URL)


@pytest.fixture
def feed(local_site):
    outlet = Outlet.objects.create(name="Queued", slug="queued")
    url = local_site.add("/feed.xml", rss_feed(serve_articles(local_site, ["one"])))
    return Feed.objects.create(outlet=outlet, url=url, next_poll_at=timezone.now())


def test_with_a_broker_due_feeds_are_queued_and_leased_not_polled(broker, feed, local_site):
    report = pipeline.run_due_feeds()
    assert report.queued == 1 and report.feeds == []
    assert queued("fetch") == [("newshub.tasks.poll_feed", [feed.pk])]
    feed.refresh_from_db()
    assert feed.last_polled_at is None and feed.next_poll_at > timezone.now() + timedelta(minutes=5)
    assert local_site.requests == []
    assert pipeline.run_due_feeds().queued == 0  # leased: not queued twice


def test_with_a_broker_new_articles_are_queued_for_the_article_stages(
    broker, feed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert pipeline.poll_feed(feed.pk).new_articles == 1
    article = Article.objects.get()
    assert article.story_id is None  # not processed here
    assert queued("process") == [
        ("newshub.tasks.run_stages", [article.pk, pipeline.article_stages(), "process"])
    ]


def test_stages_run_on_their_queue_and_the_stories_stage_goes_to_the_single_cluster_consumer(broker, feed):
    with_stages = ["tests.ops.test_tasks.record_stage", STORIES_STAGE, "tests.ops.test_tasks.record_stage"]
    article = _stored_article(feed)
    calls.clear()

    run_stages(article.pk, with_stages, "process")
    assert calls == [article.pk]
    article.refresh_from_db()
    assert article.entities and article.story_id is None  # prepared, not placed
    handed = queued("cluster")
    assert handed == [("newshub.tasks.run_stages", [article.pk, with_stages[1:], "cluster"])]

    run_stages(*handed[0][1])
    article.refresh_from_db()
    assert article.story_id is not None and calls == [article.pk]
    assert queued("process") == [("newshub.tasks.run_stages", [article.pk, with_stages[2:], "process"])]


def _stored_article(feed: Feed) -> Article:
    return Article.objects.create(
        outlet=feed.outlet,
        feed=feed,
        url=f"https://queued.example/{uuid.uuid4().hex}",
        title="Marovia floods: river Sarnen bursts its banks in Kavna",
        text="Floods in the Sarnen valley of Marovia forced hundreds from their homes in Kavna on Friday. "
        * 5,
        published_at=timezone.now(),
    )


def test_hosts_are_shared_between_throttles_of_different_processes(broker):
    host = f"{uuid.uuid4().hex}.example"
    first, second = SharedHostThrottle(0.3, BROKER_URL), SharedHostThrottle(0.3, BROKER_URL)
    in_flight, overlaps = [], []

    def request(throttle: SharedHostThrottle) -> None:
        with throttle.turn(host):
            overlaps.append(bool(in_flight))
            in_flight.append(1)
            time.sleep(0.1)
            in_flight.pop()

    started = time.monotonic()
    threads = [threading.Thread(target=request, args=(throttle,)) for throttle in (first, second, first)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == [False, False, False]  # one request at a time
    assert time.monotonic() - started >= 3 * 0.1 + 2 * 0.3  # and the pause between them


def test_the_cluster_queue_gets_one_process(broker):
    with pytest.raises(CommandError, match="single process"):
        call_command("worker", queues="fetch,cluster", concurrency=2)
    with pytest.raises(CommandError, match="unknown queue"):
        call_command("worker", queues="fetch,stories")


def test_worker_and_scheduler_need_a_broker(settings):
    settings.NEWSHUB_BROKER_URL = ""
    for command in ("worker", "scheduler"):
        with pytest.raises(CommandError, match="NEWSHUB_BROKER_URL"):
            call_command(command)


def test_status_shows_queue_depths_and_failing_feeds(broker, feed):
    Feed.objects.filter(pk=feed.pk).update(error_count=3, last_error="timed out")
    Story.objects.create(title="Floods", article_count=1, revision=1)  # placed, not yet rebuilt
    pipeline.run_due_feeds(feed_ids=[feed.pk])
    output = StringIO()
    call_command("status", "--json", stdout=output)
    status = json.loads(output.getvalue())
    assert status["queues"] == {"fetch": 1, "process": 0, "cluster": 0}
    assert status["failing_feeds"] == 1 and status["failing"][0]["last_error"] == "timed out"
    assert status["stories"] == status["stories_due"] == 1
    call_command("status", stdout=StringIO())  # the tables render


def test_articles_left_out_of_the_queues_are_queued_again_once_the_queues_are_empty(broker, feed):
    lost = _stored_article(feed)
    _stored_article(feed)  # just stored: its stages are surely still queued or running
    Article.objects.filter(pk=lost.pk).update(fetched_at=timezone.now() - timedelta(minutes=30))
    assert requeue_unplaced_articles() == 1
    assert requeue_unplaced_articles() == 0  # it is waiting in the queue now
    assert queued("process") == [
        ("newshub.tasks.run_stages", [lost.pk, pipeline.article_stages(), "process"])
    ]


def test_a_rounds_story_rebuilds_are_spread_over_the_process_queue(broker):
    from newshub.stories.models import Story
    from newshub.tasks import REBUILD_BATCH, spread_rebuilds

    due = [Story.objects.create(title=f"Story {n}", revision=1).pk for n in range(REBUILD_BATCH + 3)]
    Story.objects.create(title="Rebuilt already", revision=1, refreshed_revision=1)
    assert spread_rebuilds() == 2
    batches = queued("process")
    assert batches == [
        ("newshub.tasks.rebuild_stories", [due[:REBUILD_BATCH]]),
        ("newshub.tasks.rebuild_stories", [due[REBUILD_BATCH:]]),
    ]
    assert pipeline.rebuild_stories(batches[1][1][0]) == 3  # what a worker taking the second task does
    assert Story.objects.changed().count() == REBUILD_BATCH
