from django.contrib.auth import views as auth_views
from django.urls import path

from printbridge.web.views import home, orders, stores

urlpatterns = [
    # Shell, dashboard, orders list, stores
    path("", home.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("stores/", stores.stores, name="stores"),
    path("stores/connect/bigcommerce", stores.connect_bigcommerce_view, name="connect-bigcommerce"),
    path("healthz", home.healthz, name="healthz"),
    # Order page, Complete order, resolve by variant, rules, ledger, connections, audit
    path("orders/<int:order_id>/", orders.order_detail, name="order"),
    # Store settings, e-mail
]
