"""The home page and the health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from printbridge.api.auth import current_account
from printbridge.orders import selectors


@login_required
def home(request):
    account = current_account(request)
    stores = list(selectors.stores(account.pk)) if account else []
    orders = selectors.orders(account.pk, limit=50).items if account else []
    return render(request, "web/home.html", {"account": account, "stores": stores, "orders": orders})


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
