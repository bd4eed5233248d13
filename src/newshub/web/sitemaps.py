"""Sitemaps: `/sitemap.xml` (stories, outlets, static pages; django.contrib.sitemaps) and
`/news-sitemap.xml` (Google News format: stories first seen in the last two days, at most 1,000)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.xmlutils import SimplerXMLGenerator

from newshub.sources.models import Outlet
from newshub.stories.models import Story
from newshub.web.feeds import SITE_NAME, plain_text, visible_stories

NEWS_WINDOW = timedelta(days=2)
NEWS_SITEMAP_LIMIT = 1000  # Google News reads at most this many URLs per sitemap
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


class StorySitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.8

    def items(self):
        return visible_stories().order_by("-last_seen").only("pk", "updated_at")

    def lastmod(self, story: Story):
        return story.updated_at


class OutletSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return Outlet.objects.order_by("name").only("slug")


class CategorySitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self) -> list[str]:
        in_use = visible_stories().values_list("category", flat=True).distinct()
        names = [*settings.NEWSHUB_CATEGORIES, *in_use]
        # Categories whose name has no ASCII letters have no slug, hence no page of their own.
        return sorted({slugify(name) for name in names if slugify(name)})

    def location(self, slug: str) -> str:
        return reverse("web:category", args=[slug])


class StaticPageSitemap(Sitemap):
    """The site's fixed pages: those the web app has routes for."""

    changefreq = "daily"
    page_names = ("web:front", "web:about", "comments:privacy")

    def items(self) -> list[str]:
        available = []
        for name in self.page_names:
            try:
                reverse(name)
            except NoReverseMatch:
                continue
            available.append(name)
        return available

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {
    "stories": StorySitemap,
    "categories": CategorySitemap,
    "outlets": OutletSitemap,
    "pages": StaticPageSitemap,
}


def news_sitemap(request: HttpRequest) -> HttpResponse:
    since = timezone.now() - NEWS_WINDOW
    stories = visible_stories().filter(first_seen__gte=since).order_by("-first_seen")[:NEWS_SITEMAP_LIMIT]
    language = settings.LANGUAGE_CODE.split("-")[0]
    output = StringIO()
    xml = SimplerXMLGenerator(output, "utf-8")
    xml.startDocument()
    xml.startElement("urlset", {"xmlns": SITEMAP_NS, "xmlns:news": NEWS_NS})
    for story in stories:
        xml.startElement("url", {})
        xml.addQuickElement("loc", request.build_absolute_uri(story.get_absolute_url()))
        xml.startElement("news:news", {})
        xml.startElement("news:publication", {})
        xml.addQuickElement("news:name", SITE_NAME)
        xml.addQuickElement("news:language", language)
        xml.endElement("news:publication")
        xml.addQuickElement("news:publication_date", story.first_seen.isoformat(timespec="seconds"))
        xml.addQuickElement("news:title", plain_text(story.title) or f"Story {story.pk}")
        xml.endElement("news:news")
        xml.endElement("url")
    xml.endElement("urlset")
    xml.endDocument()
    response = HttpResponse(output.getvalue(), content_type="application/xml; charset=utf-8")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response
