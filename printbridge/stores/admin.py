from django.contrib import admin

from printbridge.stores.models import Account, Membership, Store


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    inlines = [MembershipInline]


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["name", "platform", "account", "is_active", "created_at"]
    readonly_fields = ["api_key_prefix", "api_key_hash"]
