"""A Gelato status webhook names an order that may have changed: queue a re-read of it."""

from __future__ import annotations

import hmac

from django.db import transaction

from printbridge.fulfilment.models import ProviderAccount, Submission


def _account(token: str) -> ProviderAccount | None:
    for account in ProviderAccount.objects.filter(webhook_token=token[:40]):
        if hmac.compare_digest(account.webhook_token, token):
            return account
    return None


def receive_status_hint(token: str, event) -> bool | None:
    """None: unknown token (401). False: not an order of ours (ignored). True: a re-read is queued."""
    account = _account(token)
    if account is None:
        return None
    submission = Submission.objects.filter(
        store__account_id=account.account_id, idempotency_key=getattr(event, "order_reference_id", "") or ""
    ).first()
    if submission is None:
        return False
    from printbridge.jobs.tasks import refresh_submission_task

    with transaction.atomic():
        refresh_submission_task.enqueue(submission.pk)
    return True
