from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "printbridge.orders"
    label = "orders"
