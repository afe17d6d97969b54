"""The rows every report kind is made of, assembled once from a `Snapshot` as of a day.

A report tells the state at its *cut-off*: the end of its period, or the `as_of` day it was
asked for, or today. Follow-ups of later periods (or dated after the cut-off) are not counted;
an action's or a recommendation's status is the one its latest counted follow-up reported;
lateness is judged against the cut-off. A control activity is *due* in the periods its
occurrences fall in and the periods it is reported in (`controls.occurrences`), so a period
report counts only what was due then; its result is rolled up from its occurrences' results
(`followups.rollup`); the year's last period, the annual report, looks back on the whole year.
A deviation is shown with the action that answers it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cached_property
from typing import cast

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.controls.models import ControlActivity, Frequency, Method
from internkontroll.controls.occurrences import (  # re-exported, with period_start
    activity_due_periods as activity_due_periods,
)
from internkontroll.controls.occurrences import activity_occurrences
from internkontroll.controls.occurrences import period_start as period_start
from internkontroll.followups.models import FollowUp, Result
from internkontroll.followups.rollup import RolledUp, combine, roll_up
from internkontroll.organisation.models import Period, RiskMatrix
from internkontroll.plans.models import ControlPlan
from internkontroll.reports.loading import Snapshot
from internkontroll.reports.matrix import MatrixPicture, build_picture
from internkontroll.risks.models import OPEN_PROGRESS, Action, Handling, Progress, Risk


def label(choices: type, code: str) -> str:
    """The choice's translated label, capitalised; an unknown code is never shown to a reader."""
    if code not in choices.values:  # type: ignore[attr-defined]
        return ""
    return capfirst(str(choices(code).label))


@dataclass(frozen=True)
class FollowUpRow:
    date: datetime.date
    period: str  # the period's name, or "" when the follow-up names none
    status: str  # label
    on_track: bool | None
    result: str  # label
    result_code: str
    comment: str


@dataclass(frozen=True)
class ActionRow:
    title: str
    description: str
    responsible: str
    due_date: datetime.date | None
    status_code: str
    status: str
    overdue: bool
    follow_up: FollowUpRow | None  # the period's, or the latest up to the cut-off


@dataclass(frozen=True)
class ActivityRow:
    title: str
    risk: str
    working_method: str
    systematic_control: str
    description: str
    method: str
    sample: str
    responsible: str
    frequency: str
    periods: list[str]  # names of the periods it is reported in
    due_date: datetime.date | None
    due: bool  # due in the report's period (always True without a period)
    follow_up: FollowUpRow | None
    results: list[tuple[str, FollowUpRow | None]]  # (period name, its latest) where due or reported


@dataclass(frozen=True)
class DeviationRow:
    risk: str
    activity: str
    date: datetime.date
    period: str
    comment: str
    actions: list[ActionRow]


@dataclass(frozen=True)
class RiskRow:
    title: str
    area: str
    process: str
    goal: str
    identified_by: str
    description: str
    consequence_description: str
    existing_controls: str
    probability: str  # the matrix's label
    consequence: str  # the matrix's label
    score: int | None
    level: str
    critical: bool
    handling_codes: list[str]
    handling: list[str]
    planned_handling: str
    actions: list[ActionRow]
    activities: list[ActivityRow]  # in a period report: those due or reported in the period
    follow_up: FollowUpRow | None
    deviations: list[DeviationRow]

    @property
    def reviewed(self) -> bool:
        """Examined in the internal control plan: it has control activities or is to be."""
        return bool(self.activities) or Handling.REVIEW in self.handling_codes

    @property
    def assessment(self) -> str:
        """ "Hög (Möjlig × Allvarlig)", or "Ej bedömd"."""
        if not self.level:
            return _("Not assessed")
        return f"{self.level} ({self.probability} × {self.consequence})"


@dataclass(frozen=True)
class RecommendationRow:
    text: str
    response: str
    status_code: str
    status: str
    follow_ups: list[FollowUpRow]


