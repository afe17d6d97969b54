"""Every report built once as plain data, from a `Snapshot` of current or historical rows.

The renderers (web page, PDF, Word, Excel) only lay out what these functions return.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from internkontroll.access.plans import WHOLE, PlanReading
from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.controls.models import ControlActivity, Frequency, Method
from internkontroll.followups.models import FollowUp, Result
from internkontroll.organisation.models import (
    PLAN_OWNER_KINDS,
    Organisation,
    Period,
    RiskMatrix,
    Unit,
)
from internkontroll.plans.models import Assessment, ControlPlan
from internkontroll.reports.loading import Snapshot, load
from internkontroll.reports.matrix import MatrixPicture, build_picture
from internkontroll.reports.words import number_word, sentence
from internkontroll.risks.models import OPEN_PROGRESS, Action, Handling, Progress, Risk


class ReportError(Exception):
    """The report cannot be made as asked; the message says why, in Swedish."""


# Rows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpRow:
    date: datetime.date
    period: str  # the period's code, or "" when the follow-up names none
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
    follow_up: FollowUpRow | None  # for the period, or the latest when no period is asked


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
    periods: list[str]
    due_date: datetime.date | None
    follow_up: FollowUpRow | None
    results: dict[str, FollowUpRow | None]  # per period code, the latest of that period


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
    probability: str
    consequence: str
    score: int | None
    level: str
    level_color: str
    critical: bool
    handling_codes: list[str]
    handling: list[str]
    planned_handling: str
    actions: list[ActionRow]
    activities: list[ActivityRow]
    follow_up: FollowUpRow | None
    deviations: list[DeviationRow]


@dataclass(frozen=True)
class AreaGroup:
    name: str
    risks: list[RiskRow]


@dataclass(frozen=True)
class Header:
    kind: str
    title: str
    organisation: str
    committee: str
    year: int
    period_code: str
    period_name: str
    made_on: datetime.date
    as_of: datetime.date | None
    reference: str
    adopted_on: datetime.date | None
    # For a reader below the committee: the units whose risks this excerpt holds.
    excerpt_of: str = ""


# Reports ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskPictureReport:
    header: Header
    summary: list[str]
    matrix: MatrixPicture
    areas: list[AreaGroup]


@dataclass(frozen=True)
class ControlPlanReport:
    header: Header
    summary: list[str]
    matrix: MatrixPicture
    areas: list[AreaGroup]


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


@dataclass(frozen=True)
class FollowUpReport:
    header: Header
    summary: list[str]
    matrix: MatrixPicture
    audits: list[AuditGroup]
    areas: list[AreaGroup]
    plan_areas: list[AreaGroup]
    deviations: list[DeviationRow]


@dataclass(frozen=True)
class CriticalRisksReport:
    header: Header
    summary: list[str]
    matrix: MatrixPicture
    level: str
    risks: list[RiskRow]


@dataclass(frozen=True)
class ProcessGroup:
    name: str
    activities: list[ActivityRow]


@dataclass(frozen=True)
class GoalGroup:
    name: str
    processes: list[ProcessGroup]


@dataclass(frozen=True)
class AssessmentReport:
    header: Header
    summary: list[str]
    matrix: MatrixPicture
    verdict: str
    decided_on: datetime.date | None
    analysis: str
    period_codes: list[str]
    goals: list[GoalGroup]
    deviations: list[DeviationRow]
    improvements: list[RiskRow]


@dataclass(frozen=True)
class RecommendationsReport:
    header: Header
    summary: list[str]
    audits: list[AuditGroup]


@dataclass(frozen=True)
class CommitteeRow:
    committee: str
    reference: str
    adopted_on: datetime.date | None
    risks: int
    per_level: dict[str, int]
    critical: int
    actions: dict[str, int]  # per status code
    overdue: int
    activities: int
    deviations: int
    verdict: str


@dataclass(frozen=True)
class OverviewReport:
    header: Header
    summary: list[str]
    level_names: list[str]
    committees: list[CommitteeRow]
    without_plan: list[str]


Report = (
    RiskPictureReport
    | ControlPlanReport
    | FollowUpReport
    | CriticalRisksReport
    | AssessmentReport
    | RecommendationsReport
    | OverviewReport
)


# Building blocks ---------------------------------------------------------------------------


def _label(choices: type, code: str) -> str:
    return str(choices(code).label) if code in choices.values else code  # type: ignore[attr-defined]


def _follow_up_row(follow_up: FollowUp, periods: dict[int, Period]) -> FollowUpRow:
    period = periods.get(follow_up.period_id) if follow_up.period_id else None
    return FollowUpRow(
        date=follow_up.date,
        period=period.code if period else "",
        status=_label(Progress, follow_up.status) if follow_up.status else "",
        on_track=follow_up.on_track,
        result=_label(Result, follow_up.result) if follow_up.result else "",
        result_code=follow_up.result,
        comment=follow_up.comment,
    )


class Assembler:
    """Turns one plan's rows in a snapshot into report rows; `period` picks the comments."""

    def __init__(self, snapshot: Snapshot, plan: ControlPlan, period: Period | None) -> None:
        self.snapshot = snapshot
        self.plan = plan
        self.period = period
        self.matrix: RiskMatrix = snapshot.matrices[plan.risk_matrix_id]
        self.periods = {p.pk: p for p in snapshot.periods}
        self.risks = snapshot.risks_of(plan)
        self.actions = snapshot.by_risk(snapshot.actions)
        self.activities = snapshot.by_risk(snapshot.activities)
        self.action_follow_ups = snapshot.follow_ups_by("action")
        self.activity_follow_ups = snapshot.follow_ups_by("control_activity")
        self.risk_follow_ups = snapshot.follow_ups_by("risk")
        self.on = snapshot.as_of or timezone.localdate()

    def pick(self, follow_ups: list[FollowUp]) -> FollowUp | None:
        """The period's follow-up (latest by date) when a period is asked, else the newest."""
        if self.period is not None:
            follow_ups = [f for f in follow_ups if f.period_id == self.period.pk]
        return follow_ups[-1] if follow_ups else None

    def row(self, follow_up: FollowUp | None) -> FollowUpRow | None:
        return _follow_up_row(follow_up, self.periods) if follow_up else None

    def action(self, action: Action) -> ActionRow:
        follow_up = self.pick(self.action_follow_ups.get(action.pk, []))
        status = action.status
        if self.period is not None and follow_up is not None and follow_up.status:
            status = follow_up.status
        return ActionRow(
            title=action.title,
            description=action.description,
            responsible=action.responsible,
            due_date=action.due_date,
            status_code=status,
            status=_label(Progress, status),
            overdue=status in OPEN_PROGRESS
            and action.due_date is not None
            and action.due_date < self.on,
            follow_up=self.row(follow_up),
        )

    def activity(self, activity: ControlActivity, risk: Risk) -> ActivityRow:
        follow_ups = self.activity_follow_ups.get(activity.pk, [])
        results: dict[str, FollowUpRow | None] = {}
        for period in self.snapshot.periods:
            of_period = [f for f in follow_ups if f.period_id == period.pk]
            results[period.code] = self.row(of_period[-1] if of_period else None)
        codes = {p.pk: p.code for p in self.snapshot.periods}
        return ActivityRow(
            title=activity.title,
            risk=risk.title,
            working_method=activity.working_method,
            systematic_control=activity.systematic_control,
            description=activity.description,
            method=_label(Method, activity.method) if activity.method else "",
            sample=activity.sample,
            responsible=activity.responsible,
            frequency=_label(Frequency, activity.frequency) if activity.frequency else "",
            periods=[
                codes[pk]
                for pk in sorted(
                    self.snapshot.activity_periods.get(activity.pk, []),
                    key=lambda pk: [p.pk for p in self.snapshot.periods].index(pk),
                )
                if pk in codes
            ],
            due_date=activity.due_date,
            follow_up=self.row(self.pick(follow_ups)),
            results=results,
        )

    def deviations(self, risk: Risk, actions: list[ActionRow]) -> list[DeviationRow]:
        """Deviations the risk's controls found (in the period, if one is asked)."""
        found = []
        for activity in self.activities.get(risk.pk, []):
            for follow_up in self.activity_follow_ups.get(activity.pk, []):
                if follow_up.result != Result.DEVIATION:
                    continue
                if self.period is not None and follow_up.period_id != self.period.pk:
                    continue
                period = self.periods.get(follow_up.period_id) if follow_up.period_id else None
                found.append(
                    DeviationRow(
                        risk=risk.title,
                        activity=activity.title,
                        date=follow_up.date,
                        period=period.code if period else "",
                        comment=follow_up.comment,
                        actions=actions,
                    )
                )
        return found

    def risk(self, risk: Risk) -> RiskRow:
        level = (
            self.matrix.level_for(risk.probability, risk.consequence)
            if risk.probability is not None and risk.consequence is not None
            else None
        )
        actions = [self.action(action) for action in self.actions.get(risk.pk, [])]
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
            probability=self.matrix.probability_labels[risk.probability - 1]
            if risk.probability
            else "",
            consequence=self.matrix.consequence_labels[risk.consequence - 1]
            if risk.consequence
            else "",
            score=risk.score,
            level=level.name if level else "",
            level_color=level.color if level else "",
            critical=self.matrix.is_critical(level),
            handling_codes=list(risk.handling),
            handling=[_label(Handling, code) for code in risk.handling],
            planned_handling=risk.planned_handling,
            actions=actions,
            activities=[self.activity(a, risk) for a in self.activities.get(risk.pk, [])],
            follow_up=self.row(self.pick(self.risk_follow_ups.get(risk.pk, []))),
            deviations=self.deviations(risk, actions),
        )

    def rows(self) -> list[RiskRow]:
        return [self.risk(risk) for risk in self.risks]

    def picture(self) -> MatrixPicture:
        return build_picture(self.matrix, [(r.probability, r.consequence) for r in self.risks])


