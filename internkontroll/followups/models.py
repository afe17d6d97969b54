from __future__ import annotations

import datetime
import uuid
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from internkontroll.access import UnitScopedQuerySet, get_for_user
from internkontroll.audits.models import Recommendation
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.evidence import ACCEPTED, served_name, served_type
from internkontroll.lib.dates import date_problem
from internkontroll.organisation.models import Period
from internkontroll.risks.models import Action, Progress, Risk, choice_label

SUBJECTS = ("action", "control_activity", "risk", "recommendation")
# An item's history, newest first: the latest follow-up is the first.
NEWEST_FIRST = ("-date", "-id")


class FollowUpQuerySet(UnitScopedQuerySet["FollowUp"]):
    unit_paths = (
        "action__risk__plan__unit_id",
        "action__risk__unit_id",
        "control_activity__risk__plan__unit_id",
        "control_activity__risk__unit_id",
        "risk__plan__unit_id",
        "risk__unit_id",
        "recommendation__report__unit_id",
    )
    organisation_path = "recommendation__report__organisation_id"

    def as_history(self) -> FollowUpQuerySet:
        """Newest first, with what followups/history.html shows of each: its period, the person
        reported for and the evidence, in a constant number of queries however many there are."""
        return (
            self.select_related("period", "reported_for")
            .prefetch_related("evidence")
            .order_by(*NEWEST_FIRST)
        )

    def latest_id(self, subject: str) -> Subquery:
        """For an annotation on the outer query's items (`subject` names their field here):
        the id of each item's latest follow-up, read without its history."""
        newest = self.filter(**{subject: OuterRef("pk")}).order_by(*NEWEST_FIRST)
        return Subquery(newest.values("pk")[:1])


def history_prefetch() -> Prefetch:
    """An item's follow-ups, as followups/history.html shows them under it."""
    return Prefetch("follow_ups", queryset=FollowUp.objects.as_history())


class Result(models.TextChoices):
    NO_REMARKS = "no_remarks", _("no remarks")
    DEVIATION = "deviation", _("deviation")
    NOT_DONE = "not_done", _("not done")


