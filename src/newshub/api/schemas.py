"""The shapes the JSON API returns and accepts (they make the OpenAPI schema)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field


class Error(Schema):
    message: str
    status: int


class OutletRef(Schema):
    id: int
    slug: str
    name: str
    country: str
    kind: str
    page: str = Field(description="this outlet's page on this site")


class Outlet(OutletRef):
    homepage: str
    language: str
    owner: str
    lean: str = Field(description="empty when unrated")
    lean_basis: str
    reliability: str = Field(description="empty when unrated")
    reliability_basis: str
    article_count: int


class StorySummary(Schema):
    type: Literal["story"] = "story"
    id: int
    title: str
    lead: str
    category: str
    first_seen: datetime
    last_seen: datetime
    article_count: int
    outlet_count: int
    blindspot: str
    score: float
    page: str = Field(description="this story's page on this site")


class ArticleSummary(Schema):
    type: Literal["article"] = "article"
    id: int
    title: str
    url: str = Field(description="the article at its outlet (canonical URL)")
    lead: str
    published_at: datetime | None
    outlet: OutletRef
    story_id: int | None
    original_id: int | None = Field(description="the earlier article this one copies, if any")
    summary_only: bool


class ArticleWithCopies(ArticleSummary):
    copies: list[ArticleSummary] = Field(description="later articles that copy this one")


class ArticleDetail(ArticleWithCopies):
    authors: list[str]
    language: str
    section: str
    image_url: str
    updated_at: datetime | None
    fetched_at: datetime
    page: str


class StoryDetail(StorySummary):
    key_entities: list[Any]
    coverage: dict[str, Any] = Field(description="counts of outlets by country, kind, lean, reliability")
    articles: list[ArticleWithCopies] = Field(description="originals, oldest first, each with its copies")
    claim_groups: list[dict[str, Any]] = Field(description="who says what, grouped by proposition")
    comment_count: int


class Page(Schema):
    count: int = Field(description="all items matching, across pages")
    limit: int
    offset: int


class StoryPage(Page):
    items: list[StorySummary]


class OutletPage(Page):
    items: list[Outlet]


class Comment(Schema):
    id: int
    parent_id: int | None
    author_name: str
    text: str
    created_at: datetime


class CommentPage(Page):
    items: list[Comment]


class CommentIn(Schema):
    author_name: str = Field(min_length=1, max_length=100)
    text: str = Field(min_length=1, max_length=5000)
    author_email: str = Field("", max_length=254)
    parent_id: int | None = None


class CommentPosted(Schema):
    id: int
    status: str = Field(description="approved (published), pending (held for moderation) or spam")


SNIPPET_HELP = "HTML: escaped text around the matched words, which are in <mark>; empty if none shown"


class StoryHit(StorySummary):
    snippet: str = Field(description=SNIPPET_HELP)


class ArticleHit(ArticleSummary):
    snippet: str = Field(description=SNIPPET_HELP)


SearchHit = Annotated[StoryHit | ArticleHit, Field(discriminator="type")]


class SearchPage(Page):
    query: str
    terms: list[str] = Field(description="the words searched for")
    kind: Literal["stories", "articles"]
    message: str = Field(description="why the query could not be run as typed; empty when it was")
    items: list[SearchHit]
