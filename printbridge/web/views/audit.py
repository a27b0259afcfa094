"""The audit log: every state change, who made it and why, newest first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from printbridge.orders import selectors
from printbridge.web.forms_routing import AuditFilterForm
from printbridge.web.views.common import account_or_404, form_errors

PAGE_SIZE = 50


@login_required
@require_GET
def audit(request):
    account = account_or_404(request)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "errors": form_errors(form), "page": None}
        return render(request, "web/audit.html", context, status=422)
    data = form.cleaned_data
    page = selectors.events_page(
        account.pk,
        event_type=data["type"] or None,
        order_number=data["order"] or None,
        actor=data["actor"] or None,
        before=data["before"],
        limit=PAGE_SIZE,
    )
    return render(request, "web/audit.html", {"form": form, "page": page})
