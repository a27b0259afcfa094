"""Create a new product from the catalog, for a not-connected order item (Complete order's link):

1. /catalog/connect/?order=&item=        pick a catalog and a product (search with facets);
2. /catalog/connect/map?…&product=       map the store's options to its attributes, choose a design per print
                                          area (or upload one), every size and colour, publishing (BigCommerce);
3. /catalog/connect/preview?…             each store variant → the catalog product it is made from, or why not,
                                          and the other waiting orders it releases; Confirm (POST) → the order.

Steps 1–3 are plain GET forms (no writes); Confirm and the upload are POSTs with the CSRF token. Views parse and
authorize (another account's order is 404), then call one catalog service or read."""

from __future__ import annotations

from difflib import SequenceMatcher
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from printbridge.catalog import connect_plan, connecting, mapping, services
from printbridge.catalog import selectors as catalog_selectors
from printbridge.catalog.models import DesignFile
from printbridge.catalog.uploads import too_large_uploads
from printbridge.orders import events
from printbridge.orders.errors import Conflict, InvalidInput, NotFound, ServiceError
from printbridge.orders.services import reevaluation
from printbridge.stores.models import Store
from printbridge.web import notices
from printbridge.web.forms_catalog_connect import ProductForm, TargetForm, UploadForm
from printbridge.web.views import catalog as catalog_views
from printbridge.web.views.common import account_or_404

PAGE_SIZE = 25
MAX_DESIGNS = 200


def _target(account, data) -> connect_plan.Target:
    """The waiting order item named by `order` and `item`: 404 unless it is the account's; Conflict when it is
    not waiting any more."""
    form = TargetForm(data)
    if not form.is_valid():
        raise Http404
    try:
        return connect_plan.waiting_item(account.pk, form.cleaned_data["order"], form.cleaned_data["item"])
    except NotFound:
        raise Http404 from None


def _closed(request, account, data, exc: Conflict):
    """The item is no longer waiting (connected or ignored meanwhile): say so, with the way back to the order."""
    form = TargetForm(data)
    order_id = form.cleaned_data["order"] if form.is_valid() else None
    context = {"message": exc.message, "order_id": order_id}
    return render(request, "web/catalog_connect_closed.html", context, status=409)


def _base(target: connect_plan.Target, step: int) -> dict:
    item = target.item
    return {
        "target": target,
        "item_label": notices.item_label(item),
        "step": step,
        "flow": urlencode({"order": target.order.pk, "item": item.pk}),
    }


# --- step 1: pick a catalog product --------------------------------------------------------------------------------


@login_required
@require_GET
def pick(request):
    account = account_or_404(request)
    try:
        target = _target(account, request.GET)
    except Conflict as exc:
        return _closed(request, account, request.GET, exc)
    return _pick_page(request, account, target)


def _pick_page(request, account, target, errors=(), status=200):
    catalogs = catalog_selectors.catalogs(account)
    chosen = request.GET.get("catalog") or likely_catalog(catalogs, target.item.name)
    context = {
        **_base(target, 1),
        "catalogs": catalogs,
        "chosen": chosen,
        "q": request.GET.get("q", "")[:200],
        "errors": list(errors),
    }
    if chosen:
        status = catalog_views.search_into(context, account, request, PAGE_SIZE) if status == 200 else status
    return render(request, "web/catalog_connect.html", context, status=status)


def likely_catalog(catalogs, item_name: str) -> str:
    """The catalog whose title is most like the item's name ("Classic T-shirt" → T-shirts); "" without any."""
    if not catalogs:
        return ""
    words = item_name.casefold().split()

    def likeness(catalog) -> float:
        title = (catalog.title or catalog.catalog_uid).casefold().rstrip("s")
        return max((SequenceMatcher(None, word.rstrip("s"), title).ratio() for word in words), default=0.0)

    return max(catalogs, key=likeness).catalog_uid


# --- step 2: options → attributes, designs, siblings, publishing ---------------------------------------------------


def _options(item) -> list[str]:
    return [str(o.get("name", "")) for o in item.options if isinstance(o, dict) and o.get("name")]


def _designs(account) -> list[DesignFile]:
    return catalog_selectors.designs(account, status=DesignFile.Status.READY, limit=MAX_DESIGNS)


