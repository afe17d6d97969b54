"""Uppföljning: the period's follow-up of the risk picture's actions, the plan's control
activities due in the period, the deviations, and the auditors' recommendations."""

from __future__ import annotations

from django.utils.translation import gettext as _

from internkontroll.followups.models import Result
from internkontroll.reports import prose
from internkontroll.reports.blocks import (
    actions_sheet,
    actions_table,
    activities_sheet,
    audit_sections,
    dated,
    deviations_sheet,
    deviations_table,
    label,
    recommendations_sheet,
    results_table,
    risks_sheet,
    risks_table,
    structured,
    yes_no,
)
from internkontroll.reports.document import Block, Paragraph, Section, Table, Value
from internkontroll.reports.kinds.base import Body, Context
from internkontroll.reports.kinds.recommendations import recommendations_summary
from internkontroll.reports.kinds.risk_picture import actions_summary, risks_summary
from internkontroll.reports.rows import RiskRow


def activities_summary(context: Context, risks: list[RiskRow]) -> str:
    activities = [activity for risk in risks for activity in risk.activities if activity.due]
    return prose.activities_followed(
        due=len(activities),
        followed=sum(a.follow_up is not None for a in activities),
        not_done=sum(
            a.follow_up is not None and a.follow_up.result_code == Result.NOT_DONE
            for a in activities
        ),
        deviations=sum(len(risk.deviations) for risk in risks),
        # The annual report (the year's last period) looks back on the whole year.
        period_name=only.name.lower() if (only := context.assembler.only_period) else None,
    )


def risk_follow_ups(risks: list[RiskRow], comment_heading: str) -> Table:
    columns = [label("risk"), _("Risk level"), label("on track"), comment_heading]
    rows: list[list[Value]] = [
        [risk.title, risk.assessment, yes_no(risk.follow_up.on_track), dated(risk.follow_up)]
        for risk in risks
        if risk.follow_up is not None
    ]
    return Table(_("Follow-up of the risks"), columns, rows, [30, 18, 10, 42], show_title=False)


def titled(*tables: Table) -> list[Block]:
    """Tables that share a heading, each with its caption."""
    for table in tables:
        table.show_title = True
    return list(tables)


def make(context: Context) -> Body:
    assembler = context.assembler
    risks = assembler.risks
    period_comment = _("Comment for the period")
    not_reported = _("Not reported for the period.")
    audits = assembler.audits()
    deviations = [deviation for risk in risks for deviation in risk.deviations]
    summary = []
    if risks:
        actions = [action for risk in risks for action in risk.actions]
        summary = [
            risks_summary(risks),
            actions_summary(actions),
            activities_summary(context, risks),
        ]
    recommendations = [item for group in audits for item in group.recommendations]
    if recommendations:
        summary.append(recommendations_summary(recommendations))
    sections = []
    if audits:
        sections.append(
            Section(_("The auditors' recommendations"), 1, [], audit_sections(audits, 2))
        )
    followed = [risk for risk in risks if risk.follow_up is not None]
    if followed:
        sections.append(
            Section(_("Follow-up of the risks"), 1, [risk_follow_ups(followed, period_comment)])
        )
    sections.append(
        structured(
            _("Risk picture with actions"),
            risks,
            lambda rows, process: titled(
                risks_table(rows, process),
                actions_table(rows, process, period_comment, none=not_reported),
            ),
            goals=False,
            empty=_("No risks have been identified."),
        )
    )
    sections.append(
        structured(
            _("Internal control plan"),
            [risk for risk in risks if risk.activities],
            lambda rows, process: [results_table(rows, process, period_comment, none=not_reported)],
            empty=_("No control activity was due in the period."),
        )
    )
    sections.append(
        Section(
            _("Deviations"),
            1,
            [deviations_table(deviations)]
            if deviations
            else [Paragraph(_("The controls found no deviations in the period."))],
        )
    )
    sheets = [recommendations_sheet(audits)] if audits else []
    sheets += [
        risks_sheet(risks),
        actions_sheet(risks, period_comment),
        activities_sheet(risks, period_comment),
        deviations_sheet(deviations),
    ]
    return Body(
        summary=summary,
        matrix=assembler.picture(),
        sections=sections,
        sheets=sheets,
        empty=not risks and not audits,
    )
