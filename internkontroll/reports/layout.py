"""Each report laid out once as a format-neutral document: headings, fields, tables, sheets.

The four renderers turn a `Document` into HTML, PDF, Word and Excel, so every format carries
the same content in the same order.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import singledispatch
from typing import ClassVar

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from internkontroll.reports.matrix import MatrixPicture
from internkontroll.reports.queries import (
    ActionRow,
    ActivityRow,
    AreaGroup,
    AssessmentReport,
    AuditGroup,
    ControlPlanReport,
    CriticalRisksReport,
    DeviationRow,
    FollowUpReport,
    FollowUpRow,
    Header,
    OverviewReport,
    RecommendationsReport,
    Report,
    RiskPictureReport,
    RiskRow,
    empty,
)

Value = str | int | datetime.date | None


@dataclass
class Table:
    kind: ClassVar[str] = "table"
    title: str
    columns: list[str]
    rows: list[list[Value]]
    widths: list[int] = field(default_factory=list)  # in characters, for Word and Excel


@dataclass
class Fields:
    """Label and text pairs, such as "Riskbeskrivning" and its text."""

    kind: ClassVar[str] = "fields"
    items: list[tuple[str, str]]


@dataclass
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: str


Block = Table | Fields | Paragraph


@dataclass
class Section:
    heading: str
    level: int  # 1 to 4
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)


Layout = tuple[list[Section], list[Table]]


@dataclass
class Document:
    header: Header
    meta: list[tuple[str, str]]
    summary: list[str]
    matrix: MatrixPicture | None
    sections: list[Section]
    sheets: list[Table]
    empty_message: str = ""

    @property
    def filename_stem(self) -> str:
        parts = [self.header.kind, self.header.committee, str(self.header.year)]
        if self.header.period_code:
            parts.append(self.header.period_code)
        if self.header.as_of:
            parts.append(self.header.as_of.isoformat())
        return "-".join(part.replace(" ", "_") for part in parts)


def label(msgid: str) -> str:
    return capfirst(_(msgid))


def iso(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def meta_lines(header: Header) -> list[tuple[str, str]]:
    lines = [
        (label("organisation"), header.organisation),
        (label("committee"), header.committee),
        (label("year"), str(header.year)),
    ]
    if header.period_code:
        lines.append((label("period"), f"{header.period_code} {header.period_name}"))
    if header.reference:
        lines.append((label("reference"), header.reference))
    if header.adopted_on:
        lines.append((label("adopted on"), iso(header.adopted_on)))
    lines.append((_("Report made on"), iso(header.made_on)))
    if header.as_of:
        lines.append((_("Data as of"), iso(header.as_of)))
    if header.excerpt_of:
        lines.append(
            (
                _("Excerpt"),
                _("Only the risks identified by %(units)s.") % {"units": header.excerpt_of},
            )
        )
    return lines


# Shared pieces ----------------------------------------------------------------------------


def level_text(risk: RiskRow) -> str:
    if not risk.level:
        return _("Not assessed")
    return _("%(level)s (risk value %(score)s: probability %(p)s, consequence %(c)s)") % {
        "level": risk.level,
        "score": risk.score,
        "p": risk.probability,
        "c": risk.consequence,
    }


def risk_fields(risk: RiskRow, *, handling: bool = True) -> Fields:
    items = [(_("Risk level"), level_text(risk))]
    if handling:
        items.append((label("handling"), ", ".join(risk.handling)))
    items += [
        (label("risk description"), risk.description),
        (label("consequence description"), risk.consequence_description),
        (label("existing controls"), risk.existing_controls),
        (label("planned handling"), risk.planned_handling),
    ]
    return Fields([(name, text) for name, text in items if text])


def follow_up_text(follow_up: FollowUpRow | None) -> tuple[datetime.date | None, str]:
    if follow_up is None:
        return None, _("No follow-up.")
    return follow_up.date, follow_up.comment


ACTION_COLUMNS = ("status", "action", "responsible", "due date", "date", "comment")


def actions_table(actions: list[ActionRow], comment_heading: str) -> Table:
    columns = [label(name) for name in ACTION_COLUMNS[:-1]] + [comment_heading]
    rows: list[list[Value]] = []
    for action in actions:
        date, comment = follow_up_text(action.follow_up)
        status = f"{action.status} ({_('Overdue').lower()})" if action.overdue else action.status
        title = f"{action.title}\n{action.description}".strip()
        rows.append([status, title, action.responsible, action.due_date, date, comment])
    return Table(label("actions"), columns, rows, [14, 40, 18, 12, 12, 60])


def activities_table(activities: list[ActivityRow], comment_heading: str) -> Table:
    columns = [
        label("control activity"),
        label("method"),
        pgettext("report column", "Sample"),
        label("responsible"),
        label("result"),
        label("date"),
        comment_heading,
    ]
    rows: list[list[Value]] = []
    for activity in activities:
        date, comment = follow_up_text(activity.follow_up)
        result = activity.follow_up.result if activity.follow_up else ""
        title = f"{activity.title}\n{activity.description}".strip()
        rows.append(
            [title, activity.method, activity.sample, activity.responsible, result, date, comment]
        )
    return Table(label("control activities"), columns, rows, [40, 14, 20, 18, 16, 12, 60])


def deviations_table(deviations: list[DeviationRow]) -> Table:
    columns = [label("risk"), label("control activity"), label("period"), label("date")]
    columns += [_("Deviation"), _("Actions of the risk")]
    rows: list[list[Value]] = [
        [
            deviation.risk,
            deviation.activity,
            deviation.period,
            deviation.date,
            deviation.comment,
            "\n".join(f"{a.title} ({a.status})" for a in deviation.actions),
        ]
        for deviation in deviations
    ]
    return Table(_("Deviations"), columns, rows, [30, 30, 8, 12, 60, 40])


def risks_sheet(risks: list[RiskRow]) -> Table:
    columns = [
        label("risk area"),
        label("risk"),
        label("process"),
        label("probability"),
        label("consequence"),
        _("Risk value"),
        _("Risk level"),
        label("handling"),
        label("risk description"),
        label("consequence description"),
        label("existing controls"),
        label("planned handling"),
    ]
    rows: list[list[Value]] = [
        [
            risk.area,
            risk.title,
            risk.process,
            risk.probability,
            risk.consequence,
            risk.score,
            risk.level,
            ", ".join(risk.handling),
            risk.description,
            risk.consequence_description,
            risk.existing_controls,
            risk.planned_handling,
        ]
        for risk in risks
    ]
    return Table(label("risks"), columns, rows, [30, 40, 30, 14, 14, 10, 12, 30, 60, 60, 60, 60])


def actions_sheet(risks: list[RiskRow], comment_heading: str) -> Table:
    columns = [label("risk area"), label("risk")]
    columns += [label(name) for name in ("action", "description", "responsible", "due date")]
    columns += [label("status"), _("Overdue"), label("date"), comment_heading]
    rows: list[list[Value]] = []
    for risk in risks:
        for action in risk.actions:
            date, comment = follow_up_text(action.follow_up)
            rows.append(
                [
                    risk.area,
                    risk.title,
                    action.title,
                    action.description,
                    action.responsible,
                    action.due_date,
                    action.status,
                    yes_no(action.overdue),
                    date,
                    comment,
                ]
            )
    return Table(label("actions"), columns, rows, [30, 40, 40, 60, 20, 12, 14, 10, 12, 60])


def activities_sheet(risks: list[RiskRow], comment_heading: str) -> Table:
    columns = [label("risk area"), label("risk"), _("Risk level")]
    columns += [label(name) for name in ("control activity", "description", "method")]
    columns += [pgettext("report column", "Sample"), label("responsible"), label("frequency")]
    columns += [label("reported in periods"), label("due date"), label("result")]
    columns += [label("date"), comment_heading]
    rows: list[list[Value]] = []
    for risk in risks:
        for activity in risk.activities:
            date, comment = follow_up_text(activity.follow_up)
            rows.append(
                [
                    risk.area,
                    risk.title,
                    risk.level,
                    activity.title,
                    activity.description,
                    activity.method,
                    activity.sample,
                    activity.responsible,
                    activity.frequency,
                    ", ".join(activity.periods),
                    activity.due_date,
                    activity.follow_up.result if activity.follow_up else "",
                    date,
                    comment,
                ]
            )
    widths = [30, 40, 12, 40, 60, 14, 20, 18, 16, 12, 12, 16, 12, 60]
    return Table(label("control activities"), columns, rows, widths)


def area_sections(
    areas: list[AreaGroup], level: int, content: Callable[[RiskRow], list[Block]]
) -> list[Section]:
    return [
        Section(
            _("Risk area: %(name)s") % {"name": area.name},
            level,
            children=[Section(risk.title, level + 1, content(risk)) for risk in area.risks],
        )
        for area in areas
    ]


class RiskContent:
    """What a risk's section holds in a given report."""

    def __init__(self, *, actions: str = "", activities: str = "", risk_follow_up: bool = False):
        self.actions = actions
        self.activities = activities
        self.risk_follow_up = risk_follow_up

    def __call__(self, risk: RiskRow) -> list[Block]:
        blocks: list[Block] = [risk_fields(risk)]
        if self.risk_follow_up and risk.follow_up:
            blocks.append(
                Fields(
                    [
                        (label("on track"), yes_no(risk.follow_up.on_track)),
                        (
                            _("Follow-up of the risk"),
                            f"{iso(risk.follow_up.date)} {risk.follow_up.comment}".strip(),
                        ),
                    ]
                )
            )
        if self.actions:
            if risk.actions:
                blocks.append(actions_table(risk.actions, self.actions))
            else:
                blocks.append(Paragraph(_("No actions.")))
        if self.activities and risk.activities:
            blocks.append(activities_table(risk.activities, self.activities))
        return blocks


