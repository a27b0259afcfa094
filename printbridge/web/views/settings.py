"""A store's settings page: its settings form, a custom store's intake key, a BigCommerce store's connection."""

from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from printbridge.ingestion.services.stores import update_bigcommerce_settings
from printbridge.orders import events, selectors
from printbridge.orders.errors import InvalidInput, NotFound
from printbridge.stores.services import rotate_store_key, update_settings
from printbridge.web.forms_settings import BigCommerceSettingsForm, StoreSettingsForm
from printbridge.web.views.common import account_or_404

ORDER_FIELDS = ("import_not_connected", "approval_mode", "approval_delay_hours", "partial_release")
EMAIL_FIELDS = ("notification_recipients", "email_mode", "ageing_alert_hours")
FULFILMENT_FIELDS = ("shipment_method_uid",)


def _store_or_404(request, store_id: int):
    account = account_or_404(request)
    try:
        return account, selectors.store_for(account.pk, store_id)
    except NotFound:
        raise Http404 from None


def _actor(request) -> events.Actor:
    return events.Actor.for_user(request.user)


def _page(request, store, form=None, bc_form=None, status=200, **extra):
    form = form or StoreSettingsForm.for_settings(store.settings)
    connection = getattr(store, "bigcommerce", None) if store.platform == store.Platform.BIGCOMMERCE else None
    if connection is not None and bc_form is None:
        bc_form = BigCommerceSettingsForm.for_connection(connection)
    context = {
        "store": store,
        "form": form,
        "sections": [
            ("Orders", [form[name] for name in ORDER_FIELDS]),
            ("Fulfilment", [form[name] for name in FULFILMENT_FIELDS]),
            ("E-mail", [form[name] for name in EMAIL_FIELDS]),
        ],
        "connection": connection,
        "bc_form": bc_form,
        "intake_url": f"{django_settings.PRINTBRIDGE_BASE_URL}/api/v1/stores/{store.pk}/orders",
        **extra,
    }
    return render(request, "web/store_settings.html", context, status=status)


def _field_or_none(form, exc: InvalidInput) -> str | None:
    field = exc.details.get("field")
    return field if field in form.fields else None


@login_required
@require_http_methods(["GET", "POST"])
def store_settings(request, store_id: int):
    """GET: the form. POST: Save Changes through update_settings; invalid → 422, nothing saved."""
    account, store = _store_or_404(request, store_id)
    if request.method == "GET":
        return _page(request, store)
    form = StoreSettingsForm(request.POST)
    if form.is_valid():
        try:
            update_settings(account.pk, store.pk, form.changes(), _actor(request))
        except InvalidInput as exc:
            form.add_error(_field_or_none(form, exc), exc.message)
        else:
            messages.success(request, "Changes saved.")
            return redirect("store-settings", store.pk)
    return _page(request, store, form=form, status=422)


@never_cache
@login_required
@require_POST
def rotate_key(request, store_id: int):
    """Replace a custom store's intake key; the new key is shown on this answer only."""
    account, store = _store_or_404(request, store_id)
    try:
        new = rotate_store_key(account.pk, store.pk, _actor(request))
    except InvalidInput as exc:
        return _page(request, store, status=422, key_error=exc.message)
    return _page(request, new.store, new_key=new.api_key)


@login_required
@require_POST
def bigcommerce_settings(request, store_id: int):
    """Which BigCommerce statuses import and the reconciliation interval, through the ingestion service."""
    account, store = _store_or_404(request, store_id)
    if getattr(store, "bigcommerce", None) is None:
        raise Http404
    bc_form = BigCommerceSettingsForm(request.POST)
    if bc_form.is_valid():
        try:
            update_bigcommerce_settings(
                account.pk,
                store.pk,
                _actor(request),
                bc_form.cleaned_data["paid_status_ids"],
                bc_form.cleaned_data["reconcile_every_minutes"],
            )
        except InvalidInput as exc:
            bc_form.add_error(_field_or_none(bc_form, exc), exc.message)
        else:
            messages.success(request, "BigCommerce settings saved.")
            return redirect(reverse("store-settings", args=[store.pk]) + "#bigcommerce")
    return _page(request, store, bc_form=bc_form, status=422)
