"""The preview of "create a new product from the catalog" (reads only): for a waiting order item, the catalog product
each store variant (the item's, and on request its siblings) would be made from, or why it has none; the design
files; the other waiting orders it would release; and what would be published. connecting.py carries it out."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.db.models import Q

from printbridge.catalog import design_refs, mapping, signing, store_variants
from printbridge.catalog import selectors as catalog_selectors
from printbridge.catalog.models import CatalogProduct, DesignFile
from printbridge.catalog.publish_spec import PublishSpec, VariantSpec, validate
from printbridge.orders import rules
from printbridge.orders.errors import Conflict, InvalidInput, NotFound
from printbridge.orders.models import Order, OrderItem
from printbridge.orders.services import reevaluation, routing_changes
from printbridge.orders.services.routing_changes import VariantRef
from printbridge.routing.models import Connection, IgnoreRule
from printbridge.stores.models import Store

DEFAULT_AREA = "default"


@dataclass(frozen=True)
class PublishChoice:
    """Also create the product in the BigCommerce store, one variant per connected store variant."""

    name: str
    price: Decimal
    sku_prefix: str
    weight: Decimal = Decimal("0")  # in the store's weight units


@dataclass(frozen=True)
class ConnectSpec:
    product_uid: str  # the picked catalog product: its catalog, and every attribute no option decides
    mapping: Mapping[str, str] = field(default_factory=dict)  # store option name → catalog attribute uid
    designs: Mapping[str, int] = field(default_factory=dict)  # print area → design file id
    connect_siblings: bool = False  # every size and colour of the store product, not only the item's
    apply_to_waiting: bool = False  # continue the other waiting orders the new connections release
    publish: PublishChoice | None = None


class Action(StrEnum):
    CONNECT = "connect"
    ALREADY_CONNECTED = "already_connected"
    IGNORED = "ignored"
    NO_MATCH = "no_match"


@dataclass(frozen=True)
class PlannedVariant:
    ref: VariantRef
    action: Action
    product_uid: str  # the catalog product it is made from; "" when none matches
    reason: str  # why it is skipped or has no product; "" when it is connected
    is_item: bool  # the order's own item


@dataclass(frozen=True)
class Target:
    order: Order
    item: OrderItem

    @property
    def store(self) -> Store:
        return self.order.store


@dataclass(frozen=True)
class Choice:
    """The picked catalog product, its catalog's attributes and the print areas it takes a file for."""

    product: CatalogProduct
    attributes: tuple[mapping.Attribute, ...]
    areas: tuple[tuple[str, str], ...]  # (area, label)


@dataclass(frozen=True)
class Plan:
    target: Target
    choice: Choice
    spec: ConnectSpec
    variants: tuple[PlannedVariant, ...]
    designs: dict[str, DesignFile]
    files: dict[str, str]  # area → design reference, as the connections keep them
    waiting: reevaluation.Preview
    publish: PublishSpec | None

    @property
    def item_variant(self) -> PlannedVariant:
        return next(v for v in self.variants if v.is_item)

    @property
    def to_connect(self) -> list[PlannedVariant]:
        return [v for v in self.variants if v.action == Action.CONNECT]

    @property
    def problems(self) -> list[PlannedVariant]:
        return [v for v in self.variants if v.action == Action.NO_MATCH]


@dataclass(frozen=True)
class VariantsChange(reevaluation.Change):
    """A connection of several variants at once, for reevaluation.preview: an order waiting only for these
    variants continues."""

    variant_ids: tuple[str, ...] = ()

    def matches(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}variant_id__in": list(self.variant_ids)})


def waiting_item(account_id: int, order_id: int, item_id: int) -> Target:
    """The account's order item still waiting for a Connect; NotFound for another account's, Conflict when it is
    no longer waiting or its variant got connected since."""
    item = (
        OrderItem.objects.select_related("order__store", "order__account")
        .filter(pk=item_id, order_id=order_id, order__account_id=account_id)
        .first()
    )
    if item is None:
        raise NotFound("No such order item")
    order = item.order
    if order.status != rules.OrderStatus.NOT_CONNECTED or item.state != rules.ItemState.NOT_CONNECTED:
        raise Conflict(f"Item {item.name!r} of order #{order.number} is not waiting for a Connect or Ignore")
    existing = routing_changes.active_connection(order.store, item.variant_id)
    if existing is not None:
        raise Conflict(
            f"{VariantRef.of(item).label} is already connected to {existing.provider_product_uid}: use "
            "Connect on the order page, or disconnect it first"
        )
    return Target(order, item)


