"""Online story clustering: each new article joins the closest recent story or starts one.

An article is two sparse TF-IDF vectors, one of its words and one of its named entities, with
document frequencies updated as articles arrive (so no vocabulary has to be fitted beforehand).
Its similarity to a story is the weighted mean of the two cosines to the story's centroid. It
joins the closest story above `assign_threshold`, else starts a new one. Every `merge_every`
articles, a merge pass joins recently updated stories greedily while their average-link
similarity (the mean cosine over all pairs of their articles) stays above `merge_threshold`
(`attach_threshold` for a lone article and a story of several): single-pass clustering splits an
event when its first articles differ, and this repairs it.

An article joins only a story seen within `window_days`. The link a merge needs grows with the
time between the two stories (the days from the end of one to the start of the other; none when
they overlap): from `merge_threshold` (`attach_threshold`) for stories told at the same time to
`late_merge_threshold` (`late_attach_threshold`) for stories `ramp_days` or more apart. A story
ended long ago, up to `memory_days`, can so still take in a newer one at a stronger link: an event
followed for months or years (the crime, then the trial and the verdict; an attack, then its
anniversary) comes back together, while a similar event of another year (another quake in the same
country, another arrest in the same team), or the next phase of a long-running topic (the peace
talks, then the airport opening, then the president's visit), links less strongly and stays apart.
Candidates come from an inverted index over each article's strongest terms, and at most
`max_active` stories are kept, so the cost per article does not depend on how many articles were
ever stored. Everything is deterministic: the same articles in the same order give the same stories.
"""

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

SparseVector = dict[str, float]


@dataclass(frozen=True)
class ClusterConfig:
    assign_threshold: float = 0.5
    merge_threshold: float = 0.10
    # A lone article joins an established story (two articles or more) at a lower average link: a
    # story of one is the costliest split for a reader, and a wrong attachment costs only one article.
    attach_threshold: float = 0.07
    text_weight: float = 2.0
    entity_weight: float = 0.5
    # Long enough for an event followed over weeks (a trial, an election, a storm's aftermath).
    window_days: float = 90.0
    # A story is remembered this long after its last article, for merges at a stronger average link.
    memory_days: float = 730.0
    late_merge_threshold: float = 0.25
    late_attach_threshold: float = 0.12
    # Days between two stories at which a merge needs the late link; in between, the link needed
    # rises in proportion. Two stories told weeks apart with similar words are more often two
    # phases of one topic (or two events of one kind) than one event.
    ramp_days: float = 21.0
    merge_every: int = 25
    # Terms of an article (or story) used to find candidate stories in the inverted index.
    query_terms: int = 40
    # An article's vector keeps its strongest terms; a story is compared through its strongest
    # centroid terms. Both bound the cost of a comparison however long articles and stories grow.
    article_terms: int = 100
    story_terms: int = 300
    # Candidates scored exactly, the ones sharing the most strong terms.
    max_candidates: int = 50
    # A term found in more stories than this is too common to single out candidates by; skipping it
    # bounds the cost of a candidate search however many stories are in memory.
    max_postings: int = 500
    merge_candidates: int = 20
    # Undated stories are kept by recency of update, up to this many.
    max_active: int = 20000


@dataclass
class Features:
    """The words and named entities of one article, and when it was published."""

    terms: Counter
    entities: Counter
    when: datetime | None = None


@dataclass
class Vectors:
    text: SparseVector
    entities: SparseVector


@dataclass
class StoryState:
    key: int
    size: int = 0
    text_sum: SparseVector = field(default_factory=dict)
    entity_sum: SparseVector = field(default_factory=dict)
    text_norm2: float = 0.0
    entity_norm2: float = 0.0
    first: datetime | None = None
    last: datetime | None = None
    touched: int = 0
    profiles: tuple[SparseVector, SparseVector] | None = None

    def profile(self, terms: int) -> tuple[SparseVector, SparseVector]:
        """The strongest terms of the text and entity centroids, cached until the story changes."""
        if self.profiles is None:
            self.profiles = (top_terms(self.text_sum, terms), top_terms(self.entity_sum, terms))
        return self.profiles


def dot(a: SparseVector, b: SparseVector) -> float:
    # The key intersection runs in C; vectors share few of their terms.
    return sum(a[term] * b[term] for term in a.keys() & b.keys())


def add_into(total: SparseVector, vector: SparseVector) -> float:
    """Adds `vector` to `total` in place; returns the change in the squared norm of `total`."""
    change = 0.0
    for term, weight in vector.items():
        old = total.get(term, 0.0)
        total[term] = old + weight
        change += 2 * old * weight + weight * weight
    return change


def top_terms(vector: SparseVector, count: int) -> SparseVector:
    """The `count` largest entries (ties: alphabetical, for determinism)."""
    if len(vector) <= count:
        return vector
    return dict(heapq.nsmallest(count, vector.items(), key=lambda item: (-item[1], item[0])))


def strongest(vector: SparseVector, count: int) -> list[str]:
    return list(top_terms(vector, count))


def unit(vector: SparseVector) -> SparseVector:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {term: w / norm for term, w in vector.items()} if norm else {}


