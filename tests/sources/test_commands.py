"""`newshub sources ...` and `newshub ingest`, against a local site."""

import pytest
from django.core.management import CommandError, call_command

from newshub.ingest.models import Article
from newshub.sources.models import Feed, Outlet
from tests.ingest.pages import article_page, rss_feed

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_add_a_feed_url(local_site):
    url = local_site.add("/rss.xml", rss_feed([], title="Daily Example"), content_type="application/rss+xml")
    assert "added: feed" in run("sources", "add", url)
    feed = Feed.objects.get()
    assert feed.url == url and feed.outlet.name == "Daily Example" and feed.title == "Daily Example"
    assert feed.outlet.homepage == local_site.url("/")
    assert "already known" in run("sources", "add", url)


def test_add_a_home_page_finds_its_feed(local_site):
    feed_url = local_site.add("/feeds/main.xml", rss_feed([], title="Feed title"))
    home = local_site.add(
        "/",
        '<html><head><link rel="alternate" type="application/rss+xml" href="/feeds/main.xml"></head></html>',
        content_type="text/html",
    )
    run("sources", "add", home, "--outlet", "Home Page Times")
    feed = Feed.objects.get()
    assert feed.url == feed_url and feed.outlet.name == "Home Page Times" and feed.outlet.homepage == home


def test_add_a_page_without_feed_says_so(local_site):
    home = local_site.add(
        "/", "<html><head></head><body>No feeds here</body></html>", content_type="text/html"
    )
    with pytest.raises(CommandError, match="no feed found on this page"):
        run("sources", "add", home)
    with pytest.raises(CommandError, match="page not found"):
        run("sources", "add", local_site.url("/missing"))
    assert not Feed.objects.exists()


def test_opml_commands_and_list(tmp_path):
    exported = tmp_path / "out.opml"
    assert "feeds added" in run("sources", "starter")
    count = Feed.objects.count()
    assert count >= 25
    run("sources", "export-opml", str(exported))
    Feed.objects.all().delete()
    Outlet.objects.all().delete()
    assert f"{count} feeds added" in run("sources", "import-opml", str(exported))
    listing = run("sources", "list")
    assert "BBC News" in listing and "feeds.bbci.co.uk" in listing
    broken = tmp_path / "broken.opml"
    broken.write_text("<opml><body>")
    with pytest.raises(CommandError, match="not an OPML file"):
        run("sources", "import-opml", str(broken))


def test_import_ratings_reports_problems_cleanly(tmp_path):
    with pytest.raises(CommandError):
        run("sources", "import-ratings", str(tmp_path / "missing.csv"))


def test_ingest_once_polls_due_feeds(local_site):
    page = local_site.add("/news/one", article_page("Story one"), content_type="text/html")
    feed_url = local_site.add("/rss.xml", rss_feed([{"link": page, "title": "Story one"}]))
    run("sources", "add", feed_url, "--outlet", "Ingested")
    output = run("ingest", "--once")
    assert "1 feeds polled, 1 new articles, 0 feeds failed" in output
    assert Article.objects.get().title == "Story one"
    feed = Feed.objects.get()
    assert "0 new articles" in run("ingest", "--feed", str(feed.pk))
    with pytest.raises(CommandError, match="no feed with id 999"):
        run("ingest", "--feed", "999")
