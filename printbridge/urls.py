from django.contrib import admin
from django.urls import include, path

from printbridge.api.api import api
from printbridge.fulfilment.views import gelato_webhook

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("webhooks/", include("printbridge.ingestion.urls")),
    path("webhooks/gelato/<str:token>", gelato_webhook, name="gelato-webhook"),
    path("bigcommerce/", include("printbridge.ingestion.app_urls")),
    path("", include("printbridge.web.urls")),
]
