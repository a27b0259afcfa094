"""The dashboard (the home page) and the health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from printbridge.api.auth import current_account
from printbridge.orders import selectors
from printbridge.orders import selectors_dashboard as dashboard
from printbridge.stores.health import stores_health
from printbridge.web.charts import bar_chart

BACKLOG_DAYS = 30
BLOCKING_SHOWN = 10


@login_required
@require_GET
def home(request):
    """Counts per status, the Not connected backlog over 30 days, variants blocking orders, and what needs
    action. A user who is in no account yet sees how to get one."""
    account = current_account(request)
    context = _dashboard(account.pk) if account else {}
    return render(request, "web/dashboard.html", {"account": account, **context})


def _dashboard(account_id: int) -> dict:
    counts = dashboard.status_counts(account_id)
    backlog = dashboard.not_connected_backlog(account_id, days=BACKLOG_DAYS)
    failed, failed_total = dashboard.failed_submissions(account_id)
    waiting, waiting_total = dashboard.longest_waiting(account_id)
    health = stores_health(account_id)
    blocking = selectors.blocking_variants(account_id, limit=BLOCKING_SHOWN)
    return {
        "counts": counts,
        "total": sum(c.count for c in counts),
        "backlog": backlog,
        "chart": bar_chart([(d.day, d.waiting) for d in backlog]),
        "blocking": blocking,
        "failed": failed,
        "failed_total": failed_total,
        "waiting": waiting,
        "waiting_total": waiting_total,
        "store_problems": [h for h in health if h.problems],
        "has_stores": bool(health),
    }


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
