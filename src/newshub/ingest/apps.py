from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "newshub.ingest"
    label = "ingest"
