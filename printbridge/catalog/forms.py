"""The web forms of the designs page. They only parse: the services check the file (magic bytes, size) and the
URL (the one SSRF parser), so the page and the API give the same answers."""

from django import forms


class UploadDesignForm(forms.Form):
    file = forms.FileField(
        required=False,
        label="Design file",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".png,.jpg,.jpeg,.pdf,image/png,image/jpeg,application/pdf"}
        ),
    )
    name = forms.CharField(required=False, max_length=200, label="Name (optional)")


class ImportUrlForm(forms.Form):
    url = forms.CharField(
        max_length=2000,
        label="Link to the file",
        widget=forms.TextInput(attrs={"placeholder": "https://", "inputmode": "url", "autocomplete": "url"}),
    )
    name = forms.CharField(required=False, max_length=200, label="Name (optional)")
