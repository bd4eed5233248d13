"""Access to the real PostgreSQL, Redis and RabbitMQ servers on their standard local ports.

On a machine without them the tests that need them skip with the reason; with NEWSHUB_REQUIRE_SERVICES=1
(as in CI) a missing server fails the test instead, so a green CI run means they really ran.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

POSTGRES_ADMIN_URL = os.environ.get(
    "NEWSHUB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("NEWSHUB_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
RABBITMQ_URL = os.environ.get("NEWSHUB_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")


def require_server(name: str, host: str, port: int) -> None:
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError as error:
        reason = f"{name} is not reachable on {host}:{port} ({error}); start it to run this test"
        if os.environ.get("NEWSHUB_REQUIRE_SERVICES") == "1":
            pytest.fail(reason + " (NEWSHUB_REQUIRE_SERVICES=1)")
        pytest.skip(reason)


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards; yields its URL."""
    require_server("PostgreSQL", "127.0.0.1", 5432)
    from newshub.ops.sandbox import throwaway_postgres_database

    with throwaway_postgres_database(POSTGRES_ADMIN_URL, "newshub_test") as url:
        yield url
