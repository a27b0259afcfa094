"""Publish: create a product in the merchant's BigCommerce store (Catalog V3: the product with its options and
variants inline, then its image by URL) and connect every variant to its fulfilment product and design files in
the same step, so the merchant can start selling a new design.

The store has no idempotency key for products, so each step is written down on a Publication row (one open row
per store and set of SKUs) as soon as the store answers:

1. Before the create is sent, `create_sent` is set; when the store answers, the new product's id is recorded and
   `create_sent` cleared. A create that was not answered (a time-out, a 5xx, a crash) leaves `create_sent`: the
   retry first looks the first SKU up (GET /v3/catalog/variants?sku=) and adopts the product that has every SKU,
   so the product is never created twice. A product recorded earlier is read back by its id.
2. The image is added by URL once; its id is recorded.
3. All connections are made in one transaction with the row's Published state and the audit event, so a variant
   is never half-connected. Orders that were already waiting for these variants are then moved on.

A refusal (duplicate name or SKU, invalid data, missing scope) is answered with BigCommerce's words; when it came
before the product existed nothing was created and the row is Failed. Store calls are made in the request
(the merchant waits for the answer) without retries: an unanswered call answers 502 and publishing again
continues where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from printbridge.catalog.publish_spec import PublishSpec, VariantSpec, validate
from printbridge.ingestion.models import StoreLease
from printbridge.ingestion.services.sync import client_for
from printbridge.integrations.bigcommerce import payloads as bc
from printbridge.integrations.bigcommerce.client import BigCommerceClient
from printbridge.integrations.errors import IntegrationError, PermanentError, RateLimited
from printbridge.orders import events
from printbridge.orders.errors import Conflict, InvalidInput, ServiceError
from printbridge.orders.services import reevaluation, routing_changes
from printbridge.routing import events as routing_events
from printbridge.routing.models import Connection, Publication
from printbridge.stores.models import BigCommerceConnection, Store

LEASE = timedelta(minutes=5)
State = Publication.State


class StoreUnavailable(ServiceError):
    """The store did not answer usefully (down, timed out, rate limited): 502; publishing again continues."""

    status_code = 502


@dataclass(frozen=True)
class Published:
    publication: Publication
    product_id: int
    variant_ids: dict[str, int]  # SKU → store variant id
    image_id: int | None
    connections: list[Connection]
    adopted: bool  # the product existed already (created by an earlier, unanswered attempt)
    applied: reevaluation.Applied  # waiting orders moved by the new connections


def publish_product(
    store: Store, spec: PublishSpec, actor: events.Actor, client: BigCommerceClient | None = None
) -> Published:
    """Create the product in the store (or adopt the one an earlier attempt created) and connect its variants."""
    validate(spec)
    connection = _bigcommerce(store)
    publication = _open(store, spec, actor)
    store_client = client or client_for(connection)
    try:
        return _publish(publication, spec, store_client, actor)
    except IntegrationError as exc:
        raise _failed(publication, exc, actor) from None
    except ServiceError as exc:
        _record_failure(publication, exc.message, actor, refused=not publication.store_product_id)
        raise
    finally:
        Publication.objects.filter(pk=publication.pk).update(lease_until=None)
        if client is None:
            store_client.close()


def _bigcommerce(store: Store) -> BigCommerceConnection:
    connection = BigCommerceConnection.objects.filter(store=store).first()
    if connection is None or connection.uninstalled_at or not store.is_active:
        raise Conflict("Publishing creates the product in a BigCommerce store: connect the store first")
    blocked = StoreLease.objects.filter(store=store, blocked_until__gt=timezone.now()).first()
    if blocked is not None:
        raise StoreUnavailable(
            f"The store's API quota is used up until {blocked.blocked_until:%H:%M:%S} UTC; publish again then"
        )
    return connection


def _open(store: Store, spec: PublishSpec, actor: events.Actor) -> Publication:
    """The store's open publication of these SKUs (made if there is none), claimed by this request."""
    fields = {"name": spec.name, "spec": spec.to_json()}
    row = (
        Publication.objects.filter(store=store, sku_key=spec.sku_key()).exclude(state=State.PUBLISHED).first()
    )
    if row is None:
        try:
            with transaction.atomic():
                row = Publication.objects.create(
                    account_id=store.account_id,
                    store=store,
                    sku_key=spec.sku_key(),
                    created_by=actor.user,
                    **fields,
                )
        except IntegrityError:
            raise Conflict(
                "This product is being published by another request; try again in a minute"
            ) from None
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    if not Publication.objects.filter(free, pk=row.pk).update(
        lease_until=now + LEASE, attempts=F("attempts") + 1, **fields
    ):
        raise Conflict("This product is being published by another request; try again in a minute")
    row.refresh_from_db()
    if row.state == State.FAILED:  # refused before: this is a new try
        _update(row, state=State.PENDING)
    return row