def catalog_choice(account, product_uid: str) -> Choice:
    try:
        product = catalog_selectors.product(account, product_uid.strip())
        found = catalog_selectors.catalog(account, product.catalog.catalog_uid)
    except NotFound:
        raise InvalidInput(
            f"No product {product_uid!r} in the catalog; choose one from the catalog", field="product_uid"
        ) from None
    if product.removed_at is not None:
        raise InvalidInput(
            f"Gelato no longer offers {product.product_uid}; choose another", field="product_uid"
        )
    attributes = tuple(
        mapping.Attribute(a.uid, a.title, tuple((v.uid, v.title) for v in a.values.all()))
        for a in found.attributes.all()
    )
    return Choice(product, attributes, print_areas(product))


def print_areas(product: CatalogProduct) -> tuple[tuple[str, str], ...]:
    """Gelato's file types the product needs: apparel printed on both sides takes a front and a back file."""
    if "GarmentPrint" not in product.attributes:
        return ((DEFAULT_AREA, "Print file"),)
    if product.attributes["GarmentPrint"] == "4-4":
        return ((DEFAULT_AREA, "Front"), ("back", "Back"))
    return ((DEFAULT_AREA, "Front"),)


def build(account_id: int, order_id: int, item_id: int, spec: ConnectSpec) -> Plan:
    """What create_connected_product would do, without writing anything (a BigCommerce store is asked for the
    product's variants when siblings are wanted)."""
    target = waiting_item(account_id, order_id, item_id)
    choice = catalog_choice(target.order.account, spec.product_uid)
    chosen = _mapping(spec.mapping, choice, target.item)
    designs = _designs(target.order.account, spec.designs, choice.areas)
    files = {area: design_refs.reference(design) for area, design in designs.items()}
    if spec.publish is not None and target.store.platform != Store.Platform.BIGCOMMERCE:
        raise InvalidInput(
            f"Publishing creates the product in a BigCommerce store; {target.store.name} is a custom store",
            field="publish",
        )
    refs = [VariantRef.of(target.item)]
    if spec.connect_siblings:
        refs += store_variants.product_variants(target.store, target.item)
    variants = _plan_variants(target, choice, chosen, refs)
    ids = tuple(v.ref.variant_id for v in variants if v.action == Action.CONNECT)
    change = VariantsChange(reevaluation.ChangeKind.CONNECT, target.item.product_id, variant_ids=ids)
    waiting = reevaluation.preview(target.store, change, exclude_order_id=target.order.pk)
    publish = _publish_spec(spec.publish, chosen, variants, files, designs) if spec.publish else None
    return Plan(target, choice, spec, tuple(variants), designs, files, waiting, publish)


# --- mapping and designs -------------------------------------------------------------------------------------------


def _mapping(asked: Mapping[str, str], choice: Choice, item: OrderItem) -> dict[str, mapping.Attribute]:
    """{store option name: catalog attribute}, checked: the item's options, the catalog's attributes, each
    attribute decided by one option at most."""
    options = {
        str(o.get("name", "")).casefold(): str(o.get("name", "")) for o in item.options if isinstance(o, dict)
    }
    attributes = {a.uid: a for a in choice.attributes}
    result: dict[str, mapping.Attribute] = {}
    for option, uid in asked.items():
        if not uid:
            continue
        if option.casefold() not in options:
            raise InvalidInput(f"{item.name} has no option {option!r}", field="mapping")
        if uid not in attributes:
            raise InvalidInput(
                f"The {choice.product.catalog} catalog has no attribute {uid!r}", field=f"mapping.{option}"
            )
        if any(a.uid == uid for a in result.values()):
            raise InvalidInput(
                f"{attributes[uid].label} is chosen for two options; map each attribute from one option",
                field=f"mapping.{option}",
            )
        result[options[option.casefold()]] = attributes[uid]
    return result


def _designs(account, asked: Mapping[str, int], areas: tuple[tuple[str, str], ...]) -> dict[str, DesignFile]:
    known = dict(areas)
    unknown = sorted(set(asked) - set(known))
    if unknown:
        raise InvalidInput(
            f"This product takes files for {', '.join(known)}, not {unknown[0]!r}", field="designs"
        )
    result: dict[str, DesignFile] = {}
    for area, label in areas:
        if not asked.get(area):
            raise InvalidInput(f"Choose a design file for {label.lower()}", field=f"designs.{area}")
        try:
            design = catalog_selectors.design(account, asked[area])
        except NotFound:
            raise InvalidInput("No such design file; choose one of yours", field=f"designs.{area}") from None
        if design.status != DesignFile.Status.READY:
            raise InvalidInput(f"The design file {design.name!r} is not ready yet", field=f"designs.{area}")
        result[area] = design
    return result


