"""Copies then stories, in memory: the core that the pipeline stage and the batch command share.

An article first meets the copy index: if it copies a recent article, it joins that article's copy
group (whose original is the earliest published member) and that group's story, so an article and
its copies are never split. Otherwise it goes to the online clusterer. Keys are the caller's:
article ids, and story ids handed out by `new_story_key` (database rows or a counter).
"""

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from newshub.stories.cluster import ClusterConfig, Features, OnlineClusterer
from newshub.stories.copies import Candidate, CopyIndex, Fingerprint, pick_original

log = logging.getLogger(__name__)

# Articles remembered for copy detection: a copy republished weeks later still finds its original,
# and at most this many are in memory. Kept apart from the clustering window, which follows an
# event for months: a late copy still joins its story by its text, only the credit needs memory.
COPY_MEMORY = timedelta(days=60)
MAX_REMEMBERED_ARTICLES = 200_000


@dataclass
class ArticleRecord:
    """One article as the engine sees it: its ranking facts, its features, its copy fingerprint."""

    candidate: Candidate
    features: Features
    fingerprint: Fingerprint


@dataclass
class Placement:
    story: int
    original: int | None
    new_story: bool = False
    # Articles whose original changed because this one turned out to be published earlier.
    repointed: dict[int, int | None] = field(default_factory=dict)


class StoryEngine:
    def __init__(self, new_story_key: Callable[[], int], config: ClusterConfig | None = None) -> None:
        self.new_story_key = new_story_key
        self.clusterer = OnlineClusterer(config)
        self.copies = CopyIndex()
        self.story_of: dict[int, int] = {}
        self.original_of: dict[int, int | None] = {}
        self.group: dict[int, list[int]] = {}
        self.candidates: dict[int, Candidate] = {}
        self.members: dict[int, list[int]] = {}
        self.arrivals: deque[tuple[datetime | None, int]] = deque()

    def place(self, record: ArticleRecord) -> Placement:
        """Decides the article's original and story, and remembers it."""
        key = record.candidate.key
        if key in self.story_of:
            return Placement(self.story_of[key], self.original_of[key])
        vectors = self.clusterer.vectorize(record.features)
        # An undated article is taken as published when it arrives, as the pipeline does with
        # fetched_at: the window then applies to it too, instead of any story being in reach.
        when = record.features.when or self.clusterer.clock
        matched = self.copies.match(record.fingerprint)
        if matched is not None:
            placement = self.join_copy_group(record, matched)
        else:
            story = self.clusterer.assign(vectors, when)
            placement = Placement(story if story is not None else self.new_story_key(), None, story is None)
            self.group[key] = [key]
            self.original_of[key] = None
        self.remember(record, placement.story)
        self.clusterer.add(placement.story, vectors, when)
        return placement

    def replay(self, record: ArticleRecord, story: int, original: int | None) -> None:
        """Restores an article already placed (rebuilding state from storage), without deciding anything."""
        key = record.candidate.key
        if key in self.story_of:
            return
        vectors = self.clusterer.vectorize(record.features)
        if original is not None and original in self.group:
            self.group[original].append(key)
            self.original_of[key] = original
        else:
            self.group.setdefault(key, [key])
            self.original_of[key] = None
        self.remember(record, story)
        self.clusterer.add(story, vectors, record.features.when)

    def join_copy_group(self, record: ArticleRecord, matched: int) -> Placement:
        key = record.candidate.key
        root = self.original_of.get(matched) or matched
        story = self.story_of[matched]
        if root not in self.candidates:
            # The original is older than what is kept in memory: it keeps the credit.
            self.group.setdefault(root, []).append(key)
            self.original_of[key] = root
            return Placement(story, root)
        members = [*self.group.get(root, [root]), key]
        winner = pick_original(self.candidates[m] if m != key else record.candidate for m in members)
        repointed: dict[int, int | None] = {}
        if winner.key != root:
            log.info("copies original_changed old=%s new=%s", root, winner.key)
            for member in members:
                new_original = None if member == winner.key else winner.key
                if member != key and self.original_of.get(member) != new_original:
                    repointed[member] = new_original
                    self.original_of[member] = new_original
            self.group.pop(root, None)
        self.group[winner.key] = members
        self.original_of[key] = None if winner.key == key else winner.key
        return Placement(story, self.original_of[key], False, repointed)

    def remember(self, record: ArticleRecord, story: int) -> None:
        key = record.candidate.key
        self.story_of[key] = story
        self.members.setdefault(story, []).append(key)
        self.candidates[key] = record.candidate
        self.copies.add(key, record.fingerprint)
        self.arrivals.append((record.features.when or self.clusterer.clock, key))

    def merge_pass(self) -> list[tuple[int, int]]:
        """Merges stories that turned out to be one; returns (absorbed, survivor) pairs."""
        merges = self.clusterer.merge_pass()
        for absorbed, survivor in merges:
            moved = self.members.pop(absorbed, [])
            for key in moved:
                self.story_of[key] = survivor
            self.members.setdefault(survivor, []).extend(moved)
        self.forget_old_articles()
        return merges

    def settle(self) -> None:
        """After a replay: nothing is new, so no merge is due; what is too old is forgotten; the
        stories' profiles are computed now rather than by the first articles that meet them."""
        self.clusterer.dirty.clear()
        self.clusterer.since_merge = 0
        self.clusterer.evict()
        self.forget_old_articles()
        for story in self.clusterer.stories.values():
            story.profile(self.clusterer.config.story_terms)

    def forget_old_articles(self) -> None:
        clock = self.clusterer.clock
        horizon = clock - COPY_MEMORY if clock else None
        while self.arrivals and (
            len(self.arrivals) > MAX_REMEMBERED_ARTICLES or self.older_than(self.arrivals[0][0], horizon)
        ):
            _, key = self.arrivals.popleft()
            self.copies.remove(key)
            story = self.story_of.pop(key, None)
            if story in self.members:
                self.members[story].remove(key)
                if not self.members[story]:
                    del self.members[story]
            self.candidates.pop(key, None)
            root = self.original_of.pop(key, None) or key
            members = self.group.get(root)
            if members is not None and key in members:
                members.remove(key)
                if not members:
                    del self.group[root]

    @staticmethod
    def older_than(arrived: datetime | None, horizon: datetime | None) -> bool:
        # An article with no time arrived before the first dated one (the clock was not set yet):
        # it is older than anything dated, and must not hold back the articles queued after it.
        return horizon is not None and (arrived is None or arrived < horizon)
