"""The daily reminders as a task for the worker (`ik db_worker`), which schedules the next day."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from internkontroll.reminders.send import send_reminders


@task()
def send_daily_reminders() -> int:
    """Send today's reminders, then put tomorrow's run on the queue."""
    sent = send_reminders(timezone.localdate())
    enqueue_daily_reminders()
    return len(sent)


def next_run(now: datetime.datetime) -> datetime.datetime:
    """The next IK_REMINDER_HOUR o'clock, local time, after `now`."""
    local = timezone.localtime(now)
    run = local.replace(hour=settings.IK_REMINDER_HOUR, minute=0, second=0, microsecond=0)
    return run if run > local else run + datetime.timedelta(days=1)


def enqueue_daily_reminders() -> bool:
    """Queue the next run unless one is already waiting; False when the queue cannot defer."""
    queued = send_daily_reminders
    backend = queued.get_backend()
    if not backend.supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=queued.module_path, status__in=["READY", "RUNNING"]
    )
    if waiting.filter(run_after__gt=timezone.now()).exists():
        return True
    queued.using(run_after=next_run(timezone.now())).enqueue()
    return True