def _form(account, target, choice, data=None, initial=None) -> ProductForm:
    return ProductForm(
        _options(target.item),
        choice,
        _designs(account),
        data,
        initial=initial,
        can_publish=target.store.platform == Store.Platform.BIGCOMMERCE,
        product_name=target.item.name,
    )


def _initial(target, choice, designs: list[DesignFile], query: QueryDict) -> dict:
    """The form's first state: options mapped by their values and names, the newest design, every size and colour,
    publishing defaults from the item; a design just uploaded (in the query) chosen for its area."""
    item = target.item
    values = [(str(o.get("name", "")), str(o.get("value", ""))) for o in item.options if isinstance(o, dict)]
    suggested = mapping.suggest_mapping(values, choice.attributes)
    initial = {"product": choice.product.product_uid, "siblings": True}
    initial.update({f"map_{i}": suggested.get(name, "") for i, name in enumerate(_options(item))})
    if designs:
        initial.update({f"design_{area}": designs[0].pk for area, _ in choice.areas})
    initial.update({k: v for k, v in query.items() if k.startswith("design_")})
    prefix = "".join(ch for ch in item.name.upper() if ch.isalnum())[:12] or "NEW"
    # The item's own product already has its name in the store, and BigCommerce refuses a duplicate name.
    name = f"{item.name} – {designs[0].name}" if designs else f"{item.name} (new design)"
    initial.update(publish_name=name[:250], publish_price=item.unit_price, publish_sku_prefix=prefix)
    return initial


def _choice_or_pick(request, account, target, product_uid: str):
    try:
        return connect_plan.catalog_choice(account, product_uid), None
    except InvalidInput as exc:
        return None, _pick_page(request, account, target, errors=[exc.message], status=422)


@login_required
@require_GET
def map_step(request):
    account = account_or_404(request)
    try:
        target = _target(account, request.GET)
    except Conflict as exc:
        return _closed(request, account, request.GET, exc)
    choice, refused = _choice_or_pick(request, account, target, request.GET.get("product", ""))
    if refused:
        return refused
    bound = request.GET if "chosen" in request.GET else None
    initial = _initial(target, choice, _designs(account), request.GET)
    form = _form(account, target, choice, bound, initial)
    if bound is not None:
        form.is_valid()
    return _map_page(request, target, choice, form)


def _map_page(request, target, choice, form, errors=(), status=200, state: QueryDict | None = None):
    if state is None:
        state = request.GET if request.method == "GET" else request.POST
    context = {
        **_base(target, 2),
        "choice": choice,
        "form": form,
        "errors": list(errors),
        "upload_form": UploadForm(),
        "state": _state(state),
        "store": target.store,
    }
    return render(request, "web/catalog_connect_map.html", context, status=status)


def _state(data: QueryDict) -> str:
    """The step's choices as a query string (for the upload form to come back to them)."""
    kept = data.copy()
    for name in ("csrfmiddlewaretoken", "state", "file", "name", "area"):
        kept.pop(name, None)
    return kept.urlencode()


# --- step 3: preview, then confirm ---------------------------------------------------------------------------------


def _checked(request, account, data: QueryDict):
    """Steps 3 and Confirm: ((target, choice, valid form), None), or (None, the answer that refuses them: closed,
    back to step 1 for an unknown product, back to step 2 with the form's errors)."""
    try:
        target = _target(account, data)
    except Conflict as exc:
        return None, _closed(request, account, data, exc)
    choice, refused = _choice_or_pick(request, account, target, data.get("product", ""))
    if refused:
        return None, refused
    form = _form(account, target, choice, data)
    if not form.is_valid():
        return None, _map_page(request, target, choice, form, status=422)
    return (target, choice, form), None


@login_required
@require_GET
def preview_step(request):
    account = account_or_404(request)
    checked, refused = _checked(request, account, request.GET)
    if refused:
        return refused
    target, choice, form = checked
    try:
        plan = connecting.preview(account.pk, target.order.pk, target.item.pk, form.to_spec())
    except Conflict as exc:
        return _closed(request, account, request.GET, exc)
    except ServiceError as exc:
        return _map_page(request, target, choice, form, errors=[exc.message], status=exc.status_code)
    return _preview_page(request, target, plan)


def _preview_page(request, target, plan, errors=(), status=200):
    hidden = [(k, v) for k, values in request.GET.lists() for v in values if k not in ("apply", "chosen")]
    change = reverse("catalog-connect-map") + "?" + request.GET.urlencode()
    context = {
        **_base(target, 3),
        "plan": plan,
        "hidden": hidden,
        "change_url": change,
        "errors": list(errors),
        "counts": _counts(plan),
        "design_rows": [(label.lower(), plan.designs[area]) for area, label in plan.choice.areas],
    }
    return render(request, "web/catalog_connect_preview.html", context, status=status)


