"""Create a new product from the catalog for a not-connected order item (preview, then create)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from ninja import Router, Schema, Status
from pydantic import Field, StringConstraints

from printbridge.api import present
from printbridge.api.schemas import ConnectionOut, ErrorOut, Strict
from printbridge.catalog import connecting
from printbridge.orders import events

router = Router()
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 502: ErrorOut}
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]


class PublishIn(Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=250)]
    price: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
    sku_prefix: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
    weight: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=4)] = Field(
        Decimal("0"), description="In the store's weight units"
    )


class CreateProductIn(Strict):
    product_uid: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)] = (
        Field(description="The catalog product picked: its catalog, and every attribute no option decides")
    )
    mapping: dict[Text, Text] = Field(
        default_factory=dict,
        max_length=20,
        description='Store option name → catalog attribute uid, e.g. {"Size": "GarmentSize"}',
    )
    designs: dict[Annotated[str, StringConstraints(max_length=30)], int] = Field(
        max_length=10, description='Print area → design file id, e.g. {"default": 12}'
    )
    connect_siblings: bool = Field(
        False, description="Also connect every size and colour of the store product"
    )
    apply_to_waiting_orders: bool = Field(
        False, description="Also continue the other waiting orders the new connections release"
    )
    publish: PublishIn | None = Field(None, description="Also create the product in the BigCommerce store")

    def to_spec(self) -> connecting.ConnectSpec:
        publish = None
        if self.publish is not None:
            p = self.publish
            publish = connecting.PublishChoice(p.name, p.price, p.sku_prefix, p.weight)
        return connecting.ConnectSpec(
            self.product_uid,
            dict(self.mapping),
            dict(self.designs),
            self.connect_siblings,
            self.apply_to_waiting_orders,
            publish,
        )


class OptionOut(Schema):
    name: str
    value: str


class PlannedVariantOut(Schema):
    product_id: str
    variant_id: str
    sku: str
    label: str
    options: list[OptionOut]
    provider_product_uid: str = Field(
        description="The catalog product it is made from; empty when none matches"
    )
    action: Literal["connect", "already_connected", "ignored", "no_match"]
    reason: str
    is_item: bool = Field(description="The order's own item")


class WaitingOrderOut(Schema):
    id: int
    number: str
    outcome: Literal["continues", "ignored", "still_waiting"]


class PublishVariantOut(Schema):
    sku: str
    provider_product_uid: str
    options: list[OptionOut]


class PublishPlanOut(Schema):
    name: str
    price: Decimal
    weight: Decimal
    image_url: str
    variants: list[PublishVariantOut]


class PlanOut(Schema):
    order_id: int
    item_id: int
    product_uid: str
    catalog_uid: str
    files: dict[str, str] = Field(
        description='Print area → design reference ("design:<id>"), signed when sent'
    )
    variants: list[PlannedVariantOut]
    waiting_orders: list[WaitingOrderOut] = Field(description="Other waiting orders the connections release")
    publish: PublishPlanOut | None


class AppliedOut(Schema):
    continued: int
    ignored: int
    still_waiting: int


class PublishedOut(Schema):
    publication_id: int
    product_id: int = Field(description="The new BigCommerce product's id")
    variant_ids: dict[str, int] = Field(description="SKU → store variant id")


class CreatedOut(Schema):
    order_id: int
    order_status: str
    completed: bool
    connections: list[ConnectionOut]
    plan: PlanOut
    applied: AppliedOut | None
    published: PublishedOut | None


def _options(pairs) -> list[dict]:
    return [{"name": name, "value": value} for name, value in pairs or ()]


def _plan(plan: connecting.Plan) -> dict:
    publish = plan.publish
    return {
        "order_id": plan.target.order.pk,
        "item_id": plan.target.item.pk,
        "product_uid": plan.choice.product.product_uid,
        "catalog_uid": plan.choice.product.catalog.catalog_uid,
        "files": plan.files,
        "variants": [
            {
                "product_id": v.ref.product_id,
                "variant_id": v.ref.variant_id,
                "sku": v.ref.sku,
                "label": v.ref.label,
                "options": _options(v.ref.options),
                "provider_product_uid": v.product_uid,
                "action": str(v.action),
                "reason": v.reason,
                "is_item": v.is_item,
            }
            for v in plan.variants
        ],
        "waiting_orders": [
            {"id": o.id, "number": o.number, "outcome": str(o.outcome)} for o in plan.waiting.orders
        ],
        "publish": None
        if publish is None
        else {
            "name": publish.name,
            "price": publish.price,
            "weight": publish.weight,
            "image_url": publish.image_url,
            "variants": [
                {"sku": v.sku, "provider_product_uid": v.provider_product_uid, "options": _options(v.options)}
                for v in publish.variants
            ],
        },
    }


@router.post(
    "orders/{order_id}/items/{item_id}/create-product",
    response={200: PlanOut, 201: CreatedOut, 502: ErrorOut, **ERRORS},
    summary="Create a new product from the catalog with a design, for a not-connected item",
    description=(
        "Maps the item's options onto the picked catalog product's attributes (case-insensitive on value uid or "
        "title; sizes like XXL = 2XL), connects the item's variant (and with connect_siblings every variant of "
        "the store product: read from BigCommerce, or seen in a custom store's orders) to its catalog product "
        "with the designs as files, and Connects the item so the order continues. With `?preview=true` it "
        "writes nothing and answers 200 with each variant's product or why it has none. 422: a variant matches "
        "no catalog product (nothing is connected), or invalid input; 409: the item is not waiting; 502: the "
        "store could not be read or published to."
    ),
)
def create_product(request, order_id: int, item_id: int, payload: CreateProductIn, preview: bool = False):
    account_id = request.auth.account.pk
    if preview:
        return _plan(connecting.preview(account_id, order_id, item_id, payload.to_spec()))
    actor = events.Actor.for_user(request.auth.user)
    created = connecting.create_connected_product(account_id, order_id, item_id, payload.to_spec(), actor)
    order, published, applied = created.resolution.order, created.published, created.applied
    return Status(
        201,
        {
            "order_id": order.pk,
            "order_status": order.status,
            "completed": created.resolution.completed,
            "connections": [present.connection(c) for c in created.connections],
            "plan": _plan(created.plan),
            "applied": None if applied is None else vars(applied),
            "published": None
            if published is None
            else {
                "publication_id": published.publication.pk,
                "product_id": published.product_id,
                "variant_ids": published.variant_ids,
            },
        },
    )
