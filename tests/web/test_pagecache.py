"""Whole pages for readers without a session are answered before Django runs, while the stories they
show are unchanged; anything one reader's own always reaches Django."""

from dataclasses import dataclass
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from newshub.stories.models import Story
from newshub.stories.signals import stories_merged
from newshub.wsgi import application


@dataclass
class Answer:
    status: str
    headers: dict[str, str]
    body: str
    reached_django: bool


def wsgi_get(path: str, method: str = "GET", **environ: str) -> Answer:
    """One request through the deployed WSGI application (the test client would skip its outer layer)."""
    path, _, query = path.partition("?")
    request = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, **environ}
    request.setdefault("HTTP_HOST", "news.example")
    setup_testing_defaults(request)
    reached = []

    def note(**kwargs) -> None:
        reached.append(True)

    answer: dict = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info=None) -> None:
        answer.update(status=status, headers=dict(headers))

    # As Django's test client does: the test's database connection (and its transaction) must stay open.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    request_started.connect(note, dispatch_uid="test_pagecache.note")
    try:
        response = application(request, start_response)
        body = b"".join(response).decode()
        getattr(response, "close", lambda: None)()
    finally:
        request_started.disconnect(dispatch_uid="test_pagecache.note")
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    return Answer(answer["status"], answer["headers"], body, bool(reached))


@pytest.fixture(autouse=True)
def served_hosts(settings):
    settings.ALLOWED_HOSTS = ["news.example", "other.example"]


def rename_quietly(story: Story, title: str) -> None:
    Story.objects.filter(pk=story.pk).update(title=title)  # no signal: what a stored page cannot see


@pytest.mark.parametrize("page", ["/", "/category/world/", "story", "/search/?q=base"])
def test_a_page_is_answered_without_django_until_its_stories_change(newsroom, page):
    story = newsroom["story"]
    url = story.get_absolute_url() if page == "story" else page
    first = wsgi_get(url)
    assert first.status == "200 OK" and first.reached_django and "Explosion at the base" in first.body
    rename_quietly(story, "Renamed quietly")
    second = wsgi_get(url)
    assert not second.reached_django and second.body == first.body
    assert second.headers["Content-Type"] == first.headers["Content-Type"]
    assert second.headers["X-Frame-Options"] == "DENY"

    story.refresh_from_db()
    story.save()  # bumps the story's version and every list's
    third = wsgi_get(url)
    assert third.reached_django and "Renamed quietly" in third.body


def test_head_gets_the_stored_headers_without_a_body(newsroom):
    url = newsroom["story"].get_absolute_url()
    stored = wsgi_get(url)
    head = wsgi_get(url, method="HEAD")
    assert not head.reached_django and head.body == ""
    assert head.headers["Content-Length"] == str(len(stored.body.encode()))


@pytest.mark.parametrize("cookie", ["sessionid=abc", "messages=xyz", "csrftoken=t; sessionid=abc"])
def test_a_reader_with_a_session_or_messages_always_reaches_django(newsroom, cookie):
    url = newsroom["story"].get_absolute_url()
    wsgi_get(url)
    assert wsgi_get(url, HTTP_COOKIE=cookie).reached_django


def test_a_csrf_cookie_alone_gets_the_stored_page(newsroom):
    url = newsroom["story"].get_absolute_url()
    wsgi_get(url)
    assert not wsgi_get(url, HTTP_COOKIE="csrftoken=abc").reached_django


def test_a_page_carrying_one_readers_form_is_never_stored(newsroom):
    url = newsroom["story"].get_absolute_url() + "?reply_to=1"
    first = wsgi_get(url)
    assert 'name="csrfmiddlewaretoken"' in first.body and "Set-Cookie" in first.headers
    assert wsgi_get(url).reached_django


def test_pages_are_kept_per_host_and_posts_always_reach_django(newsroom):
    url = newsroom["story"].get_absolute_url()
    wsgi_get(url)
    other = wsgi_get(url, HTTP_HOST="other.example")
    assert other.reached_django and f'<link rel="canonical" href="http://other.example{url}">' in other.body
    assert wsgi_get("/", method="POST").reached_django


def test_junk_query_strings_are_answered_but_not_stored(newsroom):
    url = "/?" + "x" * 500
    wsgi_get(url)
    assert wsgi_get(url).reached_django


def test_a_merged_story_redirects_once_the_merge_pass_announces_it(newsroom):
    story, minor = newsroom["story"], newsroom["minor"]
    wsgi_get(minor.get_absolute_url())
    Story.objects.filter(pk=minor.pk).update(merged_into=story)
    stories_merged.send(sender=Story, merges=[(minor.pk, story.pk)])  # as apply_merges does
    answer = wsgi_get(minor.get_absolute_url())
    assert answer.status.startswith("302") and answer.headers["Location"] == story.get_absolute_url()


@pytest.mark.services
def test_pages_are_stored_and_invalidated_through_redis(newsroom, redis_cache):
    """With NEWSHUB_REDIS_URL every web process answers from the pages any of them stored."""
    story = newsroom["story"]
    url = story.get_absolute_url()
    assert type(caches["default"]).__name__ == "RedisCache"
    assert wsgi_get(url).reached_django
    rename_quietly(story, "Renamed quietly")
    assert not wsgi_get(url).reached_django
    story.refresh_from_db()
    story.save()
    assert "Renamed quietly" in wsgi_get(url).body


@pytest.mark.parametrize("path", ["/api/stories", "story"])
def test_api_answers_are_stored_like_pages(newsroom, path):
    story = newsroom["story"]
    url = f"/api/stories/{story.pk}" if path == "story" else path
    first = wsgi_get(url)
    assert first.status == "200 OK" and first.headers["Content-Type"] == "application/json; charset=utf-8"
    rename_quietly(story, "Renamed quietly")
    assert not wsgi_get(url).reached_django
    story.refresh_from_db()
    story.save()
    assert "Renamed quietly" in wsgi_get(url).body


def test_a_missing_story_is_not_stored(newsroom):
    assert wsgi_get("/api/stories/999999").status.startswith("404")
    assert wsgi_get("/api/stories/999999").reached_django
