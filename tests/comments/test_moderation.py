"""Moderation in the admin (and what it teaches the filter), the purge, and `newshub spam evaluate`."""

from __future__ import annotations

import csv
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from newshub.comments.models import Comment, CommentStatus
from newshub.comments.services import filter_store, purge_old_comment_data
from newshub.comments.spam import Decision, Submission

from .helpers import old

pytestmark = pytest.mark.django_db


def make(story, text: str, status=CommentStatus.PENDING, **fields) -> Comment:
    return Comment.objects.create(story=story, author_name="R", text=text, status=status, **fields)


def test_admin_index_shows_pending_and_spam_counts(admin_client, story):
    make(story, "held one")
    make(story, "held two")
    make(story, "spam one", status=CommentStatus.SPAM)
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert '<td class="pending-count">2</td>' in page
    assert '<td class="spam-count">1</td>' in page


def test_pending_and_spam_lists_show_score_and_reasons(admin_client, story):
    make(story, "held with a link", spam_score=0.42, spam_reasons=["1 link"])
    make(
        story,
        "obvious spam",
        status=CommentStatus.SPAM,
        spam_score=0.97,
        spam_reasons=["4 links", "all caps"],
    )
    pending = admin_client.get(reverse("admin:comments_pendingcomment_changelist")).content.decode()
    spam = admin_client.get(reverse("admin:comments_spamcomment_changelist")).content.decode()
    assert "held with a link" in pending and "1 link" in pending and "0.42" in pending
    assert "obvious spam" not in pending
    assert "obvious spam" in spam and "4 links; all caps" in spam


def bulk(admin_client, changelist: str, action: str, comments: list[Comment], **extra):
    data = {"action": action, "_selected_action": [c.pk for c in comments], **extra}
    return admin_client.post(reverse(f"admin:comments_{changelist}_changelist"), data, follow=True)


def test_bulk_approve_and_mark_spam_teach_the_filter_across_a_restart(admin_client, story):
    spam = [
        make(story, f"Buy followers {n} at http://followers.example/{n} check out my deal") for n in range(10)
    ]
    legitimate = [make(story, f"The council meeting number {n} ran late again.") for n in range(10)]
    bulk(admin_client, "pendingcomment", "mark_spam", spam)
    bulk(admin_client, "pendingcomment", "approve", legitimate)
    assert set(Comment.objects.filter(pk__in=[c.pk for c in spam]).values_list("status", flat=True)) == {
        "spam"
    }
    assert all(c.moderated_by_human for c in Comment.objects.all())
    filter_store.forget()  # as after a restart: only the file remains
    learned = filter_store.current()
    assert learned.decisions_seen == 20
    verdict = learned.score(Submission("Buy followers 77 at http://followers.example/77 check out my deal"))
    assert verdict.decision is Decision.REJECT
    assert "link to a domain seen in spam (followers.example)" in verdict.reasons


def test_bulk_delete(admin_client, story):
    doomed = [make(story, "one"), make(story, "two")]
    bulk(admin_client, "pendingcomment", "delete_selected", doomed, post="yes")
    assert not Comment.objects.exists()


def test_changing_status_by_hand_is_a_decision(admin_client, story):
    comment = make(story, "Rescued from the spam list", status=CommentStatus.SPAM)
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    admin_client.post(
        url, {"author_name": "R", "author_email": "", "text": comment.text, "status": "approved"}
    )
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED and comment.moderated_by_human
    assert filter_store.current().decisions_seen == 1


def test_purge_drops_ip_data_and_old_spam_but_keeps_the_rest(story):
    recent = make(story, "recent", status=CommentStatus.APPROVED, ip_hash="a" * 64, user_agent="ua")
    aged = make(
        story, "aged", status=CommentStatus.APPROVED, ip_hash="b" * 64, user_agent="ua", created_at=old(31)
    )
    old_spam = make(story, "old spam", status=CommentStatus.SPAM, created_at=old(31))
    young_spam = make(story, "young spam", status=CommentStatus.SPAM, created_at=old(29))
    spam_with_reply = make(story, "old spam, answered", status=CommentStatus.SPAM, created_at=old(40))
    make(story, "a reply that passed", status=CommentStatus.APPROVED, parent=spam_with_reply)

    assert purge_old_comment_data() == {"anonymised": 1, "spam_deleted": 1}
    recent.refresh_from_db()
    aged.refresh_from_db()
    assert (recent.ip_hash, recent.user_agent) == ("a" * 64, "ua")
    assert (aged.ip_hash, aged.user_agent) == ("", "")
    assert not Comment.objects.filter(pk=old_spam.pk).exists()
    assert Comment.objects.filter(pk__in=[young_spam.pk, spam_with_reply.pk]).count() == 2
    assert purge_old_comment_data() == {"anonymised": 0, "spam_deleted": 0}


def test_purge_command_takes_the_retention_as_options(story):
    make(story, "ten days old", ip_hash="c" * 64, created_at=old(10))
    output = StringIO()
    call_command("comments", "purge", "--ip-days", "7", stdout=output)
    assert json.loads(output.getvalue()) == {"anonymised": 1, "spam_deleted": 0}


def write_csv(path, rows) -> None:
    with open(path, "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["COMMENT_ID", "AUTHOR", "DATE", "CONTENT", "CLASS"])
        writer.writerows(rows)


def test_spam_evaluate_prints_a_line_per_comment_and_a_summary(tmp_path):
    from .test_spam_filter import LEGITIMATE, SPAM

    train = tmp_path / "train.csv"
    test = tmp_path / "test.csv"
    write_csv(
        train,
        [(f"s{n}", "a", "", text, 1) for n, text in enumerate(SPAM)]
        + [(f"h{n}", "b", "", text, 0) for n, text in enumerate(LEGITIMATE)]
        + [("bad", "c", "", "x", "?")],
    )
    write_csv(
        test,
        [
            ("t1", "a", "", "Cheap watches 5 at http://watch-deals.example/shop check out my store", 1),
            ("t2", "b", "", "The detour added an hour to my commute.", 0),
        ],
    )
    output = StringIO()
    call_command("spam", "evaluate", "--train", str(train), "--test", str(test), stdout=output)
    lines = [json.loads(line) for line in output.getvalue().splitlines()]
    assert lines[0]["id"] == "t1" and lines[0]["spam"] is True and lines[0]["decision"] == "reject"
    assert lines[1] == {"id": "t2", "spam": False, "decision": "publish", "score": lines[1]["score"]}
    assert lines[2]["summary"]["comments"] == 2 and lines[2]["summary"]["f1"] == 1.0
    assert not Comment.objects.exists()
    assert not filter_store.path.exists()


def test_spam_evaluate_refuses_missing_files(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="no such file"):
        call_command(
            "spam", "evaluate", "--train", str(tmp_path / "nope.csv"), "--test", str(tmp_path / "x.csv")
        )


def test_repeating_a_decision_teaches_nothing_new(admin_client, story):
    comment = make(story, "A fine remark")
    bulk(admin_client, "pendingcomment", "approve", [comment])
    bulk(admin_client, "comment", "approve", [comment])
    assert filter_store.current().decisions_seen == 1
