from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("story/<int:story_id>/", views.post_comment, name="post"),
    path("story/<int:story_id>/write/", views.write_comment, name="write"),
    path("privacy/", views.privacy, name="privacy"),
]
