"""The Gelato catalog (browse with facet filters, product detail, refresh) and the design files page (upload, fetch
from an https link). Views parse and authorize, then call one catalog service or selector."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from printbridge.catalog import filetypes, selectors, services, signing
from printbridge.catalog.errors import ProviderUnavailable
from printbridge.catalog.forms import ImportUrlForm, UploadDesignForm
from printbridge.catalog.gelato import provider_account
from printbridge.catalog.models import DesignFile
from printbridge.catalog.uploads import too_large_uploads
from printbridge.orders import events
from printbridge.orders.errors import Conflict, InvalidInput, NotFound
from printbridge.web.views.common import account_or_404, form_errors

PAGE_SIZE = 50


def _actor(request) -> events.Actor:
    return events.Actor.for_user(request.user)


def _has_key(account) -> bool:
    try:
        provider_account(account)
    except Conflict:
        return False
    return True


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) < 10_000 else 1


@login_required
@require_GET
def catalog(request):
    """Catalogs as tabs; the chosen one's products filtered by text and facets (a GET form, no JavaScript)."""
    account = account_or_404(request)
    catalogs = selectors.catalogs(account)
    chosen = request.GET.get("catalog") or (catalogs[0].catalog_uid if catalogs else "")
    context = {
        "catalogs": catalogs,
        "chosen": chosen,
        "sync": selectors.sync_state(account),
        "has_key": _has_key(account),
        "q": request.GET.get("q", "")[:200],
        "errors": [],
    }
    status = 200
    if chosen:
        status = search_into(context, account, request)
    return render(request, "web/catalog.html", context, status=status)


def search_into(context: dict, account, request, page_size: int = PAGE_SIZE) -> int:
    """The chosen catalog's products matching the request's text and facet filters, one page, into `context`
    (also the create-from-catalog flow's first step). Returns the status to answer with."""
    page = _page_number(request.GET.get("page"))
    try:
        filters = selectors.parse_filters(request.GET.getlist("attr"))
        result = selectors.search(
            account, context["chosen"], context["q"], filters, page_size, (page - 1) * page_size
        )
    except NotFound:
        raise Http404 from None
    except InvalidInput as exc:
        context["errors"] = [exc.message]
        return 422
    columns = [facet for facet in result.facets if facet.choosable]
    rows = [(product, [_value_title(facet, product) for facet in columns]) for product in result.products]
    context.update(
        result=result,
        columns=columns,
        rows=rows,
        page=page,
        pages=max(1, -(-result.total // page_size)),
        stale=selectors.is_stale(result.catalog.refreshed_at),
    )
    return 200


def _value_title(facet: selectors.Facet, product) -> str:
    value = product.attributes.get(facet.uid, "")
    return next((v.title for v in facet.values if v.uid == value), value)


@login_required
@require_POST
def catalog_refresh(request):
    """Queue a refresh of every catalog (or `catalog`); back to the catalog page (`show`: the tab it was on)."""
    account = account_or_404(request)
    catalog_uid = request.POST.get("catalog", "").strip()[:100]
    try:
        services.request_refresh(account, _actor(request), catalog_uid)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, "Refreshing the catalog from Gelato; reload this page in a moment to see it."
        )
    show = catalog_uid or request.POST.get("show", "").strip()[:100]
    target = reverse("catalog")
    return redirect(f"{target}?{urlencode({'catalog': show})}" if show else target)


@login_required
@require_GET
def catalog_product(request, product_uid: str):
    """A product's attributes, size and supported countries (fetched from Gelato on first view)."""
    account = account_or_404(request)
    error = ""
    try:
        product = services.product_detail(account, product_uid, refresh=request.GET.get("refresh") == "1")
    except NotFound:
        raise Http404 from None
    except (ProviderUnavailable, Conflict) as exc:
        error = exc.message
        product = _cached_product(account, product_uid)
    context = {"product": product, "attributes": _attribute_rows(product), "error": error}
    return render(request, "web/catalog_product.html", context)


def _cached_product(account, product_uid: str):
    try:
        return selectors.product(account, product_uid)
    except NotFound:
        raise Http404 from None


def _attribute_rows(product) -> list[tuple[str, str]]:
    """(attribute title, value title) in the catalog's attribute order; unknown ones by their uid."""
    titles = selectors.attribute_titles(product.catalog)
    order = list(titles) + [name for name in product.attributes if name not in titles]
    rows = []
    for name in (name for name in order if name in product.attributes):
        title, values = titles.get(name, (name, {}))
        rows.append((title, values.get(product.attributes[name]) or product.attributes[name]))
    return rows


# --- designs -------------------------------------------------------------------------------------------------------


def _designs_page(request, account, upload_form=None, url_form=None, errors=(), status=200):
    found = selectors.designs(account)
    context = {
        "designs": [(design, _link(design)) for design in found],
        "pending": any(d.status == DesignFile.Status.PENDING for d in found),
        "upload_form": upload_form or UploadDesignForm(),
        "url_form": url_form or ImportUrlForm(),
        "errors": list(errors),
        "max_size": filetypes.size_limit(settings.DESIGN_MAX_BYTES),
    }
    return render(request, "web/designs.html", context, status=status)


def _link(design: DesignFile) -> str:
    return signing.design_path(design) if design.status == DesignFile.Status.READY else ""


@login_required
@require_GET
def designs(request):
    return _designs_page(request, account_or_404(request))


@login_required
@require_POST
def designs_upload(request):
    """Upload a PNG, JPEG or PDF; a refused file answers 422 with the reason and stores nothing."""
    account = account_or_404(request)
    form = UploadDesignForm(request.POST, request.FILES)
    form.is_valid()  # optional fields only: the service decides what is acceptable
    data = form.cleaned_data
    try:
        design = services.upload_design(
            account, _actor(request), data.get("file"), data.get("name", ""), bool(too_large_uploads(request))
        )
    except InvalidInput as exc:
        return _designs_page(request, account, upload_form=form, errors=[exc.message], status=422)
    messages.success(request, f"Uploaded {design.name}.")
    return redirect("designs")


@login_required
@require_POST
def designs_import_url(request):
    """Fetch a design from an https link (a task); the list shows when it is ready, or why it failed."""
    account = account_or_404(request)
    form = ImportUrlForm(request.POST)
    if not form.is_valid():
        return _designs_page(request, account, url_form=form, errors=form_errors(form), status=422)
    try:
        design = services.request_design_import(
            account, _actor(request), form.cleaned_data["url"], form.cleaned_data["name"]
        )
    except InvalidInput as exc:
        return _designs_page(request, account, url_form=form, errors=[exc.message], status=422)
    messages.success(request, f"Fetching {design.name}; the list shows when it is ready.")
    return redirect("designs")
