"""Akismet against a local server speaking its API: consulted when configured, told moderators' decisions,
and never in the way when it is down or slow."""

from __future__ import annotations

import socket
import time
from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from newshub.comments import akismet_signal
from newshub.comments.models import Comment, CommentStatus
from newshub.comments.services import record_decision

from .helpers import comment_data

pytestmark = pytest.mark.django_db

THANKS = "Thanks for making the web a better place."


def akismet_api(local_site, spam_word: str = "bargain") -> None:
    """verify-key, comment-check (spam when the text has `spam_word`), submit-spam, submit-ham."""

    def comment_check(handler) -> None:
        fields = parse_qs(local_site.posted[-1][1].decode())
        answer = b"true" if spam_word in fields.get("comment_content", [""])[0] else b"false"
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(answer)))
        handler.end_headers()
        handler.wfile.write(answer)

    local_site.add("/1.1/verify-key", "valid")
    local_site.add("/1.1/comment-check", handler=comment_check)
    local_site.add("/1.1/submit-spam", THANKS)
    local_site.add("/1.1/submit-ham", THANKS)


def posted_fields(local_site, path: str) -> list[dict]:
    return [parse_qs(body.decode()) for posted_path, body in local_site.posted if posted_path == path]


def post(client, story, text: str):
    return client.post(reverse("comments:post", args=[story.pk]), comment_data(story, text=text))


@pytest.fixture
def akismet_settings(settings, local_site):
    settings.NEWSHUB_AKISMET_KEY = "test-key"
    settings.NEWSHUB_AKISMET_URL = local_site.base
    return settings


def test_akismet_spam_holds_a_comment_the_local_filter_would_publish(
    client, story, local_site, akismet_settings
):
    akismet_api(local_site)
    post(client, story, text="Nice bridge.")
    post(client, story, text="Our bargain is nice too.")
    fine, flagged = Comment.objects.order_by("pk")
    assert fine.status == CommentStatus.APPROVED
    assert flagged.status == CommentStatus.PENDING
    assert "Akismet: spam" in flagged.spam_reasons
    checks = posted_fields(local_site, "/1.1/comment-check")
    assert checks[1]["comment_content"] == ["Our bargain is nice too."]
    assert checks[1]["api_key"] == ["test-key"]
    assert checks[1]["user_ip"] == ["127.0.0.1"]
    assert all("comment_author_email" not in check for check in checks)


def test_moderators_decisions_are_sent_back(story, local_site, akismet_settings):
    akismet_api(local_site)
    missed = Comment.objects.create(story=story, author_name="S", text="visit the casino", user_agent="bot/1")
    wrongly_held = Comment.objects.create(story=story, author_name="H", text="fine words")
    record_decision([missed], spam=True, site_url="http://testserver/")
    record_decision([wrongly_held], spam=False, site_url="http://testserver/")
    assert posted_fields(local_site, "/1.1/submit-spam")[0]["comment_content"] == ["visit the casino"]
    assert posted_fields(local_site, "/1.1/submit-ham")[0]["comment_content"] == ["fine words"]
    assert posted_fields(local_site, "/1.1/verify-key")[0]["key"] == ["test-key"]


def test_site_keeps_working_when_akismet_is_down(client, story, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.NEWSHUB_AKISMET_KEY = "test-key"
    settings.NEWSHUB_AKISMET_URL = f"http://127.0.0.1:{closed_port}"
    assert post(client, story, text="Posted while Akismet is down.").status_code == 303
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.APPROVED
    assert record_decision([comment], spam=False, site_url="http://testserver/") == 1


def test_site_keeps_working_when_akismet_is_slow(client, story, local_site, akismet_settings, monkeypatch):
    monkeypatch.setattr(akismet_signal, "TIMEOUT_SECONDS", 0.3)

    def slow(handler) -> None:
        time.sleep(1.5)
        handler.send_response(200)
        handler.end_headers()
        handler.wfile.write(b"true")

    local_site.add("/1.1/comment-check", handler=slow)
    started = time.monotonic()
    response = post(client, story, text="Posted while Akismet is slow.")
    assert response.status_code == 303
    assert time.monotonic() - started < 1.5
    assert Comment.objects.get().status == CommentStatus.APPROVED


def test_akismet_is_not_called_unless_configured(client, story, local_site):
    akismet_api(local_site)
    post(client, story, text="No third parties.")
    assert local_site.posted == []
