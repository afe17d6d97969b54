from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from internkontroll.access import UnitScopedQuerySet, get_for_user
from internkontroll.access.plans import PlanScopedQuerySet
from internkontroll.lib.dates import date_problem
from internkontroll.organisation.models import PLAN_OWNER_KINDS, RiskMatrix, Unit


class ControlPlanQuerySet(PlanScopedQuerySet["ControlPlan"]):
    unit_paths = ("unit_id",)


class ControlPlan(models.Model):
    """A committee's internal control plan and risk picture for one year."""

    class Status(models.TextChoices):
        """The plan's lifecycle, in order: each state follows the one before."""

        DRAFT = "draft", _("draft")
        ADOPTED = "adopted", _("adopted")
        FOLLOW_UP = "follow_up", pgettext_lazy("plan status", "in follow-up")
        CLOSED = "closed", pgettext_lazy("plan status", "closed")

    unit = models.ForeignKey(
        Unit, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("Diarienummer, e.g. SN-2024/259.")
    )
    risk_matrix = models.ForeignKey(
        RiskMatrix, verbose_name=_("risk matrix"), on_delete=models.PROTECT, related_name="plans"
    )
    # The lifecycle after the adoption: who moved the plan on, and when (see plans.lifecycle).
    follow_up_started_at = models.DateTimeField(_("follow-up started"), null=True, blank=True)
    follow_up_started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("follow-up started by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Raised on every adoption; an adoption made from an older page is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    objects = ControlPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("internal control plan")
        verbose_name_plural = _("internal control plans")
        ordering = ["unit__name", "-year"]
        # The overview of all committees picks a year's plans.
        indexes = [models.Index(fields=["year", "unit"], name="plan_year_unit")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"], name="one_plan_per_committee_and_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900, year__lte=2200), name="plan_year_is_plausible"
            ),
            # Draft, adopted, in follow-up, closed: no state without the ones before it.
            models.CheckConstraint(
                condition=Q(follow_up_started_at__isnull=True) | Q(adopted_on__isnull=False),
                name="plan_followed_up_after_adoption",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(follow_up_started_at__isnull=False),
                name="plan_closed_after_follow_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"

    @property
    def organisation_id(self) -> int:
        return self.unit.organisation_id

    @property
    def status(self) -> str:
        if self.closed_at:
            return self.Status.CLOSED
        if self.follow_up_started_at:
            return self.Status.FOLLOW_UP
        return self.Status.ADOPTED if self.adopted_on else self.Status.DRAFT

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def status_changed(self) -> tuple[datetime.date, Any] | None:
        """When the plan reached its state, and who moved it there (None: the committee)."""
        if self.closed_at:
            return timezone.localdate(self.closed_at), self.closed_by
        if self.follow_up_started_at:
            return timezone.localdate(self.follow_up_started_at), self.follow_up_started_by
        if self.adopted_on:
            return self.adopted_on, None
        return None

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    def clean(self) -> None:
        errors = {}
        if self.unit_id and self.unit.kind not in PLAN_OWNER_KINDS:
            errors["unit"] = gettext("Only a committee or a company can own a plan.")
        if (
            self.unit_id
            and self.risk_matrix_id
            and self.risk_matrix.organisation_id != self.unit.organisation_id
        ):
            errors["risk_matrix"] = gettext("The risk matrix belongs to another organisation.")
        problem = self.adoption_problem()
        if problem:
            errors["adopted_on"] = problem
        if self.follow_up_started_at and not self.adopted_on:
            errors["follow_up_started_at"] = gettext(
                "The follow-up can only start once the plan is adopted."
            )
        if self.closed_at and not self.follow_up_started_at:
            errors["closed_at"] = gettext("Only a plan in follow-up can be closed.")
        if errors:
            raise ValidationError(errors)

    def adoption_problem(self) -> str | None:
        """An adoption lies in the plan's year or the year before, after any earlier adoption."""
        day = self.adopted_on
        if day is None or not self.year:
            return None
        if not self.year - 1 <= day.year <= self.year:
            return gettext(
                "A plan for %(year)s is adopted in %(year)s or the year before, not in %(given)s."
            ) % {"year": self.year, "given": day.year}
        later = AdoptedVersion.objects.filter(
            plan_id=self.pk, kind=AdoptedVersion.Kind.PLAN, decided_on__gt=day
        )
        previous = later.order_by("-decided_on").first() if self.pk else None
        if previous is not None:
            return gettext(
                "The plan was already adopted on %(previous)s; a new adoption cannot be earlier."
            ) % {"previous": previous.decided_on.isoformat()}
        return date_problem(day)


class AssessmentQuerySet(UnitScopedQuerySet["Assessment"]):
    unit_paths = ("plan__unit_id",)


class Assessment(models.Model):
    """The committee's judgement of whether its internal control was sufficient in a year."""

    class Verdict(models.TextChoices):
        SUFFICIENT = "sufficient", _("sufficient")
        PARTLY_SUFFICIENT = "partly_sufficient", _("partly sufficient")
        INSUFFICIENT = "insufficient", _("insufficient")

    plan = models.OneToOneField(
        ControlPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="assessment"
    )
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    analysis = models.TextField(_("analysis"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment of internal control")
        verbose_name_plural = _("assessments of internal control")

    def __str__(self) -> str:
        return gettext("Assessment %(plan)s") % {"plan": self.plan}

    def clean(self) -> None:
        day = self.decided_on
        problem = date_problem(day)
        if problem is None and day is not None and self.plan_id and day.year < self.plan.year:
            problem = gettext("The assessment cannot be decided before the year it assesses.")
        if problem:
            raise ValidationError({"decided_on": problem})


class AdoptedVersionQuerySet(models.QuerySet["AdoptedVersion"]):
    def for_user(self, user: Any, write: bool = False) -> AdoptedVersionQuerySet:
        """Whoever may read a plan may read its adopted versions."""
        return self.filter(plan__in=ControlPlan.objects.for_user(user, write).values("pk"))


class AdoptedVersion(models.Model):
    """A frozen copy of a plan (or its assessment) as the committee decided it; never edited."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("adopted plan")
        ASSESSMENT = "assessment", _("decided assessment")

    plan = models.ForeignKey(
        ControlPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="versions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    decided_on = models.DateField(_("decided on"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    snapshot = models.JSONField(_("snapshot"))
    # When the decision was recorded here: now, unless a story is told (the demo).
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = AdoptedVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("adopted version")
        verbose_name_plural = _("adopted versions")
        # In the order of the decisions, then of their registration.
        ordering = ["-decided_on", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.plan} {self.get_kind_display()} {self.decided_on:%Y-%m-%d}"


def get_plan_for_user(user: object, pk: object, *, write: bool = False) -> ControlPlan:
    return get_for_user(
        ControlPlan.objects.select_related(
            "unit", "risk_matrix", "follow_up_started_by", "closed_by"
        ),
        user,
        pk,
        write=write,
    )


def get_assessment_for_user(user: object, pk: object, *, write: bool = False) -> Assessment:
    return get_for_user(Assessment.objects.select_related("plan__unit"), user, pk, write=write)


def get_version_for_user(user: object, pk: object) -> AdoptedVersion:
    return get_for_user(AdoptedVersion.objects.select_related("plan__unit", "created_by"), user, pk)
