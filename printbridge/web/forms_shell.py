"""Forms of the app shell (the account switcher) and the orders list (filters, search, page cursors)."""

from __future__ import annotations

from django import forms

from printbridge.orders import rules, selectors
from printbridge.orders.errors import InvalidInput

BROKEN_PAGE_LINK = "This page link is out of date or broken. Start again from the newest orders."


class SwitchAccountForm(forms.Form):
    account = forms.IntegerField(min_value=1)


class OrderFilterForm(forms.Form):
    """A plain GET form: every field is optional; a value that is not one of the choices is a clear error."""

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "All statuses"), *((s.value, rules.STATUS_LABELS[s]) for s in rules.OrderStatus)],
        error_messages={"invalid_choice": "There is no order status “%(value)s”. Choose one from the list."},
    )
    store = forms.TypedChoiceField(
        label="Store",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "That store is not one of yours. Choose one from the list."},
    )
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        strip=True,
        widget=forms.SearchInput(attrs={"aria-describedby": "id_q-hint", "autocomplete": "off", "size": 28}),
        error_messages={"max_length": "Search for at most %(limit_value)d characters."},
    )
    after = forms.CharField(required=False, widget=forms.HiddenInput)
    before = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, account_id: int, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        stores = [(str(s.pk), s.name) for s in selectors.stores(account_id)]
        self.fields["store"].choices = [("", "All stores"), *stores]  # type: ignore[attr-defined]

    def _cursor(self, name: str) -> str:
        value = self.cleaned_data.get(name) or ""
        if value:
            try:
                selectors.decode_cursor(value)
            except InvalidInput:
                raise forms.ValidationError(BROKEN_PAGE_LINK) from None
        return value

    def clean_after(self) -> str:
        return self._cursor("after")

    def clean_before(self) -> str:
        return self._cursor("before")

    def clean(self):
        data = super().clean()
        if data.get("after") and data.get("before"):
            raise forms.ValidationError(BROKEN_PAGE_LINK)
        return data

    def filters(self) -> dict:
        """The selector's keyword arguments."""
        data = self.cleaned_data
        return {
            "status": data["status"] or None,
            "store_id": data["store"],
            "text": data["q"] or None,
            "after": data["after"] or None,
            "before": data["before"] or None,
        }

    @property
    def filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in ("status", "store", "q"))
