"""RSS 2.0 and Atom 1.0 feeds (django.contrib.syndication): front page, categories, outlets, story updates.

Every feed comes in both formats: `FrontFeed` is RSS, `FrontFeed.atom()` its Atom twin. Routes and
their names (`feeds:front-rss`, `feeds:category-atom`, ...) are in `feed_urlpatterns`.

Text from outlets is never trusted: titles lose any markup, descriptions are HTML-escaped so that
readers show them as text.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import NoReverseMatch, path, reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape, strip_tags
from django.utils.text import slugify

from newshub.ingest.models import Article
from newshub.sources.models import Outlet
from newshub.stories.models import Story

SITE_NAME = "Newshub"
ITEMS_PER_FEED = 30


def reverse_or(name: str, args: list | None = None, fallback: str = "/") -> str:
    """A page's URL, or `fallback` while the page does not exist yet (the web app grows its routes)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def plain_text(value: str | None) -> str:
    return strip_tags(value or "").strip()


def escaped_text(value: str | None) -> str:
    return escape(plain_text(value))


def visible_stories() -> QuerySet[Story]:
    return Story.objects.live()


def category_named(slug: str) -> str:
    """The category whose slug is `slug`, among the configured ones and those stories carry."""
    known = list(settings.NEWSHUB_CATEGORIES)
    known += Story.objects.exclude(category="").values_list("category", flat=True).distinct()
    for name in known:
        if slugify(name) == slug:
            return name
    raise Http404("No such category")


class AtomVariant:
    """Mixin: `SomeFeed.atom()` is the same feed in Atom 1.0, with a subtitle from the description."""

    feed_type = Rss201rev2Feed

    @classmethod
    def atom(cls) -> Feed:
        atom_class = type(
            f"{cls.__name__}Atom",
            (cls,),
            {
                "feed_type": Atom1Feed,
                "subtitle": lambda self, obj=None: self._get_dynamic_attr("description", obj),
            },
        )
        return atom_class()


class StoryItems(AtomVariant, Feed):
    """Items are stories, linking to their pages on this site."""

    def item_title(self, story: Story) -> str:
        return plain_text(story.title) or f"Story {story.pk}"

    def item_description(self, story: Story) -> str:
        sources = f"{story.article_count} articles from {story.outlet_count} outlets"
        lead = escaped_text(story.lead)
        return f"<p>{lead}</p><p>{sources}</p>" if lead else f"<p>{sources}</p>"

    def item_link(self, story: Story) -> str:
        return story.get_absolute_url()

    def item_pubdate(self, story: Story):
        return story.first_seen

    def item_updateddate(self, story: Story):
        return story.last_seen

    def item_categories(self, story: Story) -> list[str]:
        return [story.category] if story.category else []


class ArticleItems(AtomVariant, Feed):
    """Items are articles, linking to the outlet's own page (credit goes to who wrote it)."""

    def item_title(self, article: Article) -> str:
        return f"{plain_text(article.title) or article.url} ({article.outlet.name})"

    def item_description(self, article: Article) -> str:
        text = article.lead or article.text[:600]
        copied = "<p>A copy of an earlier article.</p>" if article.original_id else ""
        return f"<p>{escaped_text(text)}</p>{copied}"

    def item_link(self, article: Article) -> str:
        return article.url

    def item_guid(self, article: Article) -> str:
        return article.url

    item_guid_is_permalink = True

    def item_pubdate(self, article: Article):
        return article.when

    def item_updateddate(self, article: Article):
        return article.updated_at or article.when

    def item_author_name(self, article: Article) -> str:
        authors = [plain_text(str(name)) for name in article.authors or [] if str(name).strip()]
        return ", ".join(authors) or article.outlet.name


class FrontFeed(StoryItems):
    title = f"{SITE_NAME}: top stories"
    description = "The stories most outlets are covering now."

    def link(self) -> str:
        return reverse_or("web:front")

    def items(self) -> QuerySet[Story]:
        return visible_stories().order_by("-score", "-last_seen")[:ITEMS_PER_FEED]


class CategoryFeed(StoryItems):
    def get_object(self, request: HttpRequest, slug: str) -> str:
        return category_named(slug)

    def title(self, category: str) -> str:
        return f"{SITE_NAME}: {category}"

    def description(self, category: str) -> str:
        return f"The latest {category} stories."

    def link(self, category: str) -> str:
        return reverse_or("web:category", [slugify(category)])

    def items(self, category: str) -> QuerySet[Story]:
        return visible_stories().filter(category=category).order_by("-last_seen")[:ITEMS_PER_FEED]


class OutletFeed(ArticleItems):
    def get_object(self, request: HttpRequest, slug: str) -> Outlet:
        try:
            return Outlet.objects.get(slug=slug)
        except Outlet.DoesNotExist as missing:
            raise Http404("No such outlet") from missing

    def title(self, outlet: Outlet) -> str:
        return f"{SITE_NAME}: {outlet.name}"

    def description(self, outlet: Outlet) -> str:
        return f"Articles from {outlet.name}, as gathered by {SITE_NAME}."

    def link(self, outlet: Outlet) -> str:
        return outlet.get_absolute_url()

    def items(self, outlet: Outlet) -> QuerySet[Article]:
        return outlet.articles.select_related("outlet")[:ITEMS_PER_FEED]


class StoryFeed(ArticleItems):
    """A story's updates: its articles, newest first."""

    def get_object(self, request: HttpRequest, pk: int) -> Story:
        try:
            return visible_stories().get(pk=pk)
        except Story.DoesNotExist as missing:
            raise Http404("No such story") from missing

    def title(self, story: Story) -> str:
        return f"{SITE_NAME}: {plain_text(story.title) or f'Story {story.pk}'}"

    def description(self, story: Story) -> str:
        return f"New coverage of this story, from {story.outlet_count} outlets so far."

    def link(self, story: Story) -> str:
        return story.get_absolute_url()

    def items(self, story: Story) -> QuerySet[Article]:
        return story.articles.select_related("outlet")[:ITEMS_PER_FEED]


def _both_formats(route: str, feed: type[AtomVariant], name: str) -> list:
    return [
        path(f"{route}.rss", feed(), name=f"{name}-rss"),
        path(f"{route}.atom", feed.atom(), name=f"{name}-atom"),
    ]


feed_urlpatterns = (
    [
        *_both_formats("front", FrontFeed, "front"),
        *_both_formats("category/<slug:slug>", CategoryFeed, "category"),
        *_both_formats("outlet/<slug:slug>", OutletFeed, "outlet"),
        *_both_formats("story/<int:pk>", StoryFeed, "story"),
    ],
    "feeds",
)
