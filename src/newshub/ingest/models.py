"""Articles: one page at one canonical URL, as extracted."""

from django.db import models
from django.urls import reverse
from django.utils import timezone


class Article(models.Model):
    outlet = models.ForeignKey("sources.Outlet", on_delete=models.CASCADE, related_name="articles")
    feed = models.ForeignKey(
        "sources.Feed", on_delete=models.SET_NULL, null=True, blank=True, related_name="articles"
    )
    url = models.URLField(max_length=2000, unique=True, help_text="canonical URL")
    guid = models.CharField(max_length=2000, blank=True, db_index=True)
    title = models.CharField(max_length=1000, blank=True)
    lead = models.TextField(blank=True)
    text = models.TextField(blank=True)
    authors = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(default=timezone.now, db_index=True)
    language = models.CharField(max_length=16, blank=True)
    image_url = models.URLField(max_length=2000, blank=True)
    section = models.CharField(max_length=100, blank=True, help_text="section or category the source gave")
    summary_only = models.BooleanField(
        default=False, help_text="extraction failed: only the feed's summary is kept"
    )
    raw_html = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    minhash = models.BinaryField(null=True, blank=True)
    entities = models.JSONField(default=list, blank=True)
    original = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        help_text="the earlier article this one copies",
    )
    story = models.ForeignKey(
        "stories.Story", on_delete=models.SET_NULL, null=True, blank=True, related_name="articles"
    )

    class Meta:
        ordering = ["-published_at", "-fetched_at"]
        indexes = [models.Index(fields=["outlet", "-published_at"])]

    def __str__(self) -> str:
        return self.title or self.url

    def get_absolute_url(self) -> str:
        return reverse("web:article", args=[self.pk])

    @property
    def when(self):
        return self.published_at or self.fetched_at


class HostTurn(models.Model):
    """Per-host politeness shared by workers through the database (newshub.ingest.throttle), for
    deployments without Redis: who holds the host now, and when its pause after the last request ends.
    Times are the database server's, so workers on machines with skewed clocks still agree."""

    host = models.CharField(max_length=255, primary_key=True)
    holder = models.CharField(max_length=32, blank=True)
    held_until = models.DateTimeField(
        null=True, blank=True, help_text="a holder that died frees the host then"
    )
    free_at = models.DateTimeField(
        null=True, blank=True, help_text="the pause after the last request ends then"
    )

    def __str__(self) -> str:
        return self.host
