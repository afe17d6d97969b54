from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from internkontroll.organisation.models import Organisation


def validate_docx_template(file: Any) -> None:
    """Refuse, at upload, a file that cannot be the base of the organisation's Word reports."""
    from internkontroll.reports.render.docx import validate_template

    problems = validate_template(file)
    if problems:
        raise ValidationError(problems)


class ReportTemplate(models.Model):
    """An organisation's own Word document (logo, fonts, margins) that its reports are built on."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="report_template",
    )
    file = models.FileField(
        _("Word template"), upload_to="report-templates/", validators=[validate_docx_template]
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")

    def __str__(self) -> str:
        return str(self.organisation)


class ReportKind(models.TextChoices):
    """The report kinds and their titles; `reports.kinds.KINDS` registers one module for each."""

    RISK_PICTURE = "risk-picture", _("Risk picture")
    CONTROL_PLAN = "control-plan", _("Internal control plan")
    FOLLOW_UP = "follow-up", _("Follow-up of the internal control plan and risk picture")
    CRITICAL_RISKS = "critical-risks", _("Follow-up of critical risks")
    ASSESSMENT = "assessment", _("Assessment of the committee's internal control")
    RECOMMENDATIONS = "recommendations", _("Follow-up of the auditors' recommendations")
    OVERVIEW = "overview", _("Overview of all committees")


class ReportIntroduction(models.Model):
    """The text a report opens with ("Inledning"), written for one plan and report kind.

    The organisation-wide overview's text belongs to the organisation (no plan). Without a
    row the report opens with the default text of `reports.introductions`.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="report_introductions",
    )
    plan = models.ForeignKey(
        "plans.ControlPlan",
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_introductions",
    )
    kind = models.CharField(_("report"), max_length=30, choices=ReportKind.choices)
    text = models.TextField(_("introduction"))
    # Raised on every edit; an edit made from an older version is refused (no lost edits).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report introduction")
        verbose_name_plural = _("report introductions")
        ordering = ["organisation", "plan", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind"],
                condition=Q(plan__isnull=False),
                name="one_introduction_per_plan_and_kind",
            ),
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                condition=Q(plan__isnull=True),
                name="one_organisation_introduction_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind=ReportKind.OVERVIEW, plan__isnull=True)
                | (~Q(kind=ReportKind.OVERVIEW) & Q(plan__isnull=False)),
                name="introduction_overview_belongs_to_the_organisation",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReportKind.values), name="introduction_kind_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.plan or self.organisation})"

    def clean(self) -> None:
        if self.plan is not None and self.plan.unit.organisation_id != self.organisation_id:
            raise ValidationError(gettext("The plan belongs to another organisation."))
        if not self.text.strip():
            raise ValidationError({"text": gettext("Write the introduction, or use the default.")})
