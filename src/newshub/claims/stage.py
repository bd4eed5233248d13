"""The claims stages of the pipeline: attribute an article, then rebuild its story's claim groups.

Both are idempotent: re-running replaces what an earlier run stored, never adds to it.

    count = attribute(article.id)        # extract and store the article's Claims; mark its story changed
    group_story_claims(story.id)         # rebuild the story's ClaimGroups, speakers normalized story-wide
"""

import logging
import re

from django.db import transaction

from newshub.claims.extract import ExtractedClaim, extract_claims
from newshub.claims.groups import ClaimForGrouping, group_claims
from newshub.claims.models import Claim, ClaimGroup
from newshub.claims.speakers import SpeakerNames
from newshub.ingest.models import Article
from newshub.stories.models import Story

logger = logging.getLogger(__name__)
_BOUNDED_FIELDS = ("speaker", "speaker_text", "cue")


def attribute(article_id: int) -> int:
    """Extract and store the article's claims; returns how many. Its story's groups are rebuilt with the
    story's other derived fields (newshub.pipeline.STORY_STAGES)."""
    article = Article.objects.filter(pk=article_id).only("pk", "text", "story_id").first()
    if article is None:
        logger.info("claims skipped=missing_article article=%s", article_id)
        return 0
    # A claim with no one behind it ("Trump is expected to ...") has no place in who says what.
    claims = [claim for claim in extract_claims(article.text or "") if claim.source is not None]
    with transaction.atomic():
        # The story's row first, as a rebuild of the story locks it before the claims: no deadlock.
        Story.objects.filter(pk=article.story_id).mark_changed()
        Claim.objects.filter(article_id=article.pk).delete()
        Claim.objects.bulk_create([_claim_row(article.pk, claim) for claim in claims])
    logger.info("claims attributed article=%s claims=%d", article.pk, len(claims))
    return len(claims)


def _claim_row(article_id: int, claim: ExtractedClaim) -> Claim:
    field_length = {name: Claim._meta.get_field(name).max_length for name in _BOUNDED_FIELDS}
    return Claim(
        article_id=article_id,
        speaker=claim.speaker[: field_length["speaker"]],
        extracted_speaker=claim.speaker[: field_length["speaker"]],
        speaker_text=(claim.source.text if claim.source else "")[: field_length["speaker_text"]],
        speaker_kind=claim.speaker_kind,
        speaker_role=speaker_role(claim)[: Claim._meta.get_field("speaker_role").max_length],
        cue=claim.cue.text[: field_length["cue"]],
        content=claim.content.text,
        stance=claim.stance,
        source_start=claim.source.start if claim.source else None,
        source_end=claim.source.end if claim.source else None,
        cue_start=claim.cue.start,
        cue_end=claim.cue.end,
        content_start=claim.content.start,
        content_end=claim.content.end,
    )


def speaker_role(claim: ExtractedClaim) -> str:
    """What the source says the speaker is, besides the name: "Iraqi Prime Minister" for "Iraqi Prime
    Minister Mohammed Shia al-Sudani"."""
    if claim.source is None or claim.speaker_kind != "person" or claim.speaker not in claim.source.text:
        return ""
    role = claim.source.text.replace(claim.speaker, " ").strip(" ,")
    return re.sub(r"^(?:the|a|an)\s+", "", role, flags=re.IGNORECASE) if len(role.split()) <= 8 else ""


def group_story_claims(story_id: int) -> None:
    """Rebuild the story's claim groups from its articles' claims.

    The result depends only on the claims, not on the order articles arrived in: speakers are named from
    what each article said (`extracted_speaker`), in publication order, ties broken by URL (ids differ
    between drivers).
    """
    claims = list(
        Claim.objects.filter(article__story_id=story_id).order_by(
            "article__published_at", "article__url", "cue_start"
        )
    )
    texts = (
        Article.objects.filter(story_id=story_id)
        .order_by("published_at", "url")
        .values_list("text", flat=True)
    )
    names = SpeakerNames([(claim.extracted_speaker, claim.speaker_kind) for claim in claims], texts)
    speakers = [
        names.canonical(claim.extracted_speaker) if claim.extracted_speaker else "" for claim in claims
    ]
    items = [
        ClaimForGrouping(
            key=index,
            article=claim.article_id,
            content=claim.content,
            stance=claim.stance,
            speaker=speakers[index],
            start=claim.content_start,
            end=claim.content_end,
            source_start=claim.source_start if claim.source_start is not None else claim.cue_start,
            cue_start=claim.cue_start,
        )
        for index, claim in enumerate(claims)
    ]
    groups = group_claims(items)
    with transaction.atomic():
        ClaimGroup.objects.filter(story_id=story_id).delete()
        for group in groups:
            row = ClaimGroup.objects.create(
                story_id=story_id, label=group.label[:1000], contradicted=group.contradicted
            )
            Claim.objects.filter(pk__in=[claims[member.key].pk for member in group.members]).update(group=row)
        renamed: dict[str, list[int]] = {}
        for claim, speaker in zip(claims, speakers, strict=True):
            if claim.speaker != speaker:
                renamed.setdefault(speaker, []).append(claim.pk)
        for speaker, ids in renamed.items():
            Claim.objects.filter(pk__in=ids).update(speaker=speaker)
    logger.info("claims grouped story=%s claims=%d", story_id, len(claims))
