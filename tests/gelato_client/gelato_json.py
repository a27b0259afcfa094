"""Gelato JSON as the documented API sends it (gelato-and-peers.md §4-§5), and the NewOrder the tests send."""

from __future__ import annotations

from typing import Any

from printbridge.integrations.gelato.payloads import Address, NewItem, NewOrder

API_KEY = "gelato-key-123"
ORDER_ID = "37365096-6628-4538-a9c2-fbf9892deb85"
REFERENCE = "pb-store7-order101-g1"
MUG_ITEM_ID = "0549170c-bd7d-4d43-b7a1-34c855e6aefb"
POSTER_ITEM_ID = "13c165fe-de51-4ea9-86e6-98503ae14486"
MUG_UID = "mug_product_msz_11-oz_mmat_ceramic-white_cl_4-0"
POSTER_UID = "flat_product_pf_a3_pt_200-gsm-uncoated_cl_4-0_ver"

ADDRESS = Address(
    first_name="Jane",
    last_name="Doe",
    address_line1="1 Main St",
    city="Austin",
    post_code="78701",
    country="US",
    email="jane@example.com",
    company_name="Doe Ltd",
    address_line2="Suite 4",
    state="TX",
    phone="+1 512 555 0100",
)


def new_order(**changes: Any) -> NewOrder:
    fields: dict[str, Any] = {
        "order_reference_id": REFERENCE,
        "customer_reference_id": "store-7",
        "currency": "USD",
        "items": (
            NewItem("line-1001", MUG_UID, 2, (("default", "https://files.example.com/mug.pdf"),)),
            NewItem(
                "line-1002",
                POSTER_UID,
                1,
                (
                    ("default", "https://files.example.com/front.pdf"),
                    ("back", "https://files.example.com/back.pdf"),
                ),
            ),
        ),
        "shipping_address": ADDRESS,
        "shipment_method_uid": "express",
        **changes,
    }
    return NewOrder(**fields)


NEW_ORDER_BODY = {
    "orderType": "order",
    "orderReferenceId": "pb-store7-order101-g1",
    "customerReferenceId": "store-7",
    "currency": "USD",
    "items": [
        {
            "itemReferenceId": "line-1001",
            "productUid": "mug_product_msz_11-oz_mmat_ceramic-white_cl_4-0",
            "quantity": 2,
            "files": [{"type": "default", "url": "https://files.example.com/mug.pdf"}],
        },
        {
            "itemReferenceId": "line-1002",
            "productUid": "flat_product_pf_a3_pt_200-gsm-uncoated_cl_4-0_ver",
            "quantity": 1,
            "files": [
                {"type": "default", "url": "https://files.example.com/front.pdf"},
                {"type": "back", "url": "https://files.example.com/back.pdf"},
            ],
        },
    ],
    "shipmentMethodUid": "express",
    "shippingAddress": {
        "companyName": "Doe Ltd",
        "firstName": "Jane",
        "lastName": "Doe",
        "addressLine1": "1 Main St",
        "addressLine2": "Suite 4",
        "state": "TX",
        "city": "Austin",
        "postCode": "78701",
        "country": "US",
        "email": "jane@example.com",
        "phone": "+1 512 555 0100",
    },
}


def item(item_id: str, reference: str, status: str = "created", **extra: Any) -> dict[str, Any]:
    return {
        "id": item_id,
        "itemReferenceId": reference,
        "productUid": MUG_UID,
        "files": [{"type": "default", "url": "https://files.example.com/mug.pdf"}],
        "processedFileUrl": None,
        "quantity": 2,
        "fulfillmentStatus": status,
        "previews": [],
        **extra,
    }


