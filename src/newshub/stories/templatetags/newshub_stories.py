"""Template helpers of the stories app: `{% related_stories story as related %}`."""

from django import template

from newshub.stories import related
from newshub.stories.models import Story

register = template.Library()


@register.simple_tag
def related_stories(story: Story, limit: int = 5) -> list[Story]:
    """The stories closest to `story` in key entities and words (see newshub.stories.related)."""
    if not isinstance(story, Story) or story.pk is None:
        return []
    return related.related_stories(story, limit=limit)
