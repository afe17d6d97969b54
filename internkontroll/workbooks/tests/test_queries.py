"""Downloading and previewing a workbook take as many queries for a large plan as a small one."""

from __future__ import annotations

import datetime
import tempfile

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.risks.models import Action
from internkontroll.test import BaseTestCase, make_risk
from internkontroll.workbooks.models import PendingWorkbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@time_machine.travel(datetime.datetime(2025, 9, 10, 10, tzinfo=datetime.UTC), tick=False)
class QueryCountTests(BaseTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        media = cls.enterClassContext(tempfile.TemporaryDirectory())
        cls.enterClassContext(override_settings(MEDIA_ROOT=media))
        super().setUpClass()

    def queries(self) -> tuple[int, int]:
        """Queries of the download, and of the preview of that workbook uploaded unchanged."""
        self.client.force_login(self.coordinator)
        # A request first: the scope is read once after a change to roles or units.
        self.client.get(reverse("workbooks:download", args=[self.sn_plan.pk]))
        with CaptureQueriesContext(connection) as download:
            content = self.client.get(reverse("workbooks:download", args=[self.sn_plan.pk]))
        assert content.status_code == 200, content.status_code
        downloading = len(download)  # counted now: the connection keeps a bounded log
        self.client.post(
            reverse("workbooks:upload", args=[self.sn_plan.pk]),
            {"file": SimpleUploadedFile("plan.xlsx", content.content, content_type=XLSX)},
        )
        pending = PendingWorkbook.objects.get()
        with CaptureQueriesContext(connection) as preview:
            page = self.client.get(reverse("workbooks:preview", args=[pending.pk]))
        previewing = len(preview)
        assert "Inget ändras" in page.content.decode()
        pending.delete()
        return downloading, previewing

    def add_risks(self, count: int) -> None:
        period = self.organisation.periods.first()
        for number in range(count):
            risk = make_risk(
                self.sn_plan, f"x-{number}", unit=self.sf_barn, probability=2, consequence=1
            )
            action = Action.objects.create(risk=risk, external_id="a-1", title=f"Åtgärd {number}")
            activity = ControlActivity.objects.create(risk=risk, external_id="k-1", title="K")
            activity.periods.set([period])
            FollowUp.objects.create(
                action=action,
                period=period,
                date=datetime.date(2025, 4, 1),
                status="in_progress",
                comment="Pågår.",
            )

    def test_queries_do_not_grow_with_the_plan(self) -> None:
        small = self.queries()
        self.add_risks(8)

        large = self.queries()

        assert large == small
