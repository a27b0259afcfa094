from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "printbridge.demo"
    label = "demo"
