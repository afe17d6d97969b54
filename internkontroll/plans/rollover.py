"""Next year's plan made from this year's: each risk carried over, closed or merged.

A carried risk is copied into next year's plan with a link to its last year's version, its
open actions (linked likewise), its recurring control activities and its open audit
recommendations. Each of last year's risks gets one decision, so running the rollover again
copies nothing twice; it only decides the risks that have none yet. Until next year's plan
is adopted, the whole rollover can be undone.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext, ngettext

from internkontroll.audits.models import Recommendation
from internkontroll.controls.models import TEXT_FIELDS as ACTIVITY_FIELDS
from internkontroll.controls.models import ControlActivity, Frequency
from internkontroll.lib.identifiers import next_identifier
from internkontroll.lib.versioning import save_versioned
from internkontroll.plans.actions import new_plan
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.actions import ACTION_FIELDS, RISK_FIELDS
from internkontroll.risks.models import (
    OPEN_PROGRESS,
    Action,
    Risk,
    RolloverDecision,
    due_date_problem,
)

Decision = RolloverDecision.Decision


@dataclass(frozen=True)
class Choice:
    """What to do with one of last year's risks; `into` is the risk a merge joins."""

    decision: str
    reason: str = ""
    into: Risk | None = None


class RolloverRefused(Exception):
    """The choices do not hold together; nothing was changed. `problems` by risk pk."""

    def __init__(self, problems: dict[int | None, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


@dataclass
class Outcome:
    plan: ControlPlan
    created: bool = False
    carried: list[Risk] = field(default_factory=list)
    closed: list[Risk] = field(default_factory=list)
    merged: list[Risk] = field(default_factory=list)
    skipped: list[Risk] = field(default_factory=list)  # decided in an earlier run
    left: list[Risk] = field(default_factory=list)  # not decided in this run
    actions: int = 0
    activities: int = 0
    # Carried actions whose due date lay before the years a plan's dates may take.
    moved_due_dates: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.carried or self.closed or self.merged)


def moved_due_dates_message(outcome: Outcome) -> str:
    """Says which date carried actions that were long overdue got, so that they are planned anew."""
    return ngettext(
        "The end date of %(count)s carried action lay before %(year)s and is now %(day)s. "
        "Plan it anew.",
        "The end dates of %(count)s carried actions lay before %(year)s and are now %(day)s. "
        "Plan them anew.",
        outcome.moved_due_dates,
    ) % {
        "count": outcome.moved_due_dates,
        "year": outcome.plan.year - 1,
        "day": f"{outcome.plan.year - 1}-12-31",
    }


def next_plan(plan: ControlPlan) -> ControlPlan | None:
    return (
        ControlPlan.objects.filter(unit_id=plan.unit_id, year=plan.year + 1)
        .select_related("unit", "risk_matrix")
        .first()
    )


def is_recurring(activity: ControlActivity) -> bool:
    """A control activity done again each year: all but those done once."""
    return activity.frequency != Frequency.ONCE


def source_risks(plan: ControlPlan) -> QuerySet[Risk]:
    """Last year's risks with what a rollover copies and the decisions already made."""
    actions = Action.objects.select_related("assignee").order_by("id")
    activities = (
        ControlActivity.objects.select_related("assignee")
        .prefetch_related("periods")
        .order_by("id")
    )
    open_recommendations = Recommendation.objects.filter(status__in=OPEN_PROGRESS)
    risks = Risk.objects.filter(plan=plan).select_related(
        "rollover__target", "rollover__decided_by", "unit", "area", "process", "goal"
    )
    return (
        risks.prefetch_related(Prefetch("actions", queryset=actions))
        .prefetch_related(Prefetch("control_activities", queryset=activities))
        .prefetch_related(
            Prefetch("recommendations", open_recommendations, to_attr="open_recommendations")
        )
        .order_by("id")
    )


def risks_to_decide(plan: ControlPlan) -> list[Risk]:
    """Last year's risks for the rollover page: each with its decision (or None) and what
    carrying it over would copy."""
    risks = list(source_risks(plan))
    for risk in risks:
        risk.decided = _decided(risk)  # type: ignore[attr-defined]
        risk.open_actions = sum(a.status in OPEN_PROGRESS for a in risk.actions.all())  # type: ignore[attr-defined]
        risk.recurring = sum(is_recurring(a) for a in risk.control_activities.all())  # type: ignore[attr-defined]
    return risks


def rollover_problem(plan: ControlPlan) -> str | None:
    """Why this plan's rollover cannot be changed now: next year's plan is adopted."""
    following = next_plan(plan)
    if following is not None and following.adopted_on is not None:
        return gettext(
            "The plan for %(year)s is already adopted; the rollover can no longer be changed."
        ) % {"year": following.year}
    return None


def _check(risks: list[Risk], choices: dict[int, Choice]) -> None:
    """Every problem of the choices at once, before anything is written."""
    by_pk = {risk.pk: risk for risk in risks}
    carried = {risk.pk for risk in risks if _decision(risk, choices) == Decision.CARRY}
    problems: dict[int | None, str] = {}
    for pk, choice in choices.items():
        risk = by_pk.get(pk)
        if risk is None:
            problems[pk] = gettext("The risk is not part of last year's plan.")
        elif choice.decision not in Decision.values:
            problems[pk] = gettext("Choose what becomes of the risk “%(risk)s”.") % {"risk": risk}
        elif choice.decision == Decision.CLOSE and not choice.reason.strip():
            problems[pk] = gettext("Say why the risk “%(risk)s” is closed.") % {"risk": risk}
        elif choice.decision == Decision.MERGE:
            into = choice.into
            if into is None or into.pk == pk or into.pk not in carried:
                problems[pk] = gettext(
                    "The risk “%(risk)s” can only be merged into another of last year's risks "
                    "that is carried over."
                ) % {"risk": risk}
    if problems:
        raise RolloverRefused(problems)


def _decision(risk: Risk, choices: dict[int, Choice]) -> str | None:
    """The risk's decision: made in an earlier run, else chosen now."""
    decided = _decided(risk)
    if decided is not None:
        return decided.decision
    choice = choices.get(risk.pk)
    return choice.decision if choice else None


def _decided(risk: Risk) -> RolloverDecision | None:
    try:
        return risk.rollover
    except RolloverDecision.DoesNotExist:
        return None


def _shift_year(day: datetime.date | None) -> datetime.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _free(wanted: str, prefix: str, taken: set[str]) -> str:
    chosen = wanted if wanted and wanted not in taken else next_identifier(prefix, taken)
    taken.add(chosen)
    return chosen


def _fits(plan: ControlPlan, probability: int | None, consequence: int | None) -> bool:
    matrix = plan.risk_matrix
    return (
        probability is not None
        and consequence is not None
        and probability <= matrix.probability_size
        and consequence <= matrix.consequence_size
    )


class _Copier:
    """Writes the copies into next year's plan, each through the write gate."""

    def __init__(self, plan: ControlPlan, acting_user: Any, outcome: Outcome) -> None:
        self.plan = plan
        self.acting_user = acting_user
        self.outcome = outcome
        self.reason = gettext("Rollover from %(year)s") % {"year": plan.year - 1}
        self.risk_ids = set(plan.risks.values_list("external_id", flat=True))

    def save(self, obj: models.Model, values: dict[str, Any]) -> Any:
        return save_versioned(
            obj, values, version=None, acting_user=self.acting_user, reason=self.reason
        )

    def carry(self, risk: Risk) -> Risk:
        values: dict[str, Any] = {name: getattr(risk, name) for name in RISK_FIELDS}
        for first, second in (
            ("probability", "consequence"),
            ("target_probability", "target_consequence"),
        ):
            if not _fits(self.plan, values[first], values[second]):
                values[first] = values[second] = None  # next year's matrix is smaller
        values.update(
            area=risk.area,
            process=risk.process,
            handling=list(risk.handling),
            previous=risk,
            external_id=_free(risk.external_id, "r", self.risk_ids),
        )
        copy = self.save(Risk(plan=self.plan), values)
        self.bring_along(risk, copy, set())
        return copy

    def bring_along(self, risk: Risk, copy: Risk, taken: set[str]) -> None:
        """The risk's open actions, recurring control activities and open recommendations."""
        action_ids = taken | set(copy.actions.values_list("external_id", flat=True))
        for action in risk.actions.all():
            if action.status not in OPEN_PROGRESS:
                continue
            values = {name: getattr(action, name) for name in ACTION_FIELDS}
            values.update(previous=action, external_id=_free(action.external_id, "a", action_ids))
            if due_date_problem(action.due_date, self.plan.year):
                # Carried a second time, an action long overdue would fall outside the plan's
                # years. It gets the last day it may have, which keeps it overdue; its own
                # date stays on last year's action it links to.
                values["due_date"] = datetime.date(self.plan.year - 1, 12, 31)
                self.outcome.moved_due_dates += 1
            self.save(Action(risk=copy), values)
            self.outcome.actions += 1
        activity_ids = set(copy.control_activities.values_list("external_id", flat=True))
        for activity in risk.control_activities.all():
            if not is_recurring(activity):
                continue
            values = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
            values.update(
                assignee=activity.assignee,
                due_date=_shift_year(activity.due_date),
                external_id=_free(activity.external_id, "k", activity_ids),
            )
            new_activity = self.save(ControlActivity(risk=copy), values)
            new_activity.periods.set(activity.periods.all())
            self.outcome.activities += 1
        recommendations = risk.open_recommendations  # type: ignore[attr-defined]
        if recommendations:
            copy.recommendations.add(*recommendations)

    def decide(self, risk: Risk, choice: Choice, target: Risk | None) -> None:
        risk.rollover = self.save(
            RolloverDecision(plan=self.plan, risk=risk),
            {
                "decision": choice.decision,
                "reason": choice.reason.strip(),
                "target": target,
                "decided_by": self.acting_user,
            },
        )


@transaction.atomic
def roll_over(plan: ControlPlan, choices: dict[int, Choice], *, acting_user: Any) -> Outcome:
    """Decide last year's undecided risks as chosen (by risk pk) and copy them into next
    year's plan, made as a draft if it does not exist; the risks not chosen are left."""
    plan = (
        ControlPlan.objects.select_for_update()
        .select_related("unit", "risk_matrix")
        .get(pk=plan.pk)
    )
    problem = rollover_problem(plan)
    if problem:
        raise RolloverRefused({None: problem})
    risks = list(source_risks(plan))
    undecided = [risk for risk in risks if _decided(risk) is None]
    open_pks, known_pks = {r.pk for r in undecided}, {r.pk for r in risks}
    wanted = {pk: choice for pk, choice in choices.items() if pk in open_pks}
    unknown = {pk for pk in choices if pk not in known_pks}
    _check(risks, {**wanted, **{pk: choices[pk] for pk in unknown}})

    following = next_plan(plan)
    created = following is None
    if following is None:
        following = new_plan(
            plan.unit,
            plan.year + 1,
            acting_user=acting_user,
            reason=gettext("Rollover from %(year)s") % {"year": plan.year},
        )
    outcome = Outcome(plan=following, created=created)
    copier = _Copier(following, acting_user, outcome)
    outcome.skipped = [risk for risk in risks if _decided(risk) is not None]
    outcome.left = [risk for risk in undecided if risk.pk not in wanted]

    copies: dict[int, Risk] = {
        risk.pk: risk.rollover.target  # type: ignore[misc]
        for risk in outcome.skipped
        if risk.rollover.decision == Decision.CARRY
    }
    # Carried first, so that merges find the risk they join.
    for risk in undecided:
        choice = wanted.get(risk.pk)
        if choice is not None and choice.decision == Decision.CARRY:
            with _refused_for(risk):
                copies[risk.pk] = copier.carry(risk)
                copier.decide(risk, choice, copies[risk.pk])
            outcome.carried.append(risk)
    for risk in undecided:
        choice = wanted.get(risk.pk)
        if choice is None or choice.decision == Decision.CARRY:
            continue
        with _refused_for(risk):
            if choice.decision == Decision.CLOSE:
                copier.decide(risk, choice, None)
                outcome.closed.append(risk)
            else:
                assert choice.into is not None  # noqa: S101 - checked above
                target = copies[choice.into.pk]
                copier.bring_along(risk, target, set())
                copier.decide(risk, choice, target)
                outcome.merged.append(risk)
    return outcome


@contextmanager
def _refused_for(risk: Risk) -> Iterator[None]:
    """A rule a copy breaks (say, its unit has moved to another committee) refuses the
    whole rollover, naming the risk."""
    try:
        yield
    except ValidationError as error:
        raise RolloverRefused(
            {risk.pk: f"{risk.external_id} {risk.title}: {' '.join(error.messages)}"}
        ) from error


@dataclass
class Undone:
    plan: ControlPlan | None
    risks: int = 0
    decisions: int = 0
    plan_removed: bool = False


def _delete(obj: models.Model, acting_user: Any, reason: str) -> None:
    obj._history_user = acting_user  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]
    obj.delete()


