"""The database queue: argument-less tasks are queued once while one waits; finished results are pruned."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from printbridge.jobs import tasks
from printbridge.jobs.management.commands import scheduler

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def waiting(task_function) -> int:
    return DBTaskResult.objects.ready().filter(task_path=task_function.module_path).count()


def test_a_task_waiting_in_the_queue_is_not_queued_again(database_queue):
    assert tasks.enqueue_unless_waiting(tasks.send_submissions_task) is True
    assert tasks.enqueue_unless_waiting(tasks.send_submissions_task) is False
    assert waiting(tasks.send_submissions_task) == 1
    DBTaskResult.objects.update(status="RUNNING")  # a worker took it: new work needs a new run
    assert tasks.enqueue_unless_waiting(tasks.send_submissions_task) is True
    assert waiting(tasks.send_submissions_task) == 1


def test_scheduler_ticks_do_not_pile_up_behind_a_busy_worker(database_queue):
    for _ in range(3):
        scheduler.enqueue_sending()
        scheduler.enqueue_polling()
        scheduler.enqueue_releases()
    paths = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths == [
        "printbridge.jobs.tasks.poll_submissions_task",
        "printbridge.jobs.tasks.release_due_orders_task",
        "printbridge.jobs.tasks.send_submissions_task",
    ]


def test_finished_results_are_pruned_after_two_days_and_failed_ones_after_fourteen(database_queue):
    now = timezone.now()
    for status, age in [("SUCCESSFUL", 3), ("SUCCESSFUL", 1), ("FAILED", 3), ("FAILED", 15), ("READY", 30)]:
        result = tasks.send_submissions_task.enqueue()
        DBTaskResult.objects.filter(pk=result.id).update(
            status=status, enqueued_at=now - timedelta(days=age), finished_at=now - timedelta(days=age)
        )
    assert tasks.prune_task_results_task.call() == 2
    left = sorted(DBTaskResult.objects.values_list("status", "finished_at"))
    assert [(status, (now - finished).days) for status, finished in left] == [
        ("FAILED", 3),
        ("READY", 30),
        ("SUCCESSFUL", 1),
    ]
