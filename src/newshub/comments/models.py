"""Readers' comments on stories, with the spam filter's verdict and the moderators' decisions."""

from django.db import models
from django.utils import timezone


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Held for moderation"
    APPROVED = "approved", "Published"
    SPAM = "spam", "Spam"


class Comment(models.Model):
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author_name = models.CharField(max_length=100)
    author_email = models.EmailField(blank=True, help_text="never shown, never sent anywhere by default")
    text = models.TextField(max_length=5000)
    status = models.CharField(
        max_length=16, choices=CommentStatus.choices, default=CommentStatus.PENDING, db_index=True
    )
    spam_score = models.FloatField(default=0.0)
    spam_reasons = models.JSONField(default=list, blank=True)
    moderated_by_human = models.BooleanField(default=False)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    user_agent = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:60]}"


class PendingComment(Comment):
    """Comments held for moderation: their own list in the admin."""

    class Meta:
        proxy = True
        verbose_name = "comment held for moderation"
        verbose_name_plural = "comments held for moderation"


class SpamComment(Comment):
    """Comments rejected as spam: kept 30 days so a moderator can rescue a mistake."""

    class Meta:
        proxy = True
        verbose_name = "spam comment"
        verbose_name_plural = "spam comments"
