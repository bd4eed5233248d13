"""Admin: outlet, feed and article lists with their filters, and the "poll now" action."""

import pytest
from django.urls import reverse

from newshub.ingest.models import Article
from newshub.sources.models import Feed, Outlet
from tests.ingest.pages import article_page, rss_feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed(local_site):
    outlet = Outlet.objects.create(name="Admin Times", slug="admin-times", country="GB")
    page = local_site.add("/news/a", article_page("Admin story"), content_type="text/html")
    return Feed.objects.create(outlet=outlet, url=local_site.add("/rss.xml", rss_feed([{"link": page}])))


def test_lists_filters_and_search(admin_client, feed):
    Article.objects.create(outlet=feed.outlet, url="https://example.org/x", title="Findable", language="en")
    pages = [
        reverse("admin:sources_outlet_changelist") + "?kind__exact=newspaper&q=Admin",
        reverse("admin:sources_feed_changelist") + "?health=failing",
        reverse("admin:sources_feed_changelist") + "?health=never&q=rss",
        reverse("admin:sources_feed_change", args=[feed.pk]),
        reverse("admin:ingest_article_changelist") + "?summary_only__exact=0&language=en&q=Findable",
    ]
    for url in pages:
        assert admin_client.get(url).status_code == 200, url
    assert b"Findable" in admin_client.get(pages[-1]).content


def test_poll_now_action(admin_client, feed, local_site):
    url = reverse("admin:sources_feed_changelist")
    response = admin_client.post(url, {"action": "poll_now", "_selected_action": [feed.pk]}, follow=True)
    assert b"1 new articles" in response.content
    local_site.add("/rss.xml", status=503)
    Feed.objects.filter(pk=feed.pk).update(etag="")
    response = admin_client.post(url, {"action": "poll_now", "_selected_action": [feed.pk]}, follow=True)
    assert b"service unavailable (503)" in response.content
    assert Article.objects.count() == 1
