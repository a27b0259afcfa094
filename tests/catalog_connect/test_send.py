"""End to end: after creating the product the order is sent to the Gelato emulator with the design as a signed link
that serves the PNG; the link is signed when the order is sent, so a connection older than the links' 7 days still
sends a valid one (the connection keeps a design reference, never a link)."""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from printbridge.catalog import signing
from printbridge.catalog.connecting import ConnectSpec, create_connected_product
from printbridge.catalog.models import DesignFile
from printbridge.fulfilment.models import Submission
from printbridge.fulfilment.services.sending import send_due
from printbridge.orders.models import Order
from printbridge.routing.models import Connection
from tests.catalog_connect.conftest import DESIGN_PNG, receive, shirt_uid, tee

DAY = 24 * 3600


def served(url: str) -> tuple[int, bytes]:
    response = Client().get(urlsplit(url).path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


@pytest.fixture
def created(store, gelato, design, account, actor):
    o = receive(store, "1001", tee("1", "XS", quantity=2))
    spec = ConnectSpec(shirt_uid("m"), {"Size": "GarmentSize"}, {"default": design.pk})
    create_connected_product(account.pk, o.pk, o.items.get().pk, spec, actor)
    return o


def test_the_order_reaches_gelato_with_a_signed_link_that_serves_the_design(created, gelato, design):
    assert send_due().outcomes == {"sent": 1}

    [sent] = gelato.orders.values()
    [line] = sent["items"]
    assert (line["productUid"], line["quantity"]) == (shirt_uid("XS"), 2)
    [file] = line["files"]
    assert file["type"] == "default"
    assert file["url"].startswith("https://printbridge.example/media/designs/")
    assert file["url"].endswith("/cat.png")
    assert served(file["url"]) == (200, DESIGN_PNG)
    assert Order.objects.get(pk=created.pk).status == "submitted"


def test_a_connection_older_than_the_links_max_age_still_sends_a_freshly_signed_link(
    store, gelato, design, account, actor, monkeypatch
):
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 10 * DAY)  # created ten days ago
    old_link = signing.design_url(design)
    first = receive(store, "1001", tee("1", "S"))
    spec = ConnectSpec(shirt_uid("m"), {"Size": "GarmentSize"}, {"default": design.pk}, connect_siblings=True)
    receive(store, "1002", tee("1", "M"))
    create_connected_product(account.pk, first.pk, first.items.get().pk, spec, actor)
    monkeypatch.setattr(time, "time", real_time)
    Connection.objects.update(created_at=timezone.now() - timedelta(days=10))
    later = receive(store, "1003", tee("1", "M"))  # a new order, connected by the ten-day-old connection

    assert Connection.objects.get(variant_id="tshirt-m").files == {"default": f"design:{design.pk}"}
    assert served(old_link) == (403, b"This design link has expired")
    Submission.objects.update(available_at=timezone.now())
    assert send_due().outcomes == {"sent": 2}
    urls = {o["orderReferenceId"]: o["items"][0]["files"][0]["url"] for o in gelato.orders.values()}
    later_url = urls[f"pb-{store.pk}-{later.pk}-g1"]
    assert later_url != old_link
    assert served(later_url) == (200, DESIGN_PNG)


def test_a_design_gone_since_fails_the_order_visibly_instead_of_sending_a_broken_link(
    created, gelato, design
):
    DesignFile.objects.filter(pk=design.pk).update(status=DesignFile.Status.FAILED)

    assert send_due().outcomes == {"failed": 1}

    assert gelato.orders == {}
    submission = Submission.objects.get()
    assert submission.last_error == "Classic T-shirt: Design file 'Cat print' is not ready (Failed)"
    assert Order.objects.get(pk=created.pk).status == "failed"
