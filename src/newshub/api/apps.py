from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "newshub.api"
    label = "api"
    verbose_name = "JSON API"

    def ready(self) -> None:
        from newshub.api import signals

        signals.connect()
