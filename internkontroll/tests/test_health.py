"""/halsa/: what a load balancer and monitoring learn, without a login and without secrets."""

from __future__ import annotations

import datetime
import json
from typing import Any
from unittest import mock

import time_machine
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.db.migrations.executor import MigrationExecutor
from django.test import TestCase
from django.urls import reverse

from internkontroll import health
from internkontroll.jobs.tasks import enqueue_report

NOW = datetime.datetime(2025, 9, 10, 10, tzinfo=datetime.UTC)


class HealthTests(TestCase):
    def setUp(self) -> None:
        self.enterContext(mock.patch.object(health, "_migrated", False))

    def check(self) -> tuple[int, dict[str, Any]]:
        response = self.client.get(reverse("health"))
        assert response["Content-Type"] == "application/json"
        assert "no-store" in response["Cache-Control"]
        return response.status_code, json.loads(response.content)

    def test_it_tells_anyone_that_the_server_can_serve(self) -> None:
        assert self.check() == (
            200,
            {
                "status": "ok",
                "database": True,
                "migrations": True,
                "queue": {"ok": True, "waiting": 0, "oldest_waiting_seconds": 0},
            },
        )

    def test_it_shows_nothing_of_the_configuration(self) -> None:
        body = self.client.get(reverse("health")).content.decode()
        for secret in (settings.SECRET_KEY, str(settings.DATABASES["default"]["NAME"])):
            assert secret not in body

    def test_a_database_that_does_not_answer_takes_the_server_out(self) -> None:
        # On the connection itself: whatever an earlier test left on the class, this wins.
        with mock.patch.object(
            connections[DEFAULT_DB_ALIAS], "cursor", side_effect=OperationalError("refused")
        ):
            status, body = self.check()
        assert status == 503
        assert body["status"] == "failing"
        assert (body["database"], body["migrations"], body["queue"]["ok"]) == (False, False, False)

    def test_a_migration_not_yet_applied_takes_the_server_out(self) -> None:
        with mock.patch.object(MigrationExecutor, "migration_plan", return_value=[("m", False)]):
            status, body = self.check()
        assert (status, body["status"], body["migrations"]) == (503, "failing", False)

    def test_a_task_no_worker_took_is_reported_but_the_server_keeps_serving(self) -> None:
        with time_machine.travel(NOW, tick=False) as clock:
            enqueue_report("00000000-0000-0000-0000-000000000000")
            assert self.check()[1]["queue"]["ok"] is True
            clock.shift(datetime.timedelta(seconds=settings.IK_QUEUE_MAX_WAIT_SECONDS + 1))
            status, body = self.check()
        assert (status, body["status"]) == (200, "degraded")
        assert body["queue"] == {
            "ok": False,
            "waiting": 1,
            "oldest_waiting_seconds": settings.IK_QUEUE_MAX_WAIT_SECONDS + 1,
        }

    def test_it_rejects_post(self) -> None:
        assert self.client.post(reverse("health")).status_code == 405
