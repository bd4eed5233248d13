from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "newshub.stories"
    label = "stories"
