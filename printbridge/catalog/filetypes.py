"""Design file types by their magic bytes (never by the name or a Content-Type header), and an image's pixel size
read from its header when that is cheap (PNG IHDR, JPEG SOF marker). Pure: bytes in, answers out."""

from __future__ import annotations

import struct
from dataclasses import dataclass

from django.core.exceptions import SuspiciousFileOperation
from django.utils.text import get_valid_filename

PNG = "image/png"
JPEG = "image/jpeg"
PDF = "application/pdf"
EXTENSIONS = {PNG: ".png", JPEG: ".jpg", PDF: ".pdf"}
LABELS = {PNG: "PNG", JPEG: "JPEG", PDF: "PDF"}
SNIFF_BYTES = 8  # enough to tell the three apart
HEADER_BYTES = 64 * 1024  # how far into a JPEG the size is looked for
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG), (b"%PDF-", PDF))
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # start-of-frame, not DHT/JPG/DAC


class UnsupportedType(ValueError):
    """Not a PNG, JPEG or PDF file."""


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    width: int | None
    height: int | None


def content_type(head: bytes) -> str:
    """The type the first bytes announce; UnsupportedType with a merchant-readable message otherwise."""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    raise UnsupportedType(
        "The file is not a PNG, JPEG or PDF (its contents say otherwise, whatever its name)"
    )


def sniff(head: bytes) -> Sniffed:
    """Type and, for images, width and height from the first HEADER_BYTES of the file."""
    kind = content_type(head)
    width, height = _png_size(head) if kind == PNG else _jpeg_size(head) if kind == JPEG else (None, None)
    return Sniffed(kind, width, height)


def _png_size(head: bytes) -> tuple[int | None, int | None]:
    if len(head) < 24 or head[12:16] != b"IHDR":
        return None, None
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def _jpeg_size(head: bytes) -> tuple[int | None, int | None]:
    """Walk the marker segments to the first start-of-frame; give up (None, None) on anything odd."""
    position = 2
    while position + 9 <= len(head):
        if head[position] != 0xFF:
            return None, None
        marker = head[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        length = struct.unpack(">H", head[position + 2 : position + 4])[0]
        if marker in _SOF_MARKERS:
            height, width = struct.unpack(">HH", head[position + 5 : position + 9])
            return width, height
        if length < 2:
            return None, None
        position += 2 + length
    return None, None


def size_limit(max_bytes: int) -> str:
    """A size cap in words: 52428800 -> "50 MB", 1500 -> "1500 bytes"."""
    megabytes = max_bytes / (1024 * 1024)
    return f"{megabytes:g} MB" if megabytes >= 1 else f"{max_bytes} bytes"


def file_name(name: str, kind: str) -> str:
    """A safe stored name with the extension of the actual type: "logo" -> "logo.png", "a.jpeg" stays."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()[:100]
    try:
        cleaned = get_valid_filename(base).lstrip(".")
    except SuspiciousFileOperation:  # nothing usable left
        cleaned = ""
    stem, dot, extension = cleaned.rpartition(".")
    if not dot:
        stem, extension = cleaned, ""
    allowed = {"jpg", "jpeg"} if kind == JPEG else {EXTENSIONS[kind][1:]}
    if extension.lower() in allowed and stem:
        return cleaned
    return f"{stem or 'design'}{EXTENSIONS[kind]}"
