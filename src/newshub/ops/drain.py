"""Waiting for the Celery workers to finish what is queued (tests, benchmarks, scripted loads)."""

from __future__ import annotations

import time

from newshub.ops.status import queue_depths


def tasks_on_workers() -> int:
    """Tasks the workers are running, hold reserved, or will retry later (asked by broadcast)."""
    from newshub.celery import app

    inspect = app.control.inspect(timeout=1.0)
    replies = [inspect.active(), inspect.reserved(), inspect.scheduled()]
    return sum(len(tasks) for reply in replies for tasks in (reply or {}).values())


def pipeline_idle() -> bool:
    depths = queue_depths()
    return all(depth == 0 for depth in depths.values()) and tasks_on_workers() == 0


def wait_until_idle(timeout: float, settle_checks: int = 2, interval: float = 0.5) -> bool:
    """True once queues and workers were idle on `settle_checks` checks in a row (a task can be in
    flight between a queue and a worker for an instant); False if `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    idle_checks = 0
    while time.monotonic() < deadline:
        idle_checks = idle_checks + 1 if pipeline_idle() else 0
        if idle_checks >= settle_checks:
            return True
        time.sleep(interval)
    return False
