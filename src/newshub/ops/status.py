"""What `newshub status` reports: queue depths on the broker, feed health, and what the store holds."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Max

from newshub.ingest.models import Article
from newshub.sources.models import Feed
from newshub.stories.models import Story

QUEUES = ("fetch", "process", "cluster")
FAILING_FEEDS_SHOWN = 10


@dataclass
class FailingFeed:
    url: str
    errors: int
    last_error: str
    last_success_at: datetime | None


@dataclass
class Status:
    broker: str
    queues: dict[str, int | None]  # None: the broker could not be asked
    active_feeds: int
    failing_feeds: int
    inactive_feeds: int
    articles: int
    stories: int
    stories_due: int  # changed since their fields and claim groups were last rebuilt (the next round)
    last_ingest_at: datetime | None
    failing: list[FailingFeed] = field(default_factory=list)

    def as_json(self) -> dict:
        return asdict(self)


def queue_depths(queues: tuple[str, ...] = QUEUES) -> dict[str, int | None]:
    """Messages waiting in each queue, asked of the broker (Redis or RabbitMQ) through kombu."""
    if not settings.NEWSHUB_BROKER_URL:
        return {}
    from kombu.exceptions import OperationalError

    from newshub.celery import app

    depths: dict[str, int | None] = {}
    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1)
            for queue in queues:
                depths[queue] = declared_depth(conn, queue)
    except (OperationalError, OSError):
        return dict.fromkeys(queues)
    return depths


def declared_depth(conn, queue: str) -> int:
    """A passive declare answers with the message count; a queue nobody declared yet is empty."""
    channel = conn.channel()
    try:
        return channel.queue_declare(queue=queue, passive=True).message_count
    except conn.channel_errors:
        return 0
    finally:
        with suppress(*conn.channel_errors):  # RabbitMQ closes it itself after a failed passive declare
            channel.close()


def broker_display(url: str) -> str:
    """The broker URL without its password."""
    if "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"


def gather_status() -> Status:
    active = Feed.objects.filter(active=True)
    failing = active.filter(error_count__gt=0)
    return Status(
        broker=broker_display(settings.NEWSHUB_BROKER_URL) or "none (in-process driver)",
        queues=queue_depths(),
        active_feeds=active.count(),
        failing_feeds=failing.count(),
        inactive_feeds=Feed.objects.filter(active=False).count(),
        articles=Article.objects.count(),
        stories=Story.objects.live().count(),
        stories_due=Story.objects.live().changed().count(),
        last_ingest_at=Article.objects.aggregate(last=Max("fetched_at"))["last"],
        failing=[
            FailingFeed(feed.url, feed.error_count, feed.last_error, feed.last_success_at)
            for feed in failing.order_by("-error_count", "url")[:FAILING_FEEDS_SHOWN]
        ],
    )
