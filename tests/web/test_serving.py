"""What `newshub run` does besides serving: static files collected only when needed, and the ingest loop."""

import socket
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from newshub.sources.models import Feed, Outlet
from newshub.web import serving

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>{base}/</link>
<item><title>Loop article</title><link>{base}/a</link><guid>a-1</guid>
<description>Summary.</description></item>
</channel></rss>"""


def test_static_files_are_collected_once_and_again_after_a_change(settings, tmp_path, monkeypatch):
    settings.STATIC_ROOT = tmp_path / "static"
    assert serving.collect_static_if_outdated() is True
    assert (tmp_path / "static" / "web" / "site.css").exists()
    assert serving.collect_static_if_outdated() is False
    monkeypatch.setattr(serving, "static_sources_fingerprint", lambda: "changed")
    assert serving.collect_static_if_outdated() is True
    assert (Path(settings.STATIC_ROOT) / serving.STAMP_NAME).read_text() == "changed"


def test_the_ingest_loop_polls_due_feeds_until_stopped(transactional_db, local_site):
    local_site.add("/feed.xml", RSS.format(base=local_site.base), content_type="application/rss+xml")
    local_site.add("/a", "<html><body><p>Not much of an article.</p></body></html>", content_type="text/html")
    outlet = Outlet.objects.create(name="Loop Outlet", slug="loop-outlet")
    feed = Feed.objects.create(outlet=outlet, url=local_site.url("/feed.xml"))
    loop = serving.IngestLoop(interval=0.1)
    loop.start()
    deadline = time.monotonic() + 20
    while not outlet.articles.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    loop.stop(timeout=10)
    assert not loop.is_alive()
    assert outlet.articles.get().title == "Loop article"
    feed.refresh_from_db()
    assert feed.last_success_at is not None


def test_the_demo_is_loaded_only_into_a_new_installation_that_wants_it(db, settings):
    settings.NEWSHUB_LOAD_DEMO = True
    assert serving.should_load_demo(no_demo_flag=False)
    assert not serving.should_load_demo(no_demo_flag=True)
    settings.NEWSHUB_LOAD_DEMO = False
    assert not serving.should_load_demo(no_demo_flag=False)
    settings.NEWSHUB_LOAD_DEMO = True
    Outlet.objects.create(name="Existing", slug="existing")
    assert not serving.should_load_demo(no_demo_flag=False)


def test_the_site_reaches_itself_on_loopback():
    assert serving.loopback_url("0.0.0.0", 8000) == "http://127.0.0.1:8000"
    assert serving.loopback_url("::", 8000) == "http://[::1]:8000"
    assert serving.loopback_url("127.0.0.1", 80) == "http://127.0.0.1:80"


def test_the_demo_is_served_by_newshub_only_if_it_accepts_its_own_host(settings):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
    assert serving.demo_sites_url("http://127.0.0.1:8000") == "http://127.0.0.1:8000/demo-sites"
    assert serving.demo_sites_url("http://[::1]:8000") == "http://[::1]:8000/demo-sites"
    settings.ALLOWED_HOSTS = ["news.example.org"]
    assert serving.demo_sites_url("http://127.0.0.1:8000") == ""


def test_run_explains_a_port_already_in_use(db):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(CommandError, match=f"cannot listen on 127.0.0.1:{port}"):
            call_command("run", port=port, no_demo=True, verbosity=0)


def test_the_demo_loader_reports_when_done_and_stops_between_feeds(transactional_db, live_server, settings):
    settings.NEWSHUB_ARTICLE_STAGES = []  # stories and claims are not what this test is about
    said: list[str] = []
    stopped = serving.DemoLoader(live_server.url, report_to=said.append)
    stopped.stopping.set()
    stopped.run()
    assert said == ["The demo is only partly loaded: `newshub demo` loads the rest."]
    assert not Outlet.objects.get(slug="continental-press").articles.exists()

    serving.DemoLoader(live_server.url, report_to=said.append).run()
    assert said[-1] == "Demo loaded: 7 outlets, 32 articles."
