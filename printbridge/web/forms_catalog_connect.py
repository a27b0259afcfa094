"""Forms of "Create a new product from the catalog": which order item, then the choices that make a ConnectSpec
(option → attribute mapping, a design per print area, siblings, publishing). Every choice is limited to the
current account's catalog and designs; the service checks the rest."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from printbridge.catalog import mapping
from printbridge.catalog.connect_plan import Choice, ConnectSpec, PublishChoice
from printbridge.catalog.models import DesignFile

NOT_USED = "Not used"


class TargetForm(forms.Form):
    """The order item the flow is for (every step carries it in the query string or the form)."""

    order = forms.IntegerField(min_value=1)
    item = forms.IntegerField(min_value=1)


def _attribute_choice(attribute: mapping.Attribute) -> tuple[str, str]:
    values = [title or uid for uid, title in attribute.values]
    shown = ", ".join(values[:6]) + (", …" if len(values) > 6 else "")
    return attribute.uid, f"{attribute.label} ({shown})"


class ProductForm(forms.Form):
    """Step 2 (GET, to the preview) and the confirm POST: the same fields, so the preview is what is confirmed."""

    product = forms.CharField(max_length=300, widget=forms.HiddenInput)
    chosen = forms.CharField(required=False, widget=forms.HiddenInput)  # marks a submitted step 2
    siblings = forms.BooleanField(required=False)
    apply = forms.BooleanField(required=False, label="Also continue the other waiting orders it releases")

    def __init__(self, options: list[str], choice: Choice, designs: list[DesignFile], *args, **kwargs):
        self.option_names = options
        self.choice = choice
        self.can_publish = kwargs.pop("can_publish", False)
        product_name = kwargs.pop("product_name", "this product")
        super().__init__(*args, **kwargs)
        attributes = [_attribute_choice(a) for a in choice.attributes if len(a.values) > 1]
        for index, name in enumerate(options):
            self.fields[f"map_{index}"] = forms.ChoiceField(
                choices=[("", NOT_USED), *attributes], required=False, label=name
            )
        design_choices = [("", "Choose a design file"), *((d.pk, d.name) for d in designs)]
        for area, label in choice.areas:
            self.fields[f"design_{area}"] = forms.TypedChoiceField(
                choices=design_choices,
                coerce=int,
                label=f"Design: {label.lower()}",
                error_messages={"required": f"Choose a design file for {label.lower()}."},
            )
        self.fields["siblings"].label = f"Connect every size and colour of {product_name}"
        if self.can_publish:
            self._add_publish_fields()

    def _add_publish_fields(self) -> None:
        self.fields["publish"] = forms.BooleanField(required=False)
        self.fields["publish_name"] = forms.CharField(max_length=250, required=False, label="Product name")
        self.fields["publish_price"] = forms.DecimalField(
            min_value=Decimal("0"), max_digits=12, decimal_places=2, required=False, label="Price"
        )
        self.fields["publish_sku_prefix"] = forms.CharField(max_length=50, required=False, label="SKU prefix")
        self.fields["publish_weight"] = forms.DecimalField(
            min_value=Decimal("0"),
            max_digits=12,
            decimal_places=4,
            required=False,
            label="Weight (in the store's weight unit)",
        )

    def clean(self):
        data = super().clean()
        if data.get("publish"):
            for name, what in (
                ("publish_name", "a product name"),
                ("publish_price", "a price"),
                ("publish_sku_prefix", "a SKU prefix"),
            ):
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, f"To publish the product, give {what}.")
        return data

    def map_fields(self) -> list[forms.BoundField]:
        return [self[f"map_{index}"] for index in range(len(self.option_names))]

    def design_fields(self) -> list[forms.BoundField]:
        return [self[f"design_{area}"] for area, _ in self.choice.areas]

    def to_spec(self) -> ConnectSpec:
        data = self.cleaned_data
        mapped = {name: data.get(f"map_{index}") or "" for index, name in enumerate(self.option_names)}
        designs = {area: data[f"design_{area}"] for area, _ in self.choice.areas}
        publish = None
        if self.can_publish and data.get("publish"):
            publish = PublishChoice(
                data["publish_name"],
                data["publish_price"],
                data["publish_sku_prefix"],
                data.get("publish_weight") or Decimal("0"),
            )
        return ConnectSpec(
            data["product"], mapped, designs, bool(data.get("siblings")), bool(data.get("apply")), publish
        )


class UploadForm(forms.Form):
    """Upload a design without leaving the flow; it is then chosen for `area`."""

    file = forms.FileField(
        required=False,
        label="Design file",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".png,.jpg,.jpeg,.pdf,image/png,image/jpeg,application/pdf"}
        ),
    )
    name = forms.CharField(required=False, max_length=200, label="Name (optional)")
    area = forms.CharField(max_length=30, required=False, label="Use it for")
