"""Large reports made by the worker: the same file as in a request, for the asker alone."""

from __future__ import annotations

import datetime
import io
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from unittest import mock

import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import resolve_url
from django.test import override_settings
from django.urls import reverse

from internkontroll.accounts.models import Role, RoleAssignment
from internkontroll.jobs.models import ReportJob, private_path
from internkontroll.jobs.reports import clean_expired
from internkontroll.jobs.tasks import enqueue_report
from internkontroll.jobs.tests.worker import queued, run_worker
from internkontroll.reports.requests import Made, make
from internkontroll.reports.tests.helpers import xlsx_text
from internkontroll.test import BaseTestCase, make_user

NOW = datetime.datetime(2025, 9, 10, 10, tzinfo=datetime.UTC)


def contents(file: bytes) -> bytes | dict[str, bytes]:
    """What a reader gets from the file: a Word or Excel file's parts, not the zip's own dates
    (openpyxl dates a worksheet's part by its temporary file's clock, which no test freezes)."""
    if not file.startswith(b"PK"):
        return file
    with zipfile.ZipFile(io.BytesIO(file)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


class ReportJobTestCase(BaseTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.media = Path(cls.enterClassContext(tempfile.TemporaryDirectory()))
        cls.enterClassContext(override_settings(MEDIA_ROOT=cls.media))
        super().setUpClass()

    def setUp(self) -> None:
        self.clock = self.enterContext(time_machine.travel(NOW, tick=False))
        self.client.force_login(self.reader)

    def report_url(self, kind: str = "overview", **query: str) -> str:
        return reverse("reports:report", args=[kind, self.sn_plan.pk]) + (
            "?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else ""
        )

    def ask(self, kind: str = "overview", **query: str) -> ReportJob:
        response = self.client.get(self.report_url(kind, **query))
        assert response.status_code == 200
        return response.context["job"]

    def files(self, job: ReportJob) -> list[str]:
        folder = self.media / "reports" / str(job.pk)
        return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


class BackgroundReportTests(ReportJobTestCase):
    def test_the_overview_is_made_by_the_worker_as_the_same_file_as_in_a_request(self) -> None:
        for fmt in ("pdf", "docx", "xlsx"):
            with self.subTest(format=fmt):
                job = self.ask(format=fmt)
                run_worker()
                response = self.client.get(reverse("jobs:file", args=[job.pk]))
                made_now = self.client.get(self.report_url(format=fmt, now="1"))
                assert response.status_code == 200
                assert response["Content-Type"] == made_now["Content-Type"]
                assert response["Content-Disposition"] == made_now["Content-Disposition"]
                assert contents(b"".join(response.streaming_content)) == contents(made_now.content)

    def test_the_overview_page_shows_progress_then_the_report_in_its_place(self) -> None:
        page = self.client.get(self.report_url()).content.decode()
        assert 'role="status"' in page and 'aria-live="polite"' in page
        assert 'hx-trigger="load"' in page
        assert "Skapar rapporten" in page and "väntar på sin tur" in page
        job = ReportJob.objects.get()
        status_url = reverse("jobs:status", args=[job.pk])
        waiting = self.client.get(status_url, headers={"HX-Request": "true"})
        assert 'hx-trigger="load delay:2s"' in waiting.content.decode()
        assert "<html" not in waiting.content.decode()
        run_worker()
        ready = self.client.get(status_url, headers={"HX-Request": "true"})
        assert ready["HX-Retarget"] == "#report-progress"
        assert ready["HX-Reswap"] == "outerHTML"
        fragment = self.client.get(self.report_url(), headers={"HX-Request": "true"})
        assert ready.content.decode() == fragment.content.decode()
        assert ready.content.decode().startswith("<article")

    def test_the_finished_page_carries_its_own_nonce_and_the_requests_content(self) -> None:
        job = self.ask()
        run_worker()
        response = self.client.get(reverse("jobs:file", args=[job.pk]))
        made_now = self.client.get(self.report_url(now="1"))
        nonce = 'nonce="[^"]*"'
        assert re.sub(nonce, "", response.content.decode()) == re.sub(
            nonce, "", made_now.content.decode()
        )
        assert 'nonce=""' not in response.content.decode()
        assert "Översikt över alla nämnder" in response.content.decode()

    def test_a_committee_report_beyond_the_limit_is_made_in_the_background(self) -> None:
        self.client.force_login(self.coordinator)
        with override_settings(IK_REPORT_BACKGROUND_PDF_ROWS=1):
            job = self.ask("risk-picture", format="pdf")
        assert (job.kind, job.format, job.requested_by) == ("risk-picture", "pdf", self.coordinator)
        run_worker()
        job.refresh_from_db()
        assert job.status == ReportJob.Status.READY
        assert job.filename.endswith(".pdf")

    def test_a_small_committee_report_is_made_in_the_request(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(self.report_url("risk-picture", format="pdf"))
        assert response["Content-Type"] == "application/pdf"
        assert not ReportJob.objects.exists() and queued() == 0

    def test_an_excerpt_is_made_with_the_readers_share(self) -> None:
        self.client.force_login(self.responsible)
        with override_settings(IK_REPORT_BACKGROUND_ROWS=0):
            job = self.ask("risk-picture", format="xlsx")
        run_worker()
        response = self.client.get(reverse("jobs:file", args=[job.pk]))
        text = xlsx_text(b"".join(response.streaming_content))
        made_now = xlsx_text(
            self.client.get(self.report_url("risk-picture", format="xlsx")).content
        )
        assert text == made_now
        assert self.bn_risk.title not in text

    @override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    )
    def test_without_a_worker_the_report_is_made_in_the_request_and_offered_at_once(self) -> None:
        response = self.client.get(self.report_url(format="xlsx"))
        job = response.context["job"]
        assert job.status == ReportJob.Status.READY
        assert "Rapporten är klar" in response.content.decode()
        assert self.client.get(reverse("jobs:file", args=[job.pk])).status_code == 200

    def test_asking_again_while_it_is_made_does_not_make_it_twice(self) -> None:
        first = self.ask(format="xlsx")
        second = self.ask(format="xlsx")
        assert first == second
        assert ReportJob.objects.count() == 1 and queued() == 1

    def test_a_bad_period_is_refused_in_swedish_before_anything_is_queued(self) -> None:
        with override_settings(IK_REPORT_BACKGROUND_PDF_ROWS=0):
            response = self.client.get(self.report_url("follow-up", period="X1", format="pdf"))
        assert response.status_code == 400
        assert "Perioden X1 finns inte" in response.content.decode()
        assert not ReportJob.objects.exists()


class WhoGetsTheFileTests(ReportJobTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.job = self.ask(format="xlsx")
        run_worker()
        self.job.refresh_from_db()
        self.urls = [
            reverse("jobs:status", args=[self.job.pk]),
            reverse("jobs:file", args=[self.job.pk]),
        ]

    def test_the_person_who_asked_gets_it(self) -> None:
        page = self.client.get(self.urls[0]).content.decode()
        assert "Rapporten är klar" in page and self.urls[1] in page
        assert self.client.get(self.urls[1]).status_code == 200

    def test_another_person_who_may_read_the_plan_does_not(self) -> None:
        self.client.force_login(self.admin)
        for url in self.urls:
            assert self.client.get(url).status_code == 404

    def test_someone_from_another_organisation_does_not(self) -> None:
        self.client.force_login(self.outsider)
        for url in self.urls:
            assert self.client.get(url).status_code == 404

    def test_the_person_who_lost_the_right_to_read_it_does_not(self) -> None:
        RoleAssignment.objects.filter(user=self.reader).delete()
        for url in self.urls:
            assert self.client.get(url).status_code == 404

    def test_a_file_made_for_another_share_is_not_served(self) -> None:
        ReportJob.objects.filter(pk=self.job.pk).update(share="somebody else's")
        assert self.client.get(self.urls[1]).status_code == 404

    def test_anonymous_is_sent_to_log_in(self) -> None:
        self.client.logout()
        for url in self.urls:
            response = self.client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))

    def test_it_rejects_post(self) -> None:
        for url in self.urls:
            assert self.client.post(url).status_code == 405

    def test_expired_files_are_deleted_with_their_jobs(self) -> None:
        assert self.files(self.job) == [self.job.filename]
        self.clock.shift(datetime.timedelta(hours=settings.IK_REPORT_FILE_HOURS, seconds=1))
        self.client.force_login(self.reader)  # the login of the day before has ended
        for url in self.urls:
            assert self.client.get(url).status_code == 404
        assert clean_expired() == 1
        assert self.files(self.job) == []
        assert not ReportJob.objects.exists()


class FailuresAndRetriesTests(ReportJobTestCase):
    @override_settings(IK_TASK_ATTEMPTS=2)
    def test_a_report_that_cannot_be_made_says_so_in_swedish_after_its_last_attempt(self) -> None:
        job = self.ask(format="docx")
        with mock.patch("internkontroll.jobs.reports.make", side_effect=RuntimeError("disk")):
            run_worker()
            job.refresh_from_db()
            assert (job.status, job.attempts) == (ReportJob.Status.PENDING, 1)
            self.clock.shift(datetime.timedelta(seconds=settings.IK_TASK_RETRY_SECONDS))
            run_worker()
        job.refresh_from_db()
        assert (job.status, job.attempts) == (ReportJob.Status.FAILED, 2)
        page = self.client.get(reverse("jobs:status", args=[job.pk])).content.decode()
        assert "Rapporten kunde inte skapas. Något gick fel när den skapades." in page
        assert "hx-get" not in page  # no more polling
        assert self.client.get(reverse("jobs:file", args=[job.pk])).status_code == 404

    def test_a_retried_report_leaves_one_file(self) -> None:
        job = self.ask(format="xlsx")
        attempts = []

        def stops_after_writing_the_first_time(*args: Any, **kwargs: Any) -> Made:
            made = make(*args, **kwargs)
            attempts.append(made)
            if len(attempts) == 1:
                # The first attempt stopped after writing its file, before recording it.
                default_storage.save(private_path(job, made.filename), ContentFile(b"half"))
                raise RuntimeError("stopped")
            return made

        with mock.patch(
            "internkontroll.jobs.reports.make", side_effect=stops_after_writing_the_first_time
        ):
            run_worker()
            self.clock.shift(datetime.timedelta(seconds=settings.IK_TASK_RETRY_SECONDS))
            run_worker()
        job.refresh_from_db()
        assert (job.status, job.attempts) == (ReportJob.Status.READY, 2)
        assert self.files(job) == [attempts[1].filename] == [job.filename]
        assert job.file.read() == attempts[1].content

    def test_a_task_delivered_again_after_it_finished_changes_nothing(self) -> None:
        job = self.ask(format="xlsx")
        run_worker()
        job.refresh_from_db()
        enqueue_report(str(job.pk))
        with mock.patch("internkontroll.jobs.reports.make") as make:
            run_worker()
        make.assert_not_called()
        again = ReportJob.objects.get(pk=job.pk)
        assert (again.attempts, again.file.name) == (1, job.file.name)
        assert self.files(job) == [job.filename]

    def test_a_job_whose_worker_stopped_is_given_up_and_asked_for_anew(self) -> None:
        job = self.ask(format="xlsx")
        self.clock.shift(datetime.timedelta(seconds=settings.IK_REPORT_STALE_SECONDS + 1))
        page = self.client.get(reverse("jobs:status", args=[job.pk])).content.decode()
        assert "Rapporten kunde inte skapas. Det tog för lång tid att skapa den." in page
        assert self.ask(format="xlsx") != job

    def test_a_person_whose_right_ended_before_the_worker_came_gets_a_swedish_refusal(
        self,
    ) -> None:
        member = make_user("ledamot", self.organisation, [(Role.READER, None)])
        self.client.force_login(member)
        job = self.ask(format="xlsx")
        RoleAssignment.objects.filter(user=member).delete()
        run_worker()
        job.refresh_from_db()
        assert job.status == ReportJob.Status.FAILED
        assert job.attempts == 1  # refused at once: trying again would be refused again
