"""The local spam filter: heuristic signals with human-readable reasons, plus a classifier that learns from
moderators' decisions.

Pure core: plain data in (`Submission`), plain data out (`Verdict`); no database, no network. The state (the
examples moderators marked, the classifier fitted on them, the domains seen in spam) is one object that
`save()` writes atomically and `load()` reads back, so the filter survives restarts.

Text is turned into numbers with `HashingVectorizer` (word 1–2 grams and character 2–5 grams), so there is no
vocabulary to refit: a new decision only adds a row to the examples and refits a logistic regression on them.
"""

from __future__ import annotations

import html
import logging
import math
import os
import re
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

import joblib
import numpy as np
from scipy import sparse
from sklearn.ensemble import VotingClassifier
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier

log = logging.getLogger(__name__)

FORMAT_VERSION = 2
HASH_BITS = 18
# Keep the most recent decisions only: bounds the model file and the refit, which runs in the moderator's
# request (a few seconds at 1,600 decisions on a shared 2-core machine).
MAX_EXAMPLES = 5_000
MAX_DOMAINS = 50_000
SIMILAR_TO_SPAM_COSINE = 0.8
QUICK_POST_SECONDS = 8.0
MIN_DECISIONS_PER_CLASS = 10

# Thresholds on the spam score, calibrated leave-one-file-out on the YouTube Spam Collection (bench/spam):
# below PUBLISH_BELOW the comment is published, at or above REJECT_FROM it is rejected, in between it is held.
PUBLISH_BELOW = 0.1
REJECT_FROM = 0.9
# With no moderator decisions yet the heuristics alone are less sure: reject only the blatant.
HEURISTIC_PUBLISH_BELOW = 0.2
HEURISTIC_REJECT_FROM = 0.85

SPAM_PHRASES = (
    "check out",
    "check my",
    "subscribe",
    "my channel",
    "visit my",
    "click here",
    "click the link",
    "follow me",
    "free gift",
    "giveaway",
    "make money",
    "earn money",
    "work from home",
    "per hour",
    "promo code",
    "discount code",
    "casino",
    "viagra",
    "bitcoin",
    "crypto",
    "whatsapp",
    "telegram",
    "dating",
    "win a",
    "limited offer",
)
URL_PATTERN = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|biz|ly|me|io|co|tv|xyz|ru|tk|gl|gd|to|us)"
    r"\b(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
MARKUP = re.compile(r"<[^>]*>")
REPEATED_CHARACTER = re.compile(r"(\S)\1{4,}")
WORD = re.compile(r"\w+")


class Decision(StrEnum):
    PUBLISH = "publish"
    HOLD = "hold"
    REJECT = "reject"


@dataclass(frozen=True)
class Submission:
    """What the filter sees of a comment."""

    text: str
    author: str = ""
    seconds_to_post: float | None = None


@dataclass(frozen=True)
class Verdict:
    decision: Decision
    score: float
    reasons: list[str] = field(default_factory=list)

    @property
    def is_spam(self) -> bool:
        return self.decision is Decision.REJECT


@dataclass(frozen=True)
class Signals:
    """Heuristic measurements of one comment; `reasons` explains the ones that point to spam.

    `features` (from the text alone) also feed the classifier; `weight` sums every signal for the
    heuristics-only score; `hold_at_least` marks signals the classifier cannot learn (posting speed, the
    filter's memory of spam) that should keep a comment from being published unseen.
    """

    features: list[float]
    weight: float
    reasons: list[str]
    hold_at_least: bool = False


def normalise_text(text: str) -> str:
    """What a reader reads: markup reduced to its text, entities decoded, invisible format characters
    (zero-width spaces, byte-order marks) dropped, compatibility forms folded (NFKC)."""
    text = html.unescape(MARKUP.sub(" ", text))
    return "".join(char for char in unicodedata.normalize("NFKC", text) if unicodedata.category(char) != "Cf")


def link_domains(text: str) -> list[str]:
    domains = []
    for match in URL_PATTERN.findall(text):
        candidate = match if "://" in match else "http://" + match
        host = (urlsplit(candidate).hostname or "").lower().removeprefix("www.")
        if host:
            domains.append(host)
    return domains


def letter_scripts(word: str) -> set[str]:
    """The scripts of a word's letters, from their Unicode names ("LATIN SMALL LETTER A" -> "LATIN")."""
    scripts = set()
    for char in word:
        if char.isalpha():
            name = unicodedata.name(char, "")
            scripts.add(name.split(" ", 1)[0] if name else "UNKNOWN")
    return scripts


