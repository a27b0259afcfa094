"""The demo's catalog and design: the Gelato emulator's catalog loaded (a task the worker runs) and a demo design
uploaded, so "Create a new product from the catalog" works from the first click on a Not connected T-shirt."""

from __future__ import annotations

from importlib import resources

from django.core.files.uploadedfile import SimpleUploadedFile

from printbridge.catalog import services
from printbridge.catalog.models import DesignFile
from printbridge.orders import events
from printbridge.stores.models import Account

DESIGN_NAME = "Printbridge demo design"
DESIGN_FILE = "fixtures/demo-design.png"


def prepare_catalog(account: Account, user) -> DesignFile:
    """Queue the catalog refresh (the account's Gelato key must be set) and upload the demo design once."""
    actor = events.Actor.for_user(user)
    services.request_refresh(account, actor)
    return demo_design(account, actor)


def demo_design(account: Account, actor: events.Actor) -> DesignFile:
    found = DesignFile.objects.filter(
        account=account, name=DESIGN_NAME, status=DesignFile.Status.READY
    ).first()
    if found is not None:
        return found
    data = resources.files("printbridge.demo").joinpath(DESIGN_FILE).read_bytes()
    upload = SimpleUploadedFile("demo-design.png", data, content_type="image/png")
    return services.upload_design(account, actor, upload, DESIGN_NAME)
