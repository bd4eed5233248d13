"""Moderation: every comment, and lists of those held and those rejected as spam, with the filter's score and
reasons. Approving or marking spam teaches the filter (and Akismet, when configured)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator

from .models import Comment, CommentStatus, PendingComment, SpamComment
from .services import record_decision

# Pending and spam counts on the admin index (see templates/comments/admin_index.html).
admin.site.index_template = "comments/admin_index.html"


class CommentAdmin(admin.ModelAdmin):
    list_display = ("excerpt", "author_name", "story", "status", "spam_score", "reasons", "created_at")
    list_filter = ("status", "moderated_by_human", "created_at")
    list_select_related = ("story",)
    search_fields = ("text", "author_name", "author_email")
    ordering = ("-created_at",)
    date_hierarchy = "created_at"
    actions = ("approve", "mark_spam")
    readonly_fields = (
        "story",
        "parent",
        "spam_score",
        "spam_reasons",
        "moderated_by_human",
        "ip_hash",
        "user_agent",
        "created_at",
    )
    fields = ("story", "parent", "author_name", "author_email", "text", "status", *readonly_fields[2:])

    @admin.display(description="comment")
    def excerpt(self, comment: Comment) -> str:
        return Truncator(comment.text).chars(80)

    @admin.display(description="why")
    def reasons(self, comment: Comment) -> str:
        return "; ".join(comment.spam_reasons or [])

    @admin.action(description="Approve (publish) and teach the filter")
    def approve(self, request: HttpRequest, queryset: QuerySet) -> None:
        self.decide(request, queryset, spam=False)

    @admin.action(description="Mark as spam and teach the filter")
    def mark_spam(self, request: HttpRequest, queryset: QuerySet) -> None:
        self.decide(request, queryset, spam=True)

    def decide(self, request: HttpRequest, queryset: QuerySet, spam: bool) -> None:
        count = record_decision(list(queryset), spam=spam, site_url=request.build_absolute_uri("/"))
        self.message_user(
            request, f"{count} comment(s) marked {'spam' if spam else 'legitimate'}.", messages.SUCCESS
        )

    def save_model(self, request: HttpRequest, comment: Comment, form, change: bool) -> None:
        super().save_model(request, comment, form, change)
        # Changing the status by hand is a decision too.
        if change and "status" in form.changed_data and comment.status != CommentStatus.PENDING:
            record_decision(
                [comment], spam=comment.status == CommentStatus.SPAM, site_url=request.build_absolute_uri("/")
            )


@admin.register(Comment)
class AllCommentsAdmin(CommentAdmin):
    pass


@admin.register(PendingComment)
class PendingCommentAdmin(CommentAdmin):
    list_filter = ("created_at",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).filter(status=CommentStatus.PENDING)


@admin.register(SpamComment)
class SpamCommentAdmin(CommentAdmin):
    list_filter = ("moderated_by_human", "created_at")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).filter(status=CommentStatus.SPAM)
