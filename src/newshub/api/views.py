"""The JSON API (django-ninja): read-only for everyone, writes for staff.

Schema: /api/openapi.json; interactive docs: /api/docs (Swagger UI served from django-ninja's own static
files, no CDN). Errors are always {"message": ..., "status": ...}.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Annotated, Literal

from django.contrib.auth import authenticate
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Path, Query, Swagger
from ninja.decorators import decorate_view
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.openapi.docs import render_template
from ninja.security import HttpBasicAuth, SessionAuth
from pydantic import BeforeValidator

from newshub.api import data, schemas
from newshub.api.cache import cached_for_lists, cached_for_story, lists_versions, story_versions
from newshub.comments.models import Comment, CommentStatus
from newshub.comments.services import PostContext, store_comment
from newshub.comments.views import comments_closed
from newshub.ingest.models import Article
from newshub.search.query import MAX_OFFSET as SEARCH_MAX_OFFSET
from newshub.search.query import UNAVAILABLE_MESSAGE
from newshub.search.query import search as run_search
from newshub.sources.models import Outlet
from newshub.web.pagecache import offer

logger = logging.getLogger(__name__)

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000
ERRORS = {code: schemas.Error for code in (400, 401, 403, 404, 422)}


class StaffBasicAuth(HttpBasicAuth):
    """HTTP Basic with a staff account: for scripts."""

    def authenticate(self, request: HttpRequest, username: str, password: str):
        user = authenticate(request, username=username, password=password)
        if user is None:
            return None
        if not user.is_staff:
            raise AuthorizationError(message="Staff only")
        return user


class StaffSessionAuth(SessionAuth):
    """A logged-in staff session (with the CSRF token): for the browser and the docs page."""

    def authenticate(self, request: HttpRequest, key: str | None):
        user = super().authenticate(request, key)
        if user is not None and not user.is_staff:
            raise AuthorizationError(message="Staff only")
        return user


class StaffSwagger(Swagger):
    """Swagger UI that always sends the CSRF token: writes are per-operation staff-only, which ninja's
    page does not detect, so a staff member's session could not try them from the docs otherwise."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings, indent=1), "api": api, "add_csrf": True}
        return render_template(request, self.template, self.template_cdn, context)


api = NinjaAPI(
    title="Newshub API",
    version="1",
    description="Stories, the articles and outlets covering them, who says what, search and comments.",
    urls_namespace="api",
    # Served from django-ninja's static files ("ninja" is in INSTALLED_APPS); no validator badge, so the
    # page makes no request outside this site.
    docs=StaffSwagger(settings={"validatorUrl": None}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
STAFF_ONLY = [StaffBasicAuth(), StaffSessionAuth()]


def error_response(request: HttpRequest, status: int, message: str) -> HttpResponse:
    return api.create_response(request, {"message": message, "status": status}, status=status)


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", ()))
        problems.append(f"{where}: {error.get('msg', 'invalid')}")
    return error_response(request, 422, "Invalid input: " + "; ".join(problems))


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error_response(request, 401, "Log in as staff (session or HTTP Basic) to do this")
    response["WWW-Authenticate"] = 'Basic realm="Newshub API"'
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, exc.status_code, str(exc))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "Not found")


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("api_error path=%s", request.path)
    return error_response(request, 500, "Internal error; it has been logged")


def parse_iso_datetime(value: object) -> object:
    # Pydantic would also take numbers as Unix times; the schema promises ISO 8601 only.
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError as invalid:
            raise ValueError("expected an ISO 8601 date-time, e.g. 2026-11-25T08:00:00Z") from invalid
    return value


IsoDateTime = Annotated[datetime, BeforeValidator(parse_iso_datetime)]


def as_utc(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def page(items: list, count: int, limit: int, offset: int) -> dict:
    return {"count": count, "limit": limit, "offset": offset, "items": items}


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")]
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]
CategoryName = Annotated[str | None, Query(max_length=100, description="category name, any case")]
OutletSlug = Annotated[str | None, Query(max_length=200, description="outlet slug")]


