from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "newshub.web"
    label = "web"
