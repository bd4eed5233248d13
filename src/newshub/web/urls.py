from django.urls import path

from newshub.web import views

app_name = "web"

urlpatterns = [
    path("", views.front, name="front"),
    path("articles/<int:pk>/", views.article, name="article"),
    path("outlets/<slug:slug>/", views.outlet, name="outlet"),
    path("stories/<int:pk>/", views.story, name="story"),
    path("health", views.health, name="health"),
]
