"""Models to plain, JSON-ready dicts (the shapes in schemas.py), and the queries behind them."""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Count, QuerySet

from newshub.claims.api import claim_groups_for_story
from newshub.comments.models import CommentStatus
from newshub.ingest.models import Article
from newshub.sources.models import Outlet
from newshub.stories.models import Story

logger = logging.getLogger(__name__)

# A story's articles are listed with their leads: texts, raw pages and fingerprints stay in the database.
ARTICLE_FIELDS_NOT_SHOWN = ("text", "raw_html", "minhash", "entities")


def outlet_ref(outlet: Outlet) -> dict:
    return {
        "id": outlet.pk,
        "slug": outlet.slug,
        "name": outlet.name,
        "country": outlet.country,
        "kind": outlet.kind,
        "page": outlet.get_absolute_url(),
    }


def outlet_detail(outlet: Outlet, article_count: int) -> dict:
    fields = ("homepage", "language", "owner", "lean", "lean_basis", "reliability", "reliability_basis")
    return {**outlet_ref(outlet), **{f: getattr(outlet, f) for f in fields}, "article_count": article_count}


def outlets_with_counts() -> QuerySet[Outlet]:
    return Outlet.objects.annotate(num_articles=Count("articles")).order_by("name")


def story_summary(story: Story) -> dict:
    fields = ("title", "lead", "category", "first_seen", "last_seen", "article_count", "outlet_count")
    return {
        "type": "story",
        "id": story.pk,
        **{f: getattr(story, f) for f in fields},
        "blindspot": story.blindspot,
        "score": story.score,
        "page": story.get_absolute_url(),
    }


def article_summary(article: Article) -> dict:
    return {
        "type": "article",
        "id": article.pk,
        "title": article.title,
        "url": article.url,
        "lead": article.lead,
        "published_at": article.published_at,
        "outlet": outlet_ref(article.outlet),
        "story_id": article.story_id,
        "original_id": article.original_id,
        "summary_only": article.summary_only,
    }


def article_detail(article: Article) -> dict:
    copies = article.copies.select_related("outlet").order_by("published_at", "pk")
    return {
        **article_summary(article),
        "copies": [article_summary(copy) for copy in copies],
        "authors": [str(name) for name in article.authors or []],
        "language": article.language,
        "section": article.section,
        "image_url": article.image_url,
        "updated_at": article.updated_at,
        "fetched_at": article.fetched_at,
        "page": article.get_absolute_url(),
    }


def fold_copies(articles: list[Article]) -> list[dict]:
    """Originals (oldest first), each with the copies of it found in the same list."""
    by_id = {article.pk: article for article in articles}

    def root(article: Article) -> Article:
        seen = {article.pk}
        while article.original_id in by_id and article.original_id not in seen:
            article = by_id[article.original_id]
            seen.add(article.pk)
        return article

    copies: dict[int, list[dict]] = {}
    originals = []
    for article in articles:
        origin = root(article)
        if origin.pk == article.pk:
            originals.append(article)
        else:
            copies.setdefault(origin.pk, []).append(article_summary(article))
    return [{**article_summary(original), "copies": copies.get(original.pk, [])} for original in originals]


def story_detail(story: Story) -> dict:
    shown = story.articles.select_related("outlet").defer(*ARTICLE_FIELDS_NOT_SHOWN)
    articles = list(shown.order_by("published_at", "fetched_at", "pk"))
    return {
        **story_summary(story),
        "key_entities": list(story.key_entities or []),
        "coverage": dict(story.coverage or {}),
        "articles": fold_copies(articles),
        "claim_groups": claim_groups_for_story(story),
        "comment_count": story.comments.filter(status=CommentStatus.APPROVED).count(),
    }


def visible_stories() -> QuerySet[Story]:
    return Story.objects.filter(merged_into__isnull=True)


def comment_dict(comment: Any) -> dict:
    return {
        "id": comment.pk,
        "parent_id": comment.parent_id,
        "author_name": comment.author_name,
        "text": comment.text,
        "created_at": comment.created_at,
    }
