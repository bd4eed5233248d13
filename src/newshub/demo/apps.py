from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "newshub.demo"
    label = "demo"
