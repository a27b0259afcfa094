"""The app shell's template tags: the main navigation, the account switcher, links to pages that may not exist
yet, and order status badges. `{% load pb_shell %}`."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

from printbridge.api.auth import current_account
from printbridge.orders import rules
from printbridge.stores.accounts import accounts_of

register = template.Library()

# (URL name, label, the URL names whose pages belong to the section: each also covers "<name>-…")
NAV = (
    ("home", "Dashboard", ("home",)),
    ("orders", "Orders", ("orders", "order")),
    ("resolve", "Resolve", ("resolve",)),
    ("rules", "Rules", ("rules", "rule", "ledger")),
    ("connections", "Connections", ("connections", "connection")),
    ("catalog", "Catalog", ("catalog", "designs", "design")),
    ("audit", "Audit", ("audit",)),
    ("stores", "Stores", ("stores", "store", "connect-bigcommerce", "provider")),
    ("mail", "E-mails", ("mail",)),
)


@register.simple_tag
def optional_url(name: str, *args) -> str:
    """The URL of a named page, or "" when no such page exists (yet): `{% optional_url 'x' 1 as url %}`."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _in_section(url_name: str, names: tuple[str, ...]) -> bool:
    return any(url_name == n or url_name.startswith(f"{n}-") for n in names)


@register.simple_tag(takes_context=True)
def nav_items(context) -> list[dict]:
    """The main navigation: only pages that exist, the current section marked."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    url_name = (match.url_name if match else "") or ""
    items = []
    for name, label, section in NAV:
        url = optional_url(name)
        if url:
            items.append({"url": url, "label": label, "current": _in_section(url_name, section)})
    return items


@register.inclusion_tag("web/_account_switcher.html", takes_context=True)
def account_switcher(context) -> dict:
    """The current account's name, and a switcher when the user is a member of more than one account."""
    request = context.get("request")
    current = current_account(request) if request is not None else None
    accounts = accounts_of(request.user) if current else []
    return {
        "current": current,
        "accounts": accounts if len(accounts) > 1 else [],
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def status_badge(status: str) -> str:
    """An order status as a badge: `{{ order.status|status_badge }}` (one CSS class per status)."""
    try:
        label = rules.STATUS_LABELS[rules.OrderStatus(status)]
    except ValueError:
        label = str(status)
    return format_html('<span class="pb-badge pb-status-{}">{}</span>', status, label)


@register.filter
def ago(value) -> str:
    """How long ago a time was, as a sentence part: "just now", "5 minutes ago", "2 days, 3 hours ago"."""
    if not value:
        return ""
    if (timezone.now() - value).total_seconds() < 60:
        return "just now"
    return f"{timesince(value)} ago"


class MessagesOnceNode(template.Node):
    """Renders the page content first; then, unless the page listed the messages itself, puts the shell's
    messages area before it. So every message is said once, whichever template shows it."""

    def __init__(self, nodelist) -> None:
        self.nodelist = nodelist

    def render(self, context) -> str:
        content = self.nodelist.render(context)
        storage = context.get("messages")
        if not storage or getattr(storage, "used", False):
            return content
        return render_to_string("web/_messages.html", {"messages": list(storage)}) + content


@register.tag
def messages_once(parser, token):
    """`{% messages_once %}…page content…{% endmessages_once %}`"""
    nodelist = parser.parse(("endmessages_once",))
    parser.delete_first_token()
    return MessagesOnceNode(nodelist)