def by_area(risks: list[RiskRow]) -> list[AreaGroup]:
    """Risks grouped by area, areas in the order their first risk comes."""
    groups: dict[str, list[RiskRow]] = {}
    for risk in risks:
        groups.setdefault(risk.area, []).append(risk)
    return [AreaGroup(name or _("Without risk area"), rows) for name, rows in groups.items()]


def counted(text: str, count: int) -> str:
    """A translated ngettext phrase with its count written out in words."""
    return text % {"count": number_word(count)}


# Summaries ---------------------------------------------------------------------------------


def risk_sentence(risks: list[RiskRow]) -> str:
    text = counted(
        ngettext(
            "%(count)s risk has been identified and is part of the risk picture.",
            "%(count)s risks have been identified and are part of the risk picture.",
            len(risks),
        ),
        len(risks),
    )
    mitigated = sum(Handling.MITIGATE in risk.handling_codes for risk in risks)
    if risks and mitigated == len(risks):
        text += " " + _("All of them are handled through actions that are followed up.")
    elif mitigated:
        text += " " + counted(
            ngettext(
                "%(count)s of them is handled through actions that are followed up.",
                "%(count)s of them are handled through actions that are followed up.",
                mitigated,
            ),
            mitigated,
        )
    return sentence(text)


def action_sentences(actions: list[ActionRow]) -> list[str]:
    statuses = Counter(action.status_code for action in actions)
    if not actions:
        return [_("No actions have been decided.")]
    sentences = [
        sentence(
            _("The follow-up shows that %(in_progress)s and that %(done)s.")
            % {
                "in_progress": counted(
                    ngettext(
                        "%(count)s action is in progress",
                        "%(count)s actions are in progress",
                        statuses[Progress.IN_PROGRESS],
                    ),
                    statuses[Progress.IN_PROGRESS],
                ),
                "done": counted(
                    ngettext(
                        "%(count)s has been completed",
                        "%(count)s have been completed",
                        statuses[Progress.DONE],
                    ),
                    statuses[Progress.DONE],
                ),
            }
        )
    ]
    not_started, cancelled = statuses[Progress.NOT_STARTED], statuses[Progress.CANCELLED]
    if not_started:
        sentences.append(
            sentence(
                counted(
                    ngettext(
                        "%(count)s action has not been started.",
                        "%(count)s actions have not been started.",
                        not_started,
                    ),
                    not_started,
                )
            )
        )
    if cancelled:
        sentences.append(
            sentence(
                counted(
                    ngettext(
                        "%(count)s action has been cancelled.",
                        "%(count)s actions have been cancelled.",
                        cancelled,
                    ),
                    cancelled,
                )
            )
        )
    overdue = sum(action.overdue for action in actions)
    if overdue:
        sentences.append(
            sentence(
                counted(
                    ngettext(
                        "%(count)s action has passed its due date.",
                        "%(count)s actions have passed their due date.",
                        overdue,
                    ),
                    overdue,
                )
            )
        )
    return sentences


