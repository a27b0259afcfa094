from django.apps import AppConfig


class IngestionConfig(AppConfig):
    name = "printbridge.ingestion"
    label = "ingestion"
