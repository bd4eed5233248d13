"""Waiting for the Celery workers to finish what is queued (tests, benchmarks, scripted loads)."""

from __future__ import annotations

import time

from newshub.ops.status import queue_depths


def tasks_on_workers(workers: int | None = None) -> int:
    """Tasks the workers are running, hold reserved, or will retry later (asked by broadcast; knowing
    how many `workers` answer saves waiting out the timeout)."""
    from newshub.celery import app

    inspect = app.control.inspect(timeout=1.0, limit=workers)
    replies = [inspect.active(), inspect.reserved(), inspect.scheduled()]
    return sum(len(tasks) for reply in replies for tasks in (reply or {}).values())


def wait_until_idle(
    timeout: float, workers: int | None = None, settle_checks: int = 2, interval: float = 0.2
) -> float | None:
    """The time.monotonic() at which queues and workers fell idle, once they stayed so for
    `settle_checks` checks in a row (a task is in flight between a queue and a worker for an
    instant); None if `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    idle_since: float | None = None
    idle_checks = 0
    while time.monotonic() < deadline:
        now = time.monotonic()
        busy = any(depth != 0 for depth in queue_depths().values()) or tasks_on_workers(workers) > 0
        if busy:
            idle_since, idle_checks = None, 0
        else:
            idle_since = idle_since or now
            idle_checks += 1
            if idle_checks >= settle_checks:
                return idle_since
        time.sleep(interval)
    return None
