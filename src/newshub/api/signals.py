"""Bump cache versions when a story, or anything shown with it, changes (see newshub.api.cache)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save

from newshub.api.cache import bump_stories, bump_story
from newshub.claims.models import ClaimGroup
from newshub.comments.models import Comment
from newshub.ingest.models import Article
from newshub.stories.models import Story
from newshub.stories.signals import stories_merged


def story_changed(sender, instance: Story, **kwargs) -> None:
    bump_story(instance.pk)


def remember_previous_story(sender, instance: Article, **kwargs) -> None:
    # An article moving between stories changes both: note where it was before the save.
    previous = None
    if instance.pk is not None and not kwargs.get("raw"):
        previous = Article.objects.filter(pk=instance.pk).values_list("story_id", flat=True).first()
    instance._newshub_previous_story_id = previous


def article_changed(sender, instance: Article, **kwargs) -> None:
    affected = [instance.story_id, getattr(instance, "_newshub_previous_story_id", None)]
    bump_stories(story_id for story_id in affected if story_id is not None)


def story_part_changed(sender, instance: Comment | ClaimGroup, **kwargs) -> None:
    bump_story(instance.story_id)


def stories_merged_away(sender, merges: list[tuple[int, int]], **kwargs) -> None:
    # The merge pass moves articles and marks absorbed stories with queryset updates: no save signal.
    bump_stories(story_id for merge in merges for story_id in merge)


def connect() -> None:
    stories_merged.connect(stories_merged_away, dispatch_uid="newshub.api.stories_merged")
    post_save.connect(story_changed, sender=Story, dispatch_uid="newshub.api.story_saved")
    post_delete.connect(story_changed, sender=Story, dispatch_uid="newshub.api.story_deleted")
    pre_save.connect(remember_previous_story, sender=Article, dispatch_uid="newshub.api.article_saving")
    post_save.connect(article_changed, sender=Article, dispatch_uid="newshub.api.article_saved")
    post_delete.connect(article_changed, sender=Article, dispatch_uid="newshub.api.article_deleted")
    for model in (Comment, ClaimGroup):
        name = model.__name__
        post_save.connect(story_part_changed, sender=model, dispatch_uid=f"newshub.api.{name}_saved")
        post_delete.connect(story_part_changed, sender=model, dispatch_uid=f"newshub.api.{name}_deleted")
