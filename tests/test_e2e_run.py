"""End to end: `newshub run` on a new installation serves the demo, and stops cleanly on Ctrl-C."""

import os
import re
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

pytestmark = pytest.mark.slow


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
        if "Tarrow" in page and "Continental Press Agency" in page:
            return page
        time.sleep(0.5)
    pytest.fail("the demo did not appear on the front page")


def test_newshub_run_serves_the_demo_and_stops_cleanly(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newshub.settings",
        "NEWSHUB_HOME": str(tmp_path),
        "NEWSHUB_LOG_LEVEL": "WARNING",
    }
    env.pop("NEWSHUB_LOAD_DEMO", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "newshub", "run", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/health", process)
        front = wait_for_demo(base + "/")
        article_path = re.search(r'href="(/articles/\d+/)"', front).group(1)
        article = httpx.get(base + article_path).text
        source = re.search(r'href="([^"]+)" rel="noopener noreferrer">Read at', article).group(1)
        assert source.startswith(base + "/demo-sites/")  # the demo outlets live on in Newshub itself
        assert httpx.get(source).status_code == 200
        stylesheet = re.search(r'href="(/static/web/site\.[0-9a-f]{12}\.css)"', front).group(1)
        css = httpx.get(base + stylesheet, headers={"Accept-Encoding": "gzip"})
        assert css.status_code == 200
        assert "immutable" in css.headers["cache-control"]  # hashed names are cached for good
        assert css.headers["content-encoding"] == "gzip"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=180)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert process.returncode == 0, output
    assert f"http://127.0.0.1:{port}/" in output
    assert "Newshub stopped." in output
    assert "Traceback" not in output
