import datetime
import io
import zoneinfo

import time_machine
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from internkontroll.reminders.tasks import enqueue_daily_reminders, next_run, send_daily_reminders
from internkontroll.test import BaseTestCase

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


@override_settings(IK_REMINDER_HOUR=6)
class DailyTaskTests(BaseTestCase):
    def test_the_next_run_is_the_next_morning_at_the_hour(self) -> None:
        evening = datetime.datetime(2025, 9, 3, 20, 0, tzinfo=STOCKHOLM)
        early = datetime.datetime(2025, 9, 3, 5, 0, tzinfo=STOCKHOLM)
        assert next_run(evening) == datetime.datetime(2025, 9, 4, 6, 0, tzinfo=STOCKHOLM)
        assert next_run(early) == datetime.datetime(2025, 9, 3, 6, 0, tzinfo=STOCKHOLM)

    @time_machine.travel(datetime.datetime(2025, 9, 3, 12, 0, tzinfo=STOCKHOLM), tick=False)
    def test_the_command_queues_the_daily_task_once(self) -> None:
        call_command("send_reminders", "--enqueue", stdout=io.StringIO())
        call_command("send_reminders", "--enqueue", stdout=io.StringIO())
        (queued,) = DBTaskResult.objects.all()
        assert queued.task_path == send_daily_reminders.module_path
        assert queued.run_after == datetime.datetime(2025, 9, 4, 6, 0, tzinfo=STOCKHOLM)

    @override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    )
    def test_without_a_queue_that_waits_the_command_says_to_use_cron(self) -> None:
        from django.core.management import CommandError

        assert not enqueue_daily_reminders()
        with self.assertRaisesMessage(CommandError, "använd cron"):
            call_command("send_reminders", "--enqueue", stdout=io.StringIO())

    @time_machine.travel(datetime.datetime(2025, 9, 3, 6, 0, tzinfo=STOCKHOLM), tick=False)
    def test_the_task_sends_the_days_reminders_and_queues_the_next_day(self) -> None:
        result = send_daily_reminders.call()
        assert result == 0
        (queued,) = DBTaskResult.objects.all()
        assert queued.run_after == datetime.datetime(2025, 9, 4, 6, 0, tzinfo=STOCKHOLM)
