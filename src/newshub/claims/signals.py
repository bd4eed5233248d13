"""Claim groups follow their stories: when stories merge, the survivor's groups are rebuilt from all of
its articles' claims and the absorbed story's groups go."""

from django.dispatch import receiver

from newshub.claims.stage import group_story_claims
from newshub.stories.signals import stories_merged


@receiver(stories_merged)
def regroup_merged_stories(sender, merges: list[tuple[int, int]], **kwargs) -> None:
    for story_id in sorted({story for merge in merges for story in merge}):
        group_story_claims(story_id)