def activity_sentence(risks: list[RiskRow], deviations: list[DeviationRow]) -> str:
    activities = [activity for risk in risks for activity in risk.activities]
    if not activities:
        return _("The internal control plan holds no control activities.")
    followed = sum(activity.follow_up is not None for activity in activities)
    holds = counted(
        ngettext(
            "the internal control plan holds %(count)s control activity",
            "the internal control plan holds %(count)s control activities",
            len(activities),
        ),
        len(activities),
    )
    of_which = counted(
        ngettext(
            "of which %(count)s has been followed up.",
            "of which %(count)s have been followed up.",
            followed,
        ),
        followed,
    )
    found = counted(
        ngettext(
            "The controls found %(count)s deviation.",
            "The controls found %(count)s deviations.",
            len(deviations),
        ),
        len(deviations),
    )
    return f"{sentence(holds)}, {of_which} {sentence(found)}"


# Header ---------------------------------------------------------------------------------------


TITLES: dict[str, Callable[[], str]] = {
    "risk-picture": lambda: _("Risk picture"),
    "control-plan": lambda: _("Internal control plan"),
    "follow-up": lambda: _("Follow-up of the internal control plan and risk picture"),
    "critical-risks": lambda: _("Follow-up of critical risks"),
    "assessment": lambda: _("Assessment of the committee's internal control"),
    "recommendations": lambda: _("Follow-up of the auditors' recommendations"),
    "overview": lambda: _("Municipality-wide overview"),
}


