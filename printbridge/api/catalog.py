"""The Gelato catalog cache (browse, faceted search, product detail, refresh) and the account's design files
(upload, import from an https URL, list, read). Every object is scoped to the caller's account."""

from __future__ import annotations

from datetime import datetime

from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from printbridge.api.schemas import ErrorOut, Strict
from printbridge.catalog import selectors, services, signing
from printbridge.catalog.models import CatalogProduct, CatalogSync, DesignFile
from printbridge.catalog.uploads import too_large_uploads
from printbridge.orders import events

catalog_router = Router()
designs_router = Router()
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 502: ErrorOut}


def _actor(request) -> events.Actor:
    return events.Actor.for_user(request.auth.user)


# --- bodies --------------------------------------------------------------------------------------------------------


class RefreshOut(Schema):
    state: str = Field(description="never | queued | running | done | failed")
    catalog_uid: str = Field(description="The catalog asked for; empty: all")
    requested_at: datetime | None
    finished_at: datetime | None
    refreshed_at: datetime | None = Field(description="The last refresh that succeeded")
    stale: bool = Field(description="Never refreshed, or older than CATALOG_STALE_AFTER_HOURS")
    last_error: str


class CatalogOut(Schema):
    catalog_uid: str
    title: str
    product_count: int
    truncated: bool
    refreshed_at: datetime | None
    stale: bool


class CatalogsOut(Schema):
    refresh: RefreshOut
    catalogs: list[CatalogOut]


class RefreshIn(Strict):
    catalog_uid: str = Field("", max_length=100, description="One catalog; empty: every catalog")


class ProductOut(Schema):
    product_uid: str
    catalog_uid: str
    attributes: dict[str, str]
    weight: str | None
    weight_unit: str
    dimensions: dict[str, dict[str, str]]


class ProductDetailOut(ProductOut):
    supported_countries: list[str]
    not_supported_countries: list[str]
    is_printable: bool | None
    is_stockable: bool | None
    details_fetched_at: datetime | None


class FacetValueOut(Schema):
    uid: str
    title: str
    count: int
    selected: bool


class FacetOut(Schema):
    uid: str
    title: str
    values: list[FacetValueOut]


class SearchOut(Schema):
    catalog_uid: str
    total: int
    limit: int
    offset: int
    facets: list[FacetOut]
    products: list[ProductOut]


class DesignOut(Schema):
    id: int
    name: str
    status: str = Field(description="pending (being fetched) | ready | failed")
    failure_reason: str
    source: str = Field(description="upload | url")
    source_url: str
    content_type: str
    size: int
    sha256: str
    width: int | None
    height: int | None
    url: str | None = Field(description="The signed link the provider fetches (ready designs only)")
    created_by: str | None
    created_at: datetime
    completed_at: datetime | None


class ImportUrlIn(Strict):
    url: str = Field(max_length=2000, description="An https:// link to a PNG, JPEG or PDF")
    name: str = Field("", max_length=200)


# --- presenters ----------------------------------------------------------------------------------------------------


def _refresh(sync: CatalogSync | None) -> dict:
    if sync is None:
        return {"state": "never", "catalog_uid": "", "requested_at": None, "finished_at": None,
                "refreshed_at": None, "stale": True, "last_error": ""}  # fmt: skip
    return {
        "state": sync.state,
        "catalog_uid": sync.catalog_uid,
        "requested_at": sync.requested_at,
        "finished_at": sync.finished_at,
        "refreshed_at": sync.refreshed_at,
        "stale": selectors.is_stale(sync.refreshed_at),
        "last_error": sync.last_error,
    }


def _product(product: CatalogProduct) -> dict:
    return {
        "product_uid": product.product_uid,
        "catalog_uid": product.catalog.catalog_uid,
        "attributes": product.attributes,
        "weight": product.weight_text or None,
        "weight_unit": product.weight_unit,
        "dimensions": product.dimensions,
    }


def _detail(product: CatalogProduct) -> dict:
    return {
        **_product(product),
        "supported_countries": product.supported_countries or [],
        "not_supported_countries": product.not_supported_countries or [],
        "is_printable": product.is_printable,
        "is_stockable": product.is_stockable,
        "details_fetched_at": product.details_fetched_at,
    }


