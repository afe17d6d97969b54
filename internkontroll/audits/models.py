from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from internkontroll.access import UnitScopedQuerySet, get_for_user
from internkontroll.lib.dates import date_problem
from internkontroll.organisation.models import Organisation, Unit
from internkontroll.risks.models import Progress


class AuditReportQuerySet(UnitScopedQuerySet["AuditReport"]):
    unit_paths = ("unit_id",)
    organisation_path = "organisation_id"


class AuditReport(models.Model):
    """An auditors' report (granskning) addressed to a committee."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="audit_reports",
    )
    external_id = models.CharField(_("identifier"), max_length=100)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_reports",
    )
    title = models.CharField(_("title"), max_length=500)
    auditor = models.CharField(_("auditor"), max_length=200, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    objects = AuditReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit report")
        verbose_name_plural = _("audit reports")
        ordering = ["organisation", "-date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"], name="audit_report_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        problem = date_problem(self.date)
        if problem:
            raise ValidationError({"date": problem})


class RecommendationQuerySet(UnitScopedQuerySet["Recommendation"]):
    unit_paths = ("report__unit_id",)
    organisation_path = "report__organisation_id"


class Recommendation(models.Model):
    """An auditors' recommendation, the committee's response and how far it has come."""

    report = models.ForeignKey(
        AuditReport,
        verbose_name=_("audit report"),
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    external_id = models.CharField(_("identifier"), max_length=100)
    text = models.TextField(_("recommendation"))
    response = models.TextField(_("response"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Progress.choices, default=Progress.NOT_STARTED
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["report", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "external_id"], name="recommendation_id_unique_in_report"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Progress.values),
                name="recommendation_status_is_known",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


def get_audit_report_for_user(user: Any, pk: Any, *, write: bool = False) -> AuditReport:
    return get_for_user(AuditReport.objects.all(), user, pk, write=write)


def get_recommendation_for_user(user: Any, pk: Any, *, write: bool = False) -> Recommendation:
    return get_for_user(Recommendation.objects.select_related("report"), user, pk, write=write)