def header(
    kind: str,
    snapshot: Snapshot,
    plan: ControlPlan,
    period: Period | None,
    reading: PlanReading = WHOLE,
) -> Header:
    committee = snapshot.units.get(plan.unit_id)
    return Header(
        kind=kind,
        title=TITLES[kind](),
        organisation=snapshot.organisation.name,
        committee=committee.name if committee else "",
        year=plan.year,
        period_code=period.code if period else "",
        period_name=period.name if period else "",
        made_on=timezone.localdate(),
        as_of=snapshot.as_of,
        reference=plan.reference,
        adopted_on=plan.adopted_on,
        excerpt_of=reading.excerpt_of(snapshot.units.values()),
    )


# The reports ------------------------------------------------------------------------------------


def plan_snapshot(
    plan: ControlPlan, as_of: datetime.date | None, reading: PlanReading, *, audits: bool = False
) -> tuple[Snapshot, ControlPlan]:
    """The plan's rows the reader may read (as they stood on `as_of`); the plan as it was then.

    The auditors' recommendations are the committee's: only a reader of the whole plan gets them.
    """
    organisation = Organisation.objects.get(pk=plan.unit.organisation_id)
    snapshot = load(
        organisation,
        year=plan.year,
        unit_ids=[plan.unit_id],
        as_of=as_of,
        audits=audits and reading.whole,
        risk_filter=reading.risk_filter(),
    )
    stored = next((p for p in snapshot.plans if p.pk == plan.pk), None)
    if stored is None:
        raise ReportError(
            _("The plan for %(year)s did not exist on %(date)s.")
            % {"year": plan.year, "date": as_of}
        )
    return snapshot, stored


