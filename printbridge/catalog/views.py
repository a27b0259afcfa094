"""The signed design link: `/media/designs/<token>/<file name>`, served without a login so the provider can
download the design. Anything but a valid, unexpired link to a ready design is 404 (an expired one 403)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_safe

from printbridge.catalog import signing
from printbridge.catalog.errors import LinkExpired
from printbridge.orders.errors import NotFound


@require_safe
def design_file(request, token: str, file_name: str):
    try:
        design = signing.design_for_link(token, file_name)
    except LinkExpired as exc:
        return HttpResponse(exc.message, status=403, content_type="text/plain; charset=utf-8")
    except NotFound:
        raise Http404 from None
    try:
        opened = design.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(opened, content_type=design.content_type, filename=design.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"  # a PDF or image, never a page of this site
    response["Cache-Control"] = "private, max-age=3600"
    return response
