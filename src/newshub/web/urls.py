from django.urls import path

from newshub.demo.views import demo_page
from newshub.web import views

app_name = "web"

urlpatterns = [
    path("", views.front, name="front"),
    path("category/<slug:slug>/", views.category, name="category"),
    path("articles/<int:pk>/", views.article, name="article"),
    path("outlets/<slug:slug>/", views.outlet, name="outlet"),
    path("stories/<int:pk>/", views.story, name="story"),
    path("search/", views.search_page, name="search"),
    path("about/", views.about, name="about"),
    path("health", views.health, name="health"),
    path("demo-sites/<path:path>", demo_page, name="demo-page"),
]
