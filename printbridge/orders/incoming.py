"""The shape every intake channel (custom-store API, BigCommerce sync) hands to `import_order`."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from printbridge.orders.rules import ItemRef, ItemType


@dataclass(frozen=True)
class IncomingItem:
    external_id: str
    product_id: str
    variant_id: str
    name: str
    quantity: int
    sku: str = ""
    unit_price: Decimal = Decimal("0")
    options: tuple[tuple[str, str], ...] = ()
    item_type: ItemType = ItemType.PHYSICAL
    address_ref: str = ""  # the store's shipping address id for this line (BigCommerce order_address_id)

    def ref(self) -> ItemRef:
        return ItemRef(self.product_id, self.variant_id, self.item_type)

    def options_json(self) -> list[dict[str, str]]:
        return [{"name": name, "value": value} for name, value in self.options]


@dataclass(frozen=True)
class IncomingOrder:
    external_id: str
    number: str
    placed_at: datetime
    currency: str
    items: tuple[IncomingItem, ...]
    customer_name: str = ""
    customer_email: str = ""
    shipping_address: dict[str, str] = field(default_factory=dict)
    subtotal: Decimal = Decimal("0")
    total: Decimal = Decimal("0")

    def to_payload(self) -> dict[str, Any]:
        data = asdict(self)
        data["placed_at"] = self.placed_at.isoformat()
        data["subtotal"] = str(self.subtotal)
        data["total"] = str(self.total)
        data["items"] = [
            {**asdict(i), "unit_price": str(i.unit_price), "options": [list(o) for o in i.options]}
            for i in self.items
        ]
        return data

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> IncomingOrder:
        items = tuple(
            IncomingItem(
                **{
                    **i,
                    "options": tuple(tuple(o) for o in i["options"]),
                    "item_type": ItemType(i["item_type"]),
                    "unit_price": Decimal(i["unit_price"]),
                }
            )
            for i in data["items"]
        )
        return cls(
            **{
                **data,
                "items": items,
                "placed_at": datetime.fromisoformat(data["placed_at"]),
                "subtotal": Decimal(data["subtotal"]),
                "total": Decimal(data["total"]),
            }
        )

    def content_hash(self) -> str:
        encoded = json.dumps(self.to_payload(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(encoded.encode()).hexdigest()
