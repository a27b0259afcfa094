"""Read queries for the catalog cache and designs, every one scoped by account (another account's row is
NotFound). `search` computes its facet counts locally from the cached products."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from printbridge.catalog.models import (
    GELATO,
    CatalogAttribute,
    CatalogProduct,
    CatalogSync,
    DesignFile,
    ProviderCatalog,
)
from printbridge.orders.errors import InvalidInput, NotFound
from printbridge.stores.models import Account

MAX_SEARCH_LIMIT = 200


def is_stale(refreshed_at: datetime | None, now: datetime | None = None) -> bool:
    """Never fetched, or fetched longer ago than CATALOG_STALE_AFTER_HOURS."""
    if refreshed_at is None:
        return True
    age = (now or timezone.now()) - refreshed_at
    return age > timedelta(hours=settings.CATALOG_STALE_AFTER_HOURS)


def sync_state(account: Account) -> CatalogSync | None:
    return CatalogSync.objects.filter(account=account, provider=GELATO).first()


def catalogs(account: Account) -> list[ProviderCatalog]:
    """The account's cached catalogs (those still offered), by title."""
    return list(ProviderCatalog.objects.filter(account=account, provider=GELATO, removed_at__isnull=True))


def catalog(account: Account, catalog_uid: str) -> ProviderCatalog:
    """One cached catalog with its attributes and their values, in the provider's order."""
    values = Prefetch("attributes", queryset=CatalogAttribute.objects.prefetch_related("values"))
    found = (
        ProviderCatalog.objects.filter(
            account=account, provider=GELATO, catalog_uid=catalog_uid, removed_at__isnull=True
        )
        .prefetch_related(values)
        .first()
    )
    if found is None:
        raise NotFound(f"No catalog {catalog_uid!r}; refresh the catalog to load it", field="catalog_uid")
    return found


def product(account: Account, product_uid: str) -> CatalogProduct:
    found = (
        CatalogProduct.objects.filter(account=account, product_uid=product_uid, catalog__provider=GELATO)
        .select_related("catalog")
        .order_by("removed_at", "pk")  # a listed product before a removed one
        .first()
    )
    if found is None:
        raise NotFound(f"No product {product_uid!r} in the catalog; refresh the catalog", field="product_uid")
    return found


def attribute_titles(found: ProviderCatalog) -> dict[str, tuple[str, dict[str, str]]]:
    """{attribute uid: (its title, {value uid: value title})} in the catalog's order."""
    attributes = CatalogAttribute.objects.filter(catalog=found).prefetch_related("values")
    return {a.uid: (a.title or a.uid, {v.uid: v.title or v.uid for v in a.values.all()}) for a in attributes}


@dataclass(frozen=True)
class FacetValue:
    uid: str
    title: str
    count: int  # products matching the text and every OTHER attribute's filter
    selected: bool


@dataclass(frozen=True)
class Facet:
    uid: str
    title: str
    values: tuple[FacetValue, ...]

    @property
    def choosable(self) -> bool:
        """More than one value: worth a filter in a form."""
        return len(self.values) > 1


@dataclass(frozen=True)
class SearchResult:
    catalog: ProviderCatalog
    products: list[CatalogProduct]
    total: int
    facets: tuple[Facet, ...]
    limit: int
    offset: int


Filters = Mapping[str, Sequence[str]]


def parse_filters(pairs: Sequence[str]) -> dict[str, list[str]]:
    """["PaperFormat:A3", "PaperFormat:A4", "Orientation:ver"] -> {"PaperFormat": ["A3", "A4"], ...}: the form
    both the web page (checkboxes named `attr`) and the API (`?attr=`) send."""
    filters: dict[str, list[str]] = {}
    for pair in pairs:
        name, colon, value = pair.partition(":")
        if not colon or not name.strip() or not value.strip():
            raise InvalidInput(f"A filter is written attribute:value, not {pair!r}", field="attr")
        values = filters.setdefault(name.strip(), [])
        if value.strip() not in values:
            values.append(value.strip())
    return filters


def search(
    account: Account,
    catalog_uid: str,
    text: str = "",
    filters: Filters | None = None,
    limit: int = 50,
    offset: int = 0,
) -> SearchResult:
    """Products of one cached catalog matching every word of `text` (in the uid, attribute values or their
    titles) and every attribute filter (any of its values). Facet counts are disjunctive: an attribute's counts
    apply the text and the OTHER attributes' filters, so a merchant sees what else they could pick."""
    found = catalog(account, catalog_uid)
    chosen = _checked_filters(found, filters or {})
    if not 1 <= limit <= MAX_SEARCH_LIMIT or offset < 0:
        raise InvalidInput(f"limit must be 1 to {MAX_SEARCH_LIMIT} and offset at least 0", field="limit")
    rows = list(_text_matches(found, text).values_list("pk", "attributes"))
    matched = [pk for pk, attributes in rows if _matches(attributes, chosen)]
    page = CatalogProduct.objects.select_related("catalog").in_bulk(matched[offset : offset + limit])
    return SearchResult(
        catalog=found,
        products=[page[pk] for pk in matched[offset : offset + limit]],
        total=len(matched),
        facets=tuple(_facet(attribute, rows, chosen) for attribute in found.attributes.all()),
        limit=limit,
        offset=offset,
    )


def _checked_filters(found: ProviderCatalog, filters: Filters) -> dict[str, set[str]]:
    known = {a.uid: {v.uid for v in a.values.all()} for a in found.attributes.all()}
    chosen: dict[str, set[str]] = {}
    for name, values in filters.items():
        if name not in known:
            raise InvalidInput(f"The {found} catalog has no attribute {name!r}", field="attr")
        unknown = sorted(set(values) - known[name])
        if unknown:
            raise InvalidInput(f"{name} has no value {unknown[0]!r} in the {found} catalog", field="attr")
        if values:
            chosen[name] = set(values)
    return chosen


def _text_matches(found: ProviderCatalog, text: str) -> QuerySet[CatalogProduct]:
    products = found.products.filter(removed_at__isnull=True).order_by("product_uid")
    for word in text.lower().split()[:10]:
        products = products.filter(search_text__contains=word)
    return products


def _matches(attributes: dict, chosen: Mapping[str, set[str]], skip: str | None = None) -> bool:
    return all(attributes.get(name) in values for name, values in chosen.items() if name != skip)


def _facet(attribute: CatalogAttribute, rows: list[tuple[int, dict]], chosen: dict[str, set[str]]) -> Facet:
    counts: dict[str, int] = {}
    for _pk, attributes in rows:
        if _matches(attributes, chosen, skip=attribute.uid):
            value = attributes.get(attribute.uid)
            counts[value] = counts.get(value, 0) + 1
    selected = chosen.get(attribute.uid, set())
    values = tuple(
        FacetValue(v.uid, v.title or v.uid, counts.get(v.uid, 0), v.uid in selected)
        for v in attribute.values.all()
    )
    return Facet(attribute.uid, attribute.title or attribute.uid, values)


def designs(account: Account, status: str | None = None, limit: int = 100) -> list[DesignFile]:
    """The account's designs, newest first."""
    found = DesignFile.objects.filter(account=account).select_related("created_by").order_by("-pk")
    if status:
        found = found.filter(status=status)
    return list(found[:limit])


def design(account: Account, design_id: int) -> DesignFile:
    found = DesignFile.objects.filter(account=account, pk=design_id).select_related("created_by").first()
    if found is None:
        raise NotFound("No such design file", field="design_id")
    return found
