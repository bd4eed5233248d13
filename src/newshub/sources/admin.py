"""Admin for outlets and feeds, with feed health (status, last error, backoff) and "poll now"."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from newshub.pipeline import poll_feed
from newshub.sources.models import Feed, Outlet


class FeedInline(admin.TabularInline):
    model = Feed
    extra = 0
    fields = ("url", "kind", "section", "active", "last_status", "error_count", "last_error", "next_poll_at")
    readonly_fields = ("last_status", "error_count", "last_error", "next_poll_at")
    show_change_link = True


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "kind", "language", "lean", "reliability", "feed_count")
    list_filter = ("kind", "country", "lean", "reliability")
    search_fields = ("name", "homepage", "owner")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [FeedInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Outlet]:
        return super().get_queryset(request).annotate(feed_count=Count("feeds"))

    @admin.display(ordering="feed_count", description="feeds")
    def feed_count(self, outlet: Outlet) -> int:
        return outlet.feed_count


class HealthFilter(admin.SimpleListFilter):
    title = "health"
    parameter_name = "health"

    def lookups(self, request, model_admin):
        return [("ok", "Healthy"), ("failing", "Failing"), ("never", "Never polled")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Feed]) -> QuerySet[Feed]:
        if self.value() == "ok":
            return queryset.filter(error_count=0, last_polled_at__isnull=False)
        if self.value() == "failing":
            return queryset.filter(error_count__gt=0)
        if self.value() == "never":
            return queryset.filter(last_polled_at__isnull=True)
        return queryset


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = (
        "url",
        "outlet",
        "kind",
        "active",
        "last_status",
        "error_count",
        "last_error",
        "last_success_at",
        "next_poll_at",
    )
    list_filter = (HealthFilter, "active", "kind", "last_status", "outlet")
    search_fields = ("url", "title", "outlet__name", "last_error")
    list_select_related = ("outlet",)
    readonly_fields = (
        "etag",
        "last_modified",
        "last_polled_at",
        "last_success_at",
        "last_status",
        "last_error",
        "error_count",
    )
    actions = ["poll_now"]

    @admin.action(description="Poll now")
    def poll_now(self, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
        for feed in queryset:
            report = poll_feed(feed.pk)
            if report.error:
                self.message_user(request, f"{feed.url}: {report.error}", messages.WARNING)
            else:
                self.message_user(request, f"{feed.url}: {report.new_articles} new articles")
