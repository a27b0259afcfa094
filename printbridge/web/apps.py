from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "printbridge.web"
    label = "web"
