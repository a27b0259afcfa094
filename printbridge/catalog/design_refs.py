"""Design references in a connection's files: `{"default": "design:12"}` names the account's design file 12
instead of a link to it.

A signed design link expires after DESIGN_URL_MAX_AGE_DAYS, but a connection serves every future order, so a
connection made from a design stores the reference, and the reference becomes a freshly signed link when an order
is sent to the provider (fulfilment.provider). Plain http(s) URLs in files are left as they are."""

from __future__ import annotations

import re
from collections.abc import Mapping

from printbridge.catalog import signing
from printbridge.catalog.models import DesignFile
from printbridge.orders.errors import Conflict

PREFIX = "design:"
_REFERENCE = re.compile(r"^design:([1-9][0-9]{0,17})$")


class UnusableDesign(Conflict):
    """A referenced design file is gone or not ready: the order cannot be sent with it."""


def reference(design: DesignFile) -> str:
    return f"{PREFIX}{design.pk}"


def design_id(value: str) -> int | None:
    """12 for "design:12"; None for anything else (a URL)."""
    found = _REFERENCE.match(value or "")
    return int(found.group(1)) if found else None


def is_reference(value: str) -> bool:
    return design_id(value) is not None


def signed_files(files: Mapping[str, str], account_id: int) -> dict[str, str]:
    """The files with every design reference replaced by the design's signed link, signed now. UnusableDesign
    when a referenced design is not the account's, was deleted or is not ready."""
    ids = {found for found in map(design_id, files.values()) if found is not None}
    designs = DesignFile.objects.filter(account_id=account_id, pk__in=ids).in_bulk() if ids else {}
    return {area: _signed(value, designs) for area, value in files.items()}


def _signed(value: str, designs: Mapping[int, DesignFile]) -> str:
    found = design_id(value)
    if found is None:
        return value
    design = designs.get(found)
    if design is None:
        raise UnusableDesign(f"Design file {found} no longer exists; choose another design")
    if design.status != DesignFile.Status.READY or not design.file:
        raise UnusableDesign(f"Design file {design.name!r} is not ready ({design.get_status_display()})")
    return signing.design_url(design)
