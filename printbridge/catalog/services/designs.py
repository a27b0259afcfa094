"""Design files: an upload (checked by magic bytes and size, stored at once) or an https URL (checked now by the
URL rules, fetched by import_design_task through the SSRF-safe fetcher; a failure is shown on the design)."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from urllib.parse import unquote

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from printbridge.catalog import events as catalog_events
from printbridge.catalog import fetch, filetypes, netguard
from printbridge.catalog.models import DesignFile
from printbridge.orders import events
from printbridge.orders.errors import InvalidInput
from printbridge.stores.models import Account

logger = logging.getLogger(__name__)
NAME_LENGTH = 200


def size_limit_message() -> str:
    return f"The file is larger than the {filetypes.size_limit(settings.DESIGN_MAX_BYTES)} limit"


def upload_design(
    account: Account,
    actor: events.Actor,
    upload: UploadedFile | None,
    name: str = "",
    dropped_for_size: bool = False,
) -> DesignFile:
    """Store an uploaded PNG, JPEG or PDF (by its bytes, whatever its name) up to DESIGN_MAX_BYTES.
    `dropped_for_size`: the upload handler already dropped the file for passing the cap."""
    if upload is None and not dropped_for_size:
        raise InvalidInput("Choose a PNG, JPEG or PDF file to upload", field="file")
    sniffed = _checked_upload(upload, dropped_for_size)
    design = DesignFile(
        account=account,
        name=_display_name(name, upload.name or ""),
        source=DesignFile.Source.UPLOAD,
        status=DesignFile.Status.READY,
        content_type=sniffed.content_type,
        size=upload.size or 0,
        sha256=_sha256(upload),
        width=sniffed.width,
        height=sniffed.height,
        created_by=actor.user,
        completed_at=timezone.now(),
    )
    upload.seek(0)
    design.file.save(filetypes.file_name(upload.name or "", sniffed.content_type), upload, save=False)
    try:
        _save_uploaded(design, actor)
    except BaseException:
        design.file.delete(save=False)
        raise
    return design


def _checked_upload(upload: UploadedFile, dropped_for_size: bool) -> filetypes.Sniffed:
    if dropped_for_size or (upload.size or 0) > settings.DESIGN_MAX_BYTES:
        raise InvalidInput(size_limit_message(), field="file")
    if not upload.size:
        raise InvalidInput("The file is empty", field="file")
    upload.seek(0)
    head = upload.read(filetypes.HEADER_BYTES)
    try:
        return filetypes.sniff(head)
    except filetypes.UnsupportedType as exc:
        raise InvalidInput(str(exc), field="file") from None


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def _display_name(name: str, fallback: str) -> str:
    chosen = " ".join(name.split()) or fallback.replace("\\", "/").rsplit("/", 1)[-1].strip() or "Design"
    return chosen[:NAME_LENGTH]


@transaction.atomic
def _save_uploaded(design: DesignFile, actor: events.Actor) -> None:
    design.save()
    _record(design, catalog_events.DESIGN_UPLOADED, f"Design {design.name} uploaded", actor)


def _record(design: DesignFile, event_type: str, message: str, actor: events.Actor) -> None:
    events.record(event_type, message, actor, store=None, account_id=design.account_id, design_id=design.pk)


def request_design_import(account: Account, actor: events.Actor, url: str, name: str = "") -> DesignFile:
    """A pending design for an https URL (InvalidInput when the URL breaks a rule that needs no DNS); the
    download runs in import_design_task after the commit."""
    try:
        target = netguard.parse_url(url, settings.DESIGN_FETCH_ALLOWED_HOSTS)
    except netguard.Rejected as exc:
        raise InvalidInput(str(exc), field="url") from None
    with transaction.atomic():
        design = DesignFile.objects.create(
            account=account,
            name=_display_name(name, _name_in_url(target)),
            source=DesignFile.Source.URL,
            source_url=target.url,
            status=DesignFile.Status.PENDING,
            created_by=actor.user,
        )
        _record(design, catalog_events.DESIGN_IMPORT_REQUESTED, f"Design requested from {target.url}", actor)
        transaction.on_commit(lambda: _enqueue_import(design.pk))
    return design


def _enqueue_import(design_id: int) -> None:
    from printbridge.jobs.tasks import import_design_task  # the task module imports this one

    import_design_task.enqueue(design_id)


STALE_IMPORT = timedelta(minutes=5)  # far beyond the fetch deadline: the worker running it is gone
ABANDONED_IMPORT = timedelta(hours=1)


def recover_stale_imports(now=None) -> tuple[int, int]:
    """Designs left pending by a worker that died mid-download: queued again after 5 minutes, failed (with a
    reason the merchant can act on) after an hour. Returns (queued again, failed). Run by the scheduler."""
    now = now or timezone.now()
    pending = DesignFile.objects.filter(status=DesignFile.Status.PENDING)
    abandoned = list(pending.filter(created_at__lt=now - ABANDONED_IMPORT).values_list("pk", flat=True))
    for design_id in abandoned:
        with transaction.atomic():
            _finish_failed(design_id, "The download never finished; import the link again")
    stale = list(pending.filter(created_at__lt=now - STALE_IMPORT).values_list("pk", flat=True))
    for design_id in stale:
        transaction.on_commit(lambda d=design_id: _enqueue_import(d))
    return len(stale), len(abandoned)


def _name_in_url(target: netguard.Target) -> str:
    return unquote(target.path.split("?", 1)[0].rsplit("/", 1)[-1]) or target.host


def import_design(design_id: int, fetcher: fetch.SafeFetcher | None = None) -> DesignFile | None:
    """Fetch a pending design's URL: ready with its file, or failed with the reason. Never raises for a bad
    URL, server or file; a design that is no longer pending (a second run of the task) is left alone."""
    design = DesignFile.objects.filter(pk=design_id).first()
    if design is None or design.status != DesignFile.Status.PENDING:
        return design
    try:
        fetched = (fetcher or fetch.fetcher_from_settings()).fetch(design.source_url)
    except netguard.Rejected as exc:
        return _finish_failed(design_id, str(exc))
    except Exception:
        logger.exception("design %s: download failed", design_id)
        return _finish_failed(design_id, "The download failed unexpectedly; try again")
    with fetched:
        return _finish_ready(design, fetched)


def _finish_ready(design: DesignFile, fetched: fetch.Fetched) -> DesignFile:
    kind = fetched.sniffed.content_type
    design.file.save(filetypes.file_name(design.name, kind), File(fetched.file), save=False)
    stored = design.file.name
    try:
        saved = _save_fetched(design.pk, stored, fetched)
    except BaseException:
        design.file.storage.delete(stored)
        raise
    if saved.file.name != stored:  # another run finished it first: keep its file, drop this copy
        design.file.storage.delete(stored)
    return saved


@transaction.atomic
def _save_fetched(design_id: int, stored: str, fetched: fetch.Fetched) -> DesignFile:
    kind = fetched.sniffed.content_type
    locked = DesignFile.objects.select_for_update().get(pk=design_id)
    if locked.status == DesignFile.Status.PENDING:
        locked.file.name, locked.content_type, locked.size = stored, kind, fetched.size
        locked.sha256, locked.width, locked.height = (
            fetched.sha256,
            fetched.sniffed.width,
            fetched.sniffed.height,
        )
        locked.status, locked.completed_at = DesignFile.Status.READY, timezone.now()
        locked.save()
        message = f"Design {locked.name} fetched from {fetched.final_url}"
        _record(locked, catalog_events.DESIGN_IMPORTED, message, events.Actor.system("design fetcher"))
    return locked


@transaction.atomic
def _finish_failed(design_id: int, reason: str) -> DesignFile | None:
    design = DesignFile.objects.select_for_update().filter(pk=design_id).first()
    if design is None or design.status != DesignFile.Status.PENDING:
        return design
    design.status, design.failure_reason, design.completed_at = (
        DesignFile.Status.FAILED,
        reason[:500],
        timezone.now(),
    )
    design.save(update_fields=["status", "failure_reason", "completed_at"])
    message = f"Design {design.name} could not be fetched: {reason}"
    _record(design, catalog_events.DESIGN_IMPORT_FAILED, message, events.Actor.system("design fetcher"))
    return design
