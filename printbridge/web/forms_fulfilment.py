"""Fixing an order the provider refused: its shipping address (the service validates; these are the fields)."""

from django import forms

LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "company": "Company",
    "address1": "Address line 1",
    "address2": "Address line 2",
    "city": "City",
    "state": "State or region",
    "postal_code": "Postal code",
    "country_code": "Country (two-letter code, e.g. US)",
    "phone": "Phone",
    "email": "E-mail",
}


class AddressForm(forms.Form):
    """Every address field as text; blank optional fields are kept blank, the service checks the rest."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in LABELS.items():
            self.fields[name] = forms.CharField(label=label, required=False, max_length=300)

    def changes(self, current: dict) -> dict[str, str]:
        """Only the fields whose value differs from the order's address."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value.strip() != str(current.get(name, "")).strip()
        }
