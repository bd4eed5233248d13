"""Per-host politeness shared through the database: one request at a time per host, and the pause after
it, whichever worker (here: throttle object on its own thread and connection) asks."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from newshub.ingest.models import HostTurn
from newshub.ingest.throttle import DatabaseHostThrottle, HostThrottle, host_throttle

PAUSE, REQUEST = 0.3, 0.1


def take_turns(throttles: list, host: str) -> tuple[list[bool], float]:
    in_flight, overlaps = [], []

    def request(throttle) -> None:
        try:
            with throttle.turn(host):
                overlaps.append(bool(in_flight))
                in_flight.append(1)
                time.sleep(REQUEST)
                in_flight.pop()
        finally:
            connection.close()  # this thread's own

    started = time.monotonic()
    threads = [threading.Thread(target=request, args=(throttle,)) for throttle in throttles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return overlaps, time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_workers_share_a_host_through_the_database():
    first, second = DatabaseHostThrottle(PAUSE), DatabaseHostThrottle(PAUSE)
    overlaps, elapsed = take_turns([first, second, first], "slow.example")
    assert overlaps == [False, False, False]
    assert elapsed >= 3 * REQUEST + 2 * PAUSE
    turn = HostTurn.objects.get(host="slow.example")
    assert turn.holder == "" and turn.free_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_dead_holder_frees_the_host_after_the_lock_timeout():
    HostTurn.objects.create(  # a worker took the host, then vanished
        host="crashed.example", holder="dead-worker", held_until=timezone.now() + timedelta(seconds=0.5)
    )
    started = time.monotonic()
    with DatabaseHostThrottle(0.0, lock_timeout=0.5).turn("crashed.example"):
        waited = time.monotonic() - started
    assert 0.3 <= waited < 5


def test_the_throttle_follows_the_deployment(settings):
    settings.NEWSHUB_BROKER_URL, settings.REDIS_URL = "", ""
    assert type(host_throttle(1.0)) is HostThrottle
    settings.NEWSHUB_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"
    assert type(host_throttle(1.0)) is DatabaseHostThrottle
