from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "printbridge.notifications"
    label = "notifications"
