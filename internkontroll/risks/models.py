from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from internkontroll.access import (
    AssignableQuerySet,
    ScopeShape,
    UnitScopedQuerySet,
    get_for_user,
    read_for_user,
)
from internkontroll.lib.prepared import Slot, prepared
from internkontroll.organisation.defaults import MAX_SCALE
from internkontroll.organisation.models import Goal, Level, Process, RiskArea, Unit
from internkontroll.plans.models import ControlPlan


class Handling(models.TextChoices):
    ACCEPT = "accept", _("accept")
    MITIGATE = "mitigate", _("mitigate with actions")
    REVIEW = "review", _("review in the internal control plan")
    IMPROVE = "improve", _("handle in systematic improvement work")


class Progress(models.TextChoices):
    """Status of an action or an audit recommendation."""

    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


OPEN_PROGRESS = (Progress.NOT_STARTED, Progress.IN_PROGRESS)


def choice_label(choices: type[models.Choices], value: Any) -> Any:
    """What get_FOO_display gives (the value itself if it is no choice), translating only this
    label: Django's own translates every label of the field on each call, in every table row."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def today() -> datetime.date:
    return timezone.localdate()


class RiskQuerySet(UnitScopedQuerySet["Risk"]):
    # A risk is seen by those who hold the committee owning the plan and by the unit that found it.
    unit_paths = ("plan__unit_id", "unit_id")


class Risk(models.Model):
    # Indexed as the first column of the indexes and the constraint in Meta: no index of its own.
    plan = models.ForeignKey(
        ControlPlan,
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="risks",
        db_index=False,
    )
    external_id = models.CharField(_("identifier"), max_length=100)
    title = models.CharField(_("title"), max_length=500)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("identified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="identified_risks",
    )
    area = models.ForeignKey(
        RiskArea,
        verbose_name=_("risk area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
    )
    process = models.ForeignKey(
        Process,
        verbose_name=_("process"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
    )
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("goal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
    )
    description = models.TextField(_("risk description"), blank=True)
    consequence_description = models.TextField(_("consequence description"), blank=True)
    existing_controls = models.TextField(_("existing controls"), blank=True)
    probability = models.PositiveSmallIntegerField(_("probability"), null=True, blank=True)
    consequence = models.PositiveSmallIntegerField(_("consequence"), null=True, blank=True)
    target_probability = models.PositiveSmallIntegerField(
        _("target probability"), null=True, blank=True
    )
    target_consequence = models.PositiveSmallIntegerField(
        _("target consequence"), null=True, blank=True
    )
    handling = models.JSONField(_("handling"), default=list, blank=True)
    planned_handling = models.TextField(_("planned handling"), blank=True)
    recommendations = models.ManyToManyField(
        "audits.Recommendation",
        verbose_name=_("audit recommendations behind the risk"),
        blank=True,
        related_name="risks",
    )
    # Set when the risk was carried over from last year's plan (see plans.rollover).
    previous = models.OneToOneField(
        "self",
        verbose_name=_("last year's version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="next",
    )
    # Raised on every edit; an edit made from an older version is refused (no lost edits).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # The history is read by object, plan, unit, time and author; other keys only slow writes.
    history = HistoricalRecords(
        m2m_fields=[recommendations], no_db_index=["area", "process", "goal", "previous"]
    )

    objects = RiskQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["plan", "id"]
        # The risk list's heat map, filters and sorts, within a plan.
        indexes = [
            models.Index(fields=["plan", "probability", "consequence"], name="risk_plan_cell"),
            models.Index(fields=["plan", "area"], name="risk_plan_area"),
            models.Index(fields=["plan", "process"], name="risk_plan_process"),
            models.Index(fields=["plan", "title"], name="risk_plan_title"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["plan", "external_id"], name="risk_id_unique_in_plan"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{first}__isnull": True, f"{second}__isnull": True})
                    | Q(
                        **{
                            f"{first}__isnull": False,
                            f"{second}__isnull": False,
                            f"{first}__gte": 1,
                            f"{first}__lte": MAX_SCALE,
                            f"{second}__gte": 1,
                            f"{second}__lte": MAX_SCALE,
                        }
                    ),
                    name=f"risk_{prefix}assessment_is_a_cell",
                )
                for prefix, first, second in (
                    ("", "probability", "consequence"),
                    ("target_", "target_probability", "target_consequence"),
                )
            ],
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_assessed(self) -> bool:
        return self.probability is not None and self.consequence is not None

    @property
    def score(self) -> int | None:
        if self.probability is None or self.consequence is None:
            return None
        return self.probability * self.consequence

    @property
    def level(self) -> Level | None:
        if self.probability is None or self.consequence is None:
            return None
        return self.plan.risk_matrix.level_for(self.probability, self.consequence)

    @property
    def target_score(self) -> int | None:
        if self.target_probability is None or self.target_consequence is None:
            return None
        return self.target_probability * self.target_consequence

    @property
    def target_level(self) -> Level | None:
        if self.target_probability is None or self.target_consequence is None:
            return None
        return self.plan.risk_matrix.level_for(self.target_probability, self.target_consequence)

    @property
    def is_critical(self) -> bool:
        """Whether the risk sits at the highest level of its year's matrix."""
        return self.plan.risk_matrix.is_critical(self.level)

    def get_handling_display(self) -> list[str]:
        return [str(Handling(code).label) for code in self.handling if code in Handling.values]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not isinstance(self.handling, list) or any(
            code not in Handling.values for code in self.handling
        ):
            errors["handling"] = gettext("Unknown handling code.")
        elif len(set(self.handling)) != len(self.handling):
            errors["handling"] = gettext("A handling may only be chosen once.")
        if self.plan_id:
            matrix = self.plan.risk_matrix
            for first, second in (
                ("probability", "consequence"),
                ("target_probability", "target_consequence"),
            ):
                p, c = getattr(self, first), getattr(self, second)
                if (p is None) != (c is None):
                    errors[second if c is None else first] = gettext(
                        "Give both probability and consequence, or neither."
                    )
                elif p is not None and p > matrix.probability_size:
                    errors[first] = gettext(
                        "%(value)s is outside the matrix's scale 1–%(max)s."
                    ) % {"value": p, "max": matrix.probability_size}
                elif c is not None and c > matrix.consequence_size:
                    errors[second] = gettext(
                        "%(value)s is outside the matrix's scale 1–%(max)s."
                    ) % {"value": c, "max": matrix.consequence_size}
            organisation_id = self.plan.unit.organisation_id
            for name in ("unit", "area", "process", "goal"):
                related = getattr(self, name)
                if related is not None and related.organisation_id != organisation_id:
                    errors[name] = gettext("Belongs to another organisation.")
            # The unit opens the plan to its readers, so it must lie below the plan's owner.
            if (
                "unit" not in errors
                and self.unit_id is not None
                and self.unit_id not in self.plan.unit.subtree_ids()
            ):
                errors["unit"] = gettext(
                    "The unit %(unit)s is not part of %(committee)s, which owns the plan."
                ) % {"unit": self.unit, "committee": self.plan.unit}
        if errors:
            raise ValidationError(errors)


