"""Comments are shown as escaped plain text: line breaks kept, links clickable but passing no reputation."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from newshub.comments.models import Comment, CommentStatus
from newshub.comments.services import record_decision
from newshub.comments.templatetags.newshub_comments import comment_text


def test_script_and_html_are_shown_escaped():
    html = comment_text('<script>alert("x")</script><b onmouseover="steal()">bold</b>')
    assert "<script" not in html and "<b" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b onmouseover=" in html


def test_line_breaks_are_kept():
    html = comment_text("first line\nsecond line\n\nnew paragraph")
    assert "first line<br>second line" in html
    assert html.count("<p>") == 2


def test_links_are_clickable_with_rel_nofollow_ugc_noopener():
    html = comment_text("see https://example.org/page?a=1&b=2 and www.example.com")
    assert '<a href="https://example.org/page?a=1&amp;b=2" rel="nofollow ugc noopener">' in html
    assert 'href="http://www.example.com" rel="nofollow ugc noopener"' in html


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_in(html: str) -> list[tuple[str, dict]]:
    collector = TagCollector()
    collector.feed(html)
    return collector.tags


def test_only_safe_links_become_elements():
    html = comment_text(
        'javascript:alert(1) "http://example.org/" onclick="x" <a href="javascript:x()">y</a>'
    )
    tags = tags_in(html)
    assert {tag for tag, _ in tags} == {"p", "a"}
    links = [attrs for tag, attrs in tags if tag == "a"]
    assert links == [{"href": "http://example.org/", "rel": "nofollow ugc noopener"}]


@pytest.mark.django_db
def test_story_section_shows_published_comments_and_replies_only(client, story, rf):
    from django.template import Context, Template

    top = Comment.objects.create(
        story=story, author_name="<Eve>", text="<i>hi</i>\nthere", status=CommentStatus.APPROVED
    )
    Comment.objects.create(
        story=story, parent=top, author_name="Bob", text="reply", status=CommentStatus.APPROVED
    )
    Comment.objects.create(story=story, author_name="Held", text="held one", status=CommentStatus.PENDING)
    Comment.objects.create(story=story, author_name="Spam", text="spam one", status=CommentStatus.SPAM)
    request = rf.get(story.get_absolute_url())
    html = Template('{% include "comments/_section.html" %}').render(
        Context({"story": story, "request": request})
    )
    assert "&lt;Eve&gt;" in html and "&lt;i&gt;hi&lt;/i&gt;<br>there" in html
    assert "reply" in html
    assert "held one" not in html and "spam one" not in html
    # The form is the reader's own (one-time tokens): it comes from its own address, swapped in by htmx.
    assert 'name="token"' not in html
    write_url = reverse("comments:write", args=[story.pk])
    assert f'hx-get="{write_url}"' in html and f'<a href="{write_url}">Write a comment</a>' in html


@pytest.mark.django_db
def test_the_write_address_gives_the_form_to_htmx_and_a_page_without_javascript(client, story):
    write_url = reverse("comments:write", args=[story.pk])
    fragment = client.get(write_url, headers={"HX-Request": "true"})
    assert fragment["Cache-Control"].startswith("max-age=0")
    html = fragment.content.decode()
    assert html.lstrip().startswith('<form id="comment-form"') and "<body" not in html
    assert 'name="token"' in html and 'name="homepage"' in html and 'name="csrfmiddlewaretoken"' in html
    assert reverse("comments:post", args=[story.pk]) in html and reverse("comments:privacy") in html
    page = client.get(write_url + "?reply_to=7").content.decode()
    assert "<body" in page and 'id="comment-form"' in page and "Replying to a comment" in page


@pytest.mark.django_db
def test_closed_story_shows_no_form(story, rf, settings):
    from django.template import Context, Template

    from .helpers import old

    settings.NEWSHUB_COMMENTS_CLOSE_AFTER_DAYS = 1
    story.last_seen = old(days=2)
    story.save()
    html = Template('{% include "comments/_section.html" %}').render(
        Context({"story": story, "request": rf.get("/")})
    )
    assert "Comments are closed" in html
    assert "<form" not in html


@pytest.mark.django_db
def test_privacy_page_says_what_is_kept_and_who_sees_it(client, settings):
    page = client.get(reverse("comments:privacy")).content.decode()
    assert "How your comment data is processed" in page
    assert "30 days" in page
    assert "nothing about your comment is sent to third parties" in page
    settings.NEWSHUB_AKISMET_KEY = "key"
    assert "Akismet" in client.get(reverse("comments:privacy")).content.decode()


@pytest.mark.django_db
def test_story_page_carries_the_comment_section_and_a_post_lands_there(client, story):
    page = client.get(story.get_absolute_url() + "?reply_to=1").content.decode()
    assert 'id="comment-form"' in page and 'name="csrfmiddlewaretoken"' in page  # a reply: form in place
    from .helpers import comment_data

    response = client.post(
        reverse("comments:post", args=[story.pk]),
        comment_data(story, text="See www.example.org"),
        follow=True,
    )
    assert "will appear once a moderator has read it" in response.content.decode()  # a link: held
    record_decision(list(Comment.objects.all()), spam=False)  # a moderator approves it
    page = client.get(story.get_absolute_url()).content.decode()
    assert 'href="http://www.example.org" rel="nofollow ugc noopener"' in page