def _publish(publication: Publication, spec: PublishSpec, client: BigCommerceClient, actor) -> Published:
    product, adopted = _ensure_product(publication, spec, client, actor)
    variant_ids = _variant_ids(product, spec)
    image_id = _ensure_image(publication, spec, client, product.id)
    connections = _connect(publication, spec, product.id, variant_ids, actor)
    moved = [reevaluation.apply_connection(c, actor) for c in connections]
    applied = sum(moved, reevaluation.Applied())
    publication.refresh_from_db()
    return Published(publication, product.id, variant_ids, image_id, connections, adopted, applied)


# --- the product -------------------------------------------------------------------------------------------------


def _ensure_product(
    publication: Publication, spec: PublishSpec, client: BigCommerceClient, actor: events.Actor
) -> tuple[bc.Product, bool]:
    if publication.store_product_id:
        try:
            return client.get_product(int(publication.store_product_id)), True
        except PermanentError as exc:
            if exc.status != 404:
                raise
            _update(publication, store_product_id="", store_image_id="", state=State.PENDING)  # deleted since
    if publication.create_sent:
        found = _find_by_sku(client, spec)
        if found is not None:
            _record_product(publication, found.id, actor, adopted=True)
            return found, True
    _update(publication, create_sent=True)
    created = client.create_product(spec.to_new_product())
    _record_product(publication, created.id, actor, adopted=False)
    return client.get_product(created.id), False


def _find_by_sku(client: BigCommerceClient, spec: PublishSpec) -> bc.Product | None:
    """The product an unanswered create made: the one holding the first SKU, if it holds every SKU."""
    matches = client.list_variants(sku=spec.skus[0])
    if not matches:
        return None
    product = client.get_product(matches[0].product_id)
    held = {variant.sku.casefold() for variant in product.variants}
    if any(sku.casefold() not in held for sku in spec.skus):
        raise InvalidInput(
            f"SKU {spec.skus[0]} is already used by another product in the store (product {product.id})",
            field="variants.0.sku",
        )
    return product


@transaction.atomic
def _record_product(publication: Publication, product_id: int, actor: events.Actor, adopted: bool) -> None:
    _update(
        publication, store_product_id=str(product_id), create_sent=False, state=State.CREATED, last_error=""
    )
    how = "found (created by an earlier attempt that got no answer)" if adopted else "created"
    events.record(
        routing_events.STORE_PRODUCT_CREATED,
        f"{publication.name}: product {product_id} {how} in the store",
        actor,
        store=publication.store,
        publication_id=publication.pk,
        product_id=product_id,
        adopted=adopted,
    )


def _variant_ids(product: bc.Product, spec: PublishSpec) -> dict[str, int]:
    by_sku = {variant.sku.casefold(): variant.id for variant in product.variants}
    missing = [sku for sku in spec.skus if sku.casefold() not in by_sku]
    if missing:
        raise InvalidInput(
            f"The store's product {product.id} has no variant with SKU {missing[0]}: it was changed in the store",
            field="variants",
        )
    return {sku: by_sku[sku.casefold()] for sku in spec.skus}


def _ensure_image(
    publication: Publication, spec: PublishSpec, client: BigCommerceClient, product_id: int
) -> int | None:
    if publication.store_image_id:
        return int(publication.store_image_id)
    if not spec.image_url:
        return None
    image = client.create_product_image(product_id, spec.image_url)
    _update(publication, store_image_id=str(image.id))
    return image.id