class FollowUp(models.Model):
    """A dated report on an action, control activity, risk or recommendation.

    Follow-ups are appended, never overwritten: the list is the item's history. A control
    activity's follow-up with the result "deviation" is the deviation the control found.
    """

    Result = Result

    action = models.ForeignKey(
        Action,
        verbose_name=_("action"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
        db_index=False,  # the first column of an index in Meta
    )
    control_activity = models.ForeignKey(
        ControlActivity,
        verbose_name=_("control activity"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
        db_index=False,  # the first column of an index in Meta
    )
    risk = models.ForeignKey(
        Risk,
        verbose_name=_("risk"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    period = models.ForeignKey(
        Period,
        verbose_name=_("period"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        db_index=False,  # the first column of an index in Meta
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=20, choices=Progress.choices, blank=True)
    on_track = models.BooleanField(_("on track"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # Which of a control activity's occurrences (by its due date) the result is for; empty in
    # follow-ups made before occurrences existed, which then stand for their whole period.
    occurrence = models.DateField(_("occurrence"), null=True, blank=True)
    # The action on the same risk that answers a deviation this follow-up reports.
    answered_by = models.ForeignKey(
        Action,
        verbose_name=_("action taken"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_deviations",
    )
    # Set when a coordinator reports for the responsible person; the history's user is the
    # coordinator who wrote it.
    reported_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Raised on every edit; an edit made from an older version is refused (no lost edits).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # The history is read by object, subject, time and author; other keys only slow writes.
    history = HistoricalRecords(no_db_index=["period", "answered_by", "reported_for"])

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(action__isnull=False, control_activity=None, risk=None, recommendation=None)
                    | Q(action=None, control_activity__isnull=False, risk=None, recommendation=None)
                    | Q(action=None, control_activity=None, risk__isnull=False, recommendation=None)
                    | Q(action=None, control_activity=None, risk=None, recommendation__isnull=False)
                ),
                name="follow_up_has_exactly_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[*Progress.values, ""]), name="follow_up_status_is_known"
            ),
            models.CheckConstraint(
                condition=Q(result__in=[*Result.values, ""]), name="follow_up_result_is_known"
            ),
        ]
        indexes = [
            models.Index(fields=["period", "date"], name="follow_up_period_date"),
            # Whether an item is reported for a period: the risk list, the overview, My tasks.
            models.Index(fields=["action", "period"], name="follow_up_action_period"),
            models.Index(fields=["control_activity", "period"], name="follow_up_activity_period"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.subject}"

    def get_status_display(self) -> str:  # type: ignore[no-redef]
        return choice_label(Progress, self.status)

    def get_result_display(self) -> str:  # type: ignore[no-redef]
        return choice_label(Result, self.result)

    @property
    def subject(self) -> Any:
        return next(getattr(self, name) for name in SUBJECTS if getattr(self, f"{name}_id"))

    @property
    def is_deviation(self) -> bool:
        return self.result == self.Result.DEVIATION

    def clean(self) -> None:
        if sum(getattr(self, f"{name}_id") is not None for name in SUBJECTS) != 1:
            raise ValidationError(gettext("A follow-up concerns exactly one item."))
        problem = date_problem(self.date, earliest=self.earliest_date())
        if problem:
            raise ValidationError({"date": problem})
        if self.occurrence is not None and self.control_activity_id is None:
            raise ValidationError(
                {"occurrence": gettext("Only a control activity's result is for an occurrence.")}
            )
        if self.answered_by_id is not None:
            self.validate_answer()

    def validate_answer(self) -> None:
        """An action answers a deviation a control activity found, on the activity's risk."""
        if self.control_activity_id is None or not self.is_deviation:
            raise ValidationError(
                {"answered_by": gettext("Only a deviation a control found can lead to an action.")}
            )
        activity = cast(ControlActivity, self.control_activity)
        if self.answered_by is not None and self.answered_by.risk_id != activity.risk_id:
            raise ValidationError(
                {"answered_by": gettext("The action must belong to the same risk as the control.")}
            )

    def earliest_date(self) -> datetime.date | None:
        """A recommendation is followed up after its report; the rest from the year before."""
        if self.recommendation is not None:
            return self.recommendation.report.date
        owner = self.subject
        plan = owner.plan if self.risk_id else owner.risk.plan
        return datetime.date(plan.year - 1, 1, 1)


def get_follow_up_for_user(user: Any, pk: Any, *, write: bool = False) -> FollowUp:
    return get_for_user(FollowUp.objects.all(), user, pk, write=write)


def get_deviation_for_user(user: Any, pk: Any) -> FollowUp:
    """A deviation a control found, if the user may see it (404 for any other follow-up)."""
    follow_up = get_for_user(
        FollowUp.objects.select_related("control_activity__risk__plan"), user, pk
    )
    if follow_up.control_activity_id is None or not follow_up.is_deviation:
        raise Http404
    return follow_up


def evidence_path(instance: Evidence, filename: str) -> str:
    # A random name with the extension of the type the content showed; never the user's name.
    kind = ACCEPTED.get(instance.content_type)
    return f"evidence/{uuid.uuid4().hex}" + (f".{kind.extension}" if kind else "")


class Evidence(models.Model):
    """A file attached to a follow-up as evidence (PDF, Office document or image)."""

    follow_up = models.ForeignKey(
        FollowUp, verbose_name=_("follow-up"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def download_name(self) -> str:
        return served_name(self.name, self.content_type)

    @property
    def download_type(self) -> str:
        return served_type(self.content_type)


def get_evidence_for_user(user: Any, pk: Any) -> Evidence:
    """An evidence file, if the user may see the follow-up it belongs to (404 otherwise)."""
    evidence = Evidence.objects.select_related("follow_up").filter(pk=pk).first()
    if evidence is None:
        raise Http404
    get_follow_up_for_user(user, evidence.follow_up_id)
    return evidence
