from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from internkontroll.access import AssignableQuerySet, get_for_user
from internkontroll.organisation.models import Period
from internkontroll.risks.models import Risk, choice_label, due_date_problem


class ControlActivityQuerySet(AssignableQuerySet["ControlActivity"]):
    unit_paths = ("risk__plan__unit_id", "risk__unit_id")


class Method(models.TextChoices):
    SAMPLE = "sample", _("sample")
    INTERVIEW = "interview", _("interview")
    SURVEY = "survey", _("survey")
    REGISTER_CHECK = "register_check", _("register check")
    LOG_CHECK = "log_check", _("log check")
    DOCUMENT_REVIEW = "document_review", _("document review")
    CASE_REVIEW = "case_review", _("case review")
    OTHER = "other", _("other")


class Frequency(models.TextChoices):
    ONCE = "once", _("once")
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    PER_TERM = "per_term", _("per term")
    PER_PERIOD = "per_period", _("every reporting period")
    YEARLY = "yearly", _("yearly")
    CONTINUOUS = "continuous", _("continuously")


# The control activity's texts, as forms, the importer and the exporter handle them.
TEXT_FIELDS = (
    "title",
    "working_method",
    "systematic_control",
    "description",
    "method",
    "sample",
    "responsible",
    "frequency",
)


class ControlActivity(models.Model):
    """A check, in the internal control plan, that the measures against a risk work."""

    Method = Method
    Frequency = Frequency

    # Indexed as the first column of the constraint in Meta: no index of its own.
    risk = models.ForeignKey(
        Risk,
        verbose_name=_("risk"),
        on_delete=models.CASCADE,
        related_name="control_activities",
        db_index=False,
    )
    external_id = models.CharField(_("identifier"), max_length=100)
    title = models.CharField(_("title"), max_length=500)
    working_method = models.TextField(_("working method"), blank=True)
    systematic_control = models.TextField(_("systematic control"), blank=True)
    description = models.TextField(_("control activity"), blank=True)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, blank=True)
    sample = models.CharField(_("sample"), max_length=500, blank=True)
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_control_activities",
        help_text=_("The person who reports on it and sees it under My tasks."),
    )
    frequency = models.CharField(
        _("frequency"), max_length=20, choices=Frequency.choices, blank=True
    )
    periods = models.ManyToManyField(
        Period, verbose_name=_("reported in periods"), blank=True, related_name="+"
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # Raised on every edit; an edit made from an older version is refused (no lost edits).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # The history is read by object, risk, time and author; other keys only slow writes.
    history = HistoricalRecords(m2m_fields=[periods], no_db_index=["assignee"])

    objects = ControlActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("control activity")
        verbose_name_plural = _("control activities")
        ordering = ["risk", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["risk", "external_id"], name="control_activity_id_unique_in_risk"
            ),
            models.CheckConstraint(
                condition=models.Q(method__in=[*Method.values, ""]),
                name="control_activity_method_is_known",
            ),
            models.CheckConstraint(
                condition=models.Q(frequency__in=[*Frequency.values, ""]),
                name="control_activity_frequency_is_known",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_method_display(self) -> str:  # type: ignore[no-redef]
        return choice_label(Method, self.method)

    def get_frequency_display(self) -> str:  # type: ignore[no-redef]
        return choice_label(Frequency, self.frequency)

    def clean(self) -> None:
        if self.risk_id:
            problem = due_date_problem(self.due_date, self.risk.plan.year)
            if problem:
                raise ValidationError({"due_date": problem})

    def validate_periods(self, periods: list[Period]) -> None:
        organisation_id = self.risk.plan.unit.organisation_id
        if any(period.organisation_id != organisation_id for period in periods):
            raise ValidationError({"periods": gettext("A period belongs to another organisation.")})


def get_control_activity_for_user(
    user: Any, pk: Any, *, write: bool = False, report: bool = False
) -> ControlActivity:
    return get_for_user(
        ControlActivity.objects.select_related("risk__plan__unit__organisation", "assignee"),
        user,
        pk,
        write=write,
        report=report,
    )