# --- connecting --------------------------------------------------------------------------------------------------


@transaction.atomic
def _connect(
    publication: Publication, spec: PublishSpec, product_id: int, variant_ids: dict[str, int], actor
) -> list[Connection]:
    connections = [
        _connection(publication.store, spec, variant, product_id, variant_ids[variant.sku], actor)
        for variant in spec.variants
    ]
    _update(
        publication,
        state=State.PUBLISHED,
        variant_ids=variant_ids,
        published_at=timezone.now(),
        last_error="",
    )
    events.record(
        routing_events.PRODUCT_PUBLISHED,
        f"Published {spec.name} as store product {product_id}: {len(connections)} variant(s) connected",
        actor,
        store=publication.store,
        publication_id=publication.pk,
        product_id=product_id,
        variant_ids=variant_ids,
        connection_ids=[c.pk for c in connections],
    )
    return connections


def _connection(
    store: Store, spec: PublishSpec, variant: VariantSpec, product_id: int, variant_id: int, actor
) -> Connection:
    ref = routing_changes.VariantRef(
        str(product_id), str(variant_id), variant.sku, variant.label(spec.name), variant.options
    )
    existing = routing_changes.active_connection(store, ref.variant_id)
    if existing is None:
        return routing_changes.create_connection(
            store, ref, variant.provider_product_uid, variant.files, actor
        )
    if (existing.provider_product_uid, existing.files) != (
        variant.provider_product_uid.strip(),
        variant.files,
    ):
        raise Conflict(f"Variant {variant.sku} is already connected to {existing.provider_product_uid}")
    return existing


# --- failures ----------------------------------------------------------------------------------------------------


def _update(publication: Publication, **fields) -> None:
    Publication.objects.filter(pk=publication.pk).update(**fields)
    for name, value in fields.items():
        setattr(publication, name, value)


def _failed(publication: Publication, exc: IntegrationError, actor: events.Actor) -> ServiceError:
    """Record the failure and say what to do. A 4xx before the product existed means nothing was created."""
    refused = isinstance(exc, PermanentError) and exc.status is not None and 400 <= exc.status < 500
    _record_failure(publication, str(exc), actor, refused=refused and not publication.store_product_id)
    if isinstance(exc, RateLimited):
        StoreLease.objects.filter(store_id=publication.store_id).update(
            blocked_until=timezone.now() + timedelta(seconds=exc.reset_seconds)
        )
        return StoreUnavailable(
            f"BigCommerce is limiting this store's API calls; publish again in {exc.reset_seconds:g} s",
            publication_id=publication.pk,
        )
    if not isinstance(exc, PermanentError) or exc.status is None or exc.status >= 500:
        return StoreUnavailable(
            f"BigCommerce did not answer ({exc.message}). Publish again: the product is looked up by SKU first "
            "and never created twice",
            publication_id=publication.pk,
        )
    return _refusal(publication, exc)


def _refusal(publication: Publication, exc: PermanentError) -> ServiceError:
    if exc.status in (401, 403):
        return Conflict(
            f"The store's API account may not create products (BigCommerce said: {exc.detail}); give it the "
            "Products modify scope",
            publication_id=publication.pk,
        )
    if publication.store_product_id:
        what, field = "the image", "image_url"
    else:
        what, field = "the product", "variants" if "sku" in exc.detail.lower() else "name"
    done = "" if publication.store_product_id else "; nothing was created"
    return InvalidInput(
        f"BigCommerce refused {what}: {exc.detail}{done}", field=field, publication_id=publication.pk
    )


@transaction.atomic
def _record_failure(publication: Publication, message: str, actor: events.Actor, refused: bool) -> None:
    fields: dict = {"last_error": message[:1000]}
    if refused:
        fields.update(state=State.FAILED, create_sent=False)
    _update(publication, **fields)
    events.record(
        routing_events.PRODUCT_PUBLISH_FAILED,
        f"Publishing {publication.name} failed: {message}",
        actor,
        store=publication.store,
        publication_id=publication.pk,
        product_id=publication.store_product_id,
        error=message[:500],
    )
