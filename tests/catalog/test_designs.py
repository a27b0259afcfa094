"""Design files: uploads checked by magic bytes and size, URL imports run as a task (ready, or failed with the
reason — never a crash), the audit trail, and the file names they are stored under."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from printbridge.catalog import filetypes
from printbridge.catalog.models import DesignFile
from printbridge.catalog.services import import_design, request_design_import, upload_design
from printbridge.orders.errors import InvalidInput
from printbridge.orders.models import OrderEvent
from tests.catalog.conftest import PUBLIC_IP
from tests.catalog.files import GIF, HTML, jpeg, pdf, png


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def design_events() -> list[tuple[str, str, str]]:
    rows = OrderEvent.objects.filter(type__startswith="design").order_by("pk")
    return [(e.type, e.actor, e.message) for e in rows]


# --- uploads -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "body", "kind", "stored_as", "size"),
    [
        ("logo.png", png(1200, 900), "image/png", "logo.png", (1200, 900)),
        ("photo.JPEG", jpeg(4000, 3000), "image/jpeg", "photo.JPEG", (4000, 3000)),
        ("poster.pdf", pdf(), "application/pdf", "poster.pdf", (None, None)),
        ("actually-a-png.pdf", png(5, 5), "image/png", "actually-a-png.png", (5, 5)),
        ("no extension", jpeg(10, 20), "image/jpeg", "no_extension.jpg", (10, 20)),
    ],
)
def test_an_upload_is_typed_by_its_bytes_and_stored(
    account, actor, user, settings, name, body, kind, stored_as, size
):
    design = upload_design(account, actor, SimpleUploadedFile(name, body, content_type="text/plain"))

    row = DesignFile.objects.get()
    assert (row.pk, row.account, row.name, row.status, row.source, row.source_url) == (
        design.pk, account, name, "ready", "upload", "")  # fmt: skip
    assert (row.content_type, row.size, row.sha256) == (kind, len(body), hashlib.sha256(body).hexdigest())
    assert ((row.width, row.height), row.created_by, row.file_name) == (size, user, stored_as)
    assert row.file.name.startswith(f"designs/{account.pk}/")
    assert [p.read_bytes() for p in stored_files(settings)] == [body]
    assert design_events() == [("design_uploaded", "ana@example.com", f"Design {name} uploaded")]


def test_a_given_name_is_kept_and_the_stored_name_is_safe(account, actor):
    upload = SimpleUploadedFile("../../etc/evil name.png", png())

    design = upload_design(account, actor, upload, name="  Front   logo ")

    assert (design.name, design.file_name) == ("Front logo", "evil_name.png")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (GIF, "The file is not a PNG, JPEG or PDF (its contents say otherwise, whatever its name)"),
        (HTML, "The file is not a PNG, JPEG or PDF (its contents say otherwise, whatever its name)"),
        (b"\x89PNG", "The file is not a PNG, JPEG or PDF (its contents say otherwise, whatever its name)"),
        (b"", "The file is empty"),
    ],
)
def test_an_upload_that_is_not_a_png_jpeg_or_pdf_is_refused(account, actor, settings, body, message):
    with pytest.raises(InvalidInput) as refused:
        upload_design(account, actor, SimpleUploadedFile("logo.png", body, content_type="image/png"))

    assert (refused.value.message, refused.value.details) == (message, {"field": "file"})
    assert (DesignFile.objects.count(), stored_files(settings), design_events()) == (0, [], [])


def test_an_upload_over_the_size_cap_is_refused(account, actor, settings):
    settings.DESIGN_MAX_BYTES = 1000

    with pytest.raises(InvalidInput) as refused:
        upload_design(account, actor, SimpleUploadedFile("big.png", png() + b"\x00" * 1000))

    assert refused.value.message == "The file is larger than the 1000 bytes limit"
    assert (DesignFile.objects.count(), stored_files(settings)) == (0, [])


def test_no_file_or_a_file_the_upload_handler_dropped_is_refused(account, actor):
    with pytest.raises(InvalidInput) as missing:
        upload_design(account, actor, None)
    with pytest.raises(InvalidInput) as dropped:
        upload_design(account, actor, None, dropped_for_size=True)

    assert missing.value.message == "Choose a PNG, JPEG or PDF file to upload"
    assert dropped.value.message == "The file is larger than the 50 MB limit"
    assert DesignFile.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("logo", filetypes.PNG, "logo.png"),
        ("a.jpeg", filetypes.JPEG, "a.jpeg"),
        ("x.JPG", filetypes.JPEG, "x.JPG"),
        ("photo.gif", filetypes.PNG, "photo.png"),
        (".htaccess", filetypes.PDF, "htaccess.pdf"),
        ("", filetypes.PDF, "design.pdf"),
        ("..", filetypes.PNG, "design.png"),
        ("C:\\Users\\ana\\print file (1).pdf", filetypes.PDF, "print_file_1.pdf"),
    ],
)
def test_stored_file_names_are_safe_and_carry_the_real_type(name, kind, expected):
    assert filetypes.file_name(name, kind) == expected


# --- imports from a URL ------------------------------------------------------------------------------------------


def test_a_url_import_is_queued_then_fetched_by_the_task(
    account, actor, user, files, dns, settings, django_capture_on_commit_callbacks
):
    dns.answer("designs.example", [PUBLIC_IP])
    files.route("designs.example", "/art/Front%20logo.png", body=png(300, 200))

    with django_capture_on_commit_callbacks(execute=True) as queued:
        design = request_design_import(account, actor, "https://designs.example/art/Front%20logo.png")

    assert (len(queued), design.status, design.name) == (1, "pending", "Front logo.png")
    row = DesignFile.objects.get()
    assert (row.status, row.failure_reason, row.source, row.created_by) == ("ready", "", "url", user)
    assert (row.content_type, row.size, row.width, row.height) == ("image/png", len(png(300, 200)), 300, 200)
    assert (row.sha256, row.file_name) == (hashlib.sha256(png(300, 200)).hexdigest(), "Front_logo.png")
    assert [p.read_bytes() for p in stored_files(settings)] == [png(300, 200)]
    assert design_events() == [
        ("design_import_requested", "ana@example.com",
         "Design requested from https://designs.example/art/Front%20logo.png"),
        ("design_imported", "design fetcher",
         "Design Front logo.png fetched from https://designs.example/art/Front%20logo.png"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("answers", "route", "reason"),
    [
        (["10.0.0.7"], {"body": png()},
         "designs.example resolves to 10.0.0.7, which is a private address; only public internet addresses are allowed"),
        ([PUBLIC_IP], {"status": 302, "headers": {"Location": "https://127.0.0.1/"}},
         "127.0.0.1 is a loopback address; only public internet addresses are allowed"),
        ([PUBLIC_IP], {"body": png(), "declared_length": 5 * 1024**3}, "The file is larger than the 50 MB limit"),
        ([PUBLIC_IP], {"body": b"x" * 10, "headers": {"Content-Encoding": "gzip"}},
         "The server sent the file compressed (gzip); compressed downloads are refused"),
        ([PUBLIC_IP], {"body": HTML, "headers": {"Content-Type": "text/html"}},
         "The file is not a PNG, JPEG or PDF (the server called it text/html)"),
        ([PUBLIC_IP], {"status": 404, "body": b"gone"},
         "The server answered 404 Not Found for https://designs.example/logo.png"),
    ],
)  # fmt: skip
def test_a_failed_import_is_visible_on_the_design_and_stores_nothing(
    account, actor, files, dns, settings, answers, route, reason
):
    dns.answer("designs.example", answers)
    files.route("designs.example", "/logo.png", **route)
    design = request_design_import(account, actor, "https://designs.example/logo.png", name="Logo")

    result = import_design(design.pk)

    row = DesignFile.objects.get()
    assert (result.pk, row.status, row.failure_reason, row.file.name, row.size) == (
        design.pk,
        "failed",
        reason,
        "",
        0,
    )
    assert row.completed_at is not None
    assert stored_files(settings) == []
    assert design_events()[-1] == (
        "design_import_failed",
        "design fetcher",
        f"Design Logo could not be fetched: {reason}",
    )


def test_a_slow_drip_fails_the_import_after_the_deadline(account, actor, files, dns, settings):
    settings.DESIGN_FETCH_TIMEOUT_SECONDS = 0.4
    dns.answer("designs.example", [PUBLIC_IP])
    files.route("designs.example", "/logo.png", body=png(), drip=0.05)
    design = request_design_import(account, actor, "https://designs.example/logo.png")

    import_design(design.pk)

    design.refresh_from_db()
    assert (design.status, design.failure_reason) == ("failed", "The download took longer than 0.4 seconds")


def test_an_unexpected_error_fails_the_import_instead_of_crashing_the_task(account, actor, monkeypatch):
    from printbridge.catalog import fetch
    from printbridge.jobs.tasks import import_design_task

    def broken(resolver=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(fetch, "fetcher_from_settings", broken)
    design = request_design_import(account, actor, "https://designs.example/logo.png")

    result = import_design_task.enqueue(design.pk)

    design.refresh_from_db()
    assert (result.return_value, design.status) == ("failed", "failed")
    assert design.failure_reason == "The download failed unexpectedly; try again"


def test_a_second_run_of_the_task_leaves_a_finished_design_alone(account, actor, files, dns, settings):
    dns.answer("designs.example", [PUBLIC_IP])
    files.route("designs.example", "/logo.png", body=png())
    design = request_design_import(account, actor, "https://designs.example/logo.png")
    import_design(design.pk)

    again = import_design(design.pk)

    assert (again.status, len(files.seen), len(stored_files(settings))) == ("ready", 1, 1)
    assert [t for t, _a, _m in design_events()] == ["design_import_requested", "design_imported"]


# --- a worker that died mid-download ------------------------------------------------------------------------------


def test_a_design_left_pending_is_fetched_again_after_five_minutes_and_failed_after_an_hour(
    account, actor, files, dns, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from printbridge.catalog.services.designs import recover_stale_imports

    dns.answer("designs.example", [PUBLIC_IP])
    files.route("designs.example", "/logo.png", body=png(10, 10))
    fresh = request_design_import(account, actor, "https://designs.example/logo.png")  # its task was lost
    stale = request_design_import(account, actor, "https://designs.example/logo.png")
    gone = request_design_import(account, actor, "https://designs.example/logo.png")
    now = timezone.now()
    DesignFile.objects.filter(pk=stale.pk).update(created_at=now - timedelta(minutes=6))
    DesignFile.objects.filter(pk=gone.pk).update(created_at=now - timedelta(hours=2))

    with django_capture_on_commit_callbacks(execute=True):
        assert recover_stale_imports(now) == (1, 1)

    states = dict(DesignFile.objects.values_list("pk", "status"))
    assert states == {fresh.pk: "pending", stale.pk: "ready", gone.pk: "failed"}
    assert (
        DesignFile.objects.get(pk=gone.pk).failure_reason
        == "The download never finished; import the link again"
    )