def all_risks(areas: list[AreaGroup]) -> list[RiskRow]:
    return [risk for area in areas for risk in area.risks]


# One layout per report ------------------------------------------------------------------------


@singledispatch
def sections_and_sheets(report: Report) -> Layout:
    raise TypeError(type(report))


@sections_and_sheets.register
def _layout_risk_picture(report: RiskPictureReport) -> Layout:
    latest = _("Comment at the latest follow-up")
    risks = all_risks(report.areas)
    sections = area_sections(report.areas, 1, RiskContent(actions=latest))
    return sections, [risks_sheet(risks), actions_sheet(risks, latest)]


@sections_and_sheets.register
def _layout_control_plan(report: ControlPlanReport) -> Layout:
    def content(risk: RiskRow) -> list[Block]:
        rows: list[list[Value]] = [
            [
                f"{activity.title}\n{activity.description}".strip(),
                activity.method,
                activity.sample,
                activity.responsible,
                activity.frequency,
                ", ".join(activity.periods),
                activity.due_date,
            ]
            for activity in risk.activities
        ]
        columns = [label("control activity"), label("method"), pgettext("report column", "Sample")]
        columns += [label("responsible"), label("frequency"), label("reported in periods")]
        columns += [label("due date")]
        table = Table(label("control activities"), columns, rows, [40, 14, 20, 18, 16, 14, 12])
        return [risk_fields(risk), table]

    risks = all_risks(report.areas)
    sections = area_sections(report.areas, 1, content)
    return sections, [risks_sheet(risks), activities_sheet(risks, label("comment"))]


