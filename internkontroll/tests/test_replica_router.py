"""A read replica: GET pages and background reports read from it, everything else from the primary.

The replica here is the test database under a second alias, so a page read through it shows
the test's data; the router's answers show which alias each read went to.
"""

from __future__ import annotations

import tempfile
from typing import Any
from unittest import mock

from django.db import connections
from django.test import override_settings
from django.urls import reverse

from internkontroll.jobs.models import ReportJob
from internkontroll.jobs.tests.worker import run_worker
from internkontroll.lib import routers
from internkontroll.lib.routers import PIN_COOKIE, ReplicaRouter, replica_reads
from internkontroll.risks.models import Risk
from internkontroll.test import BaseTestCase


class ReplicaTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.enterContext(mock.patch.object(routers, "replica_alias", return_value="replica"))
        connections["replica"] = connections["default"]
        self.addCleanup(connections.__delitem__, "replica")
        self.reads: list[tuple[str, str | None]] = []
        real = ReplicaRouter.db_for_read

        def recorded(router: ReplicaRouter, model: type[Any], **hints: Any) -> str | None:
            alias = real(router, model, **hints)
            self.reads.append((model._meta.label, alias))
            return alias

        self.enterContext(mock.patch.object(ReplicaRouter, "db_for_read", recorded))

    def aliases(self, label: str) -> set[str | None]:
        return {alias for model, alias in self.reads if model == label}


class ReplicaRouterTests(ReplicaTestCase):
    def test_a_page_asked_for_with_get_reads_its_content_from_the_replica(self) -> None:
        self.client.force_login(self.coordinator)
        self.reads.clear()
        response = self.client.get(reverse("risks:detail", args=[self.sn_risk.pk]))
        assert response.status_code == 200
        assert self.sn_risk.title in response.content.decode()
        assert self.aliases("risks.Risk") == {"replica"}
        assert self.aliases("sessions.Session") == {"default"}
        assert PIN_COOKIE not in response.cookies

    def test_a_post_reads_from_the_primary_and_pins_the_person_there_for_a_while(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        assert response.status_code == 302
        assert "replica" not in {alias for _, alias in self.reads}
        assert response.cookies[PIN_COOKIE]["max-age"] == 10
        self.reads.clear()
        self.client.get(reverse("risks:detail", args=[self.sn_risk.pk]))
        assert self.aliases("risks.Risk") == {None}  # the primary, as without a replica

    def test_reads_after_a_write_in_the_same_request_go_to_the_primary(self) -> None:
        router = ReplicaRouter()
        with replica_reads():
            assert router.db_for_read(Risk) == "replica"
            assert router.db_for_write(Risk) == "default"
            assert router.db_for_read(Risk) == "default"

    def test_sessions_jobs_and_the_queue_are_always_read_from_the_primary(self) -> None:
        router = ReplicaRouter()
        with replica_reads():
            assert router.db_for_read(ReportJob) == "default"
            from django.contrib.sessions.models import Session
            from django_tasks_db.models import DBTaskResult

            assert router.db_for_read(Session) == "default"
            assert router.db_for_read(DBTaskResult) == "default"

    def test_nothing_is_migrated_on_the_replica(self) -> None:
        assert ReplicaRouter().allow_migrate("replica", "risks") is False
        assert ReplicaRouter().allow_migrate("default", "risks") is None

    def test_the_worker_reads_a_report_from_the_replica(self) -> None:
        self.client.force_login(self.reader)
        with override_settings(MEDIA_ROOT=self.enterContext(tempfile.TemporaryDirectory())):
            self.client.get(reverse("reports:report", args=["overview", self.sn_plan.pk]))
            self.reads.clear()
            run_worker()
            job = ReportJob.objects.get()
            assert job.status == ReportJob.Status.READY
        assert self.aliases("risks.Risk") == {"replica"}
        assert self.aliases("jobs.ReportJob") <= {None, "default"}


class WithoutReplicaTests(BaseTestCase):
    def test_every_read_goes_to_the_primary_and_no_one_is_pinned(self) -> None:
        self.client.force_login(self.coordinator)
        with replica_reads():
            assert ReplicaRouter().db_for_read(Risk) is None
        response = self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        assert PIN_COOKIE not in response.cookies
