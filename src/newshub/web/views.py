"""Reader pages. Queries live in small helpers so each page costs a fixed number of queries."""

import json
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string

from newshub.ingest.models import Article
from newshub.search.query import search
from newshub.sources.models import Outlet
from newshub.stories.models import Story
from newshub.web import caching
from newshub.web.charts import coverage_bars, timeline
from newshub.web.feeds import category_named
from newshub.web.forms import SearchForm
from newshub.web.grouping import fold_copies

FRONT_STORIES = 30
LATEST_ARTICLES = 30
LIST_ARTICLES = 50
# The latest articles are the newest published among this many most recently fetched: fetched_at has an
# index, published_at alone has none, and sorting every article by it took ~0.2 s at 100k articles.
RECENTLY_FETCHED = 500
OUTLETS_SHOWN_PER_STORY = 4
SEARCH_RESULTS = 20
# Pages show headlines and leads, never bodies: the heavy columns stay in the database.
HEAVY_ARTICLE_FIELDS = ("text", "raw_html", "minhash", "entities")


def listed_articles() -> QuerySet[Article]:
    return Article.objects.select_related("outlet").defer(*HEAVY_ARTICLE_FIELDS)


def ranked_stories() -> QuerySet[Story]:
    """Live stories by front-page score (give the ones shown to with_outlet_sample)."""
    shown = Story.objects.live().defer("key_entities", "coverage", "related_ids")
    return shown.order_by("-score", "-last_seen")


def with_outlet_sample(stories: Iterable[Story]) -> list[Story]:
    """The stories, each with `sample`: the outlet names of its first few articles, in one query of
    names (a prefetch of the articles themselves cost three times as much on the front page)."""
    stories = list(stories)
    first = Window(RowNumber(), partition_by=F("story_id"), order_by=[F("published_at").asc(), F("pk").asc()])
    rows = (
        Article.objects.filter(story__in=stories)
        .annotate(place=first)
        .filter(place__lte=OUTLETS_SHOWN_PER_STORY)
        .order_by("story_id", "place")
        .values_list("story_id", "outlet__name")
    )
    names: dict[int, list[str]] = defaultdict(list)
    for story_id, name in rows:
        names[story_id].append(name)
    for story in stories:
        story.sample = names[story.pk]
    return stories


def latest_articles(count: int) -> QuerySet[Article]:
    # Copies are credited under their original; listing them again would repeat the same text.
    # (Filtering copies out inside the subquery would make SQLite walk the original_id index instead.)
    recent = Article.objects.order_by("-fetched_at").values("pk")[:RECENTLY_FETCHED]
    return listed_articles().filter(pk__in=recent, original__isnull=True)[:count]


def page_of(request: HttpRequest, items: QuerySet, per_page: int) -> Page:
    """The requested page; a missing, malformed or too-large page number gives the first or last page."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def front(request: HttpRequest) -> HttpResponse:
    def build() -> str:
        stories = with_outlet_sample(ranked_stories()[:FRONT_STORIES])
        shown = LATEST_ARTICLES if stories else LIST_ARTICLES
        latest = latest_articles(shown)
        return render_to_string("web/front.html", {"stories": stories, "articles": latest}, request)

    return caching.list_page(caching.page_key(request, "front"), build)


def category(request: HttpRequest, slug: str) -> HttpResponse:
    category = category_named(slug)
    number = caching.page_number(request)

    def build() -> str:
        stories = Paginator(ranked_stories().filter(category=category), FRONT_STORIES).get_page(number)
        stories.object_list = with_outlet_sample(stories.object_list)
        articles = listed_articles().filter(section__iexact=category)[:LIST_ARTICLES] if not stories else []
        context = {"category": category, "stories": stories, "articles": articles, "page": stories}
        return render_to_string("web/category.html", context, request)

    return caching.list_page(caching.page_key(request, "category", category, number), build)


def article(request: HttpRequest, pk: int) -> HttpResponse:
    related = Article.objects.select_related("outlet", "story", "original__outlet")
    article = get_object_or_404(related.defer(*HEAVY_ARTICLE_FIELDS), pk=pk)
    copies = listed_articles().filter(original=article).order_by("published_at")
    return render(request, "web/article.html", {"article": article, "copies": copies})


def outlet(request: HttpRequest, slug: str) -> HttpResponse:
    outlet = get_object_or_404(Outlet, slug=slug)
    page = page_of(request, listed_articles().filter(outlet=outlet), LIST_ARTICLES)
    return render(request, "web/outlet.html", {"outlet": outlet, "articles": page, "page": page})


def story(request: HttpRequest, pk: int) -> HttpResponse:
    # Looked up on every request (one indexed row): merges and deletions take effect at once.
    story = get_object_or_404(Story.objects.only("pk", "merged_into_id", "last_seen", "title"), pk=pk)
    if story.merged_into_id:
        return redirect("web:story", pk=story.merged_into_id)
    return caching.story_page(
        story.pk,
        caching.page_key(request, "story"),
        build=lambda: render_story(request, story.pk),
        comments=lambda: render_to_string("comments/_section.html", {"story": story}, request),
    )


def render_story(request: HttpRequest, pk: int) -> str:
    """The story page for every reader, with caching.COMMENTS_SLOT where the comments go."""
    story = get_object_or_404(Story, pk=pk)
    articles = list(listed_articles().filter(story=story).order_by("published_at", "pk"))
    context = {
        "story": story,
        "canonical_url": request.build_absolute_uri(story.get_absolute_url()),
        "groups": fold_copies(articles),
        "outlets": sorted({article.outlet for article in articles}, key=lambda outlet: outlet.name),
        "coverage": coverage_bars(story.coverage),
        "timeline": timeline([article.when for article in articles]),
    }
    return render_to_string("web/story.html", context, request)


def search_page(request: HttpRequest) -> HttpResponse:
    """/search/?q=…&kind=stories|articles&category=…&outlet=…&since=…&until=…&page=…

    A page of results is the same for every reader: cached like the front page, until a story changes."""
    form = SearchForm(request.GET or None)
    if not (form.is_valid() and form.cleaned_data["q"]):
        return render(request, "web/search.html", {"form": form, "results": None, "page_number": 1})
    options = form.search_options()
    page = form.cleaned_data["page"] or 1

    failures = []

    def build() -> str:
        offset = (page - 1) * SEARCH_RESULTS
        # The page lists headlines and leads, not snippets: no snippet is made.
        results = search(offset=offset, limit=SEARCH_RESULTS, snippets=False, **options)
        failures.append(results.failed)
        context = {"form": form, "results": results, "page_number": page}
        return render_to_string("web/search.html", context, request)

    normalized = json.dumps(options, sort_keys=True, default=str)
    key = caching.page_key(request, "search", normalized, page)
    return caching.list_page(key, build, keep=lambda _: not any(failures))


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "web/about.html", {"categories": settings.NEWSHUB_CATEGORIES})


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
