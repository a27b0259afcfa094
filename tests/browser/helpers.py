"""Helpers of the browser tests: reading what a page says by role and label, and the data the flows start from."""

from __future__ import annotations

import re

from django.utils import timezone

from printbridge.orders import events
from printbridge.orders.models import Order, OrderEvent
from printbridge.routing.models import Connection, IgnoreRule

SOMETHING = re.compile(r"\S")


def actor_of(merchant) -> events.Actor:
    return events.Actor.for_user(merchant[1])


def notice(page):
    """The live region that says what an action did (the empty ones left out)."""
    return page.get_by_role("status").filter(has_text=SOMETHING)


def cells(row) -> list[str]:
    """The whitespace-collapsed text of each cell of a table row."""
    return [" ".join(text.split()) for text in row.get_by_role("cell").all_inner_texts()]


def body_rows(page) -> list[list[str]]:
    """The cells of every body row of the page's tables (header rows have no `cell`s)."""
    return [found for found in (cells(row) for row in page.get_by_role("row").all()) if found]


def item_section(page, name: str):
    """One not-connected item's section of Complete order, named by its heading."""
    return page.get_by_role("region", name=re.compile(rf"^{re.escape(name)} ×"))


def changes() -> tuple:
    """Everything an action could change: order statuses, connections, rules and the audit log."""
    return (
        list(Order.objects.order_by("pk").values_list("number", "status", "release_count")),
        list(Connection.objects.order_by("pk").values_list("variant_id", "disconnected_at")),
        list(IgnoreRule.objects.order_by("pk").values_list("variant_id", "revoked_at")),
        OrderEvent.objects.count(),
    )


def today(with_year: bool = False) -> str:
    """Today as the pages write a date: "1 Dec", or "1 Dec 2026"."""
    return f"{timezone.localtime():%-d %b %Y}" if with_year else f"{timezone.localtime():%-d %b}"
