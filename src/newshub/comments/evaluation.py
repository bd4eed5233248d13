"""Scoring the spam filter on labelled comments (YouTube Spam Collection CSV columns:
COMMENT_ID, AUTHOR, DATE, CONTENT, CLASS), for `newshub spam evaluate` and bench/spam.

A fresh filter learns from the training files as if a moderator had marked every comment, then scores the
test file. Nothing here touches the site's database or model file.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .spam import Decision, SpamFilter, Submission, Verdict

log = logging.getLogger(__name__)

SPAM_CALL_FROM = 0.5


@dataclass(frozen=True)
class LabelledComment:
    comment_id: str
    author: str
    text: str
    spam: bool


def read_labelled_csv(path: Path) -> list[LabelledComment]:
    """Rows with a CLASS of 0 or 1; malformed rows are skipped with a log line."""
    comments = []
    with open(path, newline="", encoding="utf-8", errors="replace") as file:
        for line_number, row in enumerate(csv.DictReader(file), start=2):
            label = (row.get("CLASS") or "").strip()
            if label not in {"0", "1"} or row.get("CONTENT") is None:
                log.warning("spam_csv_row_skipped path=%s line=%d", path, line_number)
                continue
            comments.append(
                LabelledComment(
                    comment_id=row.get("COMMENT_ID") or str(line_number),
                    author=row.get("AUTHOR") or "",
                    text=row["CONTENT"],
                    spam=label == "1",
                )
            )
    return comments


def as_submission(comment: LabelledComment) -> Submission:
    return Submission(text=comment.text, author=comment.author)


def train_filter(training: Iterable[LabelledComment]) -> SpamFilter:
    training = list(training)
    spam_filter = SpamFilter()
    spam_filter.learn([as_submission(comment) for comment in training], [c.spam for c in training])
    return spam_filter


def is_spam_call(verdict: Verdict) -> bool:
    """The yes/no answer behind the three-way decision: held comments count by their score."""
    return verdict.score >= SPAM_CALL_FROM


def summarise(labels: list[bool], decisions: list[Decision], spam_calls: list[bool]) -> dict:
    """Rates over one scored file: what a site would publish, hold and reject, and F1 of the spam call."""
    spam_decisions = [d for d, spam in zip(decisions, labels, strict=True) if spam]
    legitimate_decisions = [d for d, spam in zip(decisions, labels, strict=True) if not spam]
    true_positive = sum(call and spam for call, spam in zip(spam_calls, labels, strict=True))
    false_positive = sum(call and not spam for call, spam in zip(spam_calls, labels, strict=True))
    false_negative = sum(spam and not call for call, spam in zip(spam_calls, labels, strict=True))
    precision = true_positive / (true_positive + false_positive) if true_positive + false_positive else 0.0
    recall = true_positive / (true_positive + false_negative) if true_positive + false_negative else 0.0
    return {
        "comments": len(labels),
        "spam": len(spam_decisions),
        "spam_published": rate(spam_decisions, Decision.PUBLISH),
        "legitimate_rejected": rate(legitimate_decisions, Decision.REJECT),
        "held": rate(decisions, Decision.HOLD),
        "spam_held": rate(spam_decisions, Decision.HOLD),
        "legitimate_held": rate(legitimate_decisions, Decision.HOLD),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
    }


def rate(decisions: list[Decision], wanted: Decision) -> float:
    return round(sum(d is wanted for d in decisions) / len(decisions), 4) if decisions else 0.0


def evaluate(training: list[LabelledComment], test: list[LabelledComment]) -> tuple[list[dict], dict]:
    """Per-comment results (the JSON lines of `newshub spam evaluate`) and their summary."""
    spam_filter = train_filter(training)
    verdicts = spam_filter.score_many([as_submission(comment) for comment in test])
    lines = [
        {
            "id": comment.comment_id,
            "spam": is_spam_call(verdict),
            "decision": verdict.decision.value,
            "score": verdict.score,
        }
        for comment, verdict in zip(test, verdicts, strict=True)
    ]
    summary = summarise(
        [comment.spam for comment in test],
        [verdict.decision for verdict in verdicts],
        [is_spam_call(verdict) for verdict in verdicts],
    )
    return lines, summary
