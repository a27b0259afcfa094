from django.urls import path

from printbridge.ingestion import views

urlpatterns = [path("bigcommerce/<str:public_id>", views.bigcommerce_webhook, name="bigcommerce-webhook")]
