from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "printbridge.catalog"
    label = "catalog"
    verbose_name = "Catalog and designs"
