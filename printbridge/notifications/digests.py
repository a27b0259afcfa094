"""Hourly and daily digests: one e-mail per store per period, decided once.

A store on *hourly batch* gets, after each hour (at :00 UTC), one e-mail when in that hour an order started
waiting (and still waits) or a submission failed. A store on *daily digest* gets one e-mail a day at
settings.PRINTBRIDGE_DIGEST_HOUR (UTC) when any order waits or a submission failed in the day. Both list every
waiting order with its age and items, the variants that block orders, and the period's failures, with links.
The decision is a Notification row unique per (store, period): a second run or a second scheduler finds it and
does nothing; a period with nothing to say gets an 'empty' row and no e-mail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from printbridge.notifications import builders
from printbridge.notifications import selectors as mail_selectors
from printbridge.notifications.models import Notification
from printbridge.notifications.services import create_once, queue
from printbridge.orders import selectors
from printbridge.orders.models import Order
from printbridge.stores.models import Store, StoreSettings

logger = logging.getLogger("printbridge.notifications")
Mode = StoreSettings.EmailMode
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
DAILY_CATCH_UP = timedelta(hours=2)  # a scheduler back within 2 h of the digest hour still sends it
LOOKBACK = timedelta(days=7)  # after a long outage, report at most the last week
MAX_LISTED = 50
MAX_VARIANTS = 20


@dataclass(frozen=True)
class Period:
    mode: str
    key: str
    start: datetime
    end: datetime


@dataclass
class Digest:
    store: Store
    period: Period
    since: datetime
    waiting: list[dict] = field(default_factory=list)
    waiting_total: int = 0
    new_count: int = 0
    blocking: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)

    @property
    def worth_sending(self) -> bool:
        if self.period.mode == Mode.HOURLY:
            return bool(self.new_count or self.failed)
        return bool(self.waiting_total or self.failed)


def hourly_period(now: datetime) -> Period:
    end = now.replace(minute=0, second=0, microsecond=0)
    return Period(Mode.HOURLY, f"hourly:{end - HOUR:%Y-%m-%dT%H:00}", end - HOUR, end)


def daily_period(now: datetime, hour: int | None = None) -> Period | None:
    """The day that ended at the digest hour, if that was less than DAILY_CATCH_UP ago."""
    hour = settings.PRINTBRIDGE_DIGEST_HOUR if hour is None else hour
    end = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    if end > now:
        end -= DAY
    if now - end >= DAILY_CATCH_UP:
        return None
    return Period(Mode.DAILY, f"daily:{end:%Y-%m-%d}", end - DAY, end)


def queue_digests(now: datetime | None = None) -> int:
    """Decide every due store's digest for the periods that just ended. Returns how many e-mails were queued."""
    now = now or timezone.now()
    periods = [p for p in (hourly_period(now), daily_period(now)) if p is not None]
    queued = 0
    for period in periods:
        for store in _stores_due(period):
            try:
                row = queue_digest(store, period, now)
            except Exception:  # one store's failure must not hold back the others; retried next run
                logger.exception("digest %s of store %s failed", period.key, store.pk)
                continue
            queued += row is not None and row.status == Notification.Status.PENDING
    return queued


def _stores_due(period: Period) -> list[Store]:
    decided = Notification.objects.filter(
        store=OuterRef("pk"), kind=Notification.Kind.DIGEST, period_key=period.key
    )
    stores = Store.objects.filter(is_active=True, settings__email_mode=period.mode).exclude(Exists(decided))
    return list(stores.select_related("settings").order_by("pk"))


@transaction.atomic
def queue_digest(store: Store, period: Period, now: datetime) -> Notification | None:
    """The store's digest for the period: an e-mail, or an 'empty' row when there is nothing to say."""
    digest = collect(store, period, _since(store, period), now)
    fields = {"period_start": digest.since, "period_end": period.end}
    if not digest.worth_sending:
        return create_once(
            Notification.Kind.DIGEST, store, period.key, status=Notification.Status.EMPTY, **fields
        )
    rendered = render(digest)
    return queue(
        Notification.Kind.DIGEST,
        store,
        period.key,
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        **fields,
    )


def _since(store: Store, period: Period) -> datetime:
    """The period's start, or the end of the store's last digest when periods were missed (at most a week)."""
    last = (
        Notification.objects.filter(store=store, kind=Notification.Kind.DIGEST, period_end__isnull=False)
        .order_by("-period_end")
        .values_list("period_end", flat=True)
        .first()
    )
    if last is None or last >= period.start:
        return period.start
    return max(last, period.end - LOOKBACK)


def collect(store: Store, period: Period, since: datetime, now: datetime) -> Digest:
    digest = Digest(store, period, since)
    waiting = mail_selectors.waiting_orders(store.pk, period.end)
    digest.waiting_total = waiting.count()
    digest.new_count = mail_selectors.newly_held_count(store.pk, since, period.end)
    digest.waiting = [_waiting_row(o, since, now) for o in waiting[:MAX_LISTED]]
    digest.blocking = _blocking_rows(store)
    digest.failed = [
        {"number": o.number, "reason": o.reason or "", "url": builders.absolute("order", o.pk)}
        for o in mail_selectors.failed_orders(store.pk, since, period.end)
    ]
    return digest


def _waiting_row(order: Order, since: datetime, now: datetime) -> dict:
    return {
        "number": order.number,
        "age": builders.age_label(now - order.held_since),
        "new": order.held_since >= since,
        "items": [_item_label(i) for i in order.waiting_items],
        "url": builders.absolute("order", order.pk),
    }


def _item_label(item) -> str:
    options = f" ({item.options_label})" if item.options_label else ""
    sku = f" [SKU {item.sku}]" if item.sku else ""
    return f"{item.quantity} x {item.name}{options}{sku}"


def _blocking_rows(store: Store) -> list[dict]:
    rows = selectors.blocking_variants(store.account_id, store.pk, limit=MAX_VARIANTS)
    oldest = mail_selectors.oldest_waiting_order_ids(
        store.pk, [(r["product_id"], r["variant_id"]) for r in rows]
    )
    orders = Order.objects.in_bulk(oldest.values())
    result = []
    for row in rows:
        order = orders.get(oldest.get((row["product_id"], row["variant_id"]), 0))
        if order is None:  # resolved between the two queries
            continue
        result.append(
            {
                "name": row["name"],
                "label": row["label"],
                "sku": row["sku"],
                "orders": row["orders"],
                "value": f"{row['value']} {order.currency}",
                "order_number": order.number,
                "url": builders.absolute("order", order.pk),
            }
        )
    return result


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def summary(digest: Digest) -> str:
    """'2 new orders to complete, 1 failed submission' (hourly); '3 orders waiting, …' (daily)."""
    if digest.period.mode == Mode.HOURLY:
        parts = [f"{_count(digest.new_count, 'new order')} to complete"] if digest.new_count else []
    else:
        parts = [f"{_count(digest.waiting_total, 'order')} waiting"] if digest.waiting_total else []
    if digest.failed:
        parts.append(_count(len(digest.failed), "failed submission"))
    return ", ".join(parts)


def render(digest: Digest) -> builders.Rendered:
    title = "hourly summary" if digest.period.mode == Mode.HOURLY else "daily digest"
    context = {
        "store": digest.store,
        "digest": digest,
        "title": title,
        "more": digest.waiting_total - len(digest.waiting),
        "home_url": builders.absolute("home"),
    }
    return builders.render("digest", f"{digest.store.name} {title}: {summary(digest)}", context)
