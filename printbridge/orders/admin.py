"""Operator views (read-mostly): merchants act through the app and the API, which go through the services."""

from django.contrib import admin

from printbridge.orders.models import Order, OrderEvent, OrderItem, SuppressedOrder


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ItemInline(admin.TabularInline):
    model = OrderItem
    extra = 0
    can_delete = False
    readonly_fields = [
        "external_id",
        "name",
        "sku",
        "variant_id",
        "quantity",
        "state",
        "decision",
        "release_generation",
    ]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(ReadOnly):
    list_display = ["number", "store", "status", "customer_name", "total", "placed_at"]
    list_filter = ["status", "store"]
    search_fields = ["number", "external_id", "customer_name", "customer_email"]
    inlines = [ItemInline]


@admin.register(OrderEvent)
class OrderEventAdmin(ReadOnly):
    list_display = ["created_at", "type", "actor", "message", "order"]
    list_filter = ["type"]


@admin.register(SuppressedOrder)
class SuppressedOrderAdmin(ReadOnly):
    list_display = ["number", "store", "reason", "placed_at", "imported_at"]
