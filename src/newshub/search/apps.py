from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "newshub.search"
    label = "search"