def order(status: str = "created", shipment: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """GET /v4/orders/{id} (and the POST /v4/orders answer) for the two-item order."""
    return {
        "id": ORDER_ID,
        "orderType": "order",
        "orderReferenceId": REFERENCE,
        "customerReferenceId": "store-7",
        "fulfillmentStatus": status,
        "financialStatus": "paid",
        "currency": "USD",
        "channel": "api",
        "storeId": None,
        "createdAt": "2026-12-01T12:00:03+00:00",
        "updatedAt": "2026-12-01T12:00:03+00:00",
        "orderedAt": "2026-12-01T12:00:03+00:00",
        "items": [item(MUG_ITEM_ID, "line-1001", status), item(POSTER_ITEM_ID, "line-1002", status)],
        "shipment": shipment,
        **extra,
    }


SHIPMENT = {
    "id": "9a1b7d0e-2f4e-4c55-8d8a-3e1f7c6b5a40",
    "shipmentMethodName": "DHL Express Domestic US",
    "shipmentMethodUid": "dhl_express_domestic_us",
    "minDeliveryDays": 1,
    "maxDeliveryDays": 3,
    "packages": [
        {
            "id": "pkg-1",
            "orderItemIds": [MUG_ITEM_ID],
            "trackingCode": "JD01",
            "trackingUrl": "https://t.example/JD01",
        },
        {
            "id": "pkg-2",
            "orderItemIds": [MUG_ITEM_ID, POSTER_ITEM_ID],
            "trackingCode": "JD02",
            "trackingUrl": "https://t.example/JD02",
        },
        {"id": "pkg-3", "orderItemIds": [POSTER_ITEM_ID], "trackingCode": "", "trackingUrl": ""},
    ],
}


def summary(order_id: str = ORDER_ID, reference: str = REFERENCE) -> dict[str, Any]:
    """One entry of POST /v4/orders:search."""
    return {
        "channel": "api",
        "connectedOrderIds": [],
        "country": "US",
        "createdAt": "2026-12-01T12:00:03+00:00",
        "currency": "USD",
        "customerReferenceId": "store-7",
        "financialStatus": "paid",
        "firstName": "Jane",
        "fulfillmentStatus": "created",
        "id": order_id,
        "itemsCount": 2,
        "lastName": "Doe",
        "orderReferenceId": reference,
        "orderType": "order",
        "orderedAt": "2026-12-01T12:00:03+00:00",
        "storeId": None,
        "totalInclVat": "31.90",
        "updatedAt": "2026-12-01T12:00:03+00:00",
    }


CATALOG_LIST = {
    "data": [{"catalogUid": "posters", "title": "Posters"}, {"catalogUid": "mugs", "title": "Mugs"}],
    "pagination": {"total": 2, "offset": 0},
}

POSTERS = {
    "catalogUid": "posters",
    "title": "Posters",
    "productAttributes": [
        {
            "productAttributeUid": "Orientation",
            "title": "Orientation",
            "values": [
                {"productAttributeValueUid": "hor", "title": "Landscape"},
                {"productAttributeValueUid": "ver", "title": "Portrait"},
            ],
        },
        {
            "productAttributeUid": "PaperFormat",
            "title": "Paper Format",
            "values": [
                {"productAttributeValueUid": "A2", "title": "A2"},
                {"productAttributeValueUid": "A3", "title": "A3"},
            ],
        },
    ],
}

POSTER_ATTRIBUTES = {"Orientation": "ver", "PaperFormat": "A3", "PaperType": "200-gsm-uncoated"}

SEARCH_PAGE = {
    "products": [
        {
            "productUid": POSTER_UID,
            "attributes": POSTER_ATTRIBUTES,
            "weight": {"value": 12.308, "measureUnit": "grams"},
            "dimensions": {"Width": {"value": 297, "measureUnit": "mm"}},
        }
    ],
    "hits": {"attributeHits": {"Orientation": {"hor": 3, "ver": 1}, "PaperFormat": {"A3": 1}}},
}

POSTER_PRODUCT = {
    "productUid": POSTER_UID,
    "attributes": POSTER_ATTRIBUTES,
    "weight": {"value": 1.341, "measureUnit": "grams"},
    "supportedCountries": ["US", "CA"],
    "notSupportedCountries": ["BR"],
    "isStockable": False,
    "isPrintable": True,
    "validPageCounts": [],
}

STATUS_WEBHOOK = {
    "id": "os_5e5680ce494f6",
    "event": "order_status_updated",
    "orderId": ORDER_ID,
    "storeId": None,
    "orderReferenceId": REFERENCE,
    "fulfillmentStatus": "shipped",
    "items": [
        {
            "itemReferenceId": "line-1001",
            "fulfillmentStatus": "shipped",
            "fulfillments": [
                {
                    "trackingCode": "code123",
                    "trackingUrl": "http://tracking.example/code123",
                    "shipmentMethodName": "DHL Express Domestic BR",
                    "shipmentMethodUid": "dhl_express_domestic_br",
                    "fulfillmentCountry": "BR",
                    "fulfillmentStateProvince": "SP",
                    "fulfillmentFacilityId": "2f6d8a4e-6c1b-4d2f-9e3a-7b5c1d0e9f21",
                }
            ],
        }
    ],
}
