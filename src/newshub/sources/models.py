"""Who publishes (Outlet) and where Newshub polls them (Feed)."""

from django.db import models
from django.urls import reverse
from django.utils import timezone


class OutletKind(models.TextChoices):
    WIRE = "wire", "Wire service"
    NEWSPAPER = "newspaper", "Newspaper"
    BROADCASTER = "broadcaster", "Broadcaster"
    PUBLIC_BROADCASTER = "public_broadcaster", "Public broadcaster"
    MAGAZINE = "magazine", "Magazine"
    DIGITAL = "digital", "Digital native"
    GOVERNMENT = "government", "Government or military"
    AGGREGATOR = "aggregator", "Aggregator"
    BLOG = "blog", "Blog"


class Lean(models.TextChoices):
    LEFT = "left", "Left"
    LEAN_LEFT = "lean_left", "Lean left"
    CENTER = "center", "Center"
    LEAN_RIGHT = "lean_right", "Lean right"
    RIGHT = "right", "Right"


class Reliability(models.TextChoices):
    HIGH = "high", "High"
    MIXED = "mixed", "Mixed"
    LOW = "low", "Low"


class Outlet(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    homepage = models.URLField(max_length=2000, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code")
    language = models.CharField(max_length=16, blank=True)
    kind = models.CharField(max_length=32, choices=OutletKind.choices, default=OutletKind.NEWSPAPER)
    owner = models.CharField(max_length=200, blank=True)
    # Ratings are only ever imported with their basis; an outlet without one is "unrated".
    lean = models.CharField(max_length=16, choices=Lean.choices, blank=True)
    lean_basis = models.CharField(max_length=500, blank=True)
    reliability = models.CharField(max_length=16, choices=Reliability.choices, blank=True)
    reliability_basis = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("web:outlet", args=[self.slug])


class FeedKind(models.TextChoices):
    RSS = "rss", "RSS"
    ATOM = "atom", "Atom"
    SITEMAP = "sitemap", "Sitemap"
    UNKNOWN = "unknown", "Unknown"


class Feed(models.Model):
    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField(max_length=2000, unique=True)
    kind = models.CharField(max_length=16, choices=FeedKind.choices, default=FeedKind.UNKNOWN)
    title = models.CharField(max_length=500, blank=True)
    section = models.CharField(
        max_length=100, blank=True, help_text="Category the feed covers, e.g. Sports; empty if mixed"
    )
    active = models.BooleanField(default=True)
    poll_interval = models.PositiveIntegerField(default=900, help_text="seconds between polls")
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    next_poll_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["outlet__name", "url"]

    def __str__(self) -> str:
        return self.title or self.url
