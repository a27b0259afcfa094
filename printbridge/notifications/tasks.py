"""E-mail tasks. Each calls one service; the Notification rows make re-runs safe (a row is claimed under a
lease and a period's digest or an order's alert is decided once)."""

from django_tasks import task

from printbridge.notifications import ageing, delivery, digests


@task()
def send_notification_task(notification_id: int) -> str:
    """Send one queued e-mail (queued after the commit that decided it)."""
    return delivery.send_notification(notification_id)


@task()
def send_due_notifications_task() -> dict:
    """Retry e-mails whose send failed (SMTP down) once their wait is over, and any whose task was lost."""
    return delivery.send_due()


@task()
def queue_digests_task() -> int:
    """Decide the hourly and daily digests of the periods that just ended."""
    return digests.queue_digests()


@task()
def queue_ageing_alerts_task() -> int:
    """Alert once about each order waiting longer than its store's threshold."""
    return ageing.queue_ageing_alerts()
