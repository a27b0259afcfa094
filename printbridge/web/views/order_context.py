"""What the order page shows: each item with its state, reason, provider status and tracking; the Complete
order section; and, after a Connect or Ignore, the other waiting orders the same change would release."""

from __future__ import annotations

from collections import defaultdict

from django.urls import NoReverseMatch, reverse

from printbridge.fulfilment import selectors as fulfilment_selectors
from printbridge.orders import explain, rules, selectors
from printbridge.orders.models import Order
from printbridge.orders.services import reevaluation
from printbridge.routing import suggestions
from printbridge.web import forms_routing
from printbridge.web.notices import item_label

SHOWN_NUMBERS = 10
SUGGESTED = 3


def catalog_url() -> str | None:
    """The page that creates a connected product from the catalog, when that flow exists."""
    try:
        return reverse("catalog-connect")
    except NoReverseMatch:
        return None


def choices(account_id: int, q: str, item) -> dict:
    """The connected products to pick from for one not-connected item (the partial's context)."""
    found, more = selectors.connection_choices(account_id, q, item.product_id, item.order.store_id)
    return {"choices": found, "more": more, "q": q, "prefix": f"item-{item.pk}"}


def suggested(order: Order, item) -> list[suggestions.Suggestion]:
    """Connect to existing: the connected products this item most likely is (same SKU, then name and options)."""
    return suggestions.suggest_connections(order.store, suggestions.Wanted.of_item(item), limit=SUGGESTED)


def _fulfilment(order: Order) -> tuple[dict, dict]:
    data = fulfilment_selectors.order_fulfilment(order)
    submissions = {i: s for s in data["submissions"] for i in s["item_ids"]}
    parcels: dict[int, list[dict]] = defaultdict(list)
    for parcel in data["parcels"]:
        for line in parcel["items"]:
            parcels[line["item_id"]].append(parcel)
    return submissions, parcels


def item_rows(order: Order) -> list[dict]:
    submissions, parcels = _fulfilment(order)
    return [
        {
            "item": i,
            "label": item_label(i),
            "state_label": rules.ITEM_STATE_LABELS[rules.ItemState(i.state)],
            "reason": explain.item_reason(i),
            "submission": submissions.get(i.pk),
            "parcels": parcels.get(i.pk, []),
        }
        for i in order.items.all()
    ]


def _changes(order: Order) -> dict[tuple[str, int], tuple[reevaluation.Change, str]]:
    """The active connections and ignore rules that decided this order's items."""
    found: dict[tuple[str, int], tuple[reevaluation.Change, str]] = {}
    for i in order.items.all():
        c, r = i.connection, i.ignore_rule
        if c is not None and c.is_active:
            what = f"Connection {c.label or c.variant_id} → {c.provider_product_uid}"
            found[("connection", c.pk)] = (reevaluation.Change.of_connection(c), what)
        if r is not None and r.is_active:
            what = f"Ignore rule: {r.get_scope_display().lower()} — {r.label}"
            found[("rule", r.pk)] = (reevaluation.Change.of_rule(r), what)
    return found


def offers(order: Order) -> list[dict]:
    """Per connection or rule of this order: the other waiting orders it would move (a preview; writes nothing)."""
    result = []
    for (kind, pk), (change, what) in _changes(order).items():
        preview = reevaluation.preview(order.store, change, exclude_order_id=order.pk)
        if preview.orders:
            result.append({"kind": kind, "id": pk, "what": what, **_offer_counts(preview)})
    return result


def _offer_counts(preview: reevaluation.Preview) -> dict:
    outcome = reevaluation.OrderOutcome
    released = [p for p in preview.orders if p.outcome != outcome.STILL_WAITING]
    waiting = [p for p in preview.orders if p.outcome == outcome.STILL_WAITING]
    return {
        "total": len(preview.orders),
        "released": len(released),
        "released_numbers": [p.number for p in released[:SHOWN_NUMBERS]],
        "continues": preview.count(outcome.CONTINUES),
        "ignored": preview.count(outcome.IGNORED),
        "still_waiting": len(waiting),
        "waiting_numbers": [p.number for p in waiting[:SHOWN_NUMBERS]],
    }


def page(account_id: int, order: Order, search: dict | None = None, error: dict | None = None) -> dict:
    """The order page's context. `search`: {item, q} of a plain-GET connected-product search; `error`: the item,
    the form that was refused and its messages."""
    search = search or {}
    rows = item_rows(order)
    waiting = [r for r in rows if r["item"].state == rules.ItemState.NOT_CONNECTED]
    if order.status != rules.OrderStatus.NOT_CONNECTED:
        waiting = []
    for row in waiting:
        q = search.get("q", "") if search.get("item") == row["item"].pk else ""
        row["choices"] = choices(account_id, q, row["item"])
        row["suggestions"] = suggested(order, row["item"])
        row["error"] = error if error and error["item_id"] == row["item"].pk else None
    shown = any(row["error"] for row in waiting)
    return {
        "order": order,
        "items": rows,
        "waiting": waiting,
        "offers": offers(order),
        "events": selectors.order_events(order),
        "catalog_url": catalog_url(),
        "ignore_choices": [
            (v, label, forms_routing.IGNORE_HINTS[v]) for v, label in forms_routing.IGNORE_CHOICES
        ],
        "page_error": error if error and not shown else None,
        "address_form": _address_form(order),
    }


def _address_form(order: Order):
    """Fix and retry's address form, for an order the provider refused."""
    if order.status != rules.OrderStatus.FAILED:
        return None
    from printbridge.web.forms_fulfilment import AddressForm

    return AddressForm(initial=order.shipping_address)
