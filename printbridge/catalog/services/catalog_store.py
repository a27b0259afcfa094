"""Writing fetched catalog data into the cache: idempotent upserts keyed by the provider's uids, so a refresh
run twice (or two racing refreshes) leaves the same rows."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from printbridge.catalog.models import (
    GELATO,
    CatalogAttribute,
    CatalogAttributeValue,
    CatalogProduct,
    ProviderCatalog,
)
from printbridge.integrations.gelato.payloads import Catalog as GelatoCatalog
from printbridge.integrations.gelato.payloads import CatalogProduct as GelatoProduct
from printbridge.stores.models import Account

BATCH = 500
PRODUCT_FIELDS = ["account", "attributes", "search_text", "weight", "weight_unit", "dimensions", "seen_at"]
WEIGHT_PLACES = Decimal("0.0001")


@transaction.atomic
def save_catalog(
    account: Account, detail: GelatoCatalog, title: str, products: list[GelatoProduct], truncated: bool
) -> ProviderCatalog:
    """Upsert one catalog, its attributes and values, and its products; mark products it no longer lists."""
    now = timezone.now()
    catalog, _ = ProviderCatalog.objects.update_or_create(
        account=account,
        provider=GELATO,
        catalog_uid=detail.uid,
        defaults={"title": detail.title or title, "removed_at": None},
    )
    titles = _save_attributes(catalog, detail)
    rows = [_product_row(account, catalog, product, titles, now) for product in products]
    CatalogProduct.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["catalog", "product_uid"],
        update_fields=[*PRODUCT_FIELDS, "removed_at"],
    )
    if not truncated:  # a cut list says nothing about the products after the cut
        catalog.products.filter(removed_at__isnull=True, seen_at__lt=now).update(removed_at=now)
    catalog.product_count = catalog.products.filter(removed_at__isnull=True).count()
    catalog.truncated, catalog.refreshed_at = truncated, now
    catalog.save(update_fields=["product_count", "truncated", "refreshed_at"])
    return catalog


def _save_attributes(catalog: ProviderCatalog, detail: GelatoCatalog) -> dict[tuple[str, str], str]:
    """Upsert the attributes and values (drop those the provider no longer lists); {(attribute, value): title}."""
    titles: dict[tuple[str, str], str] = {}
    kept = []
    for position, attribute in enumerate(detail.attributes):
        row, _ = CatalogAttribute.objects.update_or_create(
            catalog=catalog, uid=attribute.uid, defaults={"title": attribute.title, "position": position}
        )
        kept.append(row.pk)
        values = [
            CatalogAttributeValue(attribute=row, uid=uid, title=title, position=index)
            for index, (uid, title) in enumerate(attribute.values)
        ]
        CatalogAttributeValue.objects.bulk_create(
            values,
            update_conflicts=True,
            unique_fields=["attribute", "uid"],
            update_fields=["title", "position"],
        )
        row.values.exclude(uid__in=[uid for uid, _ in attribute.values]).delete()
        titles.update({(attribute.uid, uid): title for uid, title in attribute.values})
    catalog.attributes.exclude(pk__in=kept).delete()
    return titles


def _product_row(
    account: Account,
    catalog: ProviderCatalog,
    product: GelatoProduct,
    titles: dict[tuple[str, str], str],
    now,
) -> CatalogProduct:
    return CatalogProduct(
        account=account,
        catalog=catalog,
        product_uid=product.product_uid,
        attributes=dict(product.attributes),
        search_text=_search_text(product, titles),
        weight=_weight(product.weight),
        weight_unit=product.weight_unit,
        dimensions={
            name: {"value": str(value), "unit": unit} for name, (value, unit) in product.dimensions.items()
        },
        seen_at=now,
        removed_at=None,
    )


def _search_text(product: GelatoProduct, titles: dict[tuple[str, str], str]) -> str:
    words = [product.product_uid]
    for name, value in product.attributes.items():
        words += [name, value, titles.get((name, value), "")]
    return " ".join(word for word in words if word).lower()


def _weight(weight: Decimal | None) -> Decimal | None:
    return None if weight is None else weight.quantize(WEIGHT_PLACES)


@transaction.atomic
def mark_catalogs_removed(account: Account, listed: list[str]) -> int:
    """Catalogs the provider's list no longer has: kept (connections may name their products), marked."""
    gone = ProviderCatalog.objects.filter(account=account, provider=GELATO, removed_at__isnull=True)
    return gone.exclude(catalog_uid__in=listed).update(removed_at=timezone.now())


@transaction.atomic
def save_detail(product: CatalogProduct, detail: GelatoProduct) -> CatalogProduct:
    product.supported_countries = list(detail.supported_countries)
    product.not_supported_countries = list(detail.not_supported_countries)
    product.is_printable, product.is_stockable = detail.is_printable, detail.is_stockable
    product.attributes = dict(detail.attributes) or product.attributes
    if detail.weight is not None:
        product.weight, product.weight_unit = _weight(detail.weight), detail.weight_unit
    product.details_fetched_at = timezone.now()
    product.save()
    return product
