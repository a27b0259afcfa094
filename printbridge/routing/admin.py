from django.contrib import admin

from printbridge.orders.admin import ReadOnly
from printbridge.routing.models import Connection, IgnoreRule


@admin.register(Connection)
class ConnectionAdmin(ReadOnly):
    list_display = ["label", "variant_id", "provider_product_uid", "store", "created_at", "disconnected_at"]


@admin.register(IgnoreRule)
class IgnoreRuleAdmin(ReadOnly):
    list_display = ["scope", "label", "store", "created_by", "created_at", "revoked_at"]
