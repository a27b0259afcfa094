from django.apps import AppConfig


class StoresConfig(AppConfig):
    name = "printbridge.stores"
    label = "stores"