def audit_sections(audits: list[AuditGroup], level: int) -> list[Section]:
    sections = []
    for group in audits:
        children = []
        for number, item in enumerate(group.recommendations, start=1):
            rows: list[list[Value]] = [[f.date, f.status, f.comment] for f in item.follow_ups]
            blocks: list[Block] = [
                Fields(
                    [
                        (label("recommendation"), item.text),
                        (label("response"), item.response),
                        (label("status"), item.status),
                    ]
                ),
                Table(
                    _("Follow-ups"),
                    [label("date"), label("status"), label("comment")],
                    rows,
                    [12, 14, 80],
                )
                if rows
                else Paragraph(_("No follow-up.")),
            ]
            heading = _("Recommendation %(number)s") % {"number": number}
            children.append(Section(heading, level + 1, blocks))
        about = [(label("auditor"), group.auditor), (label("date"), iso(group.date))]
        sections.append(Section(group.title, level, [Fields([i for i in about if i[1]])], children))
    return sections


def recommendations_sheet(audits: list[AuditGroup]) -> Table:
    columns = [label("audit report"), label("auditor"), label("date"), label("recommendation")]
    columns += [label("response"), label("status"), _("Latest follow-up"), label("comment")]
    rows: list[list[Value]] = []
    for group in audits:
        for item in group.recommendations:
            latest = item.follow_ups[-1] if item.follow_ups else None
            rows.append(
                [
                    group.title,
                    group.auditor,
                    group.date,
                    item.text,
                    item.response,
                    item.status,
                    latest.date if latest else None,
                    latest.comment if latest else "",
                ]
            )
    return Table(_("Recommendations"), columns, rows, [40, 20, 12, 60, 60, 14, 12, 60])


