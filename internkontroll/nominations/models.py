"""A unit's proposal that a risk enter its committee's risk picture, and the decision on it.

A person with a role in a unit below a committee (responsible, coordinator or administrator)
proposes a new risk, or one of the risks the unit identified in another year, for the
committee's plan of a year. The committee's coordinators (those who write the plan) accept
it, which adds the risk to the plan, or return it with a reason. Whoever reads the unit reads
its proposals; the proposer follows them under "My proposals".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from internkontroll.access import UnitScopedQuerySet, get_for_user, scope_for
from internkontroll.accounts.models import Role
from internkontroll.lib.prepared import Slot, prepared
from internkontroll.organisation.models import PLAN_OWNER_KINDS, Process, RiskArea, Unit
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Risk

# Roles that may propose risks for the units they cover; readers and auditors only read.
PROPOSE_ROLES = frozenset({Role.RESPONSIBLE, Role.COORDINATOR, Role.ADMIN})


class NominationQuerySet(UnitScopedQuerySet["Nomination"]):
    # Read by whoever reads the proposing unit: its people, and those above it up to the
    # committee (who hold the plan). Written (decided) only by those who write the plan.
    unit_paths = ("unit_id",)

    def for_user(self, user: Any, write: bool = False) -> NominationQuerySet:
        if write:
            return self.filter(
                plan_id__in=ControlPlan.objects.for_user(user, write=True).values("pk")
            )
        return super().for_user(user)  # type: ignore[return-value]

    def may_write(self, obj: Nomination, user: Any) -> bool:
        return ControlPlan.objects.may_write(obj.plan, user)

    def pending(self) -> NominationQuerySet:
        return self.filter(status=Nomination.Status.PROPOSED)


class Nomination(models.Model):
    """A proposed risk for a committee's plan: its content as proposed, then the decision."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("nomination", "awaiting decision")
        ACCEPTED = "accepted", pgettext_lazy("nomination", "accepted")
        RETURNED = "returned", pgettext_lazy("nomination", "returned")
        WITHDRAWN = "withdrawn", pgettext_lazy("nomination", "withdrawn")

    plan = models.ForeignKey(
        ControlPlan,
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="nominations",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("proposing unit"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    source_risk = models.ForeignKey(
        Risk,
        verbose_name=_("based on the risk"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nominations",
    )
    title = models.CharField(_("title"), max_length=500)
    area = models.ForeignKey(
        RiskArea,
        verbose_name=_("risk area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    process = models.ForeignKey(
        Process,
        verbose_name=_("process"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("risk description"), blank=True)
    consequence_description = models.TextField(_("consequence description"), blank=True)
    existing_controls = models.TextField(_("existing controls"), blank=True)
    probability = models.PositiveSmallIntegerField(_("probability"), null=True, blank=True)
    consequence = models.PositiveSmallIntegerField(_("consequence"), null=True, blank=True)
    motivation = models.TextField(
        _("why the committee should include it"),
        help_text=_("What makes the risk serious enough for the committee's risk picture."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("nomination", "proposed by"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    proposed_at = models.DateTimeField(
        pgettext_lazy("nomination", "proposed at"), default=timezone.now
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("nomination", "decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(
        pgettext_lazy("nomination", "decided at"), null=True, blank=True
    )
    decision_comment = models.TextField(pgettext_lazy("nomination", "reason"), blank=True)
    risk = models.ForeignKey(
        Risk,
        verbose_name=_("risk in the plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accepted_nominations",
    )
    # Raised on every change; a decision made from an older page is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk nomination")
        verbose_name_plural = _("risk nominations")
        ordering = ["-proposed_at", "-id"]
        indexes = [
            # The coordinator's queue: a plan's proposals by state.
            models.Index(fields=["plan", "status"], name="nomination_plan_status"),
            # My proposals, newest first.
            models.Index(fields=["proposed_by", "proposed_at"], name="nomination_proposer"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "accepted", "returned", "withdrawn"]),
                name="nomination_status_is_known",
            ),
            # A risk is proposed for a plan once at a time, and accepted into it once.
            models.UniqueConstraint(
                fields=["plan", "source_risk"],
                condition=Q(status__in=["proposed", "accepted"]),
                name="nomination_one_open_per_risk_and_plan",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PROPOSED

    @property
    def is_assessed(self) -> bool:
        return self.probability is not None and self.consequence is not None

    @property
    def level(self) -> Any:
        if self.probability is None or self.consequence is None:
            return None
        return self.plan.risk_matrix.level_for(self.probability, self.consequence)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.plan_id:
            errors.update(self._content_problems())
        errors.update(self._decision_problems())
        if errors:
            raise ValidationError(errors)

    def _content_problems(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        plan = self.plan
        organisation_id = plan.unit.organisation_id
        for name in ("unit", "area", "process"):
            related = getattr(self, name) if getattr(self, f"{name}_id") else None
            if related is not None and related.organisation_id != organisation_id:
                errors[name] = gettext("Belongs to another organisation.")
        if self.unit_id is None:
            return errors  # the form says that the unit is missing
        if "unit" not in errors and self.unit_id not in plan.unit.subtree_ids():
            errors["unit"] = gettext(
                "The unit %(unit)s is not part of %(committee)s, which owns the plan."
            ) % {"unit": self.unit, "committee": plan.unit}
        matrix = plan.risk_matrix
        p, c = self.probability, self.consequence
        if (p is None) != (c is None):
            errors["consequence" if c is None else "probability"] = gettext(
                "Give both probability and consequence, or neither."
            )
        elif (
            p is not None
            and c is not None
            and (p > matrix.probability_size or c > matrix.consequence_size)
        ):
            errors["probability"] = gettext(
                "The assessment lies outside the plan's matrix of %(p)s × %(c)s."
            ) % {"p": matrix.probability_size, "c": matrix.consequence_size}
        source = self.source_risk
        if source is not None:
            if source.unit_id != self.unit_id:
                errors[NON_FIELD_ERRORS] = gettext(
                    "Only a risk identified by the proposing unit can be proposed."
                )
            elif source.plan_id == self.plan_id:
                errors[NON_FIELD_ERRORS] = gettext(
                    "The risk is already part of the plan for %(year)s."
                ) % {"year": plan.year}
            elif self.status in (self.Status.PROPOSED, self.Status.ACCEPTED) and (
                Nomination.objects.filter(
                    plan_id=self.plan_id,
                    source_risk_id=source.pk,
                    status__in=(self.Status.PROPOSED, self.Status.ACCEPTED),
                )
                .exclude(pk=self.pk)
                .exists()
            ):
                errors[NON_FIELD_ERRORS] = gettext(
                    "The risk has already been proposed for the plan for %(year)s."
                ) % {"year": plan.year}
        return errors

    def _decision_problems(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        decided = self.status in (self.Status.ACCEPTED, self.Status.RETURNED)
        if decided and (self.decided_by_id is None or self.decided_at is None):
            errors["status"] = gettext("A decision needs the person who made it and when.")
        if self.status == self.Status.RETURNED and not self.decision_comment.strip():
            errors["decision_comment"] = gettext(
                "Say why the proposal is returned, so that the unit can act on it."
            )
        if self.status == self.Status.ACCEPTED and self.risk_id is None:
            errors["risk"] = gettext("An accepted proposal names the risk it became.")
        return errors


def proposing_units(user: Any) -> frozenset[int] | None:
    """The ids of the units the user may propose for: those a responsible, coordinator or
    administrator role of theirs covers; None for a superuser, who may for any unit."""
    scope = scope_for(user)
    if scope.everything:
        return None
    return frozenset(
        unit_id
        for unit_id, roles in scope.roles_by_unit.items()
        if unit_id is not None and roles & PROPOSE_ROLES
    )


def plans_to_propose_for(user: Any, *, from_year: int) -> models.QuerySet[ControlPlan]:
    """The plans, from `from_year` on, of the committees above the units the user may
    propose for. Knowing that such a plan exists is part of being asked to feed it."""
    plans = ControlPlan.objects.filter(year__gte=from_year).select_related("unit", "risk_matrix")
    units = proposing_units(user)
    if units is None:
        return plans
    return plans.filter(unit_id__in=_plan_owners_above(units, scope_for(user).tree))


def may_propose_for_plan_of(user: Any, *, from_year: int, unit_id: int, other_than: int) -> bool:
    """Whether `plans_to_propose_for(user, from_year=from_year)` holds a plan of the committee
    `unit_id` other than the plan `other_than`: by a prepared query."""
    units = proposing_units(user)
    if units is not None and unit_id not in _plan_owners_above(units, scope_for(user).tree):
        return False
    return bool(_other_plan.rows(from_year=from_year, unit=unit_id, plan=other_than))


@prepared(ControlPlan)
def _other_plan() -> models.QuerySet[Any]:
    return (
        ControlPlan.objects.filter(
            year__gte=Slot("from_year", models.IntegerField()),
            unit_id=Slot("unit", models.BigIntegerField()),
        )
        .exclude(pk=Slot("plan", models.BigIntegerField()))
        .order_by()
        .values_list("pk", flat=True)[:1]
    )


def _plan_owners_above(
    unit_ids: frozenset[int], tree: Mapping[int, tuple[int | None, str]]
) -> set[int]:
    """The committees (and companies) at or above the units, walking up the scope's tree
    (the units a role covers are in it, with everything above them)."""
    owners: set[int] = set()
    seen: set[int] = set()
    for unit_id in unit_ids:
        current: int | None = unit_id
        while current is not None and current in tree and current not in seen:
            seen.add(current)
            parent_id, kind = tree[current]
            if kind in PLAN_OWNER_KINDS:
                owners.add(current)
            current = parent_id
    return owners


def may_propose(user: Any, unit_id: int | None) -> bool:
    units = proposing_units(user)
    return unit_id is not None and (units is None or unit_id in units)


def get_nomination_for_user(user: Any, pk: Any, *, write: bool = False) -> Nomination:
    return get_for_user(
        Nomination.objects.select_related(
            "plan__unit", "plan__risk_matrix", "unit", "area", "process", "proposed_by"
        ),
        user,
        pk,
        write=write,
    )