def has_mixed_script_word(text: str) -> bool:
    """A word that mixes Latin with Cyrillic or Greek letters is a classic look-alike trick ("vіagra")."""
    lookalike_scripts = {"CYRILLIC", "GREEK"}
    for word in WORD.findall(text):
        scripts = letter_scripts(word)
        if "LATIN" in scripts and scripts & lookalike_scripts:
            return True
    return False


def uppercase_share(text: str) -> tuple[float, int]:
    """Share of capitals among cased letters (scripts without case, like Hangul, do not count)."""
    cased = [char for char in text if char.isupper() or char.islower()]
    if not cased:
        return 0.0, 0
    return sum(char.isupper() for char in cased) / len(cased), len(cased)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def text_signals(submission: Submission) -> Signals:
    """Signals computed from the comment alone."""
    text = normalise_text(submission.text)
    lowered = text.lower()
    domains = link_domains(text)
    phrases = [phrase for phrase in SPAM_PHRASES if phrase in lowered]
    caps_share, letter_count = uppercase_share(URL_PATTERN.sub(" ", text))
    shouting = letter_count >= 20 and caps_share >= 0.7
    repeated = bool(REPEATED_CHARACTER.search(text))
    mixed_scripts = has_mixed_script_word(text)

    reasons, weight = [], 0.0
    if domains:
        reasons.append(plural(len(domains), "link"))
        weight += min(len(domains), 4) * 1.0
    if phrases:
        reasons.append("spam phrase" + ("s" if len(phrases) > 1 else "") + ": " + ", ".join(phrases[:3]))
        weight += min(len(phrases), 3) * 1.0
    if shouting:
        reasons.append("all caps")
        weight += 1.0
    if repeated:
        reasons.append("repeated characters")
        weight += 0.5
    if mixed_scripts:
        reasons.append("mixed scripts in one word")
        weight += 2.0
    features = [
        min(len(domains), 4) / 4,
        min(len(phrases), 3) / 3,
        float(shouting),
        float(repeated),
        float(mixed_scripts),
        min(len(text), 1000) / 1000,
    ]
    return Signals(features=features, weight=weight, reasons=reasons)


def context_signals(submission: Submission, spam_domains: list[str], similar_spam: int) -> Signals:
    """Signals from outside the text: how fast it was posted, what the filter remembers of spam."""
    reasons, weight = [], 0.0
    if submission.seconds_to_post is not None and submission.seconds_to_post < QUICK_POST_SECONDS:
        reasons.append(f"posted {submission.seconds_to_post:.0f} s after the page loaded")
        weight += 2.0
    if spam_domains:
        reasons.append(f"link to a domain seen in spam ({spam_domains[0]})")
        weight += 3.0
    if similar_spam:
        reasons.append(f"like {plural(similar_spam, 'comment')} marked spam")
        weight += 2.0 + min(similar_spam, 5) * 0.5
    return Signals(features=[], weight=weight, reasons=reasons, hold_at_least=bool(reasons))


def heuristic_score(weight: float) -> float:
    """Map summed signal weights to [0, 1): 0 signals -> 0, one weak signal -> ~0.25, many -> close to 1."""
    return 1.0 - math.exp(-weight / 3.5)


_word_hasher = HashingVectorizer(
    analyzer="word",
    ngram_range=(1, 2),
    n_features=2**HASH_BITS,
    alternate_sign=False,
    token_pattern=r"(?u)\b\w+\b",
)
_char_hasher = HashingVectorizer(
    analyzer="char_wb", ngram_range=(2, 5), n_features=2**HASH_BITS, alternate_sign=False
)


def text_vectors(texts: list[str]) -> sparse.csr_matrix:
    """Hashed word and character n-grams, each block L2-normalised."""
    return sparse.hstack([_word_hasher.transform(texts), _char_hasher.transform(texts)]).tocsr()


def feature_matrix(submissions: list[Submission]) -> sparse.csr_matrix:
    texts = [normalise_text(submission.text) for submission in submissions]
    heuristics = np.array([text_signals(submission).features for submission in submissions], dtype=float)
    return sparse.hstack([text_vectors(texts), sparse.csr_matrix(heuristics)]).tocsr().astype(np.float32)