# --- variants ------------------------------------------------------------------------------------------------------


def _plan_variants(
    target: Target, choice: Choice, chosen: dict[str, mapping.Attribute], refs: list[VariantRef]
) -> list[PlannedVariant]:
    rows = choice.product.catalog.products.filter(removed_at__isnull=True).values_list(
        "product_uid", "attributes"
    )
    index = mapping.product_index(rows)
    connected, ignored = _decided(target, [r.variant_id for r in refs])
    planned = []
    for ref in refs:
        resolved = mapping.resolve(choice.product.attributes, chosen, ref.options or (), index)
        is_item = ref.variant_id == target.item.variant_id
        planned.append((_order_key(resolved, chosen), _planned(ref, resolved, is_item, connected, ignored)))
    planned.sort(key=lambda pair: pair[0])
    return [variant for _, variant in planned]


def _planned(
    ref, resolved: mapping.Resolved, is_item: bool, connected: dict, ignored: dict
) -> PlannedVariant:
    uid = resolved.product_uid
    if not is_item and ref.variant_id in connected:
        why = f"already connected to {connected[ref.variant_id]}; left as it is"
        return PlannedVariant(ref, Action.ALREADY_CONNECTED, uid, why, is_item)
    if not is_item and ref.variant_id in ignored:
        return PlannedVariant(ref, Action.IGNORED, uid, f"{ignored[ref.variant_id]}; left as it is", is_item)
    if resolved.problem:
        return PlannedVariant(ref, Action.NO_MATCH, "", resolved.problem, is_item)
    return PlannedVariant(ref, Action.CONNECT, uid, "", is_item)


def _decided(target: Target, variant_ids: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The variants among these that have an active connection ({id: product}) or an ignore rule ({id: why})."""
    store = target.store
    connected = dict(
        Connection.objects.filter(
            store=store, variant_id__in=variant_ids, disconnected_at__isnull=True, needs_review=False
        ).values_list("variant_id", "provider_product_uid")
    )
    active = IgnoreRule.objects.filter(store=store, revoked_at__isnull=True)
    ignored = {
        variant: f"ignored by a rule ({reason})" if reason else "ignored by a rule"
        for variant, reason in active.filter(
            scope=IgnoreRule.Scope.VARIANT, variant_id__in=variant_ids
        ).values_list("variant_id", "reason")
    }
    product_rule = active.filter(scope=IgnoreRule.Scope.PRODUCT, product_id=target.item.product_id).first()
    if product_rule is not None:
        why = "its product is ignored by a rule"
        ignored = {variant: ignored.get(variant, why) for variant in variant_ids}
    return connected, ignored


def _order_key(resolved: mapping.Resolved, chosen: dict[str, mapping.Attribute]) -> tuple[int, ...]:
    """The catalog's order of the values the options decided (XS, S, M, …); variants without a match last."""
    if not resolved.product_uid:
        return (10**6,)
    by_uid = {a.uid: a for a in chosen.values()}
    return tuple(by_uid[attribute].position(value) for attribute, value in resolved.values)


# --- publishing ----------------------------------------------------------------------------------------------------


def _publish_spec(
    choice: PublishChoice,
    chosen: dict[str, mapping.Attribute],
    variants: list[PlannedVariant],
    files: dict[str, str],
    designs: dict[str, DesignFile],
) -> PublishSpec:
    """The new store product: one variant per store variant made from a catalog product, with the mapped options
    (e.g. Size and Colour), SKU = prefix + option values, the one price, the front design as its image."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,49}", choice.sku_prefix.strip()):
        raise InvalidInput(
            "Give a SKU prefix of 1 to 50 letters, digits, dots, dashes or underscores",
            field="publish.sku_prefix",
        )
    specs: dict[tuple[str, ...], VariantSpec] = {}
    for variant in (v for v in variants if v.product_uid):
        values = dict((n.casefold(), value) for n, value in variant.ref.options or ())
        options = tuple((name, values.get(name.casefold(), "")) for name in chosen)
        key = tuple(value.casefold() for _, value in options)
        sku = _sku(choice.sku_prefix, [value for _, value in options])
        specs.setdefault(key, VariantSpec(sku, variant.product_uid, dict(files), options))
    image = signing.design_url(designs[DEFAULT_AREA])
    spec = PublishSpec(
        choice.name.strip(), choice.price, choice.weight, tuple(specs.values()), image_url=image
    )
    validate(spec)
    return spec


def _sku(prefix: str, values: list[str]) -> str:
    joined = "-".join([prefix.strip(), *values])
    return re.sub(r"[^A-Z0-9._]+", "-", joined.upper()).strip("-")[:255]
