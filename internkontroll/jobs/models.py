"""Reports made in the background for one person, and kept for them for a while."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from internkontroll.plans.models import ControlPlan


def private_path(job: ReportJob, filename: str) -> str:
    # One folder per job, named by its random id: a retry writes the same path again.
    return f"reports/{job.pk}/{filename}"


class ReportJobQuerySet(models.QuerySet["ReportJob"]):
    def in_flight(self) -> ReportJobQuerySet:
        """Waiting or being made, and not so long ago that its worker must have died."""
        since = timezone.now() - datetime.timedelta(seconds=settings.IK_REPORT_STALE_SECONDS)
        return self.filter(
            status__in=[ReportJob.Status.PENDING, ReportJob.Status.RUNNING], created_at__gte=since
        )

    def expired(self) -> ReportJobQuerySet:
        return self.filter(expires_at__lte=timezone.now())


class ReportJob(models.Model):
    """One report asked for by one person, made by a worker; the file is theirs alone."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("being made")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="report_jobs",
    )
    plan = models.ForeignKey(
        ControlPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("report"), max_length=32)
    format = models.CharField(_("format"), max_length=8)
    period_code = models.CharField(_("period"), max_length=16, blank=True)
    as_of = models.DateField(_("as of"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    file = models.FileField(_("file"), upload_to=private_path, max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    # Whose share of the plan the file holds ("whole" or a digest of the units): it is served
    # only while the person's share is still the same.
    share = models.CharField(_("share"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("asked for"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        indexes = [
            models.Index(fields=["requested_by", "status"], name="jobs_by_person_and_status"),
            models.Index(fields=["expires_at"], name="jobs_by_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.format} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.READY, self.Status.FAILED}

    @property
    def problem(self) -> str:
        """Why there is no file, in the person's language; empty while there may yet be one."""
        if self.status == self.Status.FAILED:
            return self.error
        stale = timezone.now() - datetime.timedelta(seconds=settings.IK_REPORT_STALE_SECONDS)
        if not self.finished and self.created_at < stale:
            return gettext("It took too long to make. Ask for it again.")
        return ""


def get_job_for_user(user: Any, pk: Any) -> ReportJob:
    """The person's own job, not yet expired; 404 for anyone else's (who may not know of it)."""
    job = (
        ReportJob.objects.select_related("plan__unit")
        .filter(pk=pk, requested_by_id=getattr(user, "pk", None), expires_at__gt=timezone.now())
        .first()
    )
    if job is None:
        raise Http404
    return job
