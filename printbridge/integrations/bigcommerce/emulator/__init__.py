"""An in-repo BigCommerce: a real HTTP server on 127.0.0.1 with in-memory stores.

    emu = BigCommerceEmulator(EmulatorConfig(port=0, time_scale=1.0, seed=1)).start()
    store = emu.add_store(store_hash="abc123", access_token="token-abc", plan="standard")
    emu.api_url("abc123")   # http://127.0.0.1:PORT/stores/abc123 (append /v2/…, /v3/…)
    emu.login_url           # http://127.0.0.1:PORT (POST /oauth2/token)
    emu.stop()

Or `printbridge emulate bigcommerce --port 8100 --store HASH:TOKEN[:PLAN] --generate-rate 6`.

Endpoints: GET /v2/store, /v2/time; GET /v2/orders (min_id, max_id, min/max_date_modified, min/max_date_created,
status_id, customer_id, email, channel_id, is_deleted, sort, page, limit, include, consignment_structure);
GET/PUT /v2/orders/{id}; GET /v2/orders/{id}/products[/{id}]; GET /v2/orders/{id}/shipping_addresses;
GET/POST /v2/orders/{id}/shipments; GET /v2/order_statuses; GET /v3/catalog/products[/{id}] (id, id:in, id:not_in,
sku, name, type, include=variants,options,images); POST /v3/catalog/products (variants inline);
DELETE /v3/catalog/products/{id}; POST /v3/catalog/products/{id}/images (image_url);
GET /v3/catalog/products/{id}/variants; PUT/DELETE /v3/catalog/products/{id}/variants/{id};
PUT /v3/catalog/products/{id}/options/{id}/values/{id}; GET /v3/catalog/variants (id, sku, upc, product_id:in);
GET/POST /v3/hooks, GET/PUT/DELETE /v3/hooks/{id}; POST /oauth2/token. The emulator's own JSON API lives under
/_emulator/ (see `admin.py`). Modules: `app` (wiring), `server` (HTTP, auth, rate limit, faults), `routes`,
`api_orders`, `api_catalog`, `api_catalog_writes`, `api_hooks`, `state` (a store), `products` (catalog writes), `orders`/`render`/`shipments` (order shapes),
`catalog` (the seed), `webhooks` (delivery and retries), `faults`, `ratelimit`, `generator`, `apps` (OAuth).

Time: `time_scale` divides every duration (the 30 s rate-limit window, the webhook retry schedule, the
hold-back of reordered webhooks, unpaid orders becoming paid, the generator's arrivals). Dates stay real UTC
wall-clock time, and the rate-limit headers report real (scaled) milliseconds.

Quirks reproduced (from ../shared/reference/bigcommerce.md): an empty v2 page is 204 with no body; a
consignment returns at most 50 line items and then carries `__warning__`; `faults.empty_line_items(order_id)`
empties consignments' `line_items` (bigcommerce/dev-docs#2052) while /products stays complete; /products stops at
50 without `limit`; malformed date filters are ignored (all orders come back); v2 money is a 4-decimal string
and v2 dates RFC 2822; webhook payloads are thin, `store_id` is a string, `hash` is the SHA-1 of the JSON `data`
(identical for two updates of one order, and for a redelivery); any 2xx is a successful delivery; retries after
60, 180, 300, 600, 900, 1800, 3600, 7200, 21600, 50400 and 86400 s, then the hook becomes `is_active: false`;
missed events are never replayed; X-Rate-Limit-* headers on every authenticated response, 150 (standard, plus)
or 450 (pro) requests per window per store, then 429 with `X-Retry-After`.

Where the official specs and the reference disagree or are silent (shapes follow the spec, quirks the reference):
1. POST /v3/hooks answers 200 `{data: hook, meta: {}}` as the spec says (the overview's example shows a bare
   hook object).
2. `store/order/statusUpdated` carries `data.status{previous_status_id, new_status_id}` and every payload carries
   `created_at`, as the spec and events page show (the overview's example omits both).
3. `created_at` in a callback is the hook's creation time, as documented ("hook creation date"), so it never
   tells two events apart.
4. `hash` is the SHA-1 of `data` encoded compactly (`{"type":"order","id":250}`, as PHP's json_encode writes);
   the docs do not give the exact encoding.
5. Shipping consignments give costs as JSON numbers (spec `shippingConsignment_Get`) while
   /shipping_addresses gives them as 4-decimal strings (spec `orderShippingAddress`).
6. `base_variant_id`: the spec types it as a non-nullable integer but describes it as null for products with
   options; the emulator sets it on option-less products and omits it otherwise.
7. Variant prices and dimensions are always numbers: the variants spec marks them `x-nullable` (not OpenAPI 3).
8. The spec's `oneOf` for `consignments` and for consignments' `line_items` cannot be satisfied by any body (the
   alternatives have no required keys); the emulator answers resource links without `include`, consignment objects
   with it, product links for `include=consignments` and full order products for `include=consignments.line_items`.
   The contract tests narrow those `oneOf`s the same way.
9. GET /v3/hooks with no hooks answers `data: []`, although the spec says `minItems: 1`.
10. The `__warning__` message's first sentence is BigCommerce's (bigcommerce/docs#960); the rest is ours.
11. Without `consignment_structure=object`, consignments come back in a legacy *array* (one single-key object per
    consignment); the spec does not describe that shape. Always send `consignment_structure=object`.
12. 401 (missing, wrong or another store's token; unknown store hash) is the gateway's v3-style
    `{status, title, type, errors}` (the webhooks spec's `401_Unauthorized` example) on v2 and v3 paths alike; it
    carries no rate-limit headers and uses no quota. Other v2 errors are `[{status, message}]`, v3 errors
    `{status, title, type, errors}`.
13. `limit` above 250 is 413 on v2 and v3 (the reference's status table); `page`/`limit` below 1 and an unknown
    `sort` are 400 (undocumented; chosen strict to surface client bugs).
14. Archived orders (`is_deleted: true`) leave GET /v2/orders unless `is_deleted=true` is asked for, and stay
    readable by id (verify on a sandbox).
15. A shipment moves the order to Shipped (2) when every physical item is shipped, else Partially Shipped (3),
    firing store/shipment/created, store/order/updated and store/order/statusUpdated (the reference says
    "verify"). Invalid shipments are 400 with the v2 error list; the shipment is not stored.
16. A shipping consignment's `id` equals its shipping address id (`order_address_id`) (reference: "verify").
    Digital and gift-certificate lines have `order_address_id: 0`.
17. Any http(s) destination is accepted (BigCommerce insists on https on port 443; a local Printbridge is plain
    http), but callbacks go only to 127.0.0.1, localhost or [::1]: a delivery anywhere else is logged as a failure
    ("not sent") and retried like an unreachable host, so nothing leaves the machine. Deny-listing (2-minute
    success ratio) and the 90-day inactivity rule are not emulated.
18. A new order fires store/order/created, then store/order/statusUpdated from 0 unless it was placed as 0;
    `set_status` fires store/order/updated and (when the status changed) statusUpdated; `archive` fires
    store/order/archived. Events for a hook that is inactive or deleted when due are logged as "skipped".
19. Hooks belong to the API account (client_id) of the token that created them: the store-level token is
    `emulator-{hash}`, a token from /oauth2/token belongs to that app.
20. PUT /v2/orders/{id} honours `status_id` (0–14, else 400) and `is_deleted: true` only.
21. Faults: `delay_next` does the work, then holds the response (a client time-out after the side effect;
    with `after_effect=False` nothing is done and the held answer is a 504);
    `fail_next(after_effect=True)` likewise answers the error after doing the work; plain `fail_next`,
    `rate_limit_next` and `disconnect_next` do nothing but fail. Webhook `reorder` holds an event back until the
    next event for the same hook has been sent (or 30 emulated seconds pass).
22. POST /v3/catalog/products: a missing or invalid `name`, `type`, `weight`, `price`, variant `sku` or
    `option_values` is 422 `{status, title: "JSON data is missing or invalid", type, errors: {field: …}}`
    (`"error.path.missing"` for an absent field); a product name or a SKU another product or variant already uses
    (case-insensitively) is 409, as the spec documents for "duplicate unique values, such as name or SKU"; nothing
    is created then. Options are made from the variants' `option_values` (type `rectangles`); a product without
    variants gets one base variant with the product's SKU. The answer carries neither variants nor options (read
    them with `include=variants,options`). Ids continue after the seed's and are never reused.
23. Catalog webhooks: creating a product fires store/product/created, then store/sku/created per variant
    (`data: {type: "sku", id: sku_id, sku: {product_id, variant_id}}`); PUT of a variant fires store/sku/updated;
    DELETE of a variant store/sku/deleted; renaming an option value (PUT …/options/{id}/values/{id}) changes the
    label on every variant using it and fires store/product/updated; DELETE of a product fires
    store/product/deleted only (not one store/sku/deleted per variant: the docs do not say). Images fire nothing
    ("image edits do not fire"); POST …/images accepts any http(s) `image_url` of at most 255 characters without
    downloading it, else 422 with BigCommerce's example title.
"""

from .app import BigCommerceEmulator, EmulatorConfig
from .faults import Faults
from .generator import GeneratorConfig, OrderGenerator
from .orders import Line
from .state import Store

__all__ = [
    "BigCommerceEmulator",
    "EmulatorConfig",
    "Faults",
    "GeneratorConfig",
    "Line",
    "OrderGenerator",
    "Store",
]
