"""The outbox against the Gelato emulator: exactly one provider order per generation, whatever fails."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from printbridge.fulfilment import breaker
from printbridge.fulfilment.models import ProviderBreaker, Submission
from printbridge.fulfilment.services.sending import send_due
from printbridge.orders.models import Order
from tests.fulfilment.conftest import DESIGN, MUG, SHIRT_M


def make_due():
    Submission.objects.update(available_at=timezone.now() - timedelta(seconds=1), lease_until=None)


def gelato_orders(gelato) -> list[dict]:
    return list(gelato.orders.values())


def test_a_ready_order_is_sent_once_with_its_items_files_and_address(ready_order, gelato):
    submission = Submission.objects.get()
    assert (submission.generation, submission.idempotency_key, submission.state) == (
        1,
        f"pb-{ready_order.store_id}-{ready_order.pk}-g1",
        "pending",
    )
    assert send_due().outcomes == {"sent": 1}
    [sent] = gelato_orders(gelato)
    assert sent["orderReferenceId"] == submission.idempotency_key
    assert [(i["productUid"], i["quantity"], i["files"]) for i in sent["items"]] == [
        (SHIRT_M, 2, [{"type": "default", "url": DESIGN["default"]}]),
        (MUG, 1, [{"type": "default", "url": DESIGN["default"]}]),
    ]
    assert (sent["shippingAddress"]["firstName"], sent["shippingAddress"]["country"]) == ("Jane", "US")
    ready_order.refresh_from_db()
    submission.refresh_from_db()
    assert (ready_order.status, submission.state, submission.provider_order_id) == (
        "submitted",
        "sent",
        sent["id"],
    )
    assert send_due().outcomes == {}


def test_a_500_after_gelato_created_the_order_never_makes_a_second_one(ready_order, gelato):
    gelato.faults.fail_next(status=500, count=1, after_effect=True, path_contains="/v4/orders")
    assert send_due().outcomes == {"retry": 1}
    assert len(gelato_orders(gelato)) == 1
    make_due()
    assert send_due().outcomes == {"sent": 1}
    assert len(gelato_orders(gelato)) == 1
    assert Submission.objects.get().provider_order_id == gelato_orders(gelato)[0]["id"]


def test_a_read_timeout_after_the_order_was_created_is_adopted_on_retry(ready_order, gelato, settings):
    settings.GELATO_TIMEOUT_SECONDS = 0.5
    gelato.faults.delay_next(1.5, count=1, after_effect=True, path_contains="/v4/orders")
    assert send_due().outcomes == {"retry": 1}
    make_due()
    assert send_due().outcomes == {"sent": 1}
    assert len(gelato_orders(gelato)) == 1


def test_a_refused_order_fails_visibly_and_the_merchant_is_emailed(
    ready_order, gelato, django_capture_on_commit_callbacks
):
    Order.objects.filter(pk=ready_order.pk).update(
        shipping_address={**ready_order.shipping_address, "country_code": "ZZ"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due().outcomes == {"failed": 1}
    ready_order.refresh_from_db()
    submission = Submission.objects.get()
    assert (ready_order.status, submission.state) == ("failed", "failed")
    assert submission.last_error != ""
    assert [m.subject for m in mail.outbox] == ["Order #5001 could not be sent to Gelato"]
    assert gelato_orders(gelato) == []


def test_a_429_waits_for_retry_after_and_does_not_count_against_the_breaker(ready_order, gelato):
    gelato.faults.rate_limit_next(count=1, retry_after=30)
    assert send_due().outcomes == {"rate_limited": 1}
    submission = Submission.objects.get()
    wait = (submission.available_at - timezone.now()).total_seconds()
    assert 28 < wait <= 30
    assert ProviderBreaker.objects.get(provider="gelato").failures == 0
    assert send_due().outcomes == {}


def test_an_outage_opens_the_breaker_and_nothing_is_lost_when_it_ends(store, actor, gelato):
    from printbridge.orders import events
    from printbridge.orders.services import VariantRef, create_connection, import_order
    from tests.conftest import NOW, item, order

    create_connection(store, VariantRef("mug", "mug-11", "MUG", "Mug"), MUG, DESIGN, actor)
    for n in range(8):
        import_order(store, order(f"70{n}", item("1", "mug-11", "mug", "Mug")), events.SYSTEM, now=NOW)
    gelato.faults.outage(60)
    first = send_due().outcomes
    assert first == {"retry": 5, "breaker_open": 1}
    assert breaker.is_open("gelato")
    handed_back = Submission.objects.filter(attempts=0).values_list("state", flat=True)
    assert (list(handed_back), Submission.objects.filter(attempts=1).count()) == (["pending"] * 3, 5)
    calls_during_outage = len(gelato.requests)
    make_due()
    assert send_due().outcomes == {"breaker_open": 1}
    assert len(gelato.requests) == calls_during_outage
    gelato.faults.outage(0)
    ProviderBreaker.objects.update(open_until=timezone.now() - timedelta(seconds=1))
    make_due()
    assert send_due().outcomes == {"sent": 8}
    assert len(gelato_orders(gelato)) == 8
    assert not breaker.is_open("gelato")


def test_without_a_gelato_key_submissions_wait_instead_of_failing(ready_order, gelato):
    from printbridge.fulfilment.models import ProviderAccount

    ProviderAccount.objects.all().delete()
    assert send_due().outcomes == {"waiting_for_provider_account": 1}
    ready_order.refresh_from_db()
    assert (ready_order.status, Submission.objects.get().state) == ("ready", "pending")