@dataclass
class SpamFilter:
    """Scores comments; learns from moderators' decisions (`learn`); persists with `save` / `load`."""

    examples: sparse.csr_matrix | None = None
    labels: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    spam_domains: Counter = field(default_factory=Counter)
    ham_domains: Counter = field(default_factory=Counter)
    classifier: VotingClassifier | None = None

    @property
    def decisions_seen(self) -> int:
        return len(self.labels)

    def learn(self, submissions: list[Submission], spam: list[bool]) -> None:
        """Record moderators' decisions and refit the classifier on everything kept."""
        if not submissions:
            return
        rows = feature_matrix(submissions)
        self.examples = rows if self.examples is None else sparse.vstack([self.examples, rows]).tocsr()
        self.labels = np.concatenate([self.labels, np.asarray(spam, dtype=np.int8)])
        if len(self.labels) > MAX_EXAMPLES:
            self.examples = self.examples[-MAX_EXAMPLES:]
            self.labels = self.labels[-MAX_EXAMPLES:]
        for submission, is_spam in zip(submissions, spam, strict=True):
            (self.spam_domains if is_spam else self.ham_domains).update(
                set(link_domains(normalise_text(submission.text)))
            )
        for counter in (self.spam_domains, self.ham_domains):
            if len(counter) > MAX_DOMAINS:
                kept = dict(counter.most_common(MAX_DOMAINS))
                counter.clear()
                counter.update(kept)
        self._refit()

    def _refit(self) -> None:
        if min(np.sum(self.labels == 1), np.sum(self.labels == 0)) < MIN_DECISIONS_PER_CLASS:
            # A classifier fitted on a handful of decisions would be confidently wrong: heuristics until then.
            self.classifier = None
            return
        # Two linear models over the same features, probabilities averaged (2:1): the pair is steadier at
        # the extremes than the logistic regression alone, and those are where publish and reject are
        # decided (bench/spam).
        classifier = VotingClassifier(
            [
                ("logistic", LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000)),
                (
                    "huber",
                    SGDClassifier(
                        loss="modified_huber",
                        alpha=1e-5,
                        class_weight="balanced",
                        max_iter=50,
                        random_state=0,
                    ),
                ),
            ],
            voting="soft",
            weights=[2, 1],
        )
        classifier.fit(self.examples, self.labels)
        self.classifier = classifier

    def score(self, submission: Submission) -> Verdict:
        return self.score_many([submission])[0]

    def score_many(self, submissions: list[Submission]) -> list[Verdict]:
        if not submissions:
            return []
        rows = feature_matrix(submissions)
        learned = self.classifier.predict_proba(rows)[:, 1] if self.classifier is not None else None
        similar_counts = self._similar_spam_counts(rows)
        verdicts = []
        for index, submission in enumerate(submissions):
            signals = text_signals(submission)
            spam_domains = [
                domain
                for domain in link_domains(normalise_text(submission.text))
                if self.spam_domains[domain] > self.ham_domains[domain]
            ]
            context = context_signals(submission, spam_domains, similar_counts[index])
            reasons = signals.reasons + context.reasons
            if learned is None:
                score = heuristic_score(signals.weight + context.weight)
                publish_below, reject_from = HEURISTIC_PUBLISH_BELOW, HEURISTIC_REJECT_FROM
            else:
                score = float(learned[index])
                publish_below, reject_from = PUBLISH_BELOW, REJECT_FROM
                reasons.append(f"learned filter: {score:.0%} like spam")
            if context.hold_at_least:
                score = max(score, publish_below)
            verdicts.append(Verdict(decide(score, publish_below, reject_from), round(score, 4), reasons))
        return verdicts

    def _similar_spam_counts(self, rows: sparse.csr_matrix) -> list[int]:
        if self.examples is None or not self.labels.any():
            return [0] * rows.shape[0]
        text_columns = 2 * 2**HASH_BITS
        spam_rows = self.examples[np.flatnonzero(self.labels), :text_columns]
        # Each hashed block is L2-normalised, so half the dot product is the mean of two cosines.
        similarity = (rows[:, :text_columns] @ spam_rows.T).toarray() / 2
        return (similarity >= SIMILAR_TO_SPAM_COSINE).sum(axis=1).tolist()

    def save(self, path: Path) -> None:
        """Write atomically: a crash mid-write leaves the previous model in place."""
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                joblib.dump({"version": FORMAT_VERSION, "filter": self}, file, compress=3)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> SpamFilter:
        """The saved filter, or a fresh one (heuristics only) when there is none or it cannot be read."""
        if not path.exists():
            return cls()
        try:
            saved = joblib.load(path)
        except Exception as error:  # a truncated or foreign file must not take the comment form down
            log.warning("spam_filter_unreadable path=%s error=%r", path, error)
            return cls()
        if not isinstance(saved, dict) or saved.get("version") != FORMAT_VERSION:
            log.warning("spam_filter_version_mismatch path=%s", path)
            return cls()
        return saved["filter"]


def decide(score: float, publish_below: float, reject_from: float) -> Decision:
    if score >= reject_from:
        return Decision.REJECT
    if score < publish_below:
        return Decision.PUBLISH
    return Decision.HOLD