@dataclass(frozen=True)
class AuditGroup:
    title: str
    auditor: str
    date: datetime.date | None
    recommendations: list[RecommendationRow]


class Assembler:
    """One plan's rows in a snapshot, as of the report's cut-off, for its period if any."""

    def __init__(
        self,
        snapshot: Snapshot,
        plan: ControlPlan,
        period: Period | None,
        cutoff: datetime.date | None = None,
    ) -> None:
        self.snapshot = snapshot
        self.plan = plan
        self.period = period
        # The year's last period (the annual report) looks back on the whole year.
        self.only_period = period if period is not None and period != snapshot.periods[-1] else None
        self.matrix: RiskMatrix = snapshot.matrices[plan.risk_matrix_id]
        self.periods = {p.pk: p for p in snapshot.periods}
        self.on = cutoff or snapshot.as_of or timezone.localdate()
        self.as_of = snapshot.as_of
        self.order = {p.pk: index for index, p in enumerate(snapshot.periods)}
        self.window = (
            (period_start(snapshot.periods, period, plan.year), period.end_date(plan.year))
            if period is not None
            else None
        )

    # Follow-ups up to the cut-off --------------------------------------------------------

    def counts(self, follow_up: FollowUp) -> bool:
        """Whether the follow-up is part of the state at the cut-off.

        A follow-up for a period counts in the reports of that period and later ones, whenever
        it was written (a period is reported after it ends); one without a period counts from
        its date. A report asked `as_of` a day counts nothing dated later.
        """
        if self.as_of is not None and follow_up.date > self.as_of:
            return False
        if self.period is None:
            return True
        if follow_up.period_id is not None and follow_up.period_id in self.order:
            return self.order[follow_up.period_id] <= self.order[self.period.pk]
        return follow_up.date <= self.on

    def follow_ups(self, subject: str, pk: int) -> list[FollowUp]:
        """The subject's follow-ups that make the state at the cut-off, oldest first."""
        return [f for f in self.snapshot.follow_ups_by(subject).get(pk, []) if self.counts(f)]

    def pick(self, follow_ups: list[FollowUp]) -> FollowUp | None:
        """The period's latest follow-up when a period is asked, else the latest of all."""
        if self.only_period is not None:
            follow_ups = [f for f in follow_ups if f.period_id == self.only_period.pk]
        return follow_ups[-1] if follow_ups else None

    def row(self, follow_up: FollowUp | None) -> FollowUpRow | None:
        if follow_up is None:
            return None
        period = self.periods.get(follow_up.period_id) if follow_up.period_id else None
        return FollowUpRow(
            date=follow_up.date,
            period=period.name if period else "",
            status=label(Progress, follow_up.status) if follow_up.status else "",
            on_track=follow_up.on_track,
            result=label(Result, follow_up.result) if follow_up.result else "",
            result_code=follow_up.result,
            comment=follow_up.comment,
        )

    def rolled_row(self, rolled: RolledUp | None) -> FollowUpRow | None:
        """A control activity's result rolled up from its occurrences (see `followups.rollup`).

        Resting on one follow-up with nothing missing, it reads as that follow-up; else its
        comment has a line per result and per occurrence not reported.
        """
        if rolled is None:
            return None
        latest = rolled.follow_ups[-1]
        comment = latest.comment
        if len(rolled.follow_ups) > 1 or rolled.missing:
            parts = [
                (
                    f.occurrence or f.date,
                    f"{self.when(f)}: "
                    + " ".join(t for t in (f"{label(Result, f.result)}.", f.comment) if t != "."),
                )
                for f in rolled.follow_ups
            ]
            parts += [(o.due, f"{o.due.isoformat()}: {_('Not reported')}") for o in rolled.missing]
            comment = "\n".join(text for _day, text in sorted(parts, key=lambda part: part[0]))
        return replace(
            cast(FollowUpRow, self.row(latest)),
            result=label(Result, rolled.result) if rolled.result else "",
            result_code=rolled.result,
            comment=comment,
        )

    def when(self, follow_up: FollowUp) -> str:
        """The occurrence a result is for, else its period's name, else its date."""
        if follow_up.occurrence is not None:
            return follow_up.occurrence.isoformat()
        period = self.periods.get(follow_up.period_id) if follow_up.period_id else None
        return period.name if period else follow_up.date.isoformat()

    def status_at_cutoff(self, stored: str, subject: str, pk: int) -> str:
        """The status the latest follow-up up to the cut-off reported.

        Without one, the stored status holds, unless follow-ups came only after the cut-off:
        then nothing had been reported yet and the item had not been started.
        """
        reported = [f for f in self.follow_ups(subject, pk) if f.status]
        if reported:
            return reported[-1].status
        later = [f for f in self.snapshot.follow_ups_by(subject).get(pk, []) if f.status]
        return Progress.NOT_STARTED if later else stored

    # Rows ---------------------------------------------------------------------------------

    def action(self, action: Action) -> ActionRow:
        status = self.status_at_cutoff(action.status, "action", action.pk)
        return ActionRow(
            title=action.title,
            description=action.description,
            responsible=action.responsible,
            due_date=action.due_date,
            status_code=status,
            status=label(Progress, status),
            overdue=status in OPEN_PROGRESS
            and action.due_date is not None
            and action.due_date < self.on,
            follow_up=self.row(self.pick(self.follow_ups("action", action.pk))),
        )

    def due_periods(self, activity: ControlActivity) -> list[Period]:
        """The periods the activity is due in, in order."""
        return activity_due_periods(
            activity,
            self.snapshot.activity_periods.get(activity.pk, []),
            self.snapshot.periods,
            self.plan.year,
        )

    def activity(self, activity: ControlActivity, risk: Risk) -> ActivityRow:
        follow_ups = self.follow_ups("control_activity", activity.pk)
        named = self.snapshot.activity_periods.get(activity.pk, [])
        periods, year = self.snapshot.periods, self.plan.year
        schedule = activity_occurrences(activity, named, periods, year)
        due = activity_due_periods(activity, named, periods, year)
        by_period: dict[int | None, list[FollowUp]] = defaultdict(list)
        for follow_up in follow_ups:
            by_period[follow_up.period_id if follow_up.period_id in self.order else None].append(
                follow_up
            )
        rolled = {
            period.pk: roll_up(
                [o for o in schedule if o.period.pk == period.pk],
                by_period.get(period.pk, []),
                self.on,
            )
            for period in periods
        }
        results = [
            (period.name, self.rolled_row(rolled[period.pk]))
            for period in periods
            if period in due or by_period.get(period.pk)
        ]
        result: RolledUp | None
        if self.only_period is not None:
            result = rolled[self.only_period.pk]
        else:
            # The whole year: every due or reported period, and what names no period.
            result = combine(
                [
                    (period.end_date(year), rolled[period.pk])
                    for period in periods
                    if period in due or by_period.get(period.pk)
                ]
                + [(datetime.date.max, roll_up([], by_period.get(None, []), self.on))],
                self.on,
            )
        return ActivityRow(
            title=activity.title,
            risk=risk.title,
            working_method=activity.working_method,
            systematic_control=activity.systematic_control,
            description=activity.description,
            method=label(Method, activity.method) if activity.method else "",
            sample=activity.sample,
            responsible=activity.responsible,
            frequency=label(Frequency, activity.frequency) if activity.frequency else "",
            periods=[period.name for period in due],
            due_date=activity.due_date,
            due=self.only_period is None or self.only_period in due,
            follow_up=self.rolled_row(result),
            results=results,
        )

    def deviations(self, risk: Risk, actions: list[ActionRow]) -> list[DeviationRow]:
        """Deviations the risk's controls found up to the cut-off (in the period, if one)."""
        found = []
        of_risk = self.snapshot.by_risk("actions").get(risk.pk, [])
        rows = {action.pk: row for action, row in zip(of_risk, actions, strict=True)}
        for activity in self.snapshot.by_risk("activities").get(risk.pk, []):
            for follow_up in self.follow_ups("control_activity", activity.pk):
                if follow_up.result != Result.DEVIATION:
                    continue
                if self.only_period is not None and follow_up.period_id != self.only_period.pk:
                    continue
                period = self.periods.get(follow_up.period_id) if follow_up.period_id else None
                found.append(
                    DeviationRow(
                        risk=risk.title,
                        activity=activity.title,
                        date=follow_up.date,
                        period=period.name if period else "",
                        comment=follow_up.comment,
                        actions=[rows[f]] if (f := follow_up.answered_by_id) in rows else [],
                    )
                )
        return found

    def risk(self, risk: Risk) -> RiskRow:
        matrix = self.matrix
        level = (
            matrix.level_for(risk.probability, risk.consequence)
            if risk.probability is not None and risk.consequence is not None
            else None
        )
        actions = [self.action(a) for a in self.snapshot.by_risk("actions").get(risk.pk, [])]
        activities = [
            self.activity(a, risk) for a in self.snapshot.by_risk("activities").get(risk.pk, [])
        ]
        if self.period is not None:
            activities = [a for a in activities if a.due or a.follow_up is not None]
        snapshot = self.snapshot
        goal = snapshot.goals.get(risk.goal_id) if risk.goal_id else None
        return RiskRow(
            title=risk.title,
            area=snapshot.areas[risk.area_id].name if risk.area_id else "",
            process=snapshot.processes[risk.process_id].name if risk.process_id else "",
            goal=str(goal) if goal else "",
            identified_by=snapshot.units[risk.unit_id].name if risk.unit_id else "",
            description=risk.description,
            consequence_description=risk.consequence_description,
            existing_controls=risk.existing_controls,
            probability=matrix.probability_labels[risk.probability - 1] if risk.probability else "",
            consequence=matrix.consequence_labels[risk.consequence - 1] if risk.consequence else "",
            score=risk.score,
            level=level.name if level else "",
            critical=matrix.is_critical(level),
            handling_codes=list(risk.handling),
            handling=[text for text in (label(Handling, c) for c in risk.handling) if text],
            planned_handling=risk.planned_handling,
            actions=actions,
            activities=activities,
            follow_up=self.row(self.pick(self.follow_ups("risk", risk.pk))),
            deviations=self.deviations(risk, actions),
        )

    @cached_property
    def risks(self) -> list[RiskRow]:
        return [self.risk(risk) for risk in self.snapshot.risks_of(self.plan)]

    def picture(self) -> MatrixPicture:
        return build_picture(
            self.matrix,
            [(r.probability, r.consequence) for r in self.snapshot.risks_of(self.plan)],
        )

    # The auditors' recommendations ---------------------------------------------------------

    def audits(self) -> list[AuditGroup]:
        """The audit reports up to the plan's year and the cut-off, with their recommendations."""
        snapshot = self.snapshot
        recommendations: dict[int, list[Recommendation]] = defaultdict(list)
        for item in snapshot.recommendations:
            recommendations[item.report_id].append(item)
        reports: list[AuditReport] = [
            report
            for report in snapshot.audit_reports
            if report.date is None
            or (report.date.year <= self.plan.year and report.date <= self.on)
        ]
        reports.sort(key=lambda report: (report.date or datetime.date.min, report.pk))
        groups = []
        for report in reports:
            rows = []
            for item in recommendations[report.pk]:
                status = self.status_at_cutoff(item.status, "recommendation", item.pk)
                follow_ups = [self.row(f) for f in self.follow_ups("recommendation", item.pk)]
                rows.append(
                    RecommendationRow(
                        text=item.text,
                        response=item.response,
                        status_code=status,
                        status=label(Progress, status),
                        follow_ups=[f for f in follow_ups if f is not None],
                    )
                )
            groups.append(AuditGroup(report.title, report.auditor, report.date, rows))
        return groups