def days_apart(a: StoryState, b: StoryState) -> float:
    """Days from the end of the earlier story to the start of the later one; 0 if they overlap or
    either is undated."""
    if a.first is None or a.last is None or b.first is None or b.last is None:
        return 0.0
    gap = max(a.first - b.last, b.first - a.last, timedelta(0))
    return gap.total_seconds() / 86400


def cosine_to_sum(vector: SparseVector, total: SparseVector, total_norm2: float) -> float:
    """Cosine between a unit vector and a sum of unit vectors (a story's centroid direction)."""
    return dot(vector, total) / math.sqrt(total_norm2) if total_norm2 > 0 else 0.0


class DocumentFrequencies:
    """Counts of articles containing each term, updated as articles arrive."""

    def __init__(self) -> None:
        self.documents = 0
        self.counts: Counter = Counter()

    def observe(self, terms: Iterable[str]) -> None:
        self.documents += 1
        self.counts.update(set(terms))

    def vector(self, counts: Counter, terms: int) -> SparseVector:
        """Unit-length TF-IDF vector of the `terms` strongest terms: sublinear TF times smoothed IDF."""
        vector = {
            term: (1 + math.log(count)) * (math.log((1 + self.documents) / (1 + self.counts[term])) + 1)
            for term, count in counts.items()
            if count > 0
        }
        return unit(top_terms(vector, terms))


