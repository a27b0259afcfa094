"""Forms of the store settings page: the store's settings, and a BigCommerce store's import settings."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from printbridge.stores.models import (
    AGEING_ALERT_MAX_HOURS,
    DELAY_HOURS,
    BigCommerceConnection,
    StoreSettings,
)
from printbridge.stores.services import MAX_RECIPIENTS

RECIPIENT_SEPARATORS = re.compile(r"[\s,;]+")

# BigCommerce's order statuses (GET /v2/order_statuses); 0, 4, 5 and 6 never import.
BIGCOMMERCE_STATUSES = [
    (1, "Pending"),
    (2, "Shipped"),
    (3, "Partially Shipped"),
    (7, "Awaiting Payment"),
    (8, "Awaiting Pickup"),
    (9, "Awaiting Shipment"),
    (10, "Completed"),
    (11, "Awaiting Fulfillment"),
    (12, "Manual Verification Required"),
    (13, "Disputed"),
    (14, "Partially Refunded"),
]


class AccessibleForm(forms.Form):
    """Help text tied to its input (aria-describedby); inputs with errors marked aria-invalid."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-help"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        if field in self.fields:
            self.fields[field].widget.attrs["aria-invalid"] = "true"


class RecipientsField(forms.CharField):
    """E-mail addresses, one per line or separated by commas; duplicates dropped, order kept."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 40})

    def to_python(self, value) -> list[str]:
        text = super().to_python(value) or ""
        addresses = [part for part in RECIPIENT_SEPARATORS.split(text) if part]
        return list(dict.fromkeys(addresses))

    def validate(self, value: list[str]) -> None:
        invalid = []
        for address in value:
            try:
                validate_email(address)
            except ValidationError:
                invalid.append(address)
        if invalid:
            raise ValidationError(f"Not an e-mail address: {', '.join(invalid)}", code="invalid")
        if len(value) > MAX_RECIPIENTS:
            raise ValidationError(f"At most {MAX_RECIPIENTS} recipients.", code="too_many")

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value


class StoreSettingsForm(AccessibleForm):
    import_not_connected = forms.BooleanField(
        label="Import not connected orders",
        required=False,
        help_text="On: an order with an item that is not connected is imported and held as Not connected "
        "until you complete it. Off: only its connected items are imported.",
    )
    approval_mode = forms.ChoiceField(
        label="Approval",
        choices=StoreSettings.ApprovalMode.choices,
        widget=forms.RadioSelect,
        help_text="When a fully connected order goes to fulfilment: at once, after a delay, or when you "
        "approve it.",
    )
    approval_delay_hours = forms.TypedChoiceField(
        label="Delay for delayed approval",
        choices=[(h, f"{h} hours") for h in DELAY_HOURS],
        coerce=int,
        help_text="Used when approval is Delayed: the order is sent this long after it was placed.",
    )
    partial_release = forms.ChoiceField(
        label="Orders with items not connected",
        choices=StoreSettings.PartialRelease.choices,
        widget=forms.RadioSelect,
        help_text="Sending connected items at once needs instant approval.",
    )
    notification_recipients = RecipientsField(
        label="Notification recipients",
        required=False,
        help_text="One e-mail address per line, or separated by commas. Empty: the account's owners.",
    )
    email_mode = forms.ChoiceField(
        label="E-mail me",
        choices=StoreSettings.EmailMode.choices,
        widget=forms.RadioSelect,
        help_text="How 'requires action' e-mails go out.",  # with the digest hour: see __init__
    )
    ageing_alert_hours = forms.IntegerField(
        label="Ageing alert after (hours)",
        required=False,
        min_value=1,
        max_value=AGEING_ALERT_MAX_HOURS,
        help_text="E-mail once about an order still waiting after this many hours. Blank: no alert.",
    )
    shipment_method_uid = forms.RegexField(
        label="Gelato shipment method",
        regex=r"^[A-Za-z0-9_-]{0,100}$",
        required=False,
        max_length=100,
        help_text="For example standard or express. Blank: Gelato picks the cheapest method.",
        error_messages={"invalid": "Letters, digits, '-' and '_' only."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email_mode"].help_text = (
            "Each order: one e-mail per order that requires action. Hourly batch: one e-mail after an hour "
            "in which orders started waiting. Daily digest: one e-mail a day at "
            f"{django_settings.PRINTBRIDGE_DIGEST_HOUR:02d}:00 UTC while orders wait. "
            "Failed submissions are always e-mailed at once."
        )

    @classmethod
    def for_settings(cls, settings: StoreSettings) -> StoreSettingsForm:
        return cls(initial={name: getattr(settings, name) for name in cls.base_fields})

    def changes(self) -> dict:
        return dict(self.cleaned_data)


class BigCommerceSettingsForm(AccessibleForm):
    paid_status_ids = forms.TypedMultipleChoiceField(
        label="Import orders in these statuses",
        choices=BIGCOMMERCE_STATUSES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Default: Awaiting Fulfillment and Awaiting Shipment (paid orders). An order is imported "
        "when it reaches one of these statuses.",
        error_messages={"required": "Choose at least one status."},
    )
    reconcile_every_minutes = forms.IntegerField(
        label="Check for missed orders every (minutes)",
        min_value=1,
        max_value=1440,
        help_text="A reconciliation poll that catches orders a webhook missed.",
    )

    @classmethod
    def for_connection(cls, connection: BigCommerceConnection) -> BigCommerceSettingsForm:
        return cls(
            initial={
                "paid_status_ids": connection.paid_status_ids,
                "reconcile_every_minutes": connection.reconcile_every_minutes,
            }
        )
