"""The production clock, as pure functions over an order's JSON: the plan of steps (created → passed →
in_production → printed → shipped per parcel → delivered per parcel), applying one step, and the parcels'
tracking. Timing and threads live in `state.py`."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

FLOW = ("created", "passed", "in_production", "printed", "shipped", "delivered")
RANK = {status: rank for rank, status in enumerate(FLOW)}
CANCELABLE = frozenset({"draft", "created", "passed", "in_production"})

# (shipmentMethodName, shipmentMethodUid, tracking URL template, tracking code prefix)
CARRIERS = {
    "US": ("UPS Ground", "ups_ground", "https://www.ups.com/track?tracknum={code}", "1Z"),
    "CA": ("Canada Post Expedited", "canada_post_expedited", "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={code}", "CP"),
    "GB": ("Royal Mail Tracked 48", "royal_mail_tracked_48", "https://www.royalmail.com/track-your-item#/tracking-results/{code}", "RM"),
    "DE": ("DHL Paket", "dhl_paket", "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode={code}", "00"),
    "AU": ("Australia Post Parcel Post", "australia_post_parcel_post", "https://auspost.com.au/mypost/track/details/{code}", "AP"),
}  # fmt: skip
DEFAULT_CARRIER = ("DHL eCommerce", "dhl_ecommerce", "https://www.dhl.com/global-en/home/tracking.html?tracking-id={code}", "GM")  # fmt: skip
EXPRESS = ("DHL Express", "dhl_express", "https://www.dhl.com/en/express/tracking.html?AWB={code}", "JD")
CARRIERS_BY_UID = {carrier[1]: carrier for carrier in (*CARRIERS.values(), DEFAULT_CARRIER, EXPRESS)}
# Where a destination's parcels are produced: (fulfillmentCountry, fulfillmentStateProvince); others ship from DE.
HUBS = {
    "US": ("US", "NJ"), "CA": ("CA", "ON"), "GB": ("GB", "ENG"), "AU": ("AU", "NSW"), "BR": ("BR", "SP"),
    "JP": ("JP", "13"), "FR": ("FR", "IDF"), "ES": ("ES", "MD"), "IT": ("IT", "MI"), "NL": ("NL", "NH"),
    "SE": ("SE", "AB"), "NO": ("NO", "03"), "MX": ("MX", "CMX"), "IN": ("IN", "MH"), "DE": ("DE", "BE"),
}  # fmt: skip


@dataclass(frozen=True)
class ProductionDurations:
    """Emulated seconds before each step (divided by the emulator's time_scale)."""

    passed: float = 120.0  # created → passed
    in_production: float = 1800.0  # passed → in_production
    printed: float = 14400.0  # in_production → printed
    shipped: float = 7200.0  # printed → the first parcel shipped
    second_parcel: float = 21600.0  # first parcel shipped → second parcel shipped
    delivered: float = 259200.0  # a parcel shipped → that parcel delivered

    def __post_init__(self) -> None:
        if any(value < 0 for value in vars(self).values()):
            raise ValueError("durations must not be negative")


@dataclass(frozen=True)
class Step:
    at: float  # emulated seconds after the order entered `created`
    status: str
    items: tuple[int, ...]  # indexes into the order's items
    parcel: int | None = None  # shipped/delivered steps: which parcel


def parcels_for(item_count: int, split: bool) -> tuple[tuple[int, ...], ...]:
    """One parcel, or (when `split` and there are several items) two: the first half and the rest."""
    indexes = tuple(range(item_count))
    if not split or item_count < 2:
        return (indexes,)
    half = (item_count + 1) // 2
    return indexes[:half], indexes[half:]


def plan(parcels: tuple[tuple[int, ...], ...], durations: ProductionDurations) -> list[Step]:
    everything = tuple(index for parcel in parcels for index in parcel)
    passed = durations.passed
    in_production = passed + durations.in_production
    printed = in_production + durations.printed
    steps = [
        Step(passed, "passed", everything),
        Step(in_production, "in_production", everything),
        Step(printed, "printed", everything),
    ]
    for number, parcel in enumerate(parcels):
        shipped = printed + durations.shipped + number * durations.second_parcel
        steps.append(Step(shipped, "shipped", parcel, number))
        steps.append(Step(shipped + durations.delivered, "delivered", parcel, number))
    return sorted(steps, key=lambda step: (step.at, RANK[step.status]))


def order_status(items: list[dict]) -> str:
    """The order's status is its least advanced item's (so "shipped" means every parcel is on its way)."""
    return min((item["fulfillmentStatus"] for item in items), key=RANK.__getitem__)


def apply(order: dict, step: Step, now: str) -> bool:
    """Move the step's items forward (never back); returns whether anything changed."""
    items = [order["items"][index] for index in step.items]
    moving = [item for item in items if RANK[item["fulfillmentStatus"]] < RANK[step.status]]
    if not moving:
        return False
    if step.status == "shipped":
        _ship(order, step, moving)
    for item in moving:
        item["fulfillmentStatus"] = step.status
    order["fulfillmentStatus"] = order_status(order["items"])
    if step.status == "passed":
        order["financialStatus"] = "paid"
    order["updatedAt"] = now
    return True


def _ship(order: dict, step: Step, items: list[dict]) -> None:
    parcel = fulfillment(order, step.parcel or 0)
    for item in items:
        item["fulfillments"].append(dict(parcel))
    package = {
        "id": str(uuid.UUID(bytes=_digest(order["id"], "package", step.parcel)[:16], version=4)),
        "orderItemIds": [item["id"] for item in items],
        "trackingCode": parcel["trackingCode"],
        "trackingUrl": parcel["trackingUrl"],
    }
    order["shipment"]["packages"].append(package)
    order["shipment"]["packageCount"] = len(order["shipment"]["packages"])


def carrier(country: str, shipment_method_uid: str) -> tuple[str, str, str, str]:
    """The carrier for a destination and the asked-for shipment method ("express", else the standard one)."""
    if shipment_method_uid == "express":
        return EXPRESS
    return CARRIERS.get(country, DEFAULT_CARRIER)


def hub(country: str) -> tuple[str, str]:
    return HUBS.get(country, HUBS["DE"])


def fulfillment(order: dict, parcel: int) -> dict:
    """One parcel's tracking, as the webhook's `items[].fulfillments[]` carries it; derived from the order id
    and the parcel number, so it is the same however often it is computed."""
    country = order["shippingAddress"]["country"]
    name, method_uid, url, prefix = CARRIERS_BY_UID[order["shipment"]["shipmentMethodUid"]]
    digest = _digest(order["id"], "parcel", parcel)
    code = prefix + str(int.from_bytes(digest[:8], "big")).zfill(20)[:16]
    fulfillment_country, province = hub(country)
    return {
        "trackingCode": code,
        "trackingUrl": url.format(code=code),
        "shipmentMethodName": name,
        "shipmentMethodUid": method_uid,
        "fulfillmentCountry": fulfillment_country,
        "fulfillmentStateProvince": province,
        "fulfillmentFacilityId": str(
            uuid.UUID(bytes=_digest(fulfillment_country, "facility")[:16], version=4)
        ),
    }


def _digest(*parts: object) -> bytes:
    return hashlib.sha256("/".join(str(part) for part in parts).encode()).digest()