def period_as_of(snapshot: Snapshot, period: Period | None) -> Period | None:
    return snapshot.period(period.pk) or period if period else None


def risk_picture(
    plan: ControlPlan, as_of: datetime.date | None = None, reading: PlanReading = WHOLE
) -> RiskPictureReport:
    snapshot, plan = plan_snapshot(plan, as_of, reading)
    assembler = Assembler(snapshot, plan, None)
    risks = assembler.rows()
    actions = [action for risk in risks for action in risk.actions]
    return RiskPictureReport(
        header=header("risk-picture", snapshot, plan, None, reading),
        summary=[risk_sentence(risks), *action_sentences(actions)] if risks else [],
        matrix=assembler.picture(),
        areas=by_area(risks),
    )


def control_plan(
    plan: ControlPlan, as_of: datetime.date | None = None, reading: PlanReading = WHOLE
) -> ControlPlanReport:
    snapshot, plan = plan_snapshot(plan, as_of, reading)
    assembler = Assembler(snapshot, plan, None)
    risks = [r for r in assembler.rows() if r.activities or Handling.REVIEW in r.handling_codes]
    summary = []
    if risks:
        activities = sum(len(risk.activities) for risk in risks)
        summary.append(
            sentence(
                counted(
                    ngettext(
                        "the plan reviews %(count)s risk",
                        "the plan reviews %(count)s risks",
                        len(risks),
                    ),
                    len(risks),
                )
                + " "
                + counted(
                    ngettext(
                        "through %(count)s control activity.",
                        "through %(count)s control activities.",
                        activities,
                    ),
                    activities,
                )
            )
        )
    return ControlPlanReport(
        header=header("control-plan", snapshot, plan, None, reading),
        summary=summary,
        matrix=assembler.picture(),
        areas=by_area(risks),
    )


def audit_groups(snapshot: Snapshot, year: int) -> list[AuditGroup]:
    periods = {p.pk: p for p in snapshot.periods}
    follow_ups = snapshot.follow_ups_by("recommendation")
    recommendations: dict[int, list[Recommendation]] = defaultdict(list)
    for item in snapshot.recommendations:
        recommendations[item.report_id].append(item)
    reports: list[AuditReport] = [
        report
        for report in snapshot.audit_reports
        if report.date is None or report.date.year <= year
    ]
    reports.sort(key=lambda report: (report.date or datetime.date.min, report.pk))
    return [
        AuditGroup(
            title=report.title,
            auditor=report.auditor,
            date=report.date,
            recommendations=[
                RecommendationRow(
                    text=item.text,
                    response=item.response,
                    status_code=item.status,
                    status=_label(Progress, item.status),
                    follow_ups=[_follow_up_row(f, periods) for f in follow_ups.get(item.pk, [])],
                )
                for item in recommendations[report.pk]
            ],
        )
        for report in reports
    ]


def follow_up(
    plan: ControlPlan,
    period: Period,
    as_of: datetime.date | None = None,
    reading: PlanReading = WHOLE,
) -> FollowUpReport:
    snapshot, plan = plan_snapshot(plan, as_of, reading, audits=True)
    assembler = Assembler(snapshot, plan, period_as_of(snapshot, period))
    risks = assembler.rows()
    deviations = [deviation for risk in risks for deviation in risk.deviations]
    audits = audit_groups(snapshot, plan.year)
    summary = []
    if risks:
        summary = [
            risk_sentence(risks),
            *action_sentences([action for risk in risks for action in risk.actions]),
            activity_sentence(risks, deviations),
        ]
    recommendations = [item for group in audits for item in group.recommendations]
    if recommendations:
        done = sum(item.status_code == Progress.DONE for item in recommendations)
        summary.append(
            sentence(
                counted(
                    ngettext(
                        "the auditors have made %(count)s recommendation",
                        "the auditors have made %(count)s recommendations",
                        len(recommendations),
                    ),
                    len(recommendations),
                )
                + _(", of which %(done)s.")
                % {
                    "done": counted(
                        ngettext(
                            "%(count)s has been carried out",
                            "%(count)s have been carried out",
                            done,
                        ),
                        done,
                    )
                }
            )
        )
    return FollowUpReport(
        header=header("follow-up", snapshot, plan, period, reading),
        summary=summary,
        matrix=assembler.picture(),
        audits=audits,
        areas=by_area(risks),
        plan_areas=by_area([risk for risk in risks if risk.activities]),
        deviations=deviations,
    )


