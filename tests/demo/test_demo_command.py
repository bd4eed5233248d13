"""`newshub demo` loads the corpus through the real fetch and extract pipeline."""

import pytest
from django.core.management import call_command

from newshub.ingest.models import Article
from newshub.sources.models import Feed, Outlet


@pytest.fixture
def without_later_stages(settings):
    """Loading mechanics do not need stories and claims; leaving them out keeps these tests fast."""
    settings.NEWSHUB_ARTICLE_STAGES = []


def test_demo_loads_every_outlet_and_article_and_leaves_its_feeds_idle(db, without_later_stages):
    call_command("demo", verbosity=0)

    assert Outlet.objects.count() >= 6
    assert Article.objects.count() >= 25
    assert not Article.objects.filter(summary_only=True).exists()
    assert not Feed.objects.filter(active=True).exists()
    explosion = Article.objects.get(title__startswith="Blast at Marovian air base")
    assert explosion.outlet.kind == "wire"
    assert "two security sources said" in explosion.text.lower()
    assert explosion.authors == ["Lena Hartwell"]
    assert Article.objects.filter(outlet__slug="harbour-herald", section="Sports").exists()


def test_the_demo_shows_copies_and_stories_through_the_later_stages(db):
    call_command("demo", verbosity=0)
    wire = Article.objects.get(title__startswith="Floods force thousands")
    assert {copy.outlet.slug for copy in wire.copies.all()} == {
        "harbour-herald",
        "the-circuit",
        "daily-meridian",
    }
    explosion = Article.objects.get(title__startswith="Blast at Marovian air base")
    assert explosion.story is not None
    assert explosion.story.articles.values("outlet").distinct().count() >= 3
    # Articles arriving after the last periodic merge still join their event: the round ends with one.
    late = Article.objects.get(title__startswith="Militia vows response after deadly blast")
    assert late.story_id == explosion.story_id


def test_loading_the_demo_twice_stores_nothing_twice(db, without_later_stages):
    call_command("demo", verbosity=0)
    counts = (Outlet.objects.count(), Feed.objects.count(), Article.objects.count())
    call_command("demo", verbosity=0)
    assert (Outlet.objects.count(), Feed.objects.count(), Article.objects.count()) == counts


def test_newshub_can_serve_the_demo_outlets_itself(client, settings):
    assert b"<rss" in client.get("/demo-sites/continental-press/rss/topnews.xml").content
    page = client.get("/demo-sites/continental-press/world/tarrow-base-explosion")
    assert page.status_code == 200
    assert b'<link rel="canonical" href="http://testserver/demo-sites/continental-press/' in page.content
    assert client.get("/demo-sites/continental-press/nothing").status_code == 404
    settings.NEWSHUB_LOAD_DEMO = False
    assert client.get("/demo-sites/continental-press/").status_code == 404


def test_the_demo_loads_from_newshub_itself_so_its_source_links_work(
    transactional_db, live_server, without_later_stages
):
    call_command("demo", site_url=live_server.url + "/demo-sites", verbosity=0)
    article = Article.objects.get(title__startswith="Blast at Marovian air base")
    assert article.url.startswith(live_server.url + "/demo-sites/continental-press/")
    assert Article.objects.count() >= 25
