"""`{% story_claims story as groups %}`: the data behind claims/_who_says_what.html."""

from django import template

from newshub.claims import views_data

register = template.Library()


@register.simple_tag
def story_claims(story) -> list[dict]:
    return views_data.story_claims(story) if story is not None and story.pk else []
