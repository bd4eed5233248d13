"""End to end: `newshub run` on a new installation serves the demo, and stops cleanly on Ctrl-C."""

import re

import httpx
import pytest

from tests.running import free_port, start_newshub_run, wait_for_demo, wait_until_up

pytestmark = pytest.mark.slow


def test_newshub_run_serves_the_demo_and_stops_cleanly(tmp_path):
    port = free_port()
    site = start_newshub_run(tmp_path, port)
    process, base = site.process, site.base
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
        site.stop()
    output = site.output
    assert process.returncode == 0, output
    assert f"http://127.0.0.1:{port}/" in output
    assert "Newshub stopped." in output
    assert "Traceback" not in output
