from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "printbridge.api"
    label = "api"
