from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "newshub.claims"
    label = "claims"
