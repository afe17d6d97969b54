"""Which reports are made in the background, and making one there exactly as in a request."""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from internkontroll.access.plans import PlanReading, report_reading
from internkontroll.jobs.models import ReportJob, private_path
from internkontroll.lib.routers import replica_reads
from internkontroll.plans.models import ControlPlan
from internkontroll.reports.kinds import KINDS, ReportError
from internkontroll.reports.requests import Made, make
from internkontroll.risks.models import Action, Risk

logger = logging.getLogger(__name__)

# What a report made without a request carries where a page has its CSP nonce.
EMPTY_NONCE = '<style nonce="">'


def share_of(reading: PlanReading) -> str:
    if reading.whole:
        return "whole"
    units = ",".join(str(unit) for unit in sorted(reading.units))
    return hashlib.sha256(units.encode()).hexdigest()


def size(plan: ControlPlan, reading: PlanReading) -> int:
    """The rows a committee's report grows with: the reader's risks and their actions."""
    risks = Risk.objects.filter(plan=plan, **reading.risk_filter())
    return risks.count() + Action.objects.filter(risk__in=risks).count()


def in_background(kind: str, plan: ControlPlan, fmt: str, reading: PlanReading) -> bool:
    """The organisation-wide overview always; a committee's report once it is large.

    A PDF costs about ten times the other formats per row (measured: 200 risks with 600
    actions take 10 s as a PDF, 0.2–0.6 s as a page, a Word file or a workbook).
    """
    if KINDS[kind].organisation_wide:
        return True
    if fmt == "pdf":
        return size(plan, reading) > settings.IK_REPORT_BACKGROUND_PDF_ROWS
    return size(plan, reading) > settings.IK_REPORT_BACKGROUND_ROWS


@dataclass(frozen=True)
class Outcome:
    status: str
    retry_in: int | None = None


def run(job_id: str) -> Outcome:
    """Make the job's report once; a job already finished (a repeated delivery) is left as it is."""
    claimed = ReportJob.objects.filter(
        pk=job_id, status__in=[ReportJob.Status.PENDING, ReportJob.Status.RUNNING]
    ).update(status=ReportJob.Status.RUNNING, attempts=F("attempts") + 1)
    if not claimed:
        return Outcome("finished")
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    with translation.override(job.language):
        try:
            with replica_reads():
                made = produce(job)
        except (ReportError, PermissionDenied) as error:
            # The request itself cannot be answered: trying again would answer the same.
            fail(job, str(error) or _("You may no longer read this report."))
            return Outcome(job.status)
        except Exception:
            logger.exception("Report job %s failed on attempt %s", job.pk, job.attempts)
            if job.attempts < settings.IK_TASK_ATTEMPTS:
                ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.PENDING)
                return Outcome("retry", retry_in=settings.IK_TASK_RETRY_SECONDS * job.attempts)
            fail(job, _("Something went wrong while it was made. Ask for it again later."))
            return Outcome(job.status)
    store(job, made)
    clean_expired()
    return Outcome(job.status)


def reading_for(job: ReportJob, user: Any, plan: ControlPlan) -> PlanReading:
    """The person's share of the plan for the job's kind now; PermissionDenied if none."""
    spec = KINDS[job.kind]
    return report_reading(
        user, plan, whole_plan=spec.whole_plan, organisation_wide=spec.organisation_wide
    )


def produce(job: ReportJob) -> Made:
    """The file the synchronous path makes for this person (`make`, with their reading)."""
    plan = ControlPlan.objects.select_related("unit", "risk_matrix").get(pk=job.plan_id)
    reading = reading_for(job, job.requested_by, plan)
    job.share = share_of(reading)
    return make(
        job.kind,
        plan,
        fmt=job.format,
        period_code=job.period_code or None,
        as_of=job.as_of,
        reading=reading,
    )


def store(job: ReportJob, made: Made) -> None:
    storage = job.file.storage
    name = private_path(job, made.filename)
    if storage.exists(name):
        storage.delete(name)  # left by an attempt that stopped before it was recorded
    job.file.save(made.filename, ContentFile(made.content), save=False)
    job.filename = made.filename
    job.content_type = made.content_type
    job.status = ReportJob.Status.READY
    job.finished_at = timezone.now()
    job.expires_at = job.finished_at + datetime.timedelta(hours=settings.IK_REPORT_FILE_HOURS)
    job.error = ""
    job.save(
        update_fields=[
            "file",
            "filename",
            "content_type",
            "status",
            "finished_at",
            "expires_at",
            "error",
            "share",
        ]
    )


def fail(job: ReportJob, message: str) -> None:
    job.status = ReportJob.Status.FAILED
    job.error = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])


def clean_expired(limit: int = 100) -> int:
    """Delete expired jobs and their files, a bounded number at a time; returns how many."""
    expired = list(ReportJob.objects.expired().order_by("expires_at")[:limit])
    for job in expired:
        if job.file:
            job.file.delete(save=False)
        job.delete()
    return len(expired)


def body_of(document: str) -> str:
    """The report's <article> out of the whole page (the same as the page's htmx fragment)."""
    start = document.index("<main>") + len("<main>")
    return document[start : document.rindex("</main>")]
