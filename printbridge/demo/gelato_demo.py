"""The demo's Gelato: the in-repo emulator with a fast production clock, the demo account's API key set, and
its status webhooks pointed at this Printbridge."""

from __future__ import annotations

import json
import urllib.request

from printbridge.fulfilment.services.accounts import set_gelato_key, webhook_url
from printbridge.orders import events
from printbridge.stores.models import Account

API_KEY = "demo-gelato-key"
TIME_SCALE = "400"  # created → shipped in about a minute (Gelato: hours)


def connect_demo_gelato(account: Account, user, port: int) -> str:
    base = f"http://127.0.0.1:{port}"
    provider_account = set_gelato_key(
        account, API_KEY, events.Actor.for_user(user), order_url=base, product_url=base
    )
    url = webhook_url(provider_account)
    request = urllib.request.Request(
        f"{base}/_emulator/accounts/{API_KEY}",
        data=json.dumps({"webhook_url": url}).encode(),
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        response.read()
    return url
