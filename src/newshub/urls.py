from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from newshub.web.feeds import feed_urlpatterns
from newshub.web.sitemaps import SITEMAPS, news_sitemap

urlpatterns = [
    path("admin/", admin.site.urls),
    path("comments/", include("newshub.comments.urls")),
    path("api/", include("newshub.api.urls")),
    path("feeds/", include(feed_urlpatterns)),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("news-sitemap.xml", news_sitemap, name="news-sitemap"),
    path("", include("newshub.web.urls")),
]
