"""Helpers of the routing screens' tests: clients, set-up through the services, and reading pages back."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

from django.test import Client
from django.utils import timezone

from printbridge.orders import events
from printbridge.orders.models import OrderEvent
from printbridge.orders.services import VariantRef, create_connection, import_order
from tests.conftest import item, order

INTAKE = events.Actor.system("custom store API")
HTMX = {"HX-Request": "true"}


def two_days_ago():
    return timezone.now() - timedelta(days=2)


def logged_in(user, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def connect(store, actor, variant_id: str, product_id: str = "tshirt", label: str = ""):
    """A connection of a store variant to the fulfilment product `uid-<variant>`."""
    variant = VariantRef(product_id, variant_id, variant_id.upper(), label or f"Label {variant_id}")
    return create_connection(
        store, variant, f"uid-{variant_id}", {"default": f"https://example.com/{variant_id}.png"}, actor
    )


def receive(store, external_id: str, *items, placed_at=None):
    """Import an order through the intake channel, placed and received two days ago."""
    when = placed_at or two_days_ago()
    return import_order(store, order(external_id, *items, placed_at=when), INTAKE, now=when)


def tshirt(external_id: str, size: str):
    return item(external_id, f"tshirt-{size}", "tshirt", f"Classic T-shirt {size.upper()}")


def car(external_id: str, colour: str):
    return item(external_id, f"car-{colour}", "car", "Toy car")


def candle(external_id: str = "1"):
    return item(external_id, "candle", "candle", "Scented candle (local supplier)")


def line(o, external_id: str):
    return o.items.get(external_id=external_id)


def status(o) -> tuple[str, int]:
    o.refresh_from_db()
    return o.status, o.release_count


def item_rows(o) -> list[tuple]:
    fields = ("external_id", "state", "decision", "release_generation")
    return list(o.items.order_by("external_id").values_list(*fields))


def event_types(o) -> list[str]:
    return list(OrderEvent.objects.filter(order=o).order_by("pk").values_list("type", flat=True))


class _Text(HTMLParser):
    """Collects the text of elements matching a tag and class, and the cells of table rows."""

    def __init__(self, tag: str, css_class: str | None) -> None:
        super().__init__()
        self.tag, self.css_class = tag, css_class
        self.found: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self.depth and tag in ("br", "td", "th"):
            self.found[-1] += " "
        if self.depth:
            self.depth += tag == self.tag
        elif tag == self.tag and (self.css_class is None or self.css_class in classes):
            self.depth = 1
            self.found.append("")

    def handle_endtag(self, tag):
        if self.depth and tag == self.tag:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.found[-1] += data


def texts(html: str, tag: str, css_class: str | None = None) -> list[str]:
    """The whitespace-collapsed text of every `tag` (with `css_class`) in the page's main content."""
    parser = _Text(tag, css_class)
    parser.feed(html.split("<main", 1)[-1])
    return [" ".join(t.split()) for t in parser.found]


def notices(response) -> list[str]:
    return texts(response.content.decode(), "p", "pb-notice")


def errors(response) -> list[str]:
    return texts(response.content.decode(), "div", "pb-error-box")


def body_rows(html: str) -> list[str]:
    """The text of each row of the page's table bodies."""
    tbody = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return texts(tbody, "tr")
