from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from internkontroll.access import (
    OrganisationScopedQuerySet,
    UnitScopedQuerySet,
    descendants,
    get_for_user,
    scope_for,
)
from internkontroll.lib.prepared import Slot, prepared
from internkontroll.organisation.defaults import (
    DEFAULT_PERIODS,
    DEFAULT_RISK_MATRIX,
)
from internkontroll.organisation.matrices import matrix_findings


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def for_user(self, user: Any, write: bool = False) -> OrganisationQuerySet:
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        return self.filter(
            pk__in=scope.settings_organisations if write else scope.readable_organisations
        )


class Organisation(models.Model):
    """A municipality or region: the tenant that owns units, settings and data."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    risk_matrix = models.ForeignKey(
        "organisation.RiskMatrix",
        verbose_name=_("current risk matrix"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The matrix new plans get. Plans keep the matrix they were made with."),
    )
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.risk_matrix is not None and self.risk_matrix.organisation_id != self.pk:
            raise ValidationError(
                {"risk_matrix": gettext("The risk matrix belongs to another organisation.")}
            )

    def period_on(self, day: datetime.date) -> Period | None:
        """The reporting period a day falls in: the first that ends on or after it."""
        return self.periods.all().on(day)

    def current_risk_matrix(self) -> RiskMatrix:
        """The organisation's matrix, created from the defaults the first time it is needed."""
        if self.risk_matrix is None:
            self.risk_matrix = RiskMatrix.objects.create(
                organisation=self, **RiskMatrix.fields_from_document(DEFAULT_RISK_MATRIX)
            )
            self.save(update_fields=["risk_matrix"])
        return self.risk_matrix

    def ensure_default_periods(self) -> None:
        if not self.periods.exists():
            for position, period in enumerate(DEFAULT_PERIODS):
                month, day = (int(part) for part in period["ends"].split("-"))
                Period.objects.create(
                    organisation=self,
                    code=period["code"],
                    name=period["name"],
                    ends_month=month,
                    ends_day=day,
                    position=position,
                )


@dataclass(frozen=True)
class Level:
    name: str
    min_score: int
    color: str
    rank: int  # 0 for the lowest level


class RiskMatrixQuerySet(OrganisationScopedQuerySet["RiskMatrix"]):
    pass


class RiskMatrix(models.Model):
    """Scales, levels and optional cell map that turn an assessment into a score and a level.

    A matrix in use by a plan is never edited: a new matrix is made instead, so a year keeps
    the levels it was assessed with.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="risk_matrices",
    )
    probability_labels = models.JSONField(_("probability scale"))
    consequence_labels = models.JSONField(_("consequence scale"))
    levels = models.JSONField(_("levels"))
    cells = models.JSONField(_("level per cell"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    objects = RiskMatrixQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk matrix")
        verbose_name_plural = _("risk matrices")
        ordering = ["organisation", "-created_at", "-id"]

    def __str__(self) -> str:
        return gettext("%(rows)s×%(columns)s matrix of %(organisation)s") % {
            "rows": len(self.probability_labels or []),
            "columns": len(self.consequence_labels or []),
            "organisation": self.organisation,
        }

    @staticmethod
    def fields_from_document(matrix: dict[str, Any]) -> dict[str, Any]:
        return {
            "probability_labels": list(matrix["probability"]),
            "consequence_labels": list(matrix["consequence"]),
            "levels": [dict(level) for level in matrix["levels"]],
            "cells": [list(row) for row in matrix["cells"]] if matrix.get("cells") else None,
        }

    def as_document(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "probability": list(self.probability_labels),
            "consequence": list(self.consequence_labels),
            "levels": [
                {"name": lv["name"], "min_score": lv["min_score"], "color": lv["color"]}
                for lv in self.levels
            ],
        }
        if self.cells:
            document["cells"] = [list(row) for row in self.cells]
        return document

    @property
    def probability_size(self) -> int:
        return len(self.probability_labels)

    @property
    def consequence_size(self) -> int:
        return len(self.consequence_labels)

    def level_objects(self) -> list[Level]:
        return [
            Level(name=lv["name"], min_score=lv["min_score"], color=lv["color"], rank=rank)
            for rank, lv in enumerate(self.levels)
        ]

    def contains(self, probability: int, consequence: int) -> bool:
        return (
            1 <= probability <= self.probability_size and 1 <= consequence <= self.consequence_size
        )

    def level_for(self, probability: int, consequence: int) -> Level:
        """The level of a cell: from the cell map when there is one, else from the score bands."""
        if not self.contains(probability, consequence):
            raise ValueError(f"({probability}, {consequence}) is outside the matrix")
        levels = self.level_objects()
        if self.cells:
            name = self.cells[probability - 1][consequence - 1]
            return next(level for level in levels if level.name == name)
        score = probability * consequence
        return [level for level in levels if level.min_score <= score][-1]

    def highest_level(self) -> Level:
        return self.level_objects()[-1]

    def is_critical(self, level: Level | None) -> bool:
        """A risk is critical when it sits at the matrix's highest level."""
        return level is not None and level.rank == len(self.levels) - 1

    def clean(self) -> None:
        errors = matrix_errors(self.as_document_unchecked())
        if errors:
            raise ValidationError(errors)
        if self.pk is not None and self.plans.exists():
            stored = RiskMatrix.objects.get(pk=self.pk)
            if stored.as_document() != self.as_document():
                raise ValidationError(
                    gettext("This matrix is used by a plan and cannot change; make a new one.")
                )

    def as_document_unchecked(self) -> dict[str, Any]:
        return {
            "probability": self.probability_labels,
            "consequence": self.consequence_labels,
            "levels": self.levels,
            "cells": self.cells,
        }


