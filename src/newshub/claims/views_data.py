"""A story's claim groups as plain, JSON-ready data: what the "Who says what" section and the API show.

    story_claims(story) -> [{"id", "label", "contradicted", "asserting": [...], "denying": [...],
                             "claims": [{"speaker", "speaker_kind", "cue", "stance", "excerpt",
                                         "article": {...}, "outlet": {...}}]}]

Contradicted groups come first, then the groups with most claims. An excerpt is one sentence at most.
"""

import re

from django.db.models import Prefetch
from django.urls import NoReverseMatch

from newshub.claims.models import Claim, SpeakerKind, Stance
from newshub.stories.models import Story

MAX_EXCERPT_CHARS = 300
_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’]?\s+(?=[“\"A-Z])")


_NEGATION = re.compile(r"\b(?:not|no|never|nothing|none|false|untrue|baseless)\b|n[’']t\b", re.IGNORECASE)


def excerpt(content: str, stance: str = Stance.ASSERTS) -> str:
    """One sentence of a claim's content: the first, or for a denial the first that denies; without a
    leading "that", cut at a word boundary if very long."""
    sentences = [sentence.strip() for sentence in _SENTENCE_END.split(content.strip()) if sentence.strip()]
    if not sentences:
        return ""
    chosen = sentences[0]
    if stance == Stance.DENIES:
        chosen = next((sentence for sentence in sentences if _NEGATION.search(sentence)), chosen)
    chosen = re.sub(r"^that\s+", "", chosen)
    if len(chosen) > MAX_EXCERPT_CHARS:
        chosen = chosen[:MAX_EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"
    return chosen


# What a shown claim needs of its row, its article and outlet (never the article's text).
SHOWN_CLAIMS = Claim.objects.select_related("article__outlet").only(
    "group_id",
    "speaker",
    "speaker_kind",
    "speaker_text",
    "speaker_role",
    "cue",
    "stance",
    "content",
    "article__title",
    "article__url",
    "article__outlet__name",
    "article__outlet__slug",
)


def story_claims(story: Story) -> list[dict]:
    groups = []
    for group in story.claim_groups.prefetch_related(Prefetch("claims", queryset=SHOWN_CLAIMS)).order_by(
        "pk"
    ):
        claims = [_claim(claim) for claim in group.claims.all()]
        groups.append(
            {
                "id": group.pk,
                "label": group.label,
                "contradicted": group.contradicted,
                "asserting": _speakers(claims, Stance.ASSERTS),
                "denying": _speakers(claims, Stance.DENIES),
                "claims": claims,
            }
        )
    groups.sort(key=lambda group: (not group["contradicted"], -len(group["claims"]), group["id"]))
    return groups


claim_groups_for_story = story_claims


def _claim(claim: Claim) -> dict:
    article, outlet = claim.article, claim.article.outlet
    return {
        "id": claim.pk,
        "speaker": claim.speaker,
        "speaker_kind": claim.speaker_kind,
        "speaker_kind_label": SpeakerKind(claim.speaker_kind).label,
        "speaker_text": claim.speaker_text,
        "speaker_role": claim.speaker_role,
        "cue": claim.cue,
        "stance": claim.stance,
        "excerpt": excerpt(claim.content, claim.stance),
        "article": {"id": article.pk, "title": article.title, "url": article.url},
        "outlet": {"name": outlet.name, "slug": outlet.slug, "page": _outlet_page(outlet)},
    }


def _outlet_page(outlet) -> str:
    try:
        return outlet.get_absolute_url()
    except NoReverseMatch:
        return ""


def _speakers(claims: list[dict], stance: str) -> list[dict]:
    """Each speaker once, with the outlets that carry their claim."""
    speakers: dict[str, dict] = {}
    for claim in claims:
        if claim["stance"] != stance or not claim["speaker"]:
            continue
        entry = speakers.setdefault(
            claim["speaker"], {"speaker": claim["speaker"], "kind": claim["speaker_kind"], "outlets": []}
        )
        if claim["outlet"]["name"] not in entry["outlets"]:
            entry["outlets"].append(claim["outlet"]["name"])
    return list(speakers.values())
