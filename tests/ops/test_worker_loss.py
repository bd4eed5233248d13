"""A worker process killed in the middle of a poll loses nothing and duplicates nothing: the task was
acknowledged late, so it goes back on the queue, and its re-run stores only what was not stored yet and
queues each article for its stages exactly once."""

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from newshub.celery import app
from newshub.ingest.models import Article
from newshub.ops.dbcopy import register_database
from newshub.sources.models import Feed, Outlet
from newshub.tasks import FETCH_QUEUE, poll_feed
from tests.ingest.pages import article_page, rss_feed
from tests.ops.scaleout import BROKER_URL, empty_broker, newshub, process_env, queued, worker
from tests.services import fresh_postgres_database, require_server

pytestmark = [pytest.mark.services, pytest.mark.slow]

NAMES = ["harbour", "bridge", "stalled", "election", "vaccine"]


@pytest.fixture(autouse=True)
def own_databases(django_db_blocker):
    with django_db_blocker.unblock():
        yield


def pool_processes(parent: int) -> list[int]:
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    return [int(pid) for pid in children]


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def test_a_worker_killed_mid_poll_loses_and_duplicates_nothing(tmp_path, local_site):
    require_server("Redis", "127.0.0.1", 6379)
    stalled_once = threading.Event()

    def stall_the_first_time(handler) -> None:
        if not stalled_once.is_set():
            stalled_once.set()
            time.sleep(20)  # the worker is killed meanwhile
        body = article_page("Story stalled").encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    items = []
    for name in NAMES:
        page = article_page(f"Story {name}")
        if name == "stalled":
            url = local_site.add(f"/news/{name}", handler=stall_the_first_time)
        else:
            url = local_site.add(f"/news/{name}", page, content_type="text/html")
        items.append({"link": url, "guid": f"urn:{name}", "title": f"Story {name}", "description": name})
    feed_url = local_site.add("/feed.xml", rss_feed(items), content_type="application/rss+xml")

    with fresh_postgres_database() as postgres_url:
        env = process_env(tmp_path, postgres_url, BROKER_URL)
        newshub(env, "migrate")
        db = register_database("loss", postgres_url)
        outlet = Outlet.objects.using(db).create(name="Loss News", slug="loss-news")
        feed = Feed.objects.using(db).create(outlet=outlet, url=feed_url)
        empty_broker(BROKER_URL)
        app.conf.broker_url = BROKER_URL
        feeds = Feed.objects.using(db)
        with worker(env, "fetch", tmp_path / "worker.log") as process:
            poll_feed.apply_async((feed.pk,), queue=FETCH_QUEUE)
            wait_for(stalled_once.is_set, 120, "the poll to reach the stalled page")
            (killed,) = pool_processes(process.pid)
            os.kill(killed, signal.SIGKILL)
            wait_for(lambda: feeds.get(pk=feed.pk).last_success_at is not None, 120, "the poll's re-run")
            assert pool_processes(process.pid) != [killed]  # a new pool process did the re-run
        stored = dict(Article.objects.using(db).values_list("pk", "guid"))
        feed_state = feeds.get(pk=feed.pk)
        queued_articles = [args[0] for task, args in queued("process") if task == "newshub.tasks.run_stages"]
    assert sorted(stored.values()) == sorted(f"urn:{name}" for name in NAMES)
    assert feed_state.error_count == 0
    assert sorted(queued_articles) == sorted(stored)  # each article queued for its stages exactly once
