from django.urls import path

from printbridge.ingestion import app_views

urlpatterns = [
    path("auth", app_views.auth, name="bigcommerce-app-auth"),
    path("load", app_views.load, name="bigcommerce-app-load"),
    path("uninstall", app_views.uninstall, name="bigcommerce-app-uninstall"),
    path("remove_user", app_views.remove_user, name="bigcommerce-app-remove-user"),
]
