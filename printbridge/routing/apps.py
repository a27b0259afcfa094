from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "printbridge.routing"
    label = "routing"