def critical_risks(
    plan: ControlPlan,
    period: Period,
    as_of: datetime.date | None = None,
    reading: PlanReading = WHOLE,
) -> CriticalRisksReport:
    snapshot, plan = plan_snapshot(plan, as_of, reading)
    assembler = Assembler(snapshot, plan, period_as_of(snapshot, period))
    risks = [risk for risk in assembler.rows() if risk.critical]
    level = assembler.matrix.highest_level().name
    off_track = sum(
        risk.follow_up is not None and risk.follow_up.on_track is False for risk in risks
    )
    summary = [
        sentence(
            counted(
                ngettext(
                    "%(count)s risk is at the highest level",
                    "%(count)s risks are at the highest level",
                    len(risks),
                ),
                len(risks),
            )
            + f" ({level})."
        )
    ]
    if risks:
        summary.append(
            sentence(
                counted(
                    ngettext(
                        "%(count)s of them does not follow the plan.",
                        "%(count)s of them do not follow the plan.",
                        off_track,
                    ),
                    off_track,
                )
            )
        )
    return CriticalRisksReport(
        header=header("critical-risks", snapshot, plan, period, reading),
        summary=summary,
        matrix=assembler.picture(),
        level=level,
        risks=risks,
    )


def by_goal_and_process(risks: list[RiskRow]) -> list[GoalGroup]:
    goals: dict[str, dict[str, list[ActivityRow]]] = {}
    for risk in risks:
        processes = goals.setdefault(risk.goal or _("Without goal"), {})
        for activity in risk.activities:
            processes.setdefault(risk.process or _("Without process"), []).append(activity)
    return [
        GoalGroup(goal, [ProcessGroup(name, rows) for name, rows in processes.items()])
        for goal, processes in sorted(goals.items())
        if processes
    ]


def assessment(
    plan: ControlPlan, as_of: datetime.date | None = None, reading: PlanReading = WHOLE
) -> AssessmentReport:
    snapshot, plan = plan_snapshot(plan, as_of, reading)
    assembler = Assembler(snapshot, plan, None)
    risks = assembler.rows()
    stored: Assessment | None = snapshot.assessments.get(plan.pk)
    deviations = [deviation for risk in risks for deviation in risk.deviations]
    verdict = _label(Assessment.Verdict, stored.verdict) if stored and stored.verdict else ""
    summary = [
        sentence(
            _("The committee judges its internal control as %(verdict)s.") % {"verdict": verdict}
        )
        if verdict
        else _("The committee has not yet assessed its internal control.")
    ]
    if risks:
        summary.append(activity_sentence(risks, deviations))
    return AssessmentReport(
        header=header("assessment", snapshot, plan, None, reading),
        summary=summary,
        matrix=assembler.picture(),
        verdict=verdict,
        decided_on=stored.decided_on if stored else None,
        analysis=stored.analysis if stored else "",
        period_codes=[period.code for period in snapshot.periods],
        goals=by_goal_and_process(risks),
        deviations=deviations,
        improvements=[risk for risk in risks if Handling.IMPROVE in risk.handling_codes],
    )


