from django.contrib.auth import views as auth_views
from django.urls import path

from printbridge.catalog.views import design_file
from printbridge.web.views import (
    approval,
    audit,
    catalog_connect,
    home,
    mail,
    order_fix,
    orders,
    orders_list,
    provider,
    resolve,
    routing,
    settings,
    shell,
    stores,
)
from printbridge.web.views import catalog as catalog_views

urlpatterns = [
    # Shell, dashboard, orders list, stores
    path("", home.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="login"), name="logout"),
    path("account/switch", shell.switch_account, name="switch-account"),
    path("orders/", orders_list.orders_list, name="orders"),
    path("orders/approve", approval.approve, name="orders-approve"),
    path("stores/", stores.stores, name="stores"),
    path("stores/connect/bigcommerce", stores.connect_bigcommerce_view, name="connect-bigcommerce"),
    path("healthz", home.healthz, name="healthz"),
    # Order page, Complete order, resolve by variant, rules, ledger, connections, audit
    path("orders/<int:order_id>/", orders.order_detail, name="order"),
    path(
        "orders/<int:order_id>/items/<int:item_id>/choices",
        orders.connection_choices,
        name="order-connection-choices",
    ),
    path("orders/<int:order_id>/items/<int:item_id>/connect", orders.connect, name="order-connect"),
    path("orders/<int:order_id>/items/<int:item_id>/ignore", orders.ignore, name="order-ignore"),
    path("orders/<int:order_id>/apply-others", orders.apply_to_others, name="order-apply-others"),
    path("orders/<int:order_id>/shipping-address", order_fix.edit_address, name="order-edit-address"),
    path("orders/<int:order_id>/retry", order_fix.retry, name="order-retry"),
    path("resolve/", resolve.queue, name="resolve"),
    path("resolve/variant/", resolve.variant, name="resolve-variant"),
    path("resolve/variant/choices", resolve.choices, name="resolve-choices"),
    path("resolve/preview/", resolve.preview, name="resolve-preview"),
    path("resolve/apply", resolve.apply, name="resolve-apply"),
    path("rules/", routing.rules, name="rules"),
    path("rules/<int:rule_id>/revoke", routing.revoke, name="rule-revoke"),
    path("suppressed/", routing.ledger, name="ledger"),
    path("connections/", routing.connections, name="connections"),
    path("connections/<int:connection_id>/disconnect", routing.disconnect, name="connection-disconnect"),
    path("connections/<int:connection_id>/confirm", routing.confirm_connection, name="connection-confirm"),
    path("audit/", audit.audit, name="audit"),
    # Store settings, e-mail
    path("stores/<int:store_id>/settings/", settings.store_settings, name="store-settings"),
    path("stores/<int:store_id>/settings/rotate-key", settings.rotate_key, name="store-rotate-key"),
    path(
        "stores/<int:store_id>/settings/bigcommerce",
        settings.bigcommerce_settings,
        name="store-bigcommerce-settings",
    ),
    path("mail/", mail.mail, name="mail"),
    path("settings/gelato/", provider.gelato, name="provider-gelato"),
    path("mail/<int:notification_id>/", mail.mail_detail, name="mail-detail"),
    # Catalog and designs
    path("catalog/", catalog_views.catalog, name="catalog"),
    path("catalog/refresh", catalog_views.catalog_refresh, name="catalog-refresh"),
    path("catalog/products/<str:product_uid>/", catalog_views.catalog_product, name="catalog-product"),
    path("catalog/connect/", catalog_connect.pick, name="catalog-connect"),
    path("catalog/connect/map", catalog_connect.map_step, name="catalog-connect-map"),
    path("catalog/connect/preview", catalog_connect.preview_step, name="catalog-connect-preview"),
    path("catalog/connect/confirm", catalog_connect.confirm, name="catalog-connect-confirm"),
    path("catalog/connect/upload", catalog_connect.upload, name="catalog-connect-upload"),
    path("designs/", catalog_views.designs, name="designs"),
    path("designs/upload", catalog_views.designs_upload, name="designs-upload"),
    path("designs/import-url", catalog_views.designs_import_url, name="designs-import-url"),
    path("media/designs/<str:token>/<str:file_name>", design_file, name="design-file"),
]
