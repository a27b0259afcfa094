from django.apps import AppConfig


class FulfilmentConfig(AppConfig):
    name = "printbridge.fulfilment"
    label = "fulfilment"