def recommendations(
    plan: ControlPlan, as_of: datetime.date | None = None, reading: PlanReading = WHOLE
) -> RecommendationsReport:
    snapshot, plan = plan_snapshot(plan, as_of, reading, audits=True)
    audits = audit_groups(snapshot, plan.year)
    items = [item for group in audits for item in group.recommendations]
    statuses = Counter(item.status_code for item in items)
    summary = []
    if items:
        summary.append(
            sentence(
                counted(
                    ngettext(
                        "the auditors have made %(count)s recommendation",
                        "the auditors have made %(count)s recommendations",
                        len(items),
                    ),
                    len(items),
                )
                + _(", of which %(done)s.")
                % {
                    "done": counted(
                        ngettext(
                            "%(count)s has been carried out",
                            "%(count)s have been carried out",
                            statuses[Progress.DONE],
                        ),
                        statuses[Progress.DONE],
                    )
                }
            )
        )
    return RecommendationsReport(
        header=header("recommendations", snapshot, plan, None, reading),
        summary=summary,
        audits=audits,
    )


def overview(
    plan: ControlPlan, as_of: datetime.date | None = None, reading: PlanReading = WHOLE
) -> OverviewReport:
    """All committees of the plan's organisation for the plan's year, side by side."""
    organisation = Organisation.objects.get(pk=plan.unit.organisation_id)
    snapshot = load(organisation, year=plan.year, as_of=as_of)
    committees = []
    level_names: list[str] = []
    for stored in sorted(snapshot.plans, key=lambda p: snapshot.units[p.unit_id].name):
        assembler = Assembler(snapshot, stored, None)
        risks = assembler.rows()
        for level in assembler.matrix.level_objects():
            if level.name not in level_names:
                level_names.append(level.name)
        committees.append(committee_row(snapshot, stored, risks))
    with_plans = {p.unit_id for p in snapshot.plans}
    without = sorted(
        unit.name
        for unit in snapshot.units.values()
        if unit.kind in PLAN_OWNER_KINDS and unit.pk not in with_plans
    )
    own = next((p for p in snapshot.plans if p.pk == plan.pk), plan)
    report_header = header("overview", snapshot, own, None)
    report_header = Header(**{**report_header.__dict__, "committee": organisation.name})
    summary = [
        sentence(
            counted(
                ngettext(
                    "%(count)s committee has a plan for the year.",
                    "%(count)s committees have a plan for the year.",
                    len(committees),
                ),
                len(committees),
            )
        )
    ]
    if committees:
        summary.append(
            sentence(
                counted(
                    ngettext(
                        "together they hold %(count)s risk",
                        "together they hold %(count)s risks",
                        sum(c.risks for c in committees),
                    ),
                    sum(c.risks for c in committees),
                )
                + ", "
                + counted(
                    ngettext(
                        "%(count)s of them at the highest level.",
                        "%(count)s of them at the highest level.",
                        sum(c.critical for c in committees),
                    ),
                    sum(c.critical for c in committees),
                )
            )
        )
    return OverviewReport(
        header=report_header,
        summary=summary,
        level_names=level_names,
        committees=committees,
        without_plan=without,
    )


def committee_row(snapshot: Snapshot, plan: ControlPlan, risks: list[RiskRow]) -> CommitteeRow:
    actions = [action for risk in risks for action in risk.actions]
    stored = snapshot.assessments.get(plan.pk)
    return CommitteeRow(
        committee=snapshot.units[plan.unit_id].name,
        reference=plan.reference,
        adopted_on=plan.adopted_on,
        risks=len(risks),
        per_level=Counter(risk.level for risk in risks if risk.level),
        critical=sum(risk.critical for risk in risks),
        actions=Counter(action.status_code for action in actions),
        overdue=sum(action.overdue for action in actions),
        activities=sum(len(risk.activities) for risk in risks),
        deviations=sum(len(risk.deviations) for risk in risks),
        verdict=_label(Assessment.Verdict, stored.verdict) if stored and stored.verdict else "",
    )


# Kinds and the requests that name them -----------------------------------------------------


