"""The pipeline end to end against a local site: poll → fetch → extract → store, and every way a feed
or a page can go wrong without losing what was stored."""

import gzip
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from newshub import pipeline
from newshub.claims.models import ClaimGroup
from newshub.ingest.fetcher import Fetcher
from newshub.ingest.models import Article
from newshub.pipeline import poll_feed, run_due_feeds
from newshub.sources.models import Feed, Outlet
from newshub.stories.models import Story
from tests.ingest.pages import article_page, rss_feed

pytestmark = pytest.mark.django_db

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>"""


@pytest.fixture
def outlet():
    return Outlet.objects.create(name="Example News", slug="example-news")


def make_feed(outlet, url, **fields) -> Feed:
    return Feed.objects.create(outlet=outlet, url=url, **fields)


def serve_articles(site, names: list[str], **page_options) -> list[dict]:
    """Serve one article page per name; return the feed items pointing at them."""
    items = []
    for name in names:
        url = site.add(
            f"/news/{name}", article_page(f"Story {name}", **page_options), content_type="text/html"
        )
        items.append(
            {"link": url, "guid": f"urn:{name}", "title": f"Story {name}", "description": f"About {name}"}
        )
    return items


def test_poll_stores_new_articles_once(local_site, outlet):
    items = serve_articles(local_site, ["one", "two"])
    feed_url = local_site.add(
        "/feed.xml", rss_feed(items), content_type="application/rss+xml", headers={"ETag": '"abc"'}
    )
    feed = make_feed(outlet, feed_url)

    report = poll_feed(feed.pk)
    assert (report.new_articles, report.summary_only, report.error) == (2, 0, "")
    article = Article.objects.get(url=items[0]["link"])
    assert article.title == "Story one" and article.outlet == outlet and article.feed == feed
    assert article.text.startswith("The city council voted") and not article.summary_only
    assert article.guid == "urn:one" and article.authors == ["Ada Reporter"]
    assert len(article.content_hash) == 64 and article.language == "en"
    assert article.raw_html == ""  # not kept unless NEWSHUB_KEEP_RAW_HTML
    feed.refresh_from_db()
    assert feed.etag == '"abc"' and feed.last_status == 200 and feed.kind == "rss"
    assert feed.title == "Example News" and feed.next_poll_at > timezone.now()

    assert poll_feed(feed.pk).new_articles == 0  # nothing new the second time
    assert Article.objects.count() == 2


def test_not_modified_feed_is_not_parsed_again(local_site, outlet):
    def handler(request):
        if request.headers.get("If-None-Match") == '"v1"':
            request.send_response(304)
            request.end_headers()
            return
        body = rss_feed([]).encode()
        request.send_response(200)
        request.send_header("ETag", '"v1"')
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    feed = make_feed(outlet, local_site.add("/feed.xml", handler=handler))
    assert not poll_feed(feed.pk).not_modified
    assert poll_feed(feed.pk).not_modified
    feed.refresh_from_db()
    assert feed.last_status == 304 and feed.etag == '"v1"'


def test_the_same_article_is_never_stored_twice(local_site, outlet):
    canonical = local_site.url("/news/shared")
    local_site.add(
        "/news/shared", article_page("Shared story", canonical=canonical), content_type="text/html"
    )
    local_site.add(
        "/news/shared?utm_source=rss",
        article_page("Shared story", canonical=canonical),
        content_type="text/html",
    )
    first = make_feed(outlet, local_site.add("/a.xml", rss_feed([{"link": canonical, "guid": "urn:a"}])))
    second_items = [{"link": canonical + "?utm_source=rss", "guid": "urn:b"}]
    second = make_feed(outlet, local_site.add("/b.xml", rss_feed(second_items)))
    other_outlet = Outlet.objects.create(name="Other", slug="other")
    third = make_feed(other_outlet, local_site.add("/c.xml", rss_feed([{"link": canonical}])))

    reports = [poll_feed(feed.pk) for feed in (first, second, third)]
    assert [report.new_articles for report in reports] == [1, 0, 0]
    assert Article.objects.filter(url=canonical).count() == 1
    assert Article.objects.count() == 1
    stored = Article.objects.get()
    assert pipeline.store(first, pipeline.FeedEntry(url=canonical), None) == (stored, False)


def test_duplicate_guids_in_a_feed_are_stored_once(local_site, outlet):
    items = serve_articles(local_site, ["first", "second"])
    items[1]["guid"] = items[0]["guid"]
    feed = make_feed(outlet, local_site.add("/feed.xml", rss_feed(items)))
    assert poll_feed(feed.pk).new_articles == 1


def test_failed_pages_keep_the_feed_summary(local_site, outlet):
    not_article = local_site.add("/news/index", "<html><body><a href='/x'>x</a></body></html>")
    huge = local_site.add("/news/huge", b"<html>" + b" " * (12 * 1024 * 1024), content_type="text/html")
    pdf = local_site.add("/news/report.pdf", b"%PDF-1.7", content_type="application/pdf")
    items = [
        {"link": not_article, "title": "An index", "description": "Index summary"},
        {"link": huge, "title": "Huge", "description": "Huge summary"},
        {"link": pdf, "title": "Report", "description": "Report summary"},
        {"link": local_site.url("/news/missing"), "title": "Gone", "description": "Gone summary"},
    ]
    feed = make_feed(outlet, local_site.add("/feed.xml", rss_feed(items)))
    report = poll_feed(feed.pk)
    assert (report.new_articles, report.summary_only, report.error) == (4, 4, "")
    huge_article = Article.objects.get(url=huge)
    assert huge_article.summary_only and huge_article.lead == "Huge summary" and huge_article.title == "Huge"


def test_failing_feed_backs_off_and_keeps_its_articles(local_site, outlet):
    items = serve_articles(local_site, ["kept"])
    feed = make_feed(outlet, local_site.add("/feed.xml", rss_feed(items)), poll_interval=600)
    assert poll_feed(feed.pk).new_articles == 1

    local_site.add("/feed.xml", status=500)
    delays = []
    for _ in range(3):
        before = timezone.now()
        assert poll_feed(feed.pk).error == "server error (500)"
        feed.refresh_from_db()
        delays.append(round((feed.next_poll_at - before).total_seconds() / 600))
    assert delays == [2, 4, 8]
    assert feed.error_count == 3 and feed.last_error == "server error (500)" and feed.last_status == 500
    assert Article.objects.filter(feed=feed).count() == 1

    local_site.add("/feed.xml", rss_feed(items))
    assert poll_feed(feed.pk).error == ""
    feed.refresh_from_db()
    assert (feed.error_count, feed.last_error) == (0, "")
    assert feed.next_poll_at - timezone.now() <= timedelta(seconds=600)


def test_backoff_is_capped_at_a_day(outlet):
    feed = Feed(outlet=outlet, url="https://example.org/feed", poll_interval=3600, error_count=30)
    assert pipeline.next_poll_delay(feed, None) == timedelta(days=1)
    assert pipeline.next_poll_delay(feed, 3 * 86400) == timedelta(days=3)


def test_retry_after_pushes_the_next_poll_back(local_site, outlet):
    url = local_site.add("/feed.xml", status=429, headers={"Retry-After": "7200"})
    feed = make_feed(outlet, url, poll_interval=60)
    assert poll_feed(feed.pk).error == "too many requests (429)"
    feed.refresh_from_db()
    assert feed.next_poll_at - timezone.now() > timedelta(seconds=7100)


def test_malformed_feed_stores_its_good_entries(local_site, outlet):
    [item] = serve_articles(local_site, ["survivor"])
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title>'
        f"<item><title>Survivor</title><link>{item['link']}</link></item>"
        "<item><title>Cut & off</title><link>"
    )
    feed = make_feed(outlet, local_site.add("/feed.xml", body))
    report = poll_feed(feed.pk)
    assert (report.new_articles, report.error) == (1, "")


BOMB = gzip.compress(b" " * (40 * 1024 * 1024))


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ({"body": "<html><body>Just a page</body></html>"}, "not a feed (no RSS, Atom or sitemap found)"),
        ({"body": BOMB, "headers": {"Content-Encoding": "gzip"}}, "response body too large"),
        ({"status": 301, "headers": {"Location": "/feed.xml"}}, "redirect loop"),
    ],
)  # fmt: skip
def test_bad_feeds_are_named_on_the_feed(local_site, outlet, route, message):
    feed = make_feed(outlet, local_site.add("/feed.xml", **route))
    assert poll_feed(feed.pk).error == message
    feed.refresh_from_db()
    assert feed.last_error == message and feed.error_count == 1


def test_host_that_never_answers(local_site, outlet):
    feed = make_feed(outlet, local_site.add("/feed.xml", handler=lambda request: time.sleep(3)))
    local_site.add("/robots.txt", "")
    with Fetcher(allow_private_networks=True, min_host_delay=0, timeout=0.5) as fetcher:
        assert poll_feed(feed.pk, fetcher=fetcher).error == "timed out"


def test_private_address_refused_for_feeds(local_site, outlet):
    feed = make_feed(outlet, local_site.add("/feed.xml", rss_feed([])).replace("127.0.0.1", "localhost"))
    with Fetcher(allow_private_networks=False) as fetcher:
        assert poll_feed(feed.pk, fetcher=fetcher).error == "private network address refused"
    assert local_site.requests == []


def test_feed_with_ten_thousand_entries_stores_only_the_newest(local_site, outlet, settings):
    settings.NEWSHUB_MAX_ENTRIES_PER_POLL = 3
    items = [
        {"link": local_site.url(f"/news/{n}"), "guid": f"urn:{n}", "title": f"T{n}"} for n in range(10_000)
    ]
    serve_articles(local_site, ["0", "1", "2"])
    feed = make_feed(outlet, local_site.add("/feed.xml", rss_feed(items)))
    report = poll_feed(feed.pk)
    assert (report.new_articles, report.summary_only) == (3, 0)
    assert sorted(Article.objects.values_list("guid", flat=True)) == ["urn:0", "urn:1", "urn:2"]


def test_news_sitemap_as_a_feed(local_site, outlet):
    items = serve_articles(local_site, ["mapped"])
    urls = f"<url><loc>{items[0]['link']}</loc><news:news><news:title>Mapped</news:title></news:news></url>"
    feed = make_feed(outlet, local_site.add("/sitemap.xml", SITEMAP.format(urls=urls)))
    assert poll_feed(feed.pk).new_articles == 1
    feed.refresh_from_db()
    assert feed.kind == "sitemap"


def test_raw_html_is_kept_only_when_asked(local_site, outlet, settings):
    settings.NEWSHUB_KEEP_RAW_HTML = True
    feed = make_feed(outlet, local_site.add("/feed.xml", rss_feed(serve_articles(local_site, ["raw"]))))
    poll_feed(feed.pk)
    assert "<article>" in Article.objects.get().raw_html


calls = []


def record_stage(article_id):
    calls.append(article_id)


def failing_stage(article_id):
    raise RuntimeError("stage broke")


def test_process_article_runs_the_later_stages(local_site, outlet, monkeypatch):
    monkeypatch.setattr(
        pipeline, "ARTICLE_STAGES", ["tests.test_pipeline.failing_stage", "tests.test_pipeline.record_stage"]
    )
    calls.clear()
    feed = make_feed(outlet, local_site.add("/feed.xml", rss_feed(serve_articles(local_site, ["staged"]))))
    assert poll_feed(feed.pk).new_articles == 1
    assert calls == [Article.objects.get().pk]  # the failing stage did not stop the next one


def test_run_due_feeds_polls_only_due_feeds(local_site, outlet):
    due = make_feed(outlet, local_site.add("/due.xml", rss_feed(serve_articles(local_site, ["due"]))))
    later = make_feed(
        outlet, local_site.add("/later.xml", rss_feed([])), next_poll_at=timezone.now() + timedelta(hours=1)
    )
    seen = []
    run = run_due_feeds(progress=seen.append, workers=1)
    assert [report.feed_id for report in run.feeds] == [due.pk] == [report.feed_id for report in seen]
    assert run.new_articles == 1 and run.failed_feeds == 0
    later.refresh_from_db()
    assert later.last_polled_at is None


@pytest.mark.django_db(transaction=True)
def test_run_due_feeds_on_threads(local_site):
    outlet = Outlet.objects.create(name="Threaded", slug="threaded")
    for name in ("a", "b", "c"):
        make_feed(outlet, local_site.add(f"/{name}.xml", rss_feed(serve_articles(local_site, [name]))))
    run = run_due_feeds(workers=3)
    assert run.new_articles == 3 and Article.objects.count() == 3


def test_page_with_invalid_encoding_is_stored(local_site, outlet):
    page = article_page(
        "Caf\u00e9 story", body_text="Caf\u00e9 owners in the old town protested again today " * 5
    )
    broken = page.encode("latin-1", errors="replace") + b"\xff\xfe"
    url = local_site.add("/news/latin", broken, content_type="text/html; charset=utf-8")
    feed = make_feed(outlet, local_site.add("/feed.xml", rss_feed([{"link": url, "title": "Cafe"}])))
    assert poll_feed(feed.pk).summary_only == 0
    assert "owners in the old town protested" in Article.objects.get().text


def test_sitemap_index_reads_its_child_sitemaps(local_site, outlet):
    items = serve_articles(local_site, ["child"])
    child = local_site.add("/news-1.xml", SITEMAP.format(urls=f"<url><loc>{items[0]['link']}</loc></url>"))
    index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{child}</loc></sitemap><sitemap><loc>{local_site.url('/gone.xml')}</loc></sitemap>"
        "</sitemapindex>"
    )
    feed = make_feed(outlet, local_site.add("/sitemap.xml", index))
    assert poll_feed(feed.pk).new_articles == 1


def test_extractor_crash_keeps_the_summary(local_site, outlet, monkeypatch):
    def explode(*args, **kwargs):
        raise ValueError("hostile page")

    monkeypatch.setattr(pipeline, "extract_article", explode)
    feed = make_feed(outlet, local_site.add("/feed.xml", rss_feed(serve_articles(local_site, ["boom"]))))
    report = poll_feed(feed.pk)
    assert (report.new_articles, report.summary_only) == (1, 1)
    assert Article.objects.get().lead == "About boom"


def test_one_crashing_feed_does_not_stop_the_others(local_site, outlet, monkeypatch):
    crashing = make_feed(outlet, local_site.add("/crash.xml", rss_feed([])))
    healthy = make_feed(outlet, local_site.add("/ok.xml", rss_feed(serve_articles(local_site, ["ok"]))))
    real_read_feed = pipeline.read_feed

    def read_feed(url, *args, **kwargs):
        if url == crashing.url:
            raise RuntimeError("bug")
        return real_read_feed(url, *args, **kwargs)

    monkeypatch.setattr(pipeline, "read_feed", read_feed)
    run = run_due_feeds(feed_ids=[crashing.pk, healthy.pk], workers=1)
    assert [report.error for report in run.feeds] == ["internal error (see the log)", ""]
    assert run.new_articles == 1


def test_story_fields_are_rebuilt_once_per_round(local_site, outlet):
    """Placing articles only counts them; the end of the round rebuilds each changed story once."""
    text = (
        "The river Kavna burst its banks on Monday, flooding the old town. "
        '"We have never seen water this high," the mayor, Ana Petrovic, said. Rescue teams worked overnight.'
    )
    items = []
    for name in ("flood-1", "flood-2", "flood-3"):
        url = local_site.add(
            f"/news/{name}", article_page(f"Kavna floods {name}", body_text=text), content_type="text/html"
        )
        items.append({"title": f"Kavna floods {name}", "link": url})
    feed = make_feed(outlet, local_site.add("/feed.xml", rss_feed(items), content_type="application/rss+xml"))

    poll_feed(feed.pk)
    story = Story.objects.get(pk=Article.objects.values_list("story_id", flat=True).first())
    assert story.article_count == 3 and story.revision > story.refreshed_revision
    assert not story.lead and not ClaimGroup.objects.filter(story=story).exists()

    assert pipeline.rebuild_changed_stories() == 1
    story.refresh_from_db()
    assert story.lead and story.refreshed_revision == story.revision
    assert ClaimGroup.objects.filter(story=story).exists()
    assert pipeline.rebuild_changed_stories() == 0  # nothing changed since
