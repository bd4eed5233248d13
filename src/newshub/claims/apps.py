from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "newshub.claims"
    label = "claims"

    def ready(self) -> None:
        from newshub.claims import signals  # noqa: F401  (connects the receivers)
