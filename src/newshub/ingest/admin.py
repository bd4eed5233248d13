"""Admin for articles: search, and filters by outlet, language and extraction outcome."""

from __future__ import annotations

from django.contrib import admin

from newshub.ingest.models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "outlet", "published_at", "language", "summary_only", "fetched_at")
    list_filter = ("summary_only", "language", "outlet")
    search_fields = ("title", "url", "lead", "guid")
    list_select_related = ("outlet",)
    date_hierarchy = "published_at"
    raw_id_fields = ("feed", "original", "story")
    readonly_fields = ("content_hash", "fetched_at")
    exclude = ("minhash",)