@sections_and_sheets.register
def _layout_follow_up(report: FollowUpReport) -> Layout:
    period = _("Comment for the period")
    risks = all_risks(report.areas)
    sections = []
    sheets = []
    if report.audits:
        sections.append(
            Section(_("The auditors' recommendations"), 1, [], audit_sections(report.audits, 2))
        )
        sheets.append(recommendations_sheet(report.audits))
    picture = RiskContent(actions=period, risk_follow_up=True)
    sections.append(
        Section(_("Risk picture with actions"), 1, [], area_sections(report.areas, 2, picture))
    )
    sections.append(
        Section(
            _("Internal control plan"),
            1,
            [] if report.plan_areas else [Paragraph(_("The plan holds no control activities."))],
            area_sections(report.plan_areas, 2, RiskContent(activities=period)),
        )
    )
    deviations: list[Block] = (
        [deviations_table(report.deviations)]
        if report.deviations
        else [Paragraph(_("The controls found no deviations in the period."))]
    )
    sections.append(Section(_("Deviations"), 1, deviations))
    sheets += [
        risks_sheet(risks),
        actions_sheet(risks, period),
        activities_sheet(risks, period),
        deviations_table(report.deviations),
    ]
    return sections, sheets


def critical_table(risks: list[RiskRow]) -> Table:
    columns = [label("risk"), label("process"), _("Risk value"), label("existing controls")]
    columns += [label("planned handling"), label("on track"), label("date"), label("comment")]
    rows: list[list[Value]] = [
        [
            risk.title,
            risk.process,
            risk.score,
            risk.existing_controls,
            risk.planned_handling,
            yes_no(risk.follow_up.on_track) if risk.follow_up else "",
            risk.follow_up.date if risk.follow_up else None,
            risk.follow_up.comment if risk.follow_up else _("No follow-up."),
        ]
        for risk in risks
    ]
    return Table(_("Critical risks"), columns, rows, [40, 30, 10, 50, 50, 10, 12, 60])


@sections_and_sheets.register
def _layout_critical_risks(report: CriticalRisksReport) -> Layout:
    sections = []
    for risk in report.risks:
        follow = risk.follow_up
        items = [
            (label("process"), risk.process),
            (_("Risk value"), f"{risk.score} ({risk.level})"),
            (label("existing controls"), risk.existing_controls),
            (label("planned handling"), risk.planned_handling),
            (label("on track"), yes_no(follow.on_track) if follow else ""),
            (
                _("Comment for the period"),
                f"{iso(follow.date)} {follow.comment}".strip() if follow else _("No follow-up."),
            ),
        ]
        sections.append(Section(risk.title, 2, [Fields([i for i in items if i[1]])]))
    table = critical_table(report.risks)
    return [Section(_("Critical risks"), 1, [table], sections)], [table]


def results_table(activity: ActivityRow, codes: list[str]) -> Table:
    rows: list[list[Value]] = []
    for code in codes:
        result = activity.results.get(code)
        if result is None:
            rows.append([code, "", None, ""])
        else:
            rows.append([code, result.result, result.date, result.comment])
    columns = [label("period"), label("result"), label("date"), label("comment")]
    return Table(_("Results per period"), columns, rows, [8, 16, 12, 80])


