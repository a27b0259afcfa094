from django import forms


class BigCommerceConnectForm(forms.Form):
    store_hash = forms.RegexField(
        regex=r"^[A-Za-z0-9]{1,64}$",
        label="Store hash",
        help_text="From your API path: https://api.bigcommerce.com/stores/<store hash>/v3/",
        error_messages={"invalid": "The store hash is letters and digits only."},
    )
    access_token = forms.CharField(
        label="Access token",
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text="From Settings › Store-level API accounts (scopes: Orders modify, Products read-only, "
        "Information read-only). Stored encrypted.",
    )
