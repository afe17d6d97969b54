"""Layout pieces several report kinds share: groupings, tables and the workbook's sheets.

A committee's document is as long as the committee's own: a table row per risk, action or
control activity, grouped under numbered headings (goal and process where the plan has goals,
else risk area), never a page per risk.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from internkontroll.reports.document import Block, Paragraph, Section, Table, Value
from internkontroll.reports.rows import (
    ActionRow,
    ActivityRow,
    AuditGroup,
    DeviationRow,
    FollowUpRow,
    RiskRow,
)

T = TypeVar("T")


def label(msgid: str) -> str:
    return capfirst(_(msgid))


def iso(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def lines(*parts: str) -> str:
    """The non-empty parts, one per line."""
    return "\n".join(part for part in parts if part)


def listing(labels: list[str]) -> str:
    """Labels as one phrase: "Hantera med åtgärder, granska i internkontrollplanen"."""
    return capfirst(", ".join(text[:1].lower() + text[1:] for text in labels))


def dated(follow_up: FollowUpRow | None, none: str = "") -> str:
    """ "2026-04-28: the comment", or `none` when there is no follow-up."""
    if follow_up is None:
        return none
    return (
        f"{iso(follow_up.date)}: {follow_up.comment}" if follow_up.comment else iso(follow_up.date)
    )


# Groupings ------------------------------------------------------------------------------------


def grouped(
    risks: list[RiskRow], key: Callable[[RiskRow], str], rest: str
) -> list[tuple[str, list[RiskRow]]]:
    """Risks grouped by `key` in the order their first risk comes; those without a group last,
    under `rest`. When no risk has a group, one unnamed group."""
    groups: dict[str, list[RiskRow]] = {}
    for risk in risks:
        groups.setdefault(key(risk), []).append(risk)
    if set(groups) <= {""}:
        return [("", risks)] if risks else []
    named = [(name, rows) for name, rows in groups.items() if name]
    return named + ([(rest, groups[""])] if "" in groups else [])


def by_area(risks: list[RiskRow]) -> list[tuple[str, list[RiskRow]]]:
    return grouped(risks, lambda risk: risk.area, _("Other risks"))


def uses_goals(risks: Iterable[RiskRow]) -> bool:
    return any(risk.goal for risk in risks)


def structured(
    heading: str,
    risks: list[RiskRow],
    content: Callable[[list[RiskRow], bool], list[Block]],
    *,
    empty: str,
    goals: bool = True,
    landscape: bool = True,
) -> Section:
    """A level-1 section over the risks.

    Where the plan starts from the committee's goals (and `goals` is asked), a subsection per
    goal whose table runs process by process; else a subsection per risk area, or the table
    right under the heading when no risk has an area. `content(rows, with_process)` lays out
    one group's risks.
    """
    if not risks:
        return Section(heading, 1, [Paragraph(empty)])
    if goals and uses_goals(risks):
        children = [
            Section(
                _("Goal: %(name)s") % {"name": goal},
                2,
                content(sorted(rows, key=lambda risk: (risk.process == "", risk.process)), True),
            )
            for goal, rows in grouped(risks, lambda risk: risk.goal, _("Other risks"))
        ]
        return Section(heading, 1, [], children, landscape)
    groups = by_area(risks)
    if len(groups) == 1 and not groups[0][0]:
        return Section(heading, 1, content(risks, False), [], landscape)
    children = [
        Section(_("Risk area: %(name)s") % {"name": name}, 2, content(rows, False))
        for name, rows in groups
    ]
    return Section(heading, 1, [], children, landscape)


# Tables ---------------------------------------------------------------------------------------


def risk_table(
    title: str,
    columns: list[str],
    widths: list[int],
    rows: list[tuple[RiskRow, list[Value]]],
    with_process: bool,
) -> Table:
    """A table of the risks' rows; with a first column naming each row's process if asked."""
    if not with_process:
        return Table(title, columns, [values for _risk, values in rows], widths, show_title=False)
    return Table(
        title,
        [label("process"), *columns],
        [[risk.process, *values] for risk, values in rows],
        [max(widths) * 2 // 3, *widths],
        show_title=False,
    )


def risks_table(risks: list[RiskRow], with_process: bool = False) -> Table:
    """The samlad riskbild: one row per risk."""
    columns = [
        label("risk"),
        label("risk description"),
        label("consequence description"),
        label("existing controls"),
        _("Risk level"),
        label("handling"),
    ]
    rows: list[tuple[RiskRow, list[Value]]] = [
        (
            risk,
            [
                risk.title,
                risk.description,
                risk.consequence_description,
                risk.existing_controls,
                risk.assessment,
                lines(listing(risk.handling), risk.planned_handling),
            ],
        )
        for risk in risks
    ]
    return risk_table(label("risks"), columns, [18, 24, 20, 18, 12, 14], rows, with_process)


def action_status(action: ActionRow) -> str:
    status = capfirst(action.status)
    return f"{status} ({_('Overdue').lower()})" if action.overdue else status


def actions_table(
    risks: list[RiskRow], with_process: bool, comment_heading: str, *, none: str
) -> Table:
    """One row per action, under its risk; a risk without actions says so."""
    columns = [label("risk"), label("action"), label("responsible"), label("due date")]
    columns += [label("status"), comment_heading]
    rows: list[tuple[RiskRow, list[Value]]] = []
    for risk in risks:
        if not risk.actions:
            rows.append((risk, [risk.title, _("No actions."), "", None, "", ""]))
        for action in risk.actions:
            values: list[Value] = [
                risk.title,
                lines(action.title, action.description),
                action.responsible,
                action.due_date,
                action_status(action),
                dated(action.follow_up, none),
            ]
            rows.append((risk, values))
    return risk_table(label("actions"), columns, [16, 26, 12, 10, 11, 25], rows, with_process)


def activities_table(risks: list[RiskRow], with_process: bool = False) -> Table:
    """The plan's control activities as planned: one row each."""
    columns = [label("risk"), label("control activity"), label("method")]
    columns += [label("responsible"), label("frequency"), label("reported in periods")]
    columns += [label("due date")]
    rows: list[tuple[RiskRow, list[Value]]] = []
    for risk in risks:
        if not risk.activities:
            rows.append((risk, [risk.title, _("No control activity yet."), "", "", "", "", None]))
        for activity in risk.activities:
            values: list[Value] = [
                risk.title,
                activity_text(activity),
                lines(activity.method, activity.sample),
                activity.responsible,
                capfirst(activity.frequency),
                ", ".join(activity.periods),
                activity.due_date,
            ]
            rows.append((risk, values))
    widths = [16, 34, 13, 12, 10, 10, 9]
    return risk_table(label("control activities"), columns, widths, rows, with_process)


