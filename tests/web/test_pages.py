"""The reader's pages render real data, escape everything from outside and 404 cleanly."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newshub.api.cache import bump_story
from newshub.ingest.models import Article
from newshub.stories.models import Story
from tests.web.conftest import HOSTILE, make_article, make_outlet


def html_of(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_front_ranks_stories_by_score_with_outlet_counts(client, newsroom):
    html = html_of(client, "/")
    assert html.index("Explosion at the base") < html.index("A minor story")
    assert "3 outlets" in html
    assert "Blindspot" in html
    assert "Loose article" in html  # the latest articles beside the stories
    assert "Paper runs the wire story" not in html  # a copy: credited under its original instead


def test_front_falls_back_to_latest_articles_without_stories(client, newsroom):
    Story.objects.all().delete()
    html = html_of(client, "/")
    assert 'id="top-stories"' not in html
    assert "Blast at base" in html and "Loose article" in html


def test_front_explains_an_empty_installation(client, db):
    assert "newshub demo" in html_of(client, "/")


def queries_for(client, url: str, story_id: int | None = None) -> int:
    """Queries to build the page afresh: its cached copy is dropped, other apps' caches stay warm."""
    client.get(url)
    bump_story(story_id)  # the lists' version, and the story's when given
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_front_costs_the_same_queries_for_many_stories(client, newsroom):
    before = queries_for(client, "/")
    for number in range(12):
        outlet = make_outlet(f"Extra Outlet {number}")
        story = Story.objects.create(title=f"Story {number}", article_count=1, outlet_count=1, score=5)
        make_article(outlet, f"Extra {number}", number, story=story)
    assert queries_for(client, "/") == before


def test_story_page_folds_copies_under_their_original(client, newsroom):
    html = html_of(client, newsroom["story"].get_absolute_url())
    assert "Also republished by 2 outlets" in html
    assert "Paper runs the wire story" in html and "Blog reposts the wire story" in html
    assert "2 original reports" in html
    assert 'rel="noopener noreferrer"' in html
    assert "Read at Wire Agency" in html


def test_story_page_draws_the_timeline_and_coverage_mix_as_inline_svg(client, newsroom):
    html = html_of(client, newsroom["story"].get_absolute_url())
    assert html.count("<svg") == 5  # a timeline and four coverage bars
    assert 'aria-label="Lean: Left 1, Center 1, Unrated 1"' in html
    assert 'class="lean-left"' in html
    assert "Blindspot: covered only by left-leaning outlets" in html
    assert "Who says what" in html and "Comments" in html


def test_story_page_costs_the_same_queries_for_many_articles(client, newsroom):
    story = newsroom["story"]
    before = queries_for(client, story.get_absolute_url(), story.pk)
    for number in range(10):
        outlet = make_outlet(f"Extra Outlet {number}")
        copy = make_article(outlet, f"Copy {number}", 3, story=story, original=newsroom["original"])
        make_article(outlet, f"Own {number}", 1, story=story, slug=f"own-{number}")
        assert copy.original_id
    assert queries_for(client, story.get_absolute_url(), story.pk) == before