@sections_and_sheets.register
def _layout_assessment(report: AssessmentReport) -> Layout:
    verdict = Fields(
        [
            (label("verdict"), report.verdict or _("Not assessed")),
            (label("decided on"), iso(report.decided_on)),
            (label("analysis"), report.analysis),
        ]
    )
    sections = [Section(_("Assessment"), 1, [Fields([i for i in verdict.items if i[1]])])]
    goals = []
    sheet_rows: list[list[Value]] = []
    for goal in report.goals:
        processes = []
        for process in goal.processes:
            activities = []
            for activity in process.activities:
                items = [
                    (label("risk"), activity.risk),
                    (label("working method"), activity.working_method),
                    (label("systematic control"), activity.systematic_control),
                    (label("control activity"), activity.description),
                    (label("responsible"), activity.responsible),
                ]
                blocks: list[Block] = [
                    Fields([i for i in items if i[1]]),
                    results_table(activity, report.period_codes),
                ]
                activities.append(Section(activity.title, 4, blocks))
                results = [activity.results.get(code) for code in report.period_codes]
                row: list[Value] = [goal.name, process.name, activity.title]
                sheet_rows.append(
                    [*row, activity.working_method, activity.systematic_control]
                    + [activity.description]
                    + [f"{r.result}: {r.comment}" if r else "" for r in results]
                )
            processes.append(Section(process.name, 3, [], activities))
        goals.append(Section(goal.name, 2, [], processes))
    sections.append(
        Section(
            _("Control activities by goal and process"),
            1,
            [] if goals else [Paragraph(_("The plan holds no control activities."))],
            goals,
        )
    )
    deviations: list[Block] = (
        [deviations_table(report.deviations)]
        if report.deviations
        else [Paragraph(_("The controls found no deviations."))]
    )
    sections.append(Section(_("Deviations"), 1, deviations))
    improvements = [
        Section(risk.title, 2, RiskContent(actions=_("Comment at the latest follow-up"))(risk))
        for risk in report.improvements
    ]
    sections.append(
        Section(
            _("Improvement areas"),
            1,
            [] if improvements else [Paragraph(_("No risk is handled as an improvement area."))],
            improvements,
        )
    )
    columns = [label("goal"), label("process"), label("control activity")]
    columns += [label("working method"), label("systematic control"), label("description")]
    columns += report.period_codes
    widths = [30, 30, 40, 50, 50, 50] + [50] * len(report.period_codes)
    sheet = Table(label("control activities"), columns, sheet_rows, widths)
    return sections, [sheet, deviations_table(report.deviations)]


@sections_and_sheets.register
def _layout_recommendations_report(
    report: RecommendationsReport,
) -> tuple[list[Section], list[Table]]:
    return audit_sections(report.audits, 1), [recommendations_sheet(report.audits)]


@sections_and_sheets.register
def _layout_overview(report: OverviewReport) -> Layout:
    columns = [label("committee"), label("reference"), label("adopted on"), label("risks")]
    columns += report.level_names
    columns += [_("Critical"), _("Actions in progress"), _("Actions done")]
    columns += [_("Actions not started"), _("Overdue"), label("control activities")]
    columns += [_("Deviations"), label("verdict")]
    rows: list[list[Value]] = [
        [row.committee, row.reference, row.adopted_on, row.risks]
        + [row.per_level.get(name, 0) for name in report.level_names]
        + [row.critical, row.actions.get("in_progress", 0), row.actions.get("done", 0)]
        + [row.actions.get("not_started", 0), row.overdue, row.activities, row.deviations]
        + [row.verdict]
        for row in report.committees
    ]
    widths = [30, 16, 12, 8] + [8] * len(report.level_names) + [8, 10, 10, 10, 10, 10, 10, 18]
    table = Table(_("Committees"), columns, rows, widths)
    blocks: list[Block] = [table]
    if report.without_plan:
        blocks.append(
            Paragraph(
                _("Without a plan for the year: %(names)s.")
                % {"names": ", ".join(report.without_plan)}
            )
        )
    return [Section(_("Committees side by side"), 1, blocks)], [table]


def document(report: Report) -> Document:
    """The report laid out for rendering, with the matrix where the report shows risks."""
    sections, sheets = sections_and_sheets(report)
    nothing = empty(report)
    return Document(
        header=report.header,
        meta=meta_lines(report.header),
        summary=report.summary,
        matrix=getattr(report, "matrix", None),
        sections=[] if nothing else sections,
        sheets=sheets,
        empty_message=(
            _("There is nothing to report for %(committee)s for %(year)s.")
            % {"committee": report.header.committee, "year": report.header.year}
            if nothing
            else ""
        ),
    )