def activity_text(activity: ActivityRow) -> str:
    """The activity with its working method and systematic control, when the plan has them."""
    parts = [activity.title, activity.description]
    if activity.working_method:
        parts.append(f"{label('working method')}: {activity.working_method}")
    if activity.systematic_control:
        parts.append(f"{label('systematic control')}: {activity.systematic_control}")
    return lines(*parts)


def results_table(
    risks: list[RiskRow], with_process: bool, comment_heading: str, *, none: str
) -> Table:
    """The period's results: one row per control activity due or reported."""
    columns = [label("risk"), label("control activity"), label("responsible")]
    columns += [label("result"), comment_heading]
    rows: list[tuple[RiskRow, list[Value]]] = [
        (
            risk,
            [
                risk.title,
                activity_text(activity),
                activity.responsible,
                capfirst(activity.follow_up.result) if activity.follow_up else _("Not reported"),
                dated(activity.follow_up, none),
            ],
        )
        for risk in risks
        for activity in risk.activities
    ]
    widths = [16, 32, 12, 12, 28]
    return risk_table(label("control activities"), columns, widths, rows, with_process)


def deviations_table(deviations: list[DeviationRow]) -> Table:
    columns = [label("risk"), label("control activity"), label("date"), _("Deviation")]
    columns += [label("action taken")]
    rows: list[list[Value]] = [
        [
            deviation.risk,
            deviation.activity,
            deviation.date,
            deviation.comment,
            "\n".join(f"{a.title} ({a.status.lower()})" for a in deviation.actions)
            or _("No action yet."),
        ]
        for deviation in deviations
    ]
    return Table(_("Deviations"), columns, rows, [18, 20, 10, 30, 22], show_title=False)


