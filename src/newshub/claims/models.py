"""Who says what: attributed statements found in articles, grouped by proposition within a story."""

from django.db import models


class Stance(models.TextChoices):
    ASSERTS = "asserts", "asserts"
    DENIES = "denies", "denies"


class SpeakerKind(models.TextChoices):
    PERSON = "person", "Named person"
    ORGANISATION = "organisation", "Organisation"
    UNNAMED = "unnamed", "Unnamed source"
    DOCUMENT = "document", "Report or statement"
    UNKNOWN = "unknown", "Unknown"


class ClaimGroup(models.Model):
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="claim_groups")
    label = models.CharField(max_length=1000, help_text="the proposition, in the words of its clearest claim")
    contradicted = models.BooleanField(default=False, db_index=True)

    def __str__(self) -> str:
        return self.label


class Claim(models.Model):
    article = models.ForeignKey("ingest.Article", on_delete=models.CASCADE, related_name="claims")
    group = models.ForeignKey(
        ClaimGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="claims"
    )
    speaker = models.CharField(max_length=500, help_text="normalized name, the same across the story")
    extracted_speaker = models.CharField(
        max_length=500,
        blank=True,
        help_text="the name as this article gives it, before the story's normalization",
    )
    speaker_text = models.CharField(max_length=1000, blank=True)
    speaker_kind = models.CharField(max_length=16, choices=SpeakerKind.choices, default=SpeakerKind.UNKNOWN)
    speaker_role = models.CharField(max_length=500, blank=True)
    cue = models.CharField(max_length=200)
    content = models.TextField()
    stance = models.CharField(max_length=8, choices=Stance.choices, default=Stance.ASSERTS)
    source_start = models.IntegerField(null=True, blank=True)
    source_end = models.IntegerField(null=True, blank=True)
    cue_start = models.IntegerField()
    cue_end = models.IntegerField()
    content_start = models.IntegerField()
    content_end = models.IntegerField()

    class Meta:
        ordering = ["article", "content_start"]

    def __str__(self) -> str:
        return f"{self.speaker} {self.cue}: {self.content[:80]}"
