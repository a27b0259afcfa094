from django.contrib import admin
from django.urls import include, path

from printbridge.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("webhooks/", include("printbridge.ingestion.urls")),
    path("bigcommerce/", include("printbridge.ingestion.app_urls")),
    path("", include("printbridge.web.urls")),
]
