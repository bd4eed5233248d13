"""Claim groups follow their stories: when stories merge, the absorbed stories' groups go (the survivor's
are rebuilt with its other fields, newshub.pipeline.STORY_STAGES)."""

from django.dispatch import receiver

from newshub.claims.models import ClaimGroup
from newshub.stories.signals import stories_merged


@receiver(stories_merged)
def drop_absorbed_groups(sender, merges: list[tuple[int, int]], **kwargs) -> None:
    ClaimGroup.objects.filter(story_id__in=[absorbed for absorbed, _ in merges]).delete()
