"""Signed design links: `/media/designs/<token>/<file name>`, fetchable without a login (the provider downloads
the design from it) for DESIGN_URL_MAX_AGE_DAYS. The token signs the design's id and the start of its sha256,
so a link names one file's exact contents; anything else is NotFound, an old link is LinkExpired."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from printbridge.catalog.errors import LinkExpired
from printbridge.catalog.models import DesignFile
from printbridge.orders.errors import Conflict, NotFound

SALT = "printbridge.catalog.design-link"


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def design_token(design: DesignFile) -> str:
    return _signer().sign(f"{design.pk}.{design.sha256[:16]}")


def design_path(design: DesignFile) -> str:
    """The signed link's path; Conflict while the design is not ready (nothing to fetch yet)."""
    if design.status != DesignFile.Status.READY or not design.file:
        raise Conflict(f"The design file {design.name!r} is not ready yet", field="design_id")
    return reverse("design-file", args=[design_token(design), design.file_name])


def design_url(design: DesignFile) -> str:
    """The absolute signed link the provider can fetch, on PRINTBRIDGE_BASE_URL."""
    return settings.PRINTBRIDGE_BASE_URL + design_path(design)


def design_for_link(token: str, file_name: str) -> DesignFile:
    """The ready design a link names: NotFound for a bad signature, another name or a replaced file;
    LinkExpired when the signature is good but older than the max age."""
    max_age = timedelta(days=settings.DESIGN_URL_MAX_AGE_DAYS)
    try:
        value = _signer().unsign(token, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkExpired("This design link has expired") from None
    except signing.BadSignature:
        raise NotFound("No such design file") from None
    design_id, _, digest = value.partition(".")
    design = DesignFile.objects.filter(pk=int(design_id), status=DesignFile.Status.READY).first()
    if design is None or design.sha256[:16] != digest or design.file_name != file_name:
        raise NotFound("No such design file")
    return design
