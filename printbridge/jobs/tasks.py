from django_tasks import task

from printbridge.orders.services import release_due_orders


@task()
def release_due_orders_task() -> int:
    """Release delayed orders whose approval delay is over."""
    return release_due_orders()
