"""`newshub run` as a subprocess on a free port with its own NEWSHUB_HOME: e2e and browser tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

# Words only the loaded demo puts on the front page.
DEMO_MARKERS = ("Tarrow", "Continental Press Agency")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"newshub run exited early with {process.returncode}: {process.stdout.read()}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    pytest.fail(f"newshub run did not answer on {url} within {timeout}s")


def wait_for_demo(url: str, timeout: float = 120) -> str:
    """The demo loads while the site already answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = httpx.get(url).text
        if all(marker in page for marker in DEMO_MARKERS):
            return page
        time.sleep(0.5)
    pytest.fail("the demo did not appear on the front page")


class RunningSite:
    """The server process; a thread keeps everything it prints (`output`)."""

    def __init__(self, base: str, process: subprocess.Popen) -> None:
        self.base = base
        self.process = process
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for_output(self, text: str, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"newshub run never printed {text!r}: {self.output}")
            time.sleep(0.3)

    def stop(self, timeout: float = 180) -> None:
        """Ctrl-C, as a person would; waits for the clean shutdown."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        finally:
            self.reader.join(timeout=10)


def start_newshub_run(home: Path, port: int, extra_env: dict[str, str] | None = None) -> RunningSite:
    """A new installation (the demo loads into it) serving on 127.0.0.1:`port`."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newshub.settings",
        "NEWSHUB_HOME": str(home),
        "NEWSHUB_LOG_LEVEL": "WARNING",
        **(extra_env or {}),
    }
    env.pop("NEWSHUB_LOAD_DEMO", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "newshub", "run", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return RunningSite(base=f"http://127.0.0.1:{port}", process=process)


@contextmanager
def demo_site(home: Path) -> Iterator[RunningSite]:
    """`newshub run` with the whole demo loaded (every article through every stage), stopped at the end."""
    site = start_newshub_run(home, free_port())
    try:
        wait_until_up(site.base + "/health", site.process)
        site.wait_for_output("Demo loaded")
        yield site
    finally:
        site.stop()
