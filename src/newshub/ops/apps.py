from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: moving an installation between databases, workers, status."""

    name = "newshub.ops"
    label = "ops"