class ActionQuerySet(AssignableQuerySet["Action"]):
    unit_paths = ("risk__plan__unit_id", "risk__unit_id")

    def overdue(self, on: datetime.date | None = None) -> ActionQuerySet:
        return self.filter(status__in=OPEN_PROGRESS, due_date__lt=on or today())


class Action(models.Model):
    """Something the organisation does to lower a risk, followed up until done."""

    # Indexed as the first column of the indexes and the constraint in Meta: no index of its own.
    risk = models.ForeignKey(
        Risk,
        verbose_name=_("risk"),
        on_delete=models.CASCADE,
        related_name="actions",
        db_index=False,
    )
    external_id = models.CharField(_("identifier"), max_length=100)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_actions",
        db_index=False,  # the first column of action_assignee_open
        help_text=_("The person who reports on it and sees it under My tasks."),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Progress.choices, default=Progress.NOT_STARTED
    )
    # Set when the open action followed its risk into next year's plan (see plans.rollover).
    previous = models.OneToOneField(
        "self",
        verbose_name=_("last year's version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="next",
    )
    # Raised on every edit; an edit made from an older version is refused (no lost edits).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # The history is read by object, risk, time and author; other keys only slow writes.
    history = HistoricalRecords(no_db_index=["assignee", "previous"])

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["risk", "id"]
        indexes = [
            # My tasks: a person's open actions by due date.
            models.Index(fields=["assignee", "status", "due_date"], name="action_assignee_open"),
            # Counts by status and overdue actions, per risk.
            models.Index(fields=["risk", "status", "due_date"], name="action_risk_status_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["risk", "external_id"], name="action_id_unique_in_risk"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Progress.values), name="action_status_is_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_status_display(self) -> str:  # type: ignore[no-redef]
        return choice_label(Progress, self.status)

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        return (
            self.status in OPEN_PROGRESS
            and self.due_date is not None
            and self.due_date < (on or today())
        )

    def clean(self) -> None:
        if self.risk_id:
            problem = due_date_problem(self.due_date, self.risk.plan.year)
            if problem:
                raise ValidationError({"due_date": problem})


# How far beyond its plan's year an action or a control activity may be due.
MAX_YEARS_AHEAD = 5


def due_date_problem(due_date: datetime.date | None, year: int) -> str | None:
    """Why a due date is implausible for a plan of `year`: outside year − 1 … year + 5."""
    if due_date is None or year - 1 <= due_date.year <= year + MAX_YEARS_AHEAD:
        return None
    return gettext(
        "The due date must lie between %(first)s and %(last)s, "
        "the years around the plan's year %(year)s."
    ) % {"first": year - 1, "last": year + MAX_YEARS_AHEAD, "year": year}


class RolloverDecisionQuerySet(UnitScopedQuerySet["RolloverDecision"]):
    # Read with last year's risk it decides on.
    unit_paths = ("risk__plan__unit_id", "risk__unit_id")


class RolloverDecision(models.Model):
    """What became of one of last year's risks when next year's plan was made from it."""

    class Decision(models.TextChoices):
        CARRY = "carry", _("carry over")
        CLOSE = "close", _("close the risk")
        MERGE = "merge", _("merge into another risk")

    plan = models.ForeignKey(
        ControlPlan,
        verbose_name=_("next year's plan"),
        on_delete=models.CASCADE,
        related_name="rollover_decisions",
    )
    # One decision per risk: a second rollover skips the risks already decided.
    risk = models.OneToOneField(
        Risk, verbose_name=_("last year's risk"), on_delete=models.CASCADE, related_name="rollover"
    )
    decision = models.CharField(
        _("what becomes of the risk"), max_length=10, choices=Decision.choices
    )
    reason = models.TextField(_("reason for the decision"), blank=True)
    # The risk in next year's plan: the carried copy, or the one it was merged into.
    target = models.ForeignKey(
        Risk,
        verbose_name=_("risk next year"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rolled_into",
    )
    decided_at = models.DateTimeField(_("decided on"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = RolloverDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("rollover decision")
        verbose_name_plural = _("rollover decisions")
        ordering = ["plan", "risk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=["carry", "close", "merge"]),
                name="rollover_decision_is_known",
            ),
            models.CheckConstraint(
                condition=Q(decision="close", target__isnull=True)
                | Q(decision__in=["carry", "merge"], target__isnull=False),
                name="rollover_decision_has_a_target_unless_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.risk} → {self.plan}: {self.get_decision_display()}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.decision == self.Decision.CLOSE and not self.reason.strip():
            errors["reason"] = gettext("Say why the risk “%(risk)s” is closed.") % {
                "risk": self.risk
            }
        if self.plan_id and self.risk_id:
            last_year = self.risk.plan
            if (self.plan.unit_id, self.plan.year) != (last_year.unit_id, last_year.year + 1):
                errors["plan"] = gettext(
                    "A risk of %(committee)s %(year)s goes into the committee's plan for %(next)s."
                ) % {
                    "committee": last_year.unit,
                    "year": last_year.year,
                    "next": last_year.year + 1,
                }
        if self.target is not None and self.target.plan_id != self.plan_id:
            errors["target"] = gettext("The risk next year belongs to another plan.")
        if errors:
            raise ValidationError(errors)


# What a risk's pages show of it, read with it.
RISK_PAGE_RELATED = ("plan__risk_matrix", "plan__unit", "area", "process", "goal", "unit")


def get_risk_for_user(
    user: Any, pk: Any, *, write: bool = False, also: tuple[str, ...] = ()
) -> Risk:
    """The risk with what its pages show of it, and the related rows named in `also`."""
    if not write:
        return read_for_user(_readable_risk, user, pk, also)
    return get_for_user(
        Risk.objects.select_related(*RISK_PAGE_RELATED, *also), user, pk, write=write
    )


@prepared(Risk)
def _readable_risk(scope: ScopeShape, also: tuple[str, ...]) -> models.QuerySet[Risk]:
    return (
        Risk.objects.in_prepared_scope(scope)
        .select_related(*RISK_PAGE_RELATED, *also)
        .filter(pk=Slot("pk", models.BigIntegerField()))
        .order_by()  # one row
    )


def get_action_for_user(user: Any, pk: Any, *, write: bool = False, report: bool = False) -> Action:
    return get_for_user(
        Action.objects.select_related("risk__plan__unit__organisation", "assignee"),
        user,
        pk,
        write=write,
        report=report,
    )
