"""An upload handler that stops storing a file as soon as it passes DESIGN_MAX_BYTES.

Django writes an upload to memory or a temporary file before any view runs, so a size check in the view alone
would still let a 5 GB body fill the disk. This handler (first in FILE_UPLOAD_HANDLERS) counts each file's
bytes as they arrive; past the cap it drops the file (SkipFile: the parser discards the rest of it) and marks the
request, so the view answers "larger than the limit" instead of "no file"."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

TOO_LARGE = "printbridge_upload_too_large"  # request attribute: the names of the files dropped


def too_large_uploads(request) -> list[str]:
    """The field names whose file was dropped for passing the size cap."""
    return list(getattr(request, TOO_LARGE, []))


class SizeCappedUploadHandler(FileUploadHandler):
    def new_file(self, field_name, *args, **kwargs) -> None:
        super().new_file(field_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.DESIGN_MAX_BYTES:
            dropped = getattr(self.request, TOO_LARGE, [])
            setattr(self.request, TOO_LARGE, [*dropped, self.field_name])
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler stores the file
