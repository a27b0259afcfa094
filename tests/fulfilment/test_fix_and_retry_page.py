"""Fix and retry on the order page: the provider refused the address; the merchant corrects it and retries."""

from __future__ import annotations

from django.test import Client

from printbridge.fulfilment.models import Submission
from printbridge.fulfilment.services.sending import send_due
from printbridge.orders.models import Order, OrderEvent
from tests.fulfilment.conftest import MUG, SHIRT_M
from tests.fulfilment.test_outbound_webhooks import POSTCODE_REFUSED
from tests.fulfilment.test_retry_after_edit import make_due, refused, snapshot
from tests.web.test_pages import logged_in


def address(o: Order, **changes) -> dict:
    return {**o.shipping_address, "postal_code": "", "city": "Austn", **changes}


def test_a_refused_order_shows_the_providers_message_and_the_fix_form(ready_order, gelato, user):
    refused(ready_order)
    html = logged_in(user).get(f"/orders/{ready_order.pk}/").content.decode()
    assert "The provider refused this order" in html
    assert f'<p class="error">{POSTCODE_REFUSED.replace(chr(34), "&quot;")}</p>' in html
    assert '<label for="id_postal_code">Postal code</label>' in html
    assert "Retry sending" in html


def test_after_fixing_the_address_in_the_page_a_retry_sends_one_gelato_order(ready_order, gelato, user):
    refused(ready_order)
    client = logged_in(user)
    response = client.post(
        f"/orders/{ready_order.pk}/shipping-address", address(ready_order, postal_code="78702", city="Austin")
    )
    assert (response.status_code, response["Location"]) == (302, f"/orders/{ready_order.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "Shipping address saved (city, postal_code). Retry to send it again." in page
    response = client.post(f"/orders/{ready_order.pk}/retry")
    assert response.status_code == 302
    assert "Sent to the provider again (attempt 2)" in client.get(response["Location"]).content.decode()
    make_due()
    assert send_due().outcomes == {"sent": 1}
    [placed] = gelato.orders.values()
    assert (placed["shippingAddress"]["postCode"], placed["shippingAddress"]["city"]) == ("78702", "Austin")
    assert [(i["productUid"], i["quantity"]) for i in placed["items"]] == [(SHIRT_M, 2), (MUG, 1)]
    assert list(Submission.objects.order_by("generation").values_list("generation", "state")) == [
        (1, "failed"),
        (2, "sent"),
    ]


def test_an_invalid_address_is_refused_and_changes_nothing(ready_order, gelato, user):
    refused(ready_order)
    before = snapshot(ready_order.pk)
    response = logged_in(user).post(
        f"/orders/{ready_order.pk}/shipping-address", address(ready_order, country_code="USA")
    )
    assert response.status_code == 422
    assert (
        "Nothing was changed. country_code must be a two-letter ISO code such as US"
        in response.content.decode()
    )
    assert snapshot(ready_order.pk) == before


def test_retrying_an_order_that_did_not_fail_is_refused(ready_order, gelato, user):
    response = logged_in(user).post(f"/orders/{ready_order.pk}/retry")
    assert response.status_code == 409
    assert "Order #5001 is Ready for fulfilment, not Failed" in response.content.decode()
    assert OrderEvent.objects.filter(type="submission_retried").count() == 0


def test_another_accounts_order_cannot_be_fixed_or_retried(ready_order, gelato, other_account):
    refused(ready_order)
    before = snapshot(ready_order.pk)
    client = logged_in(other_account[1])
    assert client.post(f"/orders/{ready_order.pk}/shipping-address", address(ready_order)).status_code == 404
    assert client.post(f"/orders/{ready_order.pk}/retry").status_code == 404
    assert snapshot(ready_order.pk) == before


def test_fix_and_retry_need_the_csrf_token(ready_order, gelato, user):
    refused(ready_order)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(f"/orders/{ready_order.pk}/retry").status_code == 403
    assert Submission.objects.get().state == "failed"
