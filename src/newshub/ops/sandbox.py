"""Throwaway servers' worth of state for tests and benchmarks: a fresh PostgreSQL database, and
`newshub worker` subprocesses stopped warmly."""

from __future__ import annotations

import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

NEWSHUB = str(Path(sys.executable).with_name("newshub"))


@contextmanager
def throwaway_postgres_database(admin_url: str, prefix: str = "newshub_tmp") -> Iterator[str]:
    """A new, empty database beside `admin_url`'s, dropped afterwards; yields its URL."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def worker_process(
    env: dict[str, str], queues: str, log: Path, loglevel: str = "warning", pool: str = "prefork"
) -> Iterator[subprocess.Popen]:
    """A `newshub worker` subprocess (one pool process) logging to `log`; SIGTERM (warm) at the end."""
    command = [NEWSHUB, "worker", "--queues", queues, "--pool", pool, "--loglevel", loglevel]
    if pool != "solo":
        command += ["--concurrency", "1"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