@dataclass(frozen=True)
class Kind:
    name: str
    takes_period: bool
    organisation_wide: bool = False
    shows_risks: bool = True
    # The committee's own decisions: not for a reader who sees only part of the plan.
    whole_plan: bool = False


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("risk-picture", takes_period=False),
        Kind("control-plan", takes_period=False),
        Kind("follow-up", takes_period=True),
        Kind("critical-risks", takes_period=True),
        Kind("assessment", takes_period=False, whole_plan=True),
        Kind("recommendations", takes_period=False, shows_risks=False, whole_plan=True),
        Kind(
            "overview",
            takes_period=False,
            organisation_wide=True,
            shows_risks=False,
            whole_plan=True,
        ),
    )
}


def build(
    kind: str,
    plan: ControlPlan,
    period: Period | None = None,
    as_of: datetime.date | None = None,
    reading: PlanReading = WHOLE,
) -> Report:
    """The report of this kind for the plan (and period), as it stood on `as_of` if given.

    `reading` is the reader's share of the plan (whole for the command line).
    """
    if KINDS[kind].takes_period:
        assert period is not None  # noqa: S101 (checked by check_period)
        with_period: dict[str, Callable[..., Report]] = {
            "follow-up": follow_up,
            "critical-risks": critical_risks,
        }
        return with_period[kind](plan, period, as_of, reading)
    whole_year: dict[str, Callable[..., Report]] = {
        "risk-picture": risk_picture,
        "control-plan": control_plan,
        "assessment": assessment,
        "recommendations": recommendations,
        "overview": overview,
    }
    return whole_year[kind](plan, as_of, reading)


def check_kind(kind: str) -> Kind:
    if kind not in KINDS:
        raise ReportError(
            _('There is no report "%(kind)s"; the reports are %(kinds)s.')
            % {"kind": kind, "kinds": ", ".join(KINDS)}
        )
    return KINDS[kind]


def check_period(kind: Kind, organisation: Organisation, code: str | None) -> Period | None:
    """The organisation's period with this code, if the kind takes one; else a Swedish error."""
    periods = list(Period.objects.filter(organisation=organisation).order_by("position", "id"))
    codes = ", ".join(period.code for period in periods)
    if not kind.takes_period:
        if code:
            raise ReportError(
                _('The report "%(kind)s" covers the whole year and takes no period.')
                % {"kind": kind.name}
            )
        return None
    if not code:
        raise ReportError(
            _('The report "%(kind)s" needs a period: one of %(codes)s.')
            % {"kind": kind.name, "codes": codes}
        )
    period = next((p for p in periods if p.code == code), None)
    if period is not None:
        return period
    if Period.objects.filter(code=code).exists():
        raise ReportError(
            _("%(organisation)s does not use the period %(code)s; its periods are %(codes)s.")
            % {"organisation": organisation.name, "code": code, "codes": codes}
        )
    raise ReportError(
        _("There is no period %(code)s; the periods are %(codes)s.")
        % {"code": code, "codes": codes}
    )


def find_plan(organisation: Organisation, unit_id: str, year: int) -> ControlPlan:
    unit = Unit.objects.filter(organisation=organisation, external_id=unit_id).first()
    if unit is None:
        raise ReportError(
            _('The unit "%(id)s" does not exist in %(organisation)s.')
            % {"id": unit_id, "organisation": organisation.name}
        )
    plan = ControlPlan.objects.filter(unit=unit, year=year).select_related("unit").first()
    if plan is None:
        years = ", ".join(
            str(y) for y in ControlPlan.objects.filter(unit=unit).values_list("year", flat=True)
        )
        raise ReportError(
            _("%(unit)s has no plan for %(year)s (plans: %(years)s).")
            % {"unit": unit.name, "year": year, "years": years or "–"}
        )
    return plan


def empty(report: Report) -> bool:
    """Whether the report has nothing to tell (it then says so)."""
    if isinstance(report, OverviewReport):
        return not report.committees
    if isinstance(report, RecommendationsReport):
        return not report.audits
    if isinstance(report, AssessmentReport):
        return not (report.goals or report.verdict or report.improvements)
    if isinstance(report, CriticalRisksReport):
        return not report.risks
    return not any(group.risks for group in report.areas)


__all__ = ["KINDS", "ReportError", "build", "check_kind", "check_period", "empty", "find_plan"]
