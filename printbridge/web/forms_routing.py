"""Forms of the routing screens: Complete order (Connect / Ignore), resolve by variant, rules, ledger,
connections and the audit log. Every choice of an object is limited to the current account's."""

from __future__ import annotations

from django import forms

from printbridge.orders import selectors
from printbridge.orders.models import OrderEvent
from printbridge.routing.models import IgnoreRule

IGNORE_CHOICES = [
    ("item", "this item for this order"),
    ("variant", "this variant for all incoming orders"),
    ("product", "this product in all variants"),
]
IGNORE_HINTS = {
    "item": "Skips it on this order only; the next order with this item needs your action again.",
    "variant": "Skips this variant on every order from now on, until you revoke the rule; an order of "
    "only ignored items is not imported.",
    "product": "Skips the product in every size and colour on every order from now on, until you revoke "
    "the rule.",
}
RESOLVE_ACTIONS = [
    ("connect", "Connect"),
    ("ignore_variant", "this variant for all incoming orders"),
    ("ignore_product", "this product in all variants"),
]
STATUS_CHOICES = [("active", "Active"), ("revoked", "Revoked"), ("all", "All")]
CONNECTION_STATUS_CHOICES = [("active", "Connected"), ("disconnected", "Disconnected"), ("all", "All")]
CHOOSE_CONNECTION = "Choose a connected product to connect it to."
NOT_IN_LIST = "That connected product is not one of yours; choose one from the list."


def _connection_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=selectors.connections(0).none(),
        label="Connected product",
        error_messages={"required": CHOOSE_CONNECTION, "invalid_choice": NOT_IN_LIST},
    )


def _active_connections(field: forms.Field, account_id: int) -> None:
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = selectors.connections(account_id, active=True)


class ConnectForm(forms.Form):
    """Complete order › Connect: reuse the fulfilment product and files of one of the account's connections."""

    connection = _connection_field()

    def __init__(self, account_id: int, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _active_connections(self.fields["connection"], account_id)


class IgnoreForm(forms.Form):
    scope = forms.ChoiceField(
        choices=IGNORE_CHOICES,
        label="Ignore",
        error_messages={
            "required": "Choose what to ignore: this item for this order, this variant for all incoming "
            "orders, or this product in all variants.",
            "invalid_choice": "Choose one of the three Ignore options.",
        },
    )
    reason = forms.CharField(label="Reason (optional)", max_length=500, required=False, strip=True)


class ApplyOthersForm(forms.Form):
    """Apply a connection or an ignore rule to the other orders waiting for it."""

    connection = forms.IntegerField(required=False, min_value=1)
    rule = forms.IntegerField(required=False, min_value=1)

    def clean(self):
        data = super().clean()
        if bool(data.get("connection")) == bool(data.get("rule")):
            raise forms.ValidationError("Say which connection or ignore rule to apply.")
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label="Search your connected products", max_length=100, required=False, strip=True)
    item = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class VariantForm(forms.Form):
    store = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    variant = forms.CharField(max_length=64, widget=forms.HiddenInput)


class ResolveForm(VariantForm):
    """Resolve by variant: Connect (with a connected product) or Ignore the variant / its product."""

    action = forms.ChoiceField(
        choices=RESOLVE_ACTIONS,
        error_messages={
            "required": "Choose Connect or one of the Ignore options.",
            "invalid_choice": "Choose Connect or one of the Ignore options.",
        },
    )
    connection = _connection_field()
    reason = forms.CharField(label="Reason (optional)", max_length=500, required=False, strip=True)

    def __init__(self, account_id: int, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _active_connections(self.fields["connection"], account_id)
        self.fields["connection"].required = False

    def clean(self):
        data = super().clean()
        if data.get("action") == "connect" and not data.get("connection") and "connection" not in self.errors:
            self.add_error("connection", CHOOSE_CONNECTION)
        return data


def _store_field(account_id: int) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=selectors.stores(account_id),
        required=False,
        label="Store",
        empty_label="All stores",
        error_messages={"invalid_choice": "Choose one of your stores."},
    )


class ResolveFilterForm(forms.Form):
    def __init__(self, account_id: int, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["store"] = _store_field(account_id)


def _listed(what: str) -> dict[str, str]:
    return {"invalid_choice": f"Choose {what} from the list."}


class RulesFilterForm(forms.Form):
    scope = forms.ChoiceField(
        choices=[("", "Any scope"), *IgnoreRule.Scope.choices],
        required=False,
        label="Scope",
        error_messages=_listed("a scope"),
    )
    status = forms.ChoiceField(
        choices=STATUS_CHOICES, required=False, label="Status", error_messages=_listed("a status")
    )

    def __init__(self, account_id: int, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"store": _store_field(account_id), **self.fields}


class RevokeForm(forms.Form):
    import_suppressed = forms.BooleanField(required=False)


class PageForm(forms.Form):
    before = forms.IntegerField(
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={"invalid": "The page link is not valid; start from the first page."},
    )


class LedgerFilterForm(PageForm):
    def __init__(self, account_id: int, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["store"] = _store_field(account_id)
        self.fields["rule"] = forms.ModelChoiceField(
            queryset=selectors.ignore_rules(account_id),
            required=False,
            label="Ignore rule",
            empty_label="Any rule",
            error_messages={"invalid_choice": "Choose one of your ignore rules."},
        )


class ConnectionsFilterForm(PageForm):
    q = forms.CharField(label="Search", max_length=100, required=False, strip=True)
    status = forms.ChoiceField(
        choices=CONNECTION_STATUS_CHOICES, required=False, label="Status", error_messages=_listed("a status")
    )


class AuditFilterForm(PageForm):
    type = forms.ChoiceField(
        choices=[("", "Any event"), *OrderEvent.Type.choices],
        required=False,
        label="Event",
        error_messages=_listed("an event type"),
    )
    order = forms.CharField(label="Order number", max_length=64, required=False, strip=True)
    actor = forms.CharField(label="Who", max_length=200, required=False, strip=True)