class OnlineClusterer:
    """Story clustering state held in memory: document frequencies, recent stories, an inverted index."""

    def __init__(self, config: ClusterConfig | None = None) -> None:
        self.config = config or ClusterConfig()
        self.text_df = DocumentFrequencies()
        self.entity_df = DocumentFrequencies()
        self.stories: dict[int, StoryState] = {}
        self.index: defaultdict[str, set[int]] = defaultdict(set)
        self.clock: datetime | None = None
        self.sequence = 0
        self.since_merge = 0
        self.dirty: set[int] = set()

    # -- articles -------------------------------------------------------------------------------------

    def vectorize(self, features: Features) -> Vectors:
        """The article's vectors, after counting its terms into the document frequencies."""
        self.text_df.observe(features.terms)
        self.entity_df.observe(features.entities)
        terms = self.config.article_terms
        return Vectors(
            self.text_df.vector(features.terms, terms), self.entity_df.vector(features.entities, terms)
        )

    def closest(self, vectors: Vectors, when: datetime | None) -> tuple[int | None, float]:
        """The recent story most similar to the article, and the similarity; (None, 0.0) if none."""
        query = strongest(vectors.text, self.config.query_terms) + [f"@{t}" for t in vectors.entities]
        best_key, best_similarity = None, 0.0
        for key in self.candidates(query, self.config.max_candidates):
            story = self.stories[key]
            if not self.in_window(story, when, when):
                continue  # only remembered: it can still take the article in at the next merge pass
            similarity = self.centroid_similarity(vectors, story)
            if similarity > best_similarity:
                best_key, best_similarity = key, similarity
        return best_key, best_similarity

    def assign(self, vectors: Vectors, when: datetime | None) -> int | None:
        """The story the article joins, or None when it starts a new one."""
        key, similarity = self.closest(vectors, when)
        return key if similarity >= self.config.assign_threshold else None

    def add(self, key: int, vectors: Vectors, when: datetime | None) -> None:
        """Records the article in story `key` (created if new or no longer in memory)."""
        story = self.stories.get(key)
        if story is None:
            story = self.stories[key] = StoryState(key)
        story.size += 1
        story.profiles = None
        story.text_norm2 += add_into(story.text_sum, vectors.text)
        story.entity_norm2 += add_into(story.entity_sum, vectors.entities)
        for term in vectors.text:
            self.index[term].add(key)
        for term in vectors.entities:
            self.index[f"@{term}"].add(key)
        if when is not None:
            story.first = min(story.first or when, when)
            story.last = max(story.last or when, when)
            self.clock = max(self.clock or when, when)
        self.sequence += 1
        story.touched = self.sequence
        self.dirty.add(key)
        self.since_merge += 1

    def merge_due(self) -> bool:
        return self.since_merge >= self.config.merge_every

    # -- similarity -----------------------------------------------------------------------------------

    def combine(self, text: float, entities: float) -> float:
        weights = self.config.text_weight + self.config.entity_weight
        return (self.config.text_weight * text + self.config.entity_weight * entities) / weights

    def centroid_similarity(self, vectors: Vectors, story: StoryState) -> float:
        text, entities = story.profile(self.config.story_terms)
        return self.combine(
            cosine_to_sum(vectors.text, text, story.text_norm2),
            cosine_to_sum(vectors.entities, entities, story.entity_norm2),
        )

    def average_link(self, a: StoryState, b: StoryState) -> float:
        """Mean similarity over all pairs of their articles: sums of unit vectors make it one dot product."""
        pairs = a.size * b.size
        a_text, a_entities = a.profile(self.config.story_terms)
        b_text, b_entities = b.profile(self.config.story_terms)
        return self.combine(dot(a_text, b_text) / pairs, dot(a_entities, b_entities) / pairs)

    def in_window(
        self, story: StoryState, first: datetime | None, last: datetime | None, days: float | None = None
    ) -> bool:
        """Whether a story's dates and [first, last] are within `days` (default: the window) of each
        other (undated: yes)."""
        if first is None or last is None or story.first is None or story.last is None:
            return True
        window = timedelta(days=self.config.window_days if days is None else days)
        return first - story.last <= window and story.first - last <= window

    def candidates(self, query: list[str], limit: int) -> list[int]:
        """Stories sharing the most query terms, best first (ties: oldest story)."""
        shared: Counter = Counter()
        for term in query:
            postings = self.index.get(term, ())
            if len(postings) <= self.config.max_postings:
                shared.update(postings)
        best = heapq.nsmallest(limit, shared.items(), key=lambda item: (-item[1], item[0]))
        return [key for key, _ in best]

    # -- merging --------------------------------------------------------------------------------------

    def merge_pass(self) -> list[tuple[int, int]]:
        """Merges recently updated stories into similar ones; returns (absorbed, survivor) pairs in order.

        The survivor is the older story (lower key), so story links stay stable.
        """
        merges: list[tuple[int, int]] = []
        heap: list[tuple[float, int, int]] = []
        for key in sorted(self.dirty):
            if key in self.stories:
                self.push_merge_candidates(heap, self.stories[key])
        while heap:
            negative_similarity, low, high = heapq.heappop(heap)
            if low not in self.stories or high not in self.stories:
                continue
            similarity = self.average_link(self.stories[low], self.stories[high])
            if abs(similarity + negative_similarity) > 1e-9:
                continue  # stale: the survivor changed since; its fresh pairs are in the heap too
            self.absorb(self.stories[low], self.stories.pop(high))
            merges.append((high, low))
            self.push_merge_candidates(heap, self.stories[low])
        self.dirty.clear()
        self.since_merge = 0
        self.evict()
        return merges

    def push_merge_candidates(self, heap: list, story: StoryState) -> None:
        text, entities = story.profile(self.config.story_terms)
        query = strongest(text, self.config.query_terms) + [
            f"@{t}" for t in strongest(entities, self.config.query_terms)
        ]
        for key in self.candidates(query, self.config.merge_candidates):
            other = self.stories[key]
            if key == story.key or not self.in_window(
                other, story.first, story.last, self.config.memory_days
            ):
                continue
            similarity = self.average_link(story, other)
            if similarity >= self.merge_threshold(story, other):
                heapq.heappush(heap, (-similarity, min(key, story.key), max(key, story.key)))

    def merge_threshold(self, a: StoryState, b: StoryState) -> float:
        """The average link two stories need: higher the more time lies between them."""
        config = self.config
        lone_article_to_story = min(a.size, b.size) == 1 and max(a.size, b.size) > 1
        if lone_article_to_story:
            near, late = config.attach_threshold, config.late_attach_threshold
        else:
            near, late = config.merge_threshold, config.late_merge_threshold
        if not self.in_window(a, b.first, b.last):
            return late
        apart = days_apart(a, b)
        ramp = min(1.0, apart / config.ramp_days) if config.ramp_days > 0 else 0.0
        return near + (late - near) * ramp

    def absorb(self, survivor: StoryState, absorbed: StoryState) -> None:
        survivor.size += absorbed.size
        survivor.profiles = None
        survivor.text_norm2 += add_into(survivor.text_sum, absorbed.text_sum)
        survivor.entity_norm2 += add_into(survivor.entity_sum, absorbed.entity_sum)
        for prefix, vector in (("", absorbed.text_sum), ("@", absorbed.entity_sum)):
            for term in vector:
                postings = self.index[prefix + term]
                postings.discard(absorbed.key)
                postings.add(survivor.key)
        dates = [d for d in (survivor.first, survivor.last, absorbed.first, absorbed.last) if d is not None]
        survivor.first, survivor.last = (min(dates), max(dates)) if dates else (None, None)
        survivor.touched = max(survivor.touched, absorbed.touched)

    # -- forgetting -----------------------------------------------------------------------------------

    def evict(self) -> list[int]:
        """Forgets stories that ended before the memory, and the least recently updated beyond max_active."""
        expired = []
        if self.clock is not None:
            horizon = self.clock - timedelta(days=self.config.memory_days)
            expired = [key for key, s in self.stories.items() if s.last is not None and s.last < horizon]
        excess = len(self.stories) - len(expired) - self.config.max_active
        if excess > 0:
            keep = set(expired)
            by_age = sorted((s.touched, key) for key, s in self.stories.items() if key not in keep)
            expired += [key for _, key in by_age[:excess]]
        for key in expired:
            self.forget(key)
        return expired

    def forget(self, key: int) -> None:
        story = self.stories.pop(key)
        for prefix, vector in (("", story.text_sum), ("@", story.entity_sum)):
            for term in vector:
                postings = self.index.get(prefix + term)
                if postings is not None:
                    postings.discard(key)
                    if not postings:
                        del self.index[prefix + term]