def _design(design: DesignFile) -> dict:
    ready = design.status == DesignFile.Status.READY
    return {
        **{f: getattr(design, f) for f in ("id", "name", "status", "failure_reason", "source", "source_url")},
        **{f: getattr(design, f) for f in ("content_type", "size", "sha256", "width", "height")},
        "url": signing.design_url(design) if ready else None,
        "created_by": design.created_by.email if design.created_by else None,
        "created_at": design.created_at,
        "completed_at": design.completed_at,
    }


# --- catalog -------------------------------------------------------------------------------------------------------


@catalog_router.get("catalogs", response={200: CatalogsOut, **ERRORS}, summary="Cached catalogs")
def list_catalogs(request):
    account = request.auth.account
    found = selectors.catalogs(account)
    rows = [
        {**{f: getattr(c, f) for f in ("catalog_uid", "title", "product_count", "truncated", "refreshed_at")},
         "stale": selectors.is_stale(c.refreshed_at)}
        for c in found
    ]  # fmt: skip
    return {"refresh": _refresh(selectors.sync_state(account)), "catalogs": rows}


@catalog_router.get(
    "catalogs/{catalog_uid}/products",
    response={200: SearchOut, **ERRORS},
    summary="Search a catalog's products (text, attribute filters `attr=Name:value`, facet counts)",
)
def search_products(
    request,
    catalog_uid: str,
    q: str = "",
    attr: list[str] = Query([]),  # noqa: B008 - ninja's way to declare a repeated query parameter
    limit: int = 50,
    offset: int = 0,
):
    filters = selectors.parse_filters(attr)
    found = selectors.search(request.auth.account, catalog_uid, q, filters, limit, offset)
    facets = [
        {"uid": f.uid, "title": f.title, "values": [v.__dict__ for v in f.values]} for f in found.facets
    ]
    return {
        "catalog_uid": found.catalog.catalog_uid,
        "total": found.total,
        "limit": found.limit,
        "offset": found.offset,
        "facets": facets,
        "products": [_product(p) for p in found.products],
    }


@catalog_router.get(
    "products/{product_uid}",
    response={200: ProductDetailOut, **ERRORS},
    summary="A product with its supported countries (fetched from Gelato on first view)",
)
def product_detail(request, product_uid: str, refresh: bool = False):
    return _detail(services.product_detail(request.auth.account, product_uid, refresh=refresh))


@catalog_router.post(
    "refresh", response={202: RefreshOut, **ERRORS}, summary="Refresh the cached catalog (runs as a task)"
)
def refresh(request, payload: RefreshIn):
    sync = services.request_refresh(request.auth.account, _actor(request), payload.catalog_uid.strip())
    return Status(202, _refresh(sync))


# --- designs -------------------------------------------------------------------------------------------------------


@designs_router.get("", response={200: list[DesignOut], **ERRORS}, summary="Design files, newest first")
def list_designs(request, status: DesignFile.Status | None = None):
    return [_design(d) for d in selectors.designs(request.auth.account, status)]


@designs_router.post(
    "", response={201: DesignOut, **ERRORS}, summary="Upload a design (multipart: `file`, optional `name`)"
)
def upload_design(request, file: File[UploadedFile] = None, name: Form[str] = ""):  # type: ignore[assignment]
    design = services.upload_design(
        request.auth.account,
        _actor(request),
        file,
        name,
        dropped_for_size=bool(too_large_uploads(request)),
    )
    return Status(201, _design(design))


@designs_router.post(
    "import-url",
    response={202: DesignOut, **ERRORS},
    summary="Fetch a design from an https URL (runs as a task; the design says ready or failed)",
)
def import_url(request, payload: ImportUrlIn):
    design = services.request_design_import(request.auth.account, _actor(request), payload.url, payload.name)
    return Status(202, _design(design))


@designs_router.get("{design_id}", response={200: DesignOut, **ERRORS}, summary="A design file")
def get_design(request, design_id: int):
    return _design(selectors.design(request.auth.account, design_id))
