"""The orders list: status (including Not connected), store and text filters, keyset pages, status badges.

A plain GET form; with htmx the results update in place (the view answers the results partial)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from printbridge.orders.errors import InvalidInput
from printbridge.orders.selectors_order_list import order_list_page
from printbridge.web.forms_shell import OrderFilterForm
from printbridge.web.views.common import account_or_404

PAGE_SIZE = 50
PAGER_LINKS = {"orders-next", "orders-previous", "orders-newest"}


@login_required
@require_GET
@vary_on_headers("HX-Request")
def orders_list(request):
    account = account_or_404(request)
    form = OrderFilterForm(account.pk, request.GET)
    page = None
    if form.is_valid():
        try:
            page = order_list_page(account.pk, limit=PAGE_SIZE, **form.filters())
        except InvalidInput as exc:
            form.add_error(None, exc.message)
    context = {
        "form": form,
        "page": page,
        "paged": bool(page and (form.cleaned_data.get("after") or form.cleaned_data.get("before"))),
        "links": _page_links(request, page),
        "focus_results": bool(request.htmx) and request.htmx.trigger in PAGER_LINKS,
        "approvable": bool(page and page.rows) and form.cleaned_data.get("status") == "pending_approval",
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "web/_orders_table.html" if partial else "web/orders_list.html"
    return render(request, template, context, status=200 if page is not None else 422)


def _page_links(request, page) -> dict[str, str]:
    """Newest / Previous / Next: the current filters (only those given) and a cursor."""
    if page is None:
        return {}
    filters = {name: request.GET[name] for name in ("status", "store", "q") if request.GET.get(name)}

    def link(**cursor) -> str:
        query = urlencode({**filters, **cursor})
        return reverse("orders") + (f"?{query}" if query else "")

    links = {"newest": link()}
    if page.previous_cursor:
        links["previous"] = link(before=page.previous_cursor)
    if page.next_cursor:
        links["next"] = link(after=page.next_cursor)
    return links
