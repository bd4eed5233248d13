"""Claims about the same proposition, grouped within a story, with who asserts and who denies it.

No inference model is available offline, so a contradiction comes from stance alone: a group is
contradicted when one speaker asserts what another denies. Grouping is deterministic:
- each claim's content becomes a bag of key terms (lower-cased words, plurals folded, stop words and the
  vocabulary of stance itself dropped: "false", "reports", "evidence" say how, not what);
- TF-IDF over the story's claims weighs terms, so a term that only a few claims share ("airstrike")
  counts more than one every claim repeats;
- claims are clustered by average linkage of their cosine similarity, cut at LINK_SIMILARITY (average,
  not single, linkage keeps one shared word from chaining a whole story into one group); group numbers
  follow claim order, so the result is the same on every run.
Relayed claims ("According to Reuters, two security sources reported that ...") are left out of grouping
when the inner claim is there (the inner one says who holds the proposition), and so are claims embedded in
another claim's content (they are part of what its speaker said).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

LINK_SIMILARITY = 0.35
# A group of denials alone joins the assertion it most resembles from this similarity on: a denial is
# about something someone asserted, even in other words.
DENIAL_LINK_SIMILARITY = 0.1
# How many times a concept counts against a plain word: shared key terms matter more than wording.
CONCEPT_WEIGHT = 2

# Words that carry the stance, the act of saying or of inquiring ("looking into the cause") rather than the
# proposition.
_STANCE_WORDS = {
    "false",
    "true",
    "untrue",
    "report",
    "reports",
    "reported",
    "reportedly",
    "allege",
    "alleging",
    "allegation",
    "evidence",
    "claim",
    "say",
    "said",
    "aware",
    "today",
    "time",
    "any",
    "did",
    "does",
    "suggest",
    "cause",
    "looking",
    "investigating",
    "examining",
}
_STOP = ENGLISH_STOP_WORDS | _STANCE_WORDS
_WORD = re.compile(r"[a-z][a-z'-]+")

# Words news stories use interchangeably for the same thing; a claim using any of them also carries the
# concept's name, so "no warplanes were detected" meets "airstrikes triggered an explosion".
_CONCEPTS = {
    "airstrike": "airstrike air-strike bombing bomber drone warplane jet aircraft helicopter missile rocket",
    "explosion": "explosion blast explode exploded detonation detonated bomb",
    "killing": "kill killed killing dead death died die fatality",
    "injury": "injured wounded hurt injury casualty",
    "attack": "attack assault raid strike struck",
    "arrest": "arrest arrested detain detained custody",
    "protest": "protest protester demonstration demonstrator rally",
    "ceasefire": "ceasefire truce armistice",
    "vote": "vote voted voter ballot election poll",
    "resignation": "resign resigned resignation quit step",
}
_CONCEPT_OF = {word: concept for concept, words in _CONCEPTS.items() for word in words.split()}


@dataclass(frozen=True)
class ClaimForGrouping:
    key: object  # what the caller uses to find the claim again (a Claim's id)
    article: object
    content: str
    stance: str
    speaker: str
    start: int = 0
    end: int = 0
    source_start: int = 0  # the cue's start when the source is implicit
    cue_start: int = 0


@dataclass
class Group:
    members: list[ClaimForGrouping] = field(default_factory=list)

    @property
    def asserting(self) -> list[str]:
        return _speakers(self.members, "asserts")

    @property
    def denying(self) -> list[str]:
        return _speakers(self.members, "denies")

    @property
    def contradicted(self) -> bool:
        return bool(set(self.asserting) - set(self.denying)) and bool(set(self.denying) - set(self.asserting))

    @property
    def label(self) -> str:
        """The proposition in the words of its most central claim: an assertion sharing the most key terms
        with the rest of the group (the shorter on a tie), without a leading "that"."""
        terms = [set(key_terms(claim.content)) for claim in self.members]

        def rank(index: int) -> tuple:
            shared = sum(len(terms[index] & other) for j, other in enumerate(terms) if j != index)
            claim = self.members[index]
            return (claim.stance != "asserts", -shared, len(claim.content), index)

        best = self.members[min(range(len(self.members)), key=rank)]
        return re.sub(r"^that\s+", "", best.content.strip())


def _speakers(members: Sequence[ClaimForGrouping], stance: str) -> list[str]:
    seen: dict[str, None] = {}
    for claim in members:
        if claim.stance == stance and claim.speaker:
            seen.setdefault(claim.speaker, None)
    return list(seen)


def key_terms(content: str) -> list[str]:
    terms = []
    text = content.lower().replace("’", "'").replace("air strike", "airstrike")
    for word in _WORD.findall(text):
        word = word.strip("'-").removesuffix("'s")
        if word in _STOP:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
        if len(word) > 2 and word not in _STOP:
            terms.append(word)
            if word in _CONCEPT_OF:
                terms.extend([_CONCEPT_OF[word]] * CONCEPT_WEIGHT)
    return terms


def group_claims(claims: Sequence[ClaimForGrouping]) -> list[Group]:
    claims = _without_relays(claims)
    if not claims:
        return []
    labels = _cluster([key_terms(claim.content) for claim in claims], [claim.stance for claim in claims])
    groups: dict[int, Group] = {}
    for label, claim in zip(labels, claims, strict=True):
        groups.setdefault(label, Group()).members.append(claim)
    return list(groups.values())


def _cluster(terms: list[list[str]], stances: list[str]) -> list[int]:
    """Average-linkage clusters of TF-IDF cosine similarity, cut at LINK_SIMILARITY; then each group of
    denials with no assertion joins the group of the assertion its members most resemble."""
    if len(terms) < 2 or sum(1 for bag in terms if bag) < 2:
        return list(range(len(terms)))
    matrix = TfidfVectorizer(analyzer=lambda bag: bag).fit_transform(terms)
    similarity = cosine_similarity(matrix)
    clustering = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1.0 - LINK_SIMILARITY
    )
    labels = [int(label) for label in clustering.fit_predict((1.0 - similarity).clip(0.0, 1.0))]
    asserting_groups = {label for label, stance in zip(labels, stances, strict=True) if stance == "asserts"}
    for label in sorted(set(labels) - asserting_groups):
        members = [index for index, own in enumerate(labels) if own == label]
        best_score, best_label = (
            max(
                (similarity[member, other], labels[other])
                for member in members
                for other in range(len(labels))
                if stances[other] == "asserts"
            )
            if asserting_groups
            else (0.0, label)
        )
        if best_score >= DENIAL_LINK_SIMILARITY:
            labels = [best_label if own == label else own for own in labels]
    first_seen: dict[int, int] = {}
    return [first_seen.setdefault(label, len(first_seen)) for label in labels]


def _without_relays(claims: Sequence[ClaimForGrouping]) -> list[ClaimForGrouping]:
    """The claims that speak for themselves: not a relay whose content opens with another attribution
    ("According to Reuters, two security sources reported ..."), nor one embedded in another's quote
    ("We are aware of reports alleging that ..." belongs to whoever said it)."""
    direct = [
        claim
        for claim in claims
        if not any(
            other is not claim and other.article == claim.article and _opens_with(claim, other)
            for other in claims
        )
    ]
    return [
        claim
        for claim in direct
        if not any(
            other is not claim and other.article == claim.article and _embeds(other, claim)
            for other in direct
        )
    ]


def _opens_with(outer: ClaimForGrouping, inner: ClaimForGrouping) -> bool:
    return 0 <= inner.source_start - outer.start <= 2


def _embeds(outer: ClaimForGrouping, inner: ClaimForGrouping) -> bool:
    return outer.start <= inner.cue_start < outer.end