def matrix_errors(matrix: dict[str, Any]) -> list[str]:
    """Problems with a matrix's shape, as Swedish-translatable sentences."""
    errors = _matrix_type_errors(matrix)
    if errors:
        return errors
    return [message for _path, message in matrix_findings(matrix, ())]


def _matrix_type_errors(matrix: dict[str, Any]) -> list[str]:
    """What the JSON Schema checks in a document, checked here for rows made in other ways."""
    errors: list[str] = []
    for key, label in (("probability", _("probability")), ("consequence", _("consequence"))):
        scale = matrix.get(key)
        if not isinstance(scale, list) or not all(isinstance(s, str) and s for s in scale):
            errors.append(
                gettext("The %(scale)s scale must be a list of names.") % {"scale": label}
            )
    levels = matrix.get("levels")
    if not isinstance(levels, list) or not levels:
        errors.append(gettext("The matrix needs at least one level."))
    elif not all(
        isinstance(level, dict)
        and isinstance(level.get("name"), str)
        and isinstance(level.get("min_score"), int)
        and isinstance(level.get("color"), str)
        for level in levels
    ):
        errors.append(gettext("Every level needs a name, a lowest score and a colour."))
    elif any(level["min_score"] < 1 for level in levels):
        errors.append(
            gettext("Levels must start at score 1 and their lowest scores must increase.")
        )
    cells = matrix.get("cells")
    if cells is not None and (
        not isinstance(cells, list)
        or not all(isinstance(row, list) and all(isinstance(n, str) for n in row) for row in cells)
    ):
        errors.append(gettext("Every cell must name one of the matrix's levels."))
    return errors


def period_on(periods: Iterable[Period], day: datetime.date) -> Period | None:
    """Of one organisation's periods, the one a day falls in: the first that ends on or after
    it."""
    ordered = sorted(periods, key=lambda p: (p.ends_month, p.ends_day))
    return next((p for p in ordered if day <= p.end_date(day.year)), None)


def current_period(organisation_id: int, day: datetime.date) -> Period | None:
    """The organisation's reporting period a day falls in (`period_on`), by a prepared query."""
    return period_on(_organisation_periods.rows(organisation=organisation_id), day)


class PeriodQuerySet(OrganisationScopedQuerySet["Period"]):
    def on(self, day: datetime.date) -> Period | None:
        """Of these (one organisation's) periods, the one a day falls in (`period_on`)."""
        return period_on(self, day)