def _counts(plan: connect_plan.Plan) -> dict:
    actions = [v.action for v in plan.variants]
    outcome = reevaluation.OrderOutcome
    return {
        "connect": actions.count(connect_plan.Action.CONNECT),
        "skipped": len(actions) - actions.count(connect_plan.Action.CONNECT) - len(plan.problems),
        "releases": plan.waiting.count(outcome.CONTINUES) + plan.waiting.count(outcome.IGNORED),
        "still_waiting": plan.waiting.count(outcome.STILL_WAITING),
    }


@login_required
@require_POST
def confirm(request):
    account = account_or_404(request)
    checked, refused = _checked(request, account, request.POST)
    if refused:
        return refused
    target, choice, form = checked
    actor = events.Actor.for_user(request.user)
    try:
        created = connecting.create_connected_product(
            account.pk, target.order.pk, target.item.pk, form.to_spec(), actor
        )
    except Conflict as exc:
        return _closed(request, account, request.POST, exc)
    except ServiceError as exc:
        return _map_page(request, target, choice, form, errors=[exc.message], status=exc.status_code)
    messages.success(request, connected_notice(created))
    return redirect("order", target.order.pk)


def connected_notice(created: connecting.Created) -> str:
    """E.g. 'Connected 7 variants of Classic T-shirt to Gelato (T-shirts) with the design Cat. 2 variants were
    left as they were (already connected or ignored). Order #1001 continues: 1 item released for fulfilment.'"""
    plan = created.plan
    designs = " and ".join(sorted({d.name for d in plan.designs.values()}))
    count = len(created.connections)
    text = (
        f"Connected {notices.plural(count, 'variant')} of {plan.target.item.name} to Gelato "
        f"({plan.choice.product.catalog}) with the design {designs}."
    )
    skipped = sum(1 for v in plan.variants if v.action != connect_plan.Action.CONNECT)
    if skipped:
        text += f" {notices.plural(skipped, 'variant')} left as before (already connected or ignored)."
    text += " " + notices.order_outcome(created.resolution.order)
    if created.published is not None:
        published = created.published
        text += (
            f" Published in {plan.target.store.name} as product {published.product_id} with "
            f"{notices.plural(len(published.connections), 'variant')} connected."
        )
    if created.applied is not None:
        text += " " + notices.applied(created.applied)
    elif plan.waiting.orders:
        text += f" {notices.plural(len(plan.waiting.orders), 'other waiting order')} with these variants still wait."
    return text


# --- upload a design without leaving the flow ----------------------------------------------------------------------


@login_required
@require_POST
def upload(request):
    """Upload a design (PNG, JPEG or PDF) and come back to step 2 with it chosen for its print area."""
    account = account_or_404(request)
    try:
        target = _target(account, request.POST)
    except Conflict as exc:
        return _closed(request, account, request.POST, exc)
    form = UploadForm(request.POST, request.FILES)
    form.is_valid()
    data = form.cleaned_data
    state = QueryDict(request.POST.get("state", ""), mutable=True)
    state.setlist("order", [str(target.order.pk)])
    state.setlist("item", [str(target.item.pk)])
    try:
        design = services.upload_design(
            account,
            events.Actor.for_user(request.user),
            data.get("file"),
            data.get("name", ""),
            bool(too_large_uploads(request)),
        )
    except InvalidInput as exc:
        return _upload_refused(request, account, target, state, exc)
    area = data.get("area") or connect_plan.DEFAULT_AREA
    state.setlist(f"design_{area}", [str(design.pk)])
    messages.success(request, f"Uploaded {design.name}; it is chosen for this product.")
    return redirect(reverse("catalog-connect-map") + "?" + state.urlencode())


def _upload_refused(request, account, target, state: QueryDict, exc: InvalidInput):
    choice, refused = _choice_or_pick(request, account, target, state.get("product", ""))
    if refused:
        return refused
    bound = state if "chosen" in state else None
    initial = _initial(target, choice, _designs(account), state)
    form = _form(account, target, choice, bound, initial)
    return _map_page(request, target, choice, form, errors=[exc.message], status=422, state=state)
