"""What a reader does on the demo, in Chromium: front page, a story with its outlets, claims and charts,
search, a comment (with htmx and without JavaScript) and a feed."""

from __future__ import annotations

import re
import time

import feedparser
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The comment form turns away posts sent sooner than this after the page was made (a bot's speed).
SECONDS_BEFORE_POSTING = 2.5
OUTCOME = re.compile(r"your comment is published|once a moderator has read it|held as possible spam")


def open_top_story(page) -> int:
    """Open the front page's lead story; the number of outlets its card promises."""
    page.goto("/")
    card = page.locator(".story-card").first
    outlets = int(re.match(r"\d+", card.locator(".count").inner_text()).group())
    card.locator(".card-title a").click()
    page.wait_for_url(re.compile(r"/stories/\d+/$"))
    return outlets


def test_front_page_shows_the_demo_stories(page, screenshots):
    page.goto("/")
    assert page.title() == "Newshub"
    assert page.locator(".story-card").count() >= 3
    assert page.get_by_role("heading", name="Top stories").is_visible()
    assert page.get_by_role("heading", name="Latest articles").is_visible()
    page.screenshot(path=screenshots / "front.png", full_page=True)


def test_story_page_shows_every_outlet_who_says_what_and_the_coverage_chart(page, screenshots):
    promised = open_top_story(page)
    outlets = page.locator("section[aria-labelledby='outlets-heading'] li")
    assert outlets.count() == promised > 1
    assert page.locator("h1").inner_text() != ""
    assert page.get_by_role("heading", name="Who says what").is_visible()
    assert page.locator(".claim-group").count() >= 1
    chart = page.locator("svg.stacked-bar").first
    assert chart.is_visible() and chart.get_attribute("role") == "img"
    assert page.locator("svg.stacked-bar rect").count() >= 1
    page.screenshot(path=screenshots / "story.png", full_page=True)


def test_search_from_the_header_finds_a_word(page):
    page.goto("/")
    page.get_by_role("searchbox", name="Search").fill("Tarrow")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=Tarrow"))
    heading = page.locator("#results-heading").inner_text()
    assert int(re.match(r"\d+", heading).group()) >= 1
    assert "Tarrow" in page.locator(".search-results").inner_text()


def fill_comment(page, name: str, text: str) -> None:
    page.get_by_label("Name:", exact=True).fill(name)
    page.get_by_label("Comment:", exact=True).fill(text)


def test_comment_posts_in_place_with_htmx(page):
    open_top_story(page)
    page.locator("form#comment-form").wait_for()  # htmx brings the reader's own form into the page
    loaded = time.monotonic()
    fill_comment(page, "Browser Reader", "A calm, thoughtful remark about this story, posted with htmx.")
    time.sleep(max(0.0, SECONDS_BEFORE_POSTING - (time.monotonic() - loaded)))
    story_url = page.url
    with page.expect_response(lambda response: "/comments/" in response.url) as posted:
        page.get_by_role("button", name="Post comment").click()
    assert posted.value.request.headers.get("hx-request") == "true"
    assert posted.value.status == 200
    page.locator(".comment-messages").wait_for()
    assert OUTCOME.search(page.locator(".comment-messages").inner_text())
    assert page.url == story_url  # swapped in place, no page load


def test_comment_posts_without_javascript(page_without_javascript):
    page = page_without_javascript
    open_top_story(page)
    page.get_by_role("link", name="Write a comment").click()
    loaded = time.monotonic()
    fill_comment(page, "Plain Reader", "Another considered remark, from a browser with JavaScript off.")
    time.sleep(max(0.0, SECONDS_BEFORE_POSTING - (time.monotonic() - loaded)))
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_url(re.compile(r"/stories/\d+/#comment"))
    assert OUTCOME.search(page.locator(".comment-messages").inner_text())


def test_a_comment_posted_too_fast_is_refused_with_a_reason(page):
    open_top_story(page)
    page.locator("form#comment-form").wait_for()
    fill_comment(page, "Hasty Bot", "Posted the instant the page appeared.")
    page.get_by_role("button", name="Post comment").click()
    page.locator("#comments").get_by_text(re.compile("too fast", re.IGNORECASE)).wait_for()
    assert page.get_by_label("Comment:", exact=True).input_value() == "Posted the instant the page appeared."


@pytest.mark.parametrize("feed_type", ["application/rss+xml", "application/atom+xml"])
def test_feed_links_lead_to_feeds_that_parse(page, feed_type):
    for path in ("/", None):
        if path:
            page.goto(path)
        else:
            open_top_story(page)
        href = page.locator(f"link[rel='alternate'][type='{feed_type}']").first.get_attribute("href")
        response = page.request.get(href)
        assert response.ok
        feed = feedparser.parse(response.body())
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.entries, href
