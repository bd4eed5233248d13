"""Stories: the articles about one event, shown once with every outlet that covers it."""

from django.db import models
from django.urls import reverse
from django.utils import timezone


class StoryQuerySet(models.QuerySet):
    def live(self) -> "StoryQuerySet":
        """Stories readers see: not merged into another, with at least one article."""
        return self.filter(merged_into__isnull=True, article_count__gt=0)

    def mark_changed(self) -> int:
        """Records that these stories' articles (or their claims) changed: their derived fields are due
        to be rebuilt (newshub.pipeline.rebuild_changed_stories)."""
        return self.update(revision=models.F("revision") + 1)

    def changed(self) -> "StoryQuerySet":
        """Stories changed since their derived fields were last rebuilt."""
        return self.filter(revision__gt=models.F("refreshed_revision"))


class Story(models.Model):
    title = models.CharField(max_length=1000, blank=True)
    lead = models.TextField(blank=True)
    category = models.CharField(max_length=50, blank=True, db_index=True)
    first_seen = models.DateTimeField(default=timezone.now, db_index=True)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)
    article_count = models.PositiveIntegerField(default=0)
    outlet_count = models.PositiveIntegerField(default=0, db_index=True)
    key_entities = models.JSONField(default=list, blank=True)
    coverage = models.JSONField(
        default=dict, blank=True, help_text="counts by country, kind, lean, reliability"
    )
    blindspot = models.CharField(
        max_length=16, blank=True, help_text="the only side of the lean scale covering it"
    )
    score = models.FloatField(default=0.0, db_index=True, help_text="front-page rank")
    merged_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=0, help_text="counts changes to its articles and claims")
    refreshed_revision = models.PositiveIntegerField(
        default=0, help_text="the revision its derived fields were rebuilt from"
    )
    related_ids = models.JSONField(
        default=list, blank=True, help_text="related story ids, closest first (newshub.stories.related)"
    )
    related_at = models.DateTimeField(
        null=True, blank=True, help_text="the updated_at of the story version related_ids were computed from"
    )

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "-last_seen"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title or f"Story {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("web:story", args=[self.pk])