def test_a_merged_story_redirects_to_the_one_it_joined(client, newsroom):
    newsroom["minor"].merged_into = newsroom["story"]
    newsroom["minor"].save()
    response = client.get(newsroom["minor"].get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == newsroom["story"].get_absolute_url()


def test_article_page_links_to_its_source_and_credits_the_original(client, newsroom):
    copy = newsroom["copies"][0]
    html = html_of(client, copy.get_absolute_url())
    assert "<h1>Paper runs the wire story</h1>" in html
    assert f'<a class="button" href="{copy.url}" rel="noopener noreferrer">Read at Daily Paper</a>' in html
    assert "republishes" in html and "Wire Agency" in html
    original = html_of(client, newsroom["original"].get_absolute_url())
    assert "Also republished by 2 outlets" in original
    assert "Part of a story" in original


def test_a_non_web_source_url_is_never_linked(client, newsroom):
    article = newsroom["own"]
    Article.objects.filter(pk=article.pk).update(url="javascript:alert(1)")
    html = html_of(client, article.get_absolute_url())
    assert "javascript:" not in html
    assert "Read at" not in html


def test_outlet_page_shows_its_details_and_articles(client, newsroom):
    html = html_of(client, reverse("web:outlet", args=["wire-agency"]))
    assert "Wire service" in html and "Center" in html and "Test basis" in html
    assert "Blast at base" in html
    assert "Unrated" in html_of(client, reverse("web:outlet", args=["a-blog"]))


def test_category_page_lists_its_stories_or_else_its_articles(client, newsroom):
    world = html_of(client, "/category/world/")
    assert "Explosion at the base" in world and "A minor story" not in world
    assert 'aria-current="page"' in world
    assert "Loose article" in html_of(client, "/category/business/")
    assert "No Science stories yet" in html_of(client, "/category/science/")


def test_about_page(client, db):
    assert "About Newshub" in html_of(client, "/about/")


@pytest.mark.parametrize(
    "url", ["/articles/999/", "/stories/999/", "/outlets/nobody/", "/category/astrology/", "/nowhere/"]
)
def test_missing_things_are_404_pages(client, db, url):
    assert "Page not found" in html_of(client, url, status=404)


def test_hostile_text_from_outside_is_escaped_everywhere(client, db):
    outlet = make_outlet(HOSTILE, slug="hostile", owner=HOSTILE, lean_basis=HOSTILE, lean="right")
    story = Story.objects.create(
        title=HOSTILE,
        lead=HOSTILE,
        category="World",
        article_count=1,
        outlet_count=1,
        coverage={"country": {HOSTILE: 1}, "kind": {HOSTILE: 1}, "lean": {"right": "many"}},
    )
    article = make_article(outlet, HOSTILE, 1, slug="x", lead=HOSTILE, section=HOSTILE, story=story)
    article.authors = [HOSTILE]
    article.save()
    pages = [
        "/",
        "/category/world/",
        story.get_absolute_url(),
        article.get_absolute_url(),
        "/outlets/hostile/",
    ]
    for url in pages:
        html = html_of(client, url)
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert "&lt;script&gt;" in html, url


def test_pages_make_no_external_requests(client, newsroom):
    for url in ["/", newsroom["story"].get_absolute_url(), newsroom["original"].get_absolute_url()]:
        html = html_of(client, url)
        assert not re.search(r'<(script|img|iframe)[^>]+src="(https?:)?//', html)
        assert not re.search(r'<link rel="(stylesheet|icon|preload)"[^>]+href="(https?:)?//', html)
        assert re.search(r'<link rel="stylesheet" href="/static/', html)


def test_pages_have_landmarks_and_a_skip_link(client, newsroom):
    html = html_of(client, newsroom["story"].get_absolute_url())
    assert '<a class="skip-link" href="#content">' in html
    assert '<main id="content"' in html and "<header" in html and "<footer" in html and "<nav" in html
    assert html.count("<h1") == 1


def test_every_page_advertises_its_feeds_and_story_pages_their_canonical_url(client, newsroom):
    story = newsroom["story"]
    expected = {
        "/": "/feeds/front.rss",
        "/category/world/": "/feeds/category/world.atom",
        "/outlets/wire-agency/": "/feeds/outlet/wire-agency.rss",
        story.get_absolute_url(): f"/feeds/story/{story.pk}.atom",
    }
    for url, feed in expected.items():
        assert f'href="{feed}"' in html_of(client, url), url
    html = html_of(client, story.get_absolute_url())
    assert f'<link rel="canonical" href="http://testserver{story.get_absolute_url()}">' in html
    assert '<meta property="og:title" content="Explosion at the base">' in html


def test_long_lists_are_paged_and_bad_page_numbers_are_harmless(client, newsroom):
    outlet = make_outlet("Prolific")
    for number in range(60):
        make_article(outlet, f"Item {number}", number, slug=f"item-{number}")
    first = html_of(client, "/outlets/prolific/")
    assert "Item 0<" in first and "Item 59<" not in first and 'rel="next"' in first
    assert "Item 59<" in html_of(client, "/outlets/prolific/?page=2")
    assert "Item 0<" in html_of(client, "/outlets/prolific/?page=nonsense")
    assert "Item 59<" in html_of(client, "/outlets/prolific/?page=999")


def test_a_category_without_an_ascii_slug_is_shown_unlinked(client, newsroom, settings):
    settings.NEWSHUB_CATEGORIES = ["World", "Политика"]
    Story.objects.filter(pk=newsroom["story"].pk).update(category="Политика")
    html = html_of(client, "/")
    assert "Политика" in html
    assert "Политика" in html_of(client, newsroom["story"].get_absolute_url())
