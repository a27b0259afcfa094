"""The mail page: the e-mails sent (or being sent) to the account's stores' recipients."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from printbridge.notifications import selectors
from printbridge.orders.errors import NotFound
from printbridge.web.views.common import account_or_404

# Links inside the e-mail open in a new tab, outside the sandboxed frame.
FRAME_BASE = '<base target="_blank">'


def _before(request) -> int | None:
    value = request.GET.get("before", "")
    return int(value) if value.isdigit() else None


@login_required
@require_GET
def mail(request):
    account = account_or_404(request)
    rows = selectors.mail(account.pk, before_id=_before(request), limit=selectors.MAIL_PAGE + 1)
    more, rows = len(rows) > selectors.MAIL_PAGE, rows[: selectors.MAIL_PAGE]
    context = {"rows": rows, "older": rows[-1].pk if more else None, "paged": _before(request) is not None}
    return render(request, "web/mail.html", context)


@login_required
@require_GET
def mail_detail(request, notification_id: int):
    account = account_or_404(request)
    try:
        notification = selectors.mail_detail(account.pk, notification_id)
    except NotFound:
        raise Http404 from None
    srcdoc = FRAME_BASE + notification.html_body if notification.html_body else ""
    return render(request, "web/mail_detail.html", {"mail": notification, "srcdoc": srcdoc})
