from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "printbridge.jobs"
    label = "jobs"
