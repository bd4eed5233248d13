"""The comments app's side effects: the site's spam filter on disk, judging and storing a comment, moderators'
decisions, and purging old data. Views, the admin and commands call these; the filter itself is pure
(spam.py)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import akismet
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from newshub.api.cache import bump_stories

from . import akismet_signal
from .models import Comment, CommentStatus
from .spam import Decision, SpamFilter, Submission, Verdict

log = logging.getLogger(__name__)

DATA_RETENTION_DAYS = 30
STATUS_FOR_DECISION = {
    Decision.PUBLISH: CommentStatus.APPROVED,
    Decision.HOLD: CommentStatus.PENDING,
    Decision.REJECT: CommentStatus.SPAM,
}


def hash_ip(ip: str) -> str:
    """The IP address as an HMAC keyed with the site's secret key (kept in NEWSHUB_HOME): the same address
    gives the same hash, for rate limits and moderation, but the address cannot be read back."""
    return salted_hmac("newshub.comments.ip", ip or "unknown", algorithm="sha256").hexdigest()


class FilterStore:
    """The site's filter, loaded once per process and reloaded when another process saved a newer one."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.loaded: SpamFilter | None = None
        self.loaded_stamp: tuple[str, float] | None = None

    @property
    def path(self) -> Path:
        return Path(settings.NEWSHUB_HOME) / "spam-filter.joblib"

    def stamp(self) -> tuple[str, float]:
        try:
            return str(self.path), self.path.stat().st_mtime
        except FileNotFoundError:
            return str(self.path), 0.0

    def current(self) -> SpamFilter:
        with self.lock:
            if self.loaded is None or self.loaded_stamp != self.stamp():
                self.loaded_stamp = self.stamp()
                self.loaded = SpamFilter.load(self.path)
            return self.loaded

    def learn(self, submissions: list[Submission], spam: list[bool]) -> None:
        with self.lock:
            # Start from the file, not the cached copy: another process may have learned meanwhile.
            spam_filter = SpamFilter.load(self.path)
            spam_filter.learn(submissions, spam)
            spam_filter.save(self.path)
            self.loaded, self.loaded_stamp = spam_filter, self.stamp()

    def forget(self) -> None:
        with self.lock:
            self.loaded, self.loaded_stamp = None, None


filter_store = FilterStore()


@dataclass(frozen=True)
class PostContext:
    """Who posted, from where: used for the verdict and Akismet, then only hashed IP and agent are kept."""

    ip: str
    user_agent: str
    site_url: str
    permalink: str
    seconds_to_post: float | None


def judge(text: str, author: str, context: PostContext) -> Verdict:
    """The local filter's verdict, with Akismet's opinion folded in when it is configured and answers."""
    submission = Submission(text=text, author=author, seconds_to_post=context.seconds_to_post)
    try:
        verdict = filter_store.current().score(submission)
    except Exception:  # a broken filter must not lose a reader's comment: a moderator will see it
        log.exception("spam_filter_failed")
        verdict = Verdict(Decision.HOLD, 0.5, ["spam filter unavailable"])
    answer = akismet_signal.check(
        akismet_signal.AkismetComment(
            text=text,
            author=author,
            user_ip=context.ip,
            user_agent=context.user_agent,
            permalink=context.permalink,
        ),
        context.site_url,
    )
    return with_akismet(verdict, answer)


def with_akismet(verdict: Verdict, answer: akismet.CheckResponse | None) -> Verdict:
    """Akismet can only make a verdict stricter: "spam" holds a comment the local filter would publish and
    rejects one it already doubted; "discard" (blatant spam) rejects."""
    if answer is None or answer == akismet.CheckResponse.HAM:
        return verdict
    if answer == akismet.CheckResponse.DISCARD or verdict.decision is not Decision.PUBLISH:
        decision = Decision.REJECT
    else:
        decision = Decision.HOLD
    return Verdict(decision, verdict.score, [*verdict.reasons, "Akismet: spam"])


def store_comment(
    *, story, parent: Comment | None, author_name: str, author_email: str, text: str, context: PostContext
) -> Comment:
    verdict = judge(text, author_name, context)
    comment = Comment.objects.create(
        story=story,
        parent=parent,
        author_name=author_name,
        author_email=author_email,
        text=text,
        status=STATUS_FOR_DECISION[verdict.decision],
        spam_score=verdict.score,
        spam_reasons=verdict.reasons,
        ip_hash=hash_ip(context.ip),
        user_agent=context.user_agent[:500],
    )
    log.info(
        "comment_stored id=%s story=%s decision=%s score=%.3f",
        comment.pk,
        story.pk,
        verdict.decision,
        verdict.score,
    )
    return comment


def record_decision(comments: list[Comment], spam: bool, site_url: str = "") -> int:
    """A moderator marked these comments spam (or legitimate): store it, teach the filter, tell Akismet."""
    status = CommentStatus.SPAM if spam else CommentStatus.APPROVED
    # The same decision twice is one lesson, not two.
    comments = [c for c in comments if c.status != status or not c.moderated_by_human]
    if not comments:
        return 0
    with transaction.atomic():
        Comment.objects.filter(pk__in=[c.pk for c in comments]).update(status=status, moderated_by_human=True)
    # Their pages show the comments, and a bulk update sends no signal that would say so.
    bump_stories({c.story_id for c in comments})
    filter_store.learn(
        [Submission(text=c.text, author=c.author_name) for c in comments], [spam] * len(comments)
    )
    if akismet_signal.is_configured():
        akismet_signal.report(
            [
                akismet_signal.AkismetComment(
                    text=c.text, author=c.author_name, user_ip="", user_agent=c.user_agent, permalink=""
                )
                for c in comments
            ],
            spam=spam,
            site_url=site_url,
        )
    log.info("comments_moderated count=%d spam=%s", len(comments), spam)
    return len(comments)


def purge_old_comment_data(
    now: datetime | None = None, ip_days: int = DATA_RETENTION_DAYS, spam_days: int = DATA_RETENTION_DAYS
) -> dict:
    """Forget where comments came from (IP hash, user agent) after `ip_days`, and delete spam after
    `spam_days`. Run daily by the scheduler and by `newshub comments purge`."""
    now = now or timezone.now()
    ip_cutoff = now - timedelta(days=ip_days)
    spam_cutoff = now - timedelta(days=spam_days)
    with transaction.atomic():
        anonymised = (
            Comment.objects.filter(created_at__lt=ip_cutoff)
            .exclude(ip_hash="", user_agent="")
            .update(ip_hash="", user_agent="")
        )
        # A spam comment that legitimate replies hang on stays: deleting it would cascade to them.
        expired_spam = Comment.objects.filter(status=CommentStatus.SPAM, created_at__lt=spam_cutoff).exclude(
            replies__status__in=[CommentStatus.APPROVED, CommentStatus.PENDING]
        )
        deleted = Comment.objects.filter(pk__in=expired_spam.values("pk")).delete()[0]
    log.info("comments_purged anonymised=%d spam_deleted=%d", anonymised, deleted)
    return {"anonymised": anonymised, "spam_deleted": deleted}
