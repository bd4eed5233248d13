from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "newshub.api"
    label = "api"
