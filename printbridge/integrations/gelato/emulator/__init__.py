"""An in-repo Gelato: a real HTTP server on 127.0.0.1 speaking the Order API v4 and the Product API v3.

    emu = GelatoEmulator(GelatoEmulatorConfig(port=0, time_scale=1.0, seed=1)).start()
    emu.add_account(api_key="gelato-key", webhook_url=None)   # webhooks go to webhook_url (loopback only)
    emu.order_url, emu.product_url   # both "http://127.0.0.1:PORT" (order.gelatoapis.com, product.gelatoapis.com)
    emu.orders            # {gelato order id: dict as GET /v4/orders/{id} returns it}
    emu.requests          # [(method, path_with_query)] seen
    emu.advance(order_id, "printed")
    emu.step(order_id)    # only the next step: with split_shipments, the first parcel alone
    emu.faults.fail_next(500, after_effect=True); emu.faults.outage(5)
    emu.stop()

Or `printbridge emulate gelato [--port 8200] [--time-scale N] [--api-key KEY] [--webhook-url URL]`; the same
operations over HTTP under /_emulator/ (see `admin.py`).

Endpoints (header X-API-KEY; 401 without a known key): GET /v3/catalogs; GET /v3/catalogs/{catalogUid};
POST /v3/catalogs/{catalogUid}/products:search; GET /v3/products/{productUid}; POST /v4/orders;
GET /v4/orders/{id}; POST /v4/orders:search; POST /v4/orders/{id}:cancel; PATCH /v4/orders/{id}.
Modules: `app` (wiring), `server` (pipeline: outage, auth, faults, errors), `api_catalog`, `api_orders`,
`catalog` (the products), `orders` (validation and JSON), `state` (orders and their clock), `production` (the
clock's steps and tracking), `webhooks`, `faults`, `admin`. The HTTP server, router and timer thread are the
BigCommerce emulator's (`bigcommerce/emulator/server.py`, `routes.py`, `scheduler.py`), as are the fault rules.

Time: `time_scale` divides the production durations (`ProductionDurations`: 2 min to passed, 30 min to
in_production, 4 h to printed, 2 h to the first parcel, 6 h more for a second parcel, 3 days to delivery), the
5 s between webhook attempts and the 30 s hold of a reordered webhook. Dates are real UTC wall-clock time.
`delay_next` and `outage` take real seconds; `Retry-After` is sent as given.

As the reference documents it (../shared/reference/gelato-and-peers.md §2, §4, §5): productUids such as
`apparel_product_gca_t-shirt_gsc_crewneck_gcu_unisex_gqa_classic_gsi_m_gco_white_gpr_4-4`; statuses created →
passed → in_production → printed → shipped → delivered; cancel is 200, 409 once any item is printed, 404 unknown;
only drafts can be PATCHed to `orderType: "order"`; no idempotency key, so two POSTs with one `orderReferenceId`
make two orders; webhooks `order_status_updated` with the documented body, any 2xx a success, 3 attempts 5 s apart,
then dropped for good (the receiver must poll); no signature.

Where the reference is silent (choices, verify against the real API before relying on them):
1. Catalogs: `t-shirts` (XS–5XL × white/black/navy/red × print 4-0/4-4), `posters` (A4/A3/A2/500x700-mm ×
   200-gsm-uncoated/170-gsm-coated-silk × hor/ver), `canvas` (wall art, 3 sizes × 2 frames × hor/ver) and `mugs`
   (11-oz/15-oz × ceramic-white/ceramic-black). Attribute names and the canvas uid format are ours. Every product
   ships to 27 countries and not to 6 sanctioned ones; mugs and canvas not to BR, IN or ZA either.
2. GET /v3/catalogs answers `{data: [{catalogUid, title}], pagination: {total, offset}}`.
3. Product search: filters AND across attributes, OR within one; an unknown attribute matches nothing;
   `attributeHits` counts every matched product (not only the page) and leaves out zero counts; `limit` 1–100
   (default 50), else 400.
4. POST /v4/orders answers 200 with the order. A draft starts as `draft` (financialStatus `draft`) and does not
   move; an order starts `created` with financialStatus `pending`, which becomes `paid` at `passed`; cancel sets
   both to `canceled` (a second cancel is 200 again). PATCH of a non-draft is 409; a draft becoming an order needs
   files on every item.
5. Validation answers 400 naming the first problem in `message`; `orderReferenceId`, `customerReferenceId`,
   `currency` (a list of 17), items (`itemReferenceId` unique, `productUid` in the catalog, `quantity` ≥ 1, `files`
   [{type, http(s) url}] required unless a draft) and `shippingAddress` (firstName, lastName, addressLine1, city,
   postCode, country as two capitals) are required. `state` is not checked, although Gelato may require it for
   US, CA and AU addresses (unconfirmed). A product not shipped to the country is 400.
6. Error bodies are `{code, message, details: [{field, message}]}`: `message` as Gelato's older APIs document it,
   `code` (the HTTP reason, snake_case) and `details` are ours.
7. An order's `fulfillmentStatus` is its least advanced item's: while one parcel is shipped and the other not,
   the order stays `printed` and only the first parcel's items are `shipped`. Orders with several items ship in two
   parcels (first half, rest) with probability `split_shipments` (default 0.5, drawn from the seed).
8. Tracking lives in two places: each item's `fulfillments[]` (as in the webhook) and `shipment.packages[]`
   (`{id, orderItemIds, trackingCode, trackingUrl}`); `shipment` is always present, `packages` empty until the first
   parcel ships. Carriers depend on the destination (UPS Ground for the US, Royal Mail for GB, DHL Paket for DE,
   ...; `shipmentMethodUid: "express"` gives DHL Express); tracking codes are derived from the order id.
9. A webhook fires for every change of the order's or an item's status (so for each parcel), for cancel and for a
   draft becoming an order, but not when an order is created. Each event has a new `id` (`os_` + 13 hex digits);
   retries and duplicates repeat it. The webhook carries every item, shipped or not.
10. POST /v4/orders:search answers summaries without items, as the v4 docs show; filters `orderReferenceIds`
    (undocumented for v4, documented for v3), `orderReferenceId`, `ids`, `orderTypes`, `fulfillmentStatuses`,
    `financialStatuses`, `currencies`, `channels`, `countries`; `limit` 1–100 (default 50), `offset`; newest first;
    other keys ignored.
11. Faults: `fail_next(after_effect=True)` carries the call out (an order IS created) and answers the error;
    `delay_next(after_effect=True)` carries it out and answers late; `delay_next(after_effect=False)` does nothing
    and answers 504 late; `rate_limit_next` answers 429 with `Retry-After`; `outage(seconds)` answers 503 to every
    API call, before authentication; `disconnect_next` closes the connection; `random_faults(fail_after_effect,
    delay_after_effect, rate_limit, ...)` fails those shares of later calls at random (seeded), for benchmarks
    such as reliability.md §9 G6. Webhook faults drop, duplicate, or hold an event back until the order's next
    event has been sent (or 30 emulated seconds pass).
"""

from .app import GelatoEmulator, GelatoEmulatorConfig
from .faults import GelatoFaults
from .production import ProductionDurations
from .state import Account

__all__ = ["Account", "GelatoEmulator", "GelatoEmulatorConfig", "GelatoFaults", "ProductionDurations"]
