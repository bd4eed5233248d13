from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("story/<int:story_id>/", views.post_comment, name="post"),
    path("privacy/", views.privacy, name="privacy"),
]