@transaction.atomic
def undo_rollover(plan: ControlPlan, *, acting_user: Any) -> Undone:
    """Remove what the rollover made in next year's plan (while it is not adopted): the
    carried risks with all that hangs on them and the decisions; the plan itself too when
    nothing else is left in it."""
    plan = ControlPlan.objects.select_for_update().get(pk=plan.pk)
    problem = rollover_problem(plan)
    if problem:
        raise RolloverRefused({None: problem})
    following = next_plan(plan)
    undone = Undone(plan=following)
    if following is None:
        return undone
    following = ControlPlan.objects.select_for_update().get(pk=following.pk)
    reason = gettext("Rollover from %(year)s undone") % {"year": plan.year}
    decisions = list(following.rollover_decisions.select_related("target"))
    copies = {
        decision.target_id: decision.target
        for decision in decisions
        if decision.decision == Decision.CARRY and decision.target is not None
    }
    for decision in decisions:
        _delete(decision, acting_user, reason)
    undone.decisions = len(decisions)
    for risk in copies.values():
        assert risk is not None  # noqa: S101 - filtered above
        for item in _hanging_on(risk):
            _delete(item, acting_user, reason)
        _delete(risk, acting_user, reason)
    undone.risks = len(copies)
    if _is_empty(following):
        _delete(following, acting_user, reason)
        undone.plan_removed = True
    return undone


def _hanging_on(risk: Risk) -> Iterable[models.Model]:
    """What a risk's deletion would take along, one by one, so that history names the user."""
    for action in risk.actions.all():
        yield from action.follow_ups.all()
        yield action
    for activity in risk.control_activities.all():
        yield from activity.follow_ups.all()
        yield activity
    yield from risk.follow_ups.all()


def _is_empty(plan: ControlPlan) -> bool:
    return not (
        plan.risks.exists()
        or plan.versions.exists()
        or plan.adopted_on
        or hasattr(plan, "assessment")
        or plan.rollover_decisions.exists()
    )