def recommendations_table(group: AuditGroup) -> Table:
    columns = [_("No."), label("recommendation"), _("The committee's response")]
    columns += [label("status"), _("Follow-up")]
    rows: list[list[Value]] = [
        [
            number,
            item.text,
            item.response or _("No response recorded."),
            item.status,
            "\n".join(dated(f) for f in item.follow_ups) or _("No follow-up."),
        ]
        for number, item in enumerate(group.recommendations, start=1)
    ]
    return Table(label("recommendations"), columns, rows, [5, 30, 27, 10, 28], show_title=False)


def audit_sections(audits: list[AuditGroup], level: int) -> list[Section]:
    sections = []
    for group in audits:
        about = ", ".join(part for part in (group.auditor, iso(group.date)) if part)
        blocks: list[Block] = [Paragraph(about)] if about else []
        if group.recommendations:
            blocks.append(recommendations_table(group))
        else:
            blocks.append(Paragraph(_("The report holds no recommendations.")))
        sections.append(Section(group.title, level, blocks))
    return sections


# Sheets -----------------------------------------------------------------------------------------


def risks_sheet(risks: list[RiskRow]) -> Table:
    columns = [label("goal"), label("process"), label("risk area"), label("risk")]
    columns += [label("identified by"), label("probability"), label("consequence")]
    columns += [_("Risk value"), _("Risk level"), label("handling"), label("risk description")]
    columns += [label("consequence description"), label("existing controls")]
    columns += [label("planned handling")]
    rows: list[list[Value]] = [
        [
            risk.goal,
            risk.process,
            risk.area,
            risk.title,
            risk.identified_by,
            risk.probability,
            risk.consequence,
            risk.score,
            risk.level,
            listing(risk.handling),
            risk.description,
            risk.consequence_description,
            risk.existing_controls,
            risk.planned_handling,
        ]
        for risk in risks
    ]
    widths = [24, 24, 24, 40, 24, 14, 14, 10, 12, 30, 60, 60, 60, 60]
    return Table(label("risks"), columns, rows, widths)


def actions_sheet(risks: list[RiskRow], comment_heading: str) -> Table:
    columns = [label("risk area"), label("risk")]
    columns += [label(name) for name in ("action", "description", "responsible", "due date")]
    columns += [label("status"), _("Overdue"), label("date"), comment_heading]
    rows: list[list[Value]] = [
        [
            risk.area,
            risk.title,
            action.title,
            action.description,
            action.responsible,
            action.due_date,
            action.status,
            yes_no(action.overdue),
            action.follow_up.date if action.follow_up else None,
            action.follow_up.comment if action.follow_up else "",
        ]
        for risk in risks
        for action in risk.actions
    ]
    return Table(label("actions"), columns, rows, [30, 40, 40, 60, 20, 12, 14, 10, 12, 60])


def activities_sheet(risks: list[RiskRow], comment_heading: str) -> Table:
    columns = [label("goal"), label("process"), label("risk"), _("Risk level")]
    columns += [label(name) for name in ("control activity", "working method")]
    columns += [label(name) for name in ("systematic control", "description", "method")]
    columns += [pgettext("report column", "Sample"), label("responsible"), label("frequency")]
    columns += [label("reported in periods"), label("due date"), label("result")]
    columns += [label("date"), comment_heading]
    rows: list[list[Value]] = [
        [
            risk.goal,
            risk.process,
            risk.title,
            risk.level,
            activity.title,
            activity.working_method,
            activity.systematic_control,
            activity.description,
            activity.method,
            activity.sample,
            activity.responsible,
            activity.frequency,
            ", ".join(activity.periods),
            activity.due_date,
            activity.follow_up.result if activity.follow_up else "",
            activity.follow_up.date if activity.follow_up else None,
            activity.follow_up.comment if activity.follow_up else "",
        ]
        for risk in risks
        for activity in risk.activities
    ]
    widths = [24, 24, 40, 12, 40, 40, 40, 60, 14, 20, 18, 16, 16, 12, 16, 12, 60]
    return Table(label("control activities"), columns, rows, widths)


def deviations_sheet(deviations: list[DeviationRow]) -> Table:
    table = deviations_table(deviations)
    return Table(table.title, table.columns, table.rows, [30, 30, 12, 60, 40])


def recommendations_sheet(audits: list[AuditGroup]) -> Table:
    columns = [label("audit report"), label("auditor"), label("date"), label("recommendation")]
    columns += [_("The committee's response"), label("status"), _("Latest follow-up")]
    columns += [label("comment")]
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
