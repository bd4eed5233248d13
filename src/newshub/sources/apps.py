from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "newshub.sources"
    label = "sources"
