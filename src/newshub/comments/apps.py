from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "newshub.comments"
    label = "comments"
