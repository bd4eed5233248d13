"""RSS/Atom feeds and sitemaps, parsed the way readers and crawlers parse them."""

from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from newshub.stories.models import Story
from tests.search.corpus import build_corpus, make_article, make_story

pytestmark = pytest.mark.django_db

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture
def corpus():
    return build_corpus()


def parsed(client, url: str, version: str):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content, response_headers={"content-type": response["Content-Type"]})
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    assert feed.version == version, url
    return feed


def both_formats(client, name: str, args=None):
    rss = parsed(client, reverse(f"feeds:{name}-rss", args=args), "rss20")
    atom = parsed(client, reverse(f"feeds:{name}-atom", args=args), "atom10")
    assert [e.title for e in rss.entries] == [e.title for e in atom.entries]
    return rss, atom


def test_front_feed_lists_top_stories(client, corpus):
    Story.objects.filter(pk=corpus.strike.pk).update(score=9)
    rss, atom = both_formats(client, "front")
    assert rss.entries[0].title == "Dock workers strike at the northern port"
    assert rss.entries[0].link.endswith(corpus.strike.get_absolute_url())
    assert len(rss.entries) == 3
    assert atom.feed.subtitle


def test_category_feed_has_only_that_category(client, corpus):
    rss, _ = both_formats(client, "category", ["politics"])
    assert [e.title for e in rss.entries] == ["Mayor wins second term"]
    assert rss.entries[0].tags[0].term == "Politics"
    assert client.get(reverse("feeds:category-rss", args=["no-such-category"])).status_code == 404


def test_outlet_feed_lists_its_articles_linking_to_the_outlet(client, corpus):
    rss, atom = both_formats(client, "outlet", ["harbor-wire"])
    assert [e.link for e in rss.entries] == [corpus.strike_wire.url, corpus.quake_wire.url]
    assert all(e.title.endswith("(Harbor Wire)") for e in atom.entries)
    assert client.get(reverse("feeds:outlet-atom", args=["nobody"])).status_code == 404


def test_story_feed_lists_its_updates_newest_first(client, corpus):
    rss, _ = both_formats(client, "story", [corpus.strike.pk])
    assert [e.link for e in rss.entries] == [
        corpus.strike_daily.url,
        corpus.strike_copy.url,
        corpus.strike_wire.url,
    ]
    assert "copy of an earlier article" in rss.entries[1].summary
    assert client.get(reverse("feeds:story-rss", args=[999999])).status_code == 404


def test_outside_text_is_escaped(client, corpus):
    story = make_story('Evil <script>alert("x")</script> & friends', category="World")
    make_article(
        corpus.wire,
        "<img src=x onerror=alert(1)>Hijack",
        lead='<script>alert("lead")</script> Tom & Jerry <b>bold</b>',
        story=story,
    )
    Story.objects.filter(pk=story.pk).update(article_count=1, outlet_count=1)
    for name, args in [("front", None), ("story", [story.pk]), ("outlet", ["harbor-wire"])]:
        for fmt in ("rss", "atom"):
            body = client.get(reverse(f"feeds:{name}-{fmt}", args=args)).content.decode()
            assert "<script" not in body and "<img" not in body
    rss, atom = both_formats(client, "story", [story.pk])
    for entry in rss.entries + atom.entries:
        assert "onerror" not in entry.title and "<script" not in entry.summary
        assert "Tom &amp; Jerry" in entry.summary  # shown as text by readers, not as markup
    front = parsed(client, reverse("feeds:front-rss"), "rss20")
    assert 'Evil alert("x") & friends' in [e.title for e in front.entries]


def test_sitemap_lists_stories_outlets_and_pages(client, corpus):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    locations = [loc.text for loc in root.iter(f"{SITEMAP_NS}loc")]
    assert any(loc.endswith(corpus.strike.get_absolute_url()) for loc in locations)
    assert any(loc.endswith(corpus.wire.get_absolute_url()) for loc in locations)
    assert any(loc.endswith(reverse("web:front")) for loc in locations)
    assert any(loc.endswith(reverse("comments:privacy")) for loc in locations)
    assert any(loc.endswith(reverse("web:category", args=["politics"])) for loc in locations)
    assert all(loc.startswith("http://testserver/") for loc in locations)


def test_news_sitemap_has_the_last_two_days_of_stories(client, corpus):
    Story.objects.filter(pk=corpus.election.pk).update(first_seen=timezone.now() - timedelta(days=1))
    response = client.get(reverse("news-sitemap"))
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    urls = root.findall(f"{SITEMAP_NS}url")
    titles = [url.find(f"{NEWS_NS}news/{NEWS_NS}title").text for url in urls]
    assert titles == ["Dock workers strike at the northern port", "Mayor wins second term"]
    news = urls[0].find(f"{NEWS_NS}news")
    assert news.find(f"{NEWS_NS}publication/{NEWS_NS}name").text == "Newshub"
    assert news.find(f"{NEWS_NS}publication/{NEWS_NS}language").text == "en"
    assert "T" in news.find(f"{NEWS_NS}publication_date").text


def test_feeds_of_an_empty_site_are_valid(client):
    rss, atom = both_formats(client, "front")
    assert rss.entries == [] and atom.entries == []
    assert etree.fromstring(client.get(reverse("news-sitemap")).content).tag == f"{SITEMAP_NS}urlset"
