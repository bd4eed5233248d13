"""Copies: articles whose text is (nearly) another's, credited to the original.

Exact copies share the hash of their normalized text. Near copies (a wire story republished under
another headline, with the outlet's boilerplate, a trimmed end or a few added sentences) share
most of their word 5-grams: MinHash signatures and an LSH index find the candidates in constant
time, and the estimated overlap decides. The headline is left out on purpose: re-headlining is
what republishers do.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from newshub.stories.features import words

NUM_PERM = 128
# Named explicitly: stored signatures are only comparable with ones made the same way.
MINHASH_SCHEME = "affine32"
SHINGLE_WORDS = 5
# Long articles: the first words are enough to recognise a copy, and keep hashing cheap.
MAX_SHINGLE_WORDS = 3000
# Candidates from the LSH index: low, because a trimmed copy with boilerplate overlaps only partly.
LSH_THRESHOLD = 0.2
# A copy: most of the shorter text is inside the longer one, and the two are not wildly different in size.
MIN_CONTAINMENT = 0.5
MIN_JACCARD = 0.15
# Under this many shingles, texts are too short to tell a copy from a shared formula.
MIN_SHINGLES = 25


def normalized_text(text: str) -> str:
    return " ".join(words(text))


def content_hash(text: str) -> str:
    """Same for texts that differ only in case, spacing, punctuation or Unicode form."""
    return hashlib.sha256(normalized_text(text).encode()).hexdigest()


def shingles(text: str) -> set[bytes]:
    tokens = words(text)[:MAX_SHINGLE_WORDS]
    if len(tokens) < SHINGLE_WORDS:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[i : i + SHINGLE_WORDS]).encode() for i in range(len(tokens) - SHINGLE_WORDS + 1)}


@dataclass(frozen=True)
class Fingerprint:
    """What copy detection keeps of an article: its hash, MinHash signature and shingle count."""

    content_hash: str
    signature: np.ndarray
    size: int

    def to_bytes(self) -> bytes:
        """Stored form (Article.minhash): the shingle count, then the signature, little-endian 32-bit."""
        return np.array([self.size, *self.signature], dtype="<u4").tobytes()

    @classmethod
    def from_bytes(cls, content_hash: str, data: bytes) -> "Fingerprint | None":
        if not data or len(data) != 4 * (NUM_PERM + 1):
            return None
        values = np.frombuffer(bytes(data), dtype="<u4").astype(np.uint32)
        return cls(content_hash, values[1:], int(values[0]))

    def minhash(self) -> MinHash:
        minhash = empty_minhash().copy()
        minhash.hashvalues = self.signature.copy()
        return minhash


@cache
def empty_minhash() -> MinHash:
    """Copied rather than made anew: making one draws its permutations, the costly part."""
    return MinHash(num_perm=NUM_PERM, seed=1, scheme=MINHASH_SCHEME)


def fingerprint(text: str) -> Fingerprint:
    grams = shingles(text)
    minhash = empty_minhash().copy()
    minhash.update_batch(sorted(grams))
    return Fingerprint(content_hash(text), minhash.hashvalues.copy(), len(grams))


def is_copy(a: Fingerprint, b: Fingerprint) -> bool:
    """Near copies: the estimated shingle overlap covers most of the shorter text."""
    if a.content_hash == b.content_hash:
        return True
    if min(a.size, b.size) < MIN_SHINGLES:
        return False
    jaccard = float(np.mean(a.signature == b.signature))
    if jaccard < MIN_JACCARD:
        return False
    # |A ∩ B| from the Jaccard estimate and both sizes: J (|A| + |B|) / (1 + J).
    shared = jaccard * (a.size + b.size) / (1 + jaccard)
    return shared / min(a.size, b.size) >= MIN_CONTAINMENT


@dataclass(frozen=True)
class Candidate:
    """An article competing to be the original of a group of copies."""

    key: int
    published: datetime | None
    fetched: datetime | None = None
    wire: bool = False


def original_rank(candidate: Candidate) -> tuple:
    """Earliest published first; on a tie the wire service, then the earliest fetched, then first stored."""
    return (
        candidate.published is None,
        candidate.published or datetime.max,
        not candidate.wire,
        candidate.fetched is None,
        candidate.fetched or datetime.max,
        candidate.key,
    )


def pick_original(candidates: Iterable[Candidate]) -> Candidate:
    return min(candidates, key=original_rank)


class CopyIndex:
    """In-memory index of recent articles' fingerprints; finds the article a new text copies."""

    def __init__(self) -> None:
        self.lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self.by_hash: dict[str, int] = {}
        self.fingerprints: dict[int, Fingerprint] = {}

    def __len__(self) -> int:
        return len(self.fingerprints)

    def match(self, fp: Fingerprint) -> int | None:
        """The indexed article this fingerprint copies (the closest one), or None."""
        if fp.content_hash in self.by_hash:
            return self.by_hash[fp.content_hash]
        if fp.size < MIN_SHINGLES:
            return None
        matches = [key for key in self.lsh.query(fp.minhash()) if is_copy(fp, self.fingerprints[key])]
        if not matches:
            return None
        return max(
            sorted(matches), key=lambda key: float(np.mean(fp.signature == self.fingerprints[key].signature))
        )

    def add(self, key: int, fp: Fingerprint) -> None:
        if key in self.fingerprints:
            return
        self.fingerprints[key] = fp
        self.by_hash.setdefault(fp.content_hash, key)
        if fp.size >= MIN_SHINGLES:
            self.lsh.insert(key, fp.minhash())

    def remove(self, key: int) -> None:
        fp = self.fingerprints.pop(key, None)
        if fp is None:
            return
        if self.by_hash.get(fp.content_hash) == key:
            del self.by_hash[fp.content_hash]
        if key in self.lsh:
            self.lsh.remove(key)