class Period(models.Model):
    """A reporting period of the organisation's year, such as T1 or delår."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="periods",
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    ends_month = models.PositiveSmallIntegerField(_("ends (month)"))
    ends_day = models.PositiveSmallIntegerField(_("ends (day)"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    deadline_days = models.PositiveSmallIntegerField(
        _("days to report after the period ends"),
        default=0,
        validators=[MaxValueValidator(120)],
        help_text=_(
            "The reporting deadline is this many days after the period ends; 0 means the "
            "period's last day."
        ),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        # By the organisation's key, not its name: lists of periods are of one organisation,
        # and the name would join the organisations to every query for nothing.
        ordering = ["organisation_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="period_code_unique"),
            models.CheckConstraint(
                condition=Q(
                    ends_month__gte=1, ends_month__lte=12, ends_day__gte=1, ends_day__lte=31
                ),
                name="period_ends_is_a_day_of_the_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def ends(self) -> str:
        return f"{self.ends_month:02d}-{self.ends_day:02d}"

    def end_date(self, year: int) -> datetime.date:
        """The day the period ends in a year (28 February when 29 is asked in a common year)."""
        last_day = calendar.monthrange(year, self.ends_month)[1]
        return datetime.date(year, self.ends_month, min(self.ends_day, last_day))

    def deadline(self, year: int) -> datetime.date:
        """The last day to report on the period of a year (it may fall in the next year)."""
        return self.end_date(year) + datetime.timedelta(days=self.deadline_days)


class UnitQuerySet(UnitScopedQuerySet["Unit"]):
    unit_paths = ("id",)


class UnitKind(models.TextChoices):
    COUNCIL = "council", pgettext_lazy("unit kind", "council")
    COMMITTEE = "committee", pgettext_lazy("unit kind", "committee")
    ADMINISTRATION = "administration", pgettext_lazy("unit kind", "administration")
    DEPARTMENT = "department", pgettext_lazy("unit kind", "department")
    UNIT = "unit", pgettext_lazy("unit kind", "unit")
    COMPANY = "company", pgettext_lazy("unit kind", "company")


# The kinds of unit that own internal control plans.
PLAN_OWNER_KINDS = (UnitKind.COMMITTEE, UnitKind.COMPANY)


class Unit(models.Model):
    """A node of the organisation's tree.

    Fullmäktige, nämnd, förvaltning, avdelning, enhet or bolag.
    """

    Kind = UnitKind

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="units",
    )
    external_id = models.CharField(_("identifier"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["organisation", "name"]
        # The overview lists an organisation's committees by name.
        indexes = [
            models.Index(fields=["organisation", "kind", "name"], name="unit_kind_by_name"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "external_id"], name="unit_id_unique"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
            models.CheckConstraint(
                condition=Q(kind__in=UnitKind.values), name="unit_kind_is_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def owns_plans(self) -> bool:
        return self.kind in PLAN_OWNER_KINDS

    def subtree_ids(self) -> set[int]:
        """The ids of this unit and every unit below it."""
        children: dict[int | None, list[int]] = {}
        for pk, parent in Unit.objects.filter(organisation_id=self.organisation_id).values_list(
            "pk", "parent_id"
        ):
            children.setdefault(parent, []).append(pk)
        return descendants(children, self.pk)

    def clean(self) -> None:
        if self.parent is None:
            return
        if self.parent.organisation_id != self.organisation_id:
            raise ValidationError(
                {"parent": gettext("The parent unit belongs to another organisation.")}
            )
        seen: set[int] = set()
        ancestor: Unit | None = self.parent
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": gettext("A unit cannot be placed below itself.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class GoalQuerySet(UnitScopedQuerySet["Goal"]):
    unit_paths = ("unit_id",)
    organisation_path = "organisation_id"


class Goal(models.Model):
    """A goal set by the council or the committee (KF-mål, nämndmål) for a year."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="goals"
    )
    external_id = models.CharField(_("identifier"), max_length=100)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goals",
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    objects = GoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["organisation", "year", "external_id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "external_id"], name="goal_id_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.external_id} {self.title}".strip()


class RiskAreaQuerySet(OrganisationScopedQuerySet["RiskArea"]):
    pass


class RiskArea(models.Model):
    """A heading risks are grouped under, such as "Risker för oegentligheter"."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="risk_areas",
    )
    name = models.CharField(_("name"), max_length=300)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    objects = RiskAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk area")
        verbose_name_plural = _("risk areas")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="risk_area_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class ProcessQuerySet(OrganisationScopedQuerySet["Process"]):
    pass


class Process(models.Model):
    """A process or area of responsibility, such as "Handläggning av ekonomiskt bistånd"."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="processes",
    )
    name = models.CharField(_("name"), max_length=300)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    objects = ProcessQuerySet.as_manager()

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="process_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


def get_unit_for_user(user: Any, pk: Any, *, write: bool = False) -> Unit:
    return get_for_user(Unit.objects.select_related("parent"), user, pk, write=write)


def get_goal_for_user(user: Any, pk: Any, *, write: bool = False) -> Goal:
    return get_for_user(Goal.objects.all(), user, pk, write=write)


@prepared(Period)
def _organisation_periods() -> models.QuerySet[Period]:
    return Period.objects.filter(organisation_id=Slot("organisation", models.BigIntegerField()))