def kept_whole(versions_of: Callable[[dict], dict[str, int]]) -> Callable:
    """Offer the answer to the page store (newshub.web.pagecache) with the versions, read before the answer
    is built, that it depends on; `versions_of` gets the path parameters."""

    def decorator(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(run)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            versions = versions_of(kwargs)
            return offer(run(request, *args, **kwargs), versions)

        return wrapper

    return decorator


def story_path_versions(path: dict) -> dict[str, int]:
    story_id = str(path.get("story_id", ""))
    return story_versions(int(story_id)) if story_id.isdigit() else {}


@api.get("/stories", response={200: schemas.StoryPage, **ERRORS}, tags=["stories"])
@decorate_view(kept_whole(lambda path: lists_versions()))
def list_stories(
    request: HttpRequest,
    category: CategoryName = None,
    outlet: OutletSlug = None,
    since: Annotated[IsoDateTime | None, Query(description="last seen at or after this time")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
):
    """Stories, top ranked first (the front page's order)."""
    since = as_utc(since)

    def build() -> dict:
        stories = data.visible_stories()
        if category:
            stories = stories.filter(category__iexact=category)
        if outlet:
            stories = stories.filter(articles__outlet__slug=outlet).distinct()
        if since:
            stories = stories.filter(last_seen__gte=since)
        stories = stories.order_by("-score", "-last_seen", "-pk")
        items = [data.story_summary(story) for story in stories[offset : offset + limit]]
        return page(items, stories.count(), limit, offset)

    key = f"api-stories|{category}|{outlet}|{since and since.isoformat()}|{limit}|{offset}"
    return cached_for_lists(key, build)


@api.get("/stories/{story_id}", response={200: schemas.StoryDetail, **ERRORS}, tags=["stories"])
@decorate_view(kept_whole(story_path_versions))
def story_detail(request: HttpRequest, story_id: RowId):
    """A story with its articles (copies folded under their originals), coverage mix and claim groups."""
    story = get_object_or_404(data.visible_stories(), pk=story_id)
    return cached_for_story(story.pk, "api-story", lambda: data.story_detail(story))


@api.get("/stories/{story_id}/comments", response={200: schemas.CommentPage, **ERRORS}, tags=["comments"])
def story_comments(request: HttpRequest, story_id: RowId, limit: Limit = 20, offset: Offset = 0):
    """Published comments on a story, oldest first."""
    story = get_object_or_404(data.visible_stories(), pk=story_id)
    comments = Comment.objects.filter(story=story, status=CommentStatus.APPROVED).order_by("created_at", "pk")
    items = [data.comment_dict(comment) for comment in comments[offset : offset + limit]]
    return page(items, comments.count(), limit, offset)


@api.post(
    "/stories/{story_id}/comments",
    response={201: schemas.CommentPosted, **ERRORS},
    auth=STAFF_ONLY,
    tags=["comments"],
)
def post_comment(request: HttpRequest, story_id: RowId, comment: schemas.CommentIn):
    """Post a comment through the same spam filter as the site's form (staff only)."""
    story = get_object_or_404(data.visible_stories(), pk=story_id)
    if comments_closed(story):
        raise HttpError(403, "Comments are closed on this story")
    parent = None
    if comment.parent_id is not None:
        parent = Comment.objects.filter(story=story, pk=comment.parent_id).first()
        if parent is None:
            raise HttpError(422, "parent_id: no such comment on this story")
    context = PostContext(
        ip=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.headers.get("User-Agent", ""),
        site_url=request.build_absolute_uri("/"),
        permalink=request.build_absolute_uri(story.get_absolute_url()),
        seconds_to_post=None,
    )
    stored = store_comment(
        story=story,
        parent=parent,
        author_name=comment.author_name,
        author_email=comment.author_email,
        text=comment.text,
        context=context,
    )
    return 201, {"id": stored.pk, "status": stored.status}


@api.get("/outlets", response={200: schemas.OutletPage, **ERRORS}, tags=["outlets"])
def list_outlets(request: HttpRequest, limit: Limit = 20, offset: Offset = 0):
    """Outlets by name, with how many articles Newshub has from each."""
    outlets = data.outlets_with_counts()
    items = [data.outlet_detail(outlet, outlet.num_articles) for outlet in outlets[offset : offset + limit]]
    return page(items, Outlet.objects.count(), limit, offset)


@api.get("/outlets/{slug}", response={200: schemas.Outlet, **ERRORS}, tags=["outlets"])
def outlet_detail(request: HttpRequest, slug: str):
    outlet = get_object_or_404(data.outlets_with_counts(), slug=slug)
    return data.outlet_detail(outlet, outlet.num_articles)


@api.get("/articles/{article_id}", response={200: schemas.ArticleDetail, **ERRORS}, tags=["articles"])
def article_detail(request: HttpRequest, article_id: RowId):
    """An article's metadata and lead (the full text stays with its outlet), and its copies."""
    return data.article_detail(get_object_or_404(Article.objects.select_related("outlet"), pk=article_id))


@api.get("/search", response={200: schemas.SearchPage, **ERRORS}, tags=["search"])
def search(
    request: HttpRequest,
    q: Annotated[str, Query(max_length=10_000, description="words to look for; operators are ignored")],
    kind: Literal["stories", "articles"] = "stories",
    category: CategoryName = None,
    outlet: OutletSlug = None,
    since: IsoDateTime | None = None,
    until: IsoDateTime | None = None,
    limit: Limit = 20,
    offset: Annotated[int, Query(ge=0, le=SEARCH_MAX_OFFSET, description="items to skip")] = 0,
):
    """Full-text search, ranked by relevance and recency. Stories are also found by their articles' text."""
    since, until = as_utc(since), as_utc(until)

    def build() -> dict:
        results = run_search(
            q,
            kind=kind,
            category=category,
            outlet=outlet,
            since=since,
            until=until,
            limit=limit,
            offset=offset,
        )
        summarize = data.story_summary if kind == "stories" else data.article_summary
        hits = [{**summarize(item), "snippet": str(item.search_snippet)} for item in results.items]
        return {
            **page(hits, results.total, results.limit, results.offset),
            "query": results.query,
            "terms": list(results.terms),
            "kind": results.kind,
            "message": results.message,
        }

    # The same for every caller: cached like the lists of stories, until a story changes.
    options = [
        q,
        kind,
        category,
        outlet,
        since and since.isoformat(),
        until and until.isoformat(),
        limit,
        offset,
    ]
    return cached_for_lists(
        "api-search|" + json.dumps(options), build, keep=lambda found: found["message"] != UNAVAILABLE_MESSAGE
    )
