"""Publish a product to a BigCommerce store and connect it; confirm a connection that needs review; suggestions of
connected products for a not-connected item."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Router, Schema, Status
from pydantic import Field, StringConstraints

from printbridge.api import present
from printbridge.api.schemas import ConnectionOut, ErrorOut, Strict
from printbridge.catalog import publishing
from printbridge.catalog.publish_spec import PublishSpec, VariantSpec
from printbridge.orders import events, selectors
from printbridge.routing import drift, suggestions

router = Router()
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


def _actor(request) -> events.Actor:
    return events.Actor.for_user(request.auth.user)


def _account(request) -> int:
    return request.auth.account.pk


# --- publish -----------------------------------------------------------------------------------------------------


class OptionIn(Strict):
    name: Name
    values: list[Name] = Field(min_length=1, max_length=250)


class OptionValueIn(Strict):
    name: Name
    value: Name


class PublishVariantIn(Strict):
    sku: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    price: Amount | None = Field(None, description="Blank: the product's price")
    options: list[OptionValueIn] = Field(default_factory=list, max_length=20)
    provider_product_uid: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)
    ]
    files: dict[str, Url] = Field(
        default_factory=dict, max_length=10, description="Design file URL per print area"
    )


class PublishIn(Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=250)]
    price: Amount
    weight: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=4)] = Field(
        description="In the store's weight units"
    )
    description: Annotated[str, StringConstraints(max_length=10000)] = ""
    image_url: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] = ""
    options: list[OptionIn] = Field(default_factory=list, max_length=20)
    variants: list[PublishVariantIn] = Field(min_length=1, max_length=600)

    def to_spec(self) -> PublishSpec:
        variants = tuple(
            VariantSpec(
                v.sku,
                v.provider_product_uid,
                dict(v.files),
                tuple((o.name, o.value) for o in v.options),
                v.price,
            )
            for v in self.variants
        )
        options = tuple((o.name, tuple(o.values)) for o in self.options)
        return PublishSpec(
            self.name, self.price, self.weight, variants, options, self.image_url, self.description
        )


class PublishedVariantOut(Schema):
    sku: str
    variant_id: int
    connection_id: int


class PublishedOut(Schema):
    publication_id: int
    store_id: int
    product_id: int = Field(description="The BigCommerce product id")
    image_id: int | None
    adopted: bool = Field(
        description="The product was found in the store (made by an earlier, unanswered try)"
    )
    variants: list[PublishedVariantOut]
    waiting_orders_moved: int = Field(description="Orders that waited for these variants and were moved on")


@router.post(
    "stores/{store_id}/products:publish",
    response={201: PublishedOut, 502: ErrorOut, **ERRORS},
    summary="Create a product in the BigCommerce store and connect its variants",
    description=(
        "Creates the product with its options and variants (SKU, price, option values) and its image, then "
        "connects every variant to its fulfilment product and design files. Publishing the same SKUs again after "
        "a failure continues where it stopped and never creates the product twice. 422: invalid input or "
        "refused by BigCommerce (e.g. a duplicate SKU or name; nothing was created); 409: not a connected "
        "BigCommerce store, or another request is publishing it; 502: BigCommerce did not answer."
    ),
)
def publish(request, store_id: int, payload: PublishIn):
    store = selectors.store_for(_account(request), store_id)
    result = publishing.publish_product(store, payload.to_spec(), _actor(request))
    by_variant = {c.variant_id: c.pk for c in result.connections}
    variants = [
        {"sku": sku, "variant_id": vid, "connection_id": by_variant[str(vid)]}
        for sku, vid in result.variant_ids.items()
    ]
    applied = result.applied
    return Status(
        201,
        {
            "publication_id": result.publication.pk,
            "store_id": store.pk,
            "product_id": result.product_id,
            "image_id": result.image_id,
            "adopted": result.adopted,
            "variants": variants,
            "waiting_orders_moved": applied.continued + applied.ignored + applied.still_waiting,
        },
    )


# --- drift ---------------------------------------------------------------------------------------------------


class ConfirmedOut(Schema):
    connection: ConnectionOut
    needs_review: bool
    confirmed_at: datetime | None
    continued: int = Field(description="Waiting orders that now continue")
    still_waiting: int = Field(description="Waiting orders that still wait for other items")


@router.post(
    "connections/{connection_id}/confirm",
    response={200: ConfirmedOut, **ERRORS},
    summary="Confirm a connection that needs review is still correct",
    description=(
        "The store changed the variant's SKU or options since it was connected. Confirming keeps the fulfilment "
        "product and files, takes the store's new SKU and options as the connection's, and moves the orders "
        "that waited for it. 409: it does not need review, or the store deleted the variant (disconnect it or "
        "connect its replacement instead)."
    ),
)
def confirm(request, connection_id: int):
    result = drift.confirm_connection(_account(request), connection_id, _actor(request))
    connection = result.connection
    return {
        "connection": present.connection(connection),
        "needs_review": connection.needs_review,
        "confirmed_at": connection.confirmed_at,
        "continued": result.applied.continued,
        "still_waiting": result.applied.still_waiting,
    }


# --- suggestions ---------------------------------------------------------------------------------------------


class SuggestionOut(Schema):
    connection_id: int = Field(description='Accept: POST …/connect {"connection_id": this}')
    provider_product_uid: str
    files: dict
    label: str
    sku: str
    score: float = Field(description="1.0 for the same SKU, else name and option similarity (0–1)")
    reason: str
    accept_url: str


@router.get(
    "orders/{order_id}/items/{item_id}/suggestions",
    response={200: list[SuggestionOut], **ERRORS},
    summary="Connected products this item most likely is (same SKU first, then name and options)",
)
def item_suggestions(request, order_id: int, item_id: int):
    item = suggestions.item_for(_account(request), order_id, item_id)
    found = suggestions.suggest_connections(item.order.store, suggestions.Wanted.of_item(item))
    accept = f"/api/v1/orders/{order_id}/items/{item_id}/connect"
    return [
        {
            "connection_id": s.connection_id,
            "provider_product_uid": s.provider_product_uid,
            "files": s.files,
            "label": s.label,
            "sku": s.sku,
            "score": s.score,
            "reason": s.reason,
            "accept_url": accept,
        }
        for s in found
    ]
