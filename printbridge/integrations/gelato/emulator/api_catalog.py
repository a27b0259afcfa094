"""Product API v3 (https://product.gelatoapis.com): catalogs, a catalog's attributes, faceted product search,
one product."""

from __future__ import annotations

from printbridge.integrations.bigcommerce.emulator.routes import ApiError, Reply, Request, Router

from .catalog import Catalog

MAX_LIMIT = 100


def register(router: Router) -> None:
    router.add("GET", "/v3/catalogs", list_catalogs)
    router.add("GET", "/v3/catalogs/{catalog_uid}", get_catalog)
    router.add("POST", "/v3/catalogs/{catalog_uid}/products:search", search_products)
    router.add("GET", "/v3/products/{product_uid}", get_product)


def _catalog(request: Request) -> Catalog:
    catalog = request.emulator.catalog.catalogs.get(request.params["catalog_uid"])
    if catalog is None:
        raise ApiError(404, f"Catalog {request.params['catalog_uid']!r} not found.")
    return catalog


def list_catalogs(request: Request) -> Reply:
    catalogs = [catalog.summary_json() for catalog in request.emulator.catalog.catalogs.values()]
    return Reply(200, {"data": catalogs, "pagination": {"total": len(catalogs), "offset": 0}})


def get_catalog(request: Request) -> Reply:
    return Reply(200, _catalog(request).detail_json())


def search_products(request: Request) -> Reply:
    catalog = _catalog(request)
    body = request.json_object()
    filters = _filters(body.get("attributeFilters", {}))
    limit, offset = _int(body, "limit", 50, 1, MAX_LIMIT), _int(body, "offset", 0, 0, None)
    matched, hits = catalog.search(filters)
    page = [product.search_json() for product in matched[offset : offset + limit]]
    return Reply(200, {"products": page, "hits": {"attributeHits": hits}})


def get_product(request: Request) -> Reply:
    product = request.emulator.catalog.products.get(request.params["product_uid"])
    if product is None:
        raise ApiError(404, f"Product {request.params['product_uid']!r} not found.")
    return Reply(200, product.detail_json())


def _filters(raw: object) -> dict[str, list[str]]:
    ok = isinstance(raw, dict) and all(
        isinstance(values, list) and all(isinstance(value, str) for value in values)
        for values in raw.values()
    )
    if not ok:
        raise ApiError(400, "attributeFilters must be an object of attribute name → array of value strings.")
    assert isinstance(raw, dict)
    return raw


def _int(body: dict, key: str, default: int, lowest: int, highest: int | None) -> int:
    value = body.get(key, default)
    too_high = highest is not None and isinstance(value, int) and value > highest
    if isinstance(value, bool) or not isinstance(value, int) or value < lowest or too_high:
        bounds = f"from {lowest} to {highest}" if highest is not None else f"of at least {lowest}"
        raise ApiError(400, f"{key} must be an integer {bounds}.")
    return value
