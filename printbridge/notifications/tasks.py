from django_tasks import task

from printbridge.notifications.services import build_action_required, build_submission_failed, recipients_for
from printbridge.orders import events
from printbridge.orders.models import Order, OrderEvent


@task()
def send_action_required_task(order_id: int) -> int:
    """E-mail that an order requires action, unless it no longer does. Returns the number of recipients."""
    order = Order.objects.select_related("store__settings").get(pk=order_id)
    if order.status != "not_connected":
        return 0
    recipients = recipients_for(order.store)
    if not recipients:
        return 0
    build_action_required(order, recipients).send()
    events.record(
        OrderEvent.Type.NOTIFICATION_SENT,
        f"E-mailed 'Order #{order.number} requires action' to {len(recipients)}",
        events.SYSTEM,
        store=order.store,
        order=order,
        recipients=recipients,
    )
    return len(recipients)


@task()
def send_submission_failed_task(order_id: int, reason: str) -> int:
    order = Order.objects.select_related("store__settings").get(pk=order_id)
    recipients = recipients_for(order.store)
    if not recipients:
        return 0
    build_submission_failed(order, reason, recipients).send()
    events.record(
        OrderEvent.Type.NOTIFICATION_SENT,
        f"E-mailed 'Order #{order.number} could not be sent to Gelato'",
        events.SYSTEM,
        store=order.store,
        order=order,
        recipients=recipients,
    )
    return len(recipients)
