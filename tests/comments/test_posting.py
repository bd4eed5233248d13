"""Posting through the form: the outcomes, and every way a post is refused."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from newshub.comments.forms import TOKEN_SALT
from newshub.comments.models import Comment, CommentStatus
from newshub.comments.services import hash_ip

from .helpers import comment_data, form_token, old

pytestmark = pytest.mark.django_db


def post(client: Client, story, remote_addr: str = "127.0.0.1", **fields):
    return client.post(
        reverse("comments:post", args=[story.pk]), comment_data(story, **fields), REMOTE_ADDR=remote_addr
    )


def test_plain_comment_is_published_and_shown(client, story):
    response = post(client, story, text="Good to see it open again.\nTook the bus today.")
    comment = Comment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"{story.get_absolute_url()}#comment-{comment.pk}"
    assert comment.status == CommentStatus.APPROVED
    assert comment.ip_hash == hash_ip("127.0.0.1") and "127.0.0.1" not in comment.ip_hash
    assert len(comment.ip_hash) == 64


def test_spammy_comment_is_held_and_blatant_spam_rejected(client, story):
    post(client, story, text="Check out my channel and subscribe! http://spam.example.com")
    post(
        client,
        story,
        text="CHECK OUT MY CHANNEL!!!!! SUBSCRIBE http://a.example.com http://b.example.com "
        "http://c.example.com http://d.example.com FREE GIFT GIVEAWAY",
    )
    held, rejected = Comment.objects.order_by("pk")
    assert held.status == CommentStatus.PENDING
    assert "1 link" in held.spam_reasons
    assert rejected.status == CommentStatus.SPAM
    assert "4 links" in rejected.spam_reasons
    assert "all caps" in rejected.spam_reasons


def test_reply_and_reply_to_reply_stay_one_level(client, story):
    post(client, story, text="First.")
    top = Comment.objects.get()
    post(client, story, text="A reply.", parent=str(top.pk))
    reply = Comment.objects.get(text="A reply.")
    post(client, story, text="A reply to the reply.", parent=str(reply.pk))
    assert reply.parent == top
    assert Comment.objects.get(text="A reply to the reply.").parent == top


def test_reply_to_a_comment_of_another_story_is_refused(client, story):
    from newshub.stories.models import Story

    other = Story.objects.create(title="Other")
    stranger = Comment.objects.create(story=other, author_name="B", text="x", status=CommentStatus.APPROVED)
    response = post(client, story, parent=str(stranger.pk))
    assert response.status_code == 400
    assert b"not here" in response.content


def test_honeypot_filled_in_is_refused(client, story):
    response = post(client, story, homepage="http://bot.example")
    assert response.status_code == 400
    assert b"hidden field was filled in" in response.content
    assert not Comment.objects.exists()


def test_posting_too_fast_is_refused(client, story):
    response = post(client, story, token=form_token(story.pk, age_seconds=0.5))
    assert response.status_code == 400
    assert b"too fast" in response.content
    assert not Comment.objects.exists()


def test_quick_but_allowed_post_is_held_with_the_reason(client, story):
    post(client, story, token=form_token(story.pk, age_seconds=4))
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    assert "posted 4 s after the page loaded" in comment.spam_reasons


@pytest.mark.parametrize(
    "token, message",
    [("garbage", b"tampered"), ("", b"This field is required")],
)
def test_forged_or_missing_form_token_is_refused(client, story, token, message):
    response = post(client, story, token=token)
    assert response.status_code == 400
    assert message in response.content


def test_expired_form_and_form_of_another_story_are_refused(client, story):
    from newshub.stories.models import Story

    assert b"expired" in post(client, story, token=form_token(story.pk, age_seconds=2 * 86400)).content
    other = Story.objects.create(title="Other")
    assert b"another story" in post(client, story, token=form_token(other.pk)).content


def test_replayed_form_is_refused(client, story):
    token = form_token(story.pk)
    assert post(client, story, token=token, text="Once.").status_code == 303
    response = post(client, story, token=token, text="Twice with the same form.")
    assert response.status_code == 400
    assert b"already sent" in response.content
    assert Comment.objects.count() == 1


def test_exact_duplicate_is_refused(client, story):
    post(client, story, text="Same words.")
    response = post(client, story, text="Same words.")
    assert response.status_code == 400
    assert b"already been posted" in response.content
    assert Comment.objects.count() == 1


def test_forged_csrf_token_is_refused(story):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    data = comment_data(story)
    data["csrfmiddlewaretoken"] = "b" * 32
    response = client.post(reverse("comments:post", args=[story.pk]), data)
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_missing_story_is_404(client, story):
    response = client.post(reverse("comments:post", args=[story.pk + 999]), comment_data(story))
    assert response.status_code == 404


def test_get_is_not_allowed(client, story):
    assert client.get(reverse("comments:post", args=[story.pk])).status_code == 405


def test_comments_close_after_the_configured_days(client, story, settings):
    settings.NEWSHUB_COMMENTS_CLOSE_AFTER_DAYS = 3
    story.last_seen = old(days=4)
    story.save()
    response = post(client, story)
    assert response.status_code == 403
    assert b"closed" in response.content
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "text, message",
    [
        ("", b"This field is required"),
        ("   \n  ", b"The comment is empty"),
        ("x" * 5001, b"at most 5000 characters"),
        ("binary \x00\x01\x02 junk", b"Null characters are not allowed"),
        ("binary \x01\x02\x1b junk", b"binary data or control characters"),
    ],
)
def test_bad_text_is_refused_with_a_clear_message(client, story, text, message):
    response = post(client, story, text=text)
    assert response.status_code == 400
    assert message in response.content
    assert not Comment.objects.exists()


def test_longest_allowed_comment_is_kept_whole(client, story):
    text = ("Lorem ipsum dolor sit amet. " * 200)[:5000]
    post(client, story, text=text)
    assert Comment.objects.get().text == text.strip()


def test_mixed_script_text_is_stored_and_look_alikes_are_flagged(client, story):
    post(client, story, text="Мост открыли — the bridge is open again, 橋が再開しました.")
    post(client, story, text="Cheap vіagra here")  # Cyrillic "і" inside a Latin word
    honest, lookalike = Comment.objects.order_by("pk")
    assert honest.status == CommentStatus.APPROVED
    assert honest.text.startswith("Мост")
    assert "mixed scripts in one word" in lookalike.spam_reasons
    assert lookalike.status != CommentStatus.APPROVED


def test_flood_from_one_address_is_throttled_without_blocking_other_readers(client, story):
    statuses = [
        post(client, story, text=f"Flood number {index}", remote_addr="203.0.113.9").status_code
        for index in range(1000)
    ]
    # Five a minute, thirty an hour; the run may straddle a minute boundary, so allow two windows.
    assert statuses[:5] == [303] * 5
    assert statuses.count(303) <= 10
    assert statuses.count(429) >= 990
    assert Comment.objects.count() == statuses.count(303)
    other_reader = post(client, story, text="A calm reader.", remote_addr="198.51.100.7")
    assert other_reader.status_code == 303
    assert (
        b"Too many comments"
        in client.post(
            reverse("comments:post", args=[story.pk]), comment_data(story), REMOTE_ADDR="203.0.113.9"
        ).content
    )


def test_htmx_post_gets_the_section_back(client, story):
    response = client.post(
        reverse("comments:post", args=[story.pk]),
        comment_data(story, text="Via htmx."),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b'id="comments"' in response.content
    assert b"Via htmx." in response.content
    assert b"your comment is published" in response.content


def test_a_refused_form_comes_back_with_a_fresh_token(client, story):
    sent = form_token(story.pk, age_seconds=0.5)
    response = post(client, story, token=sent, text="Patient words.")
    fresh = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)
    assert fresh != sent
    assert signing.loads(fresh, salt=TOKEN_SALT)["story"] == story.pk
    assert b"Patient words." in response.content  # what the reader wrote is not lost
