"""Bedömning av den interna kontrollen: the committee's verdict and what it rests on: the
controls carried out per period, the deviations and the improvement areas."""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from internkontroll.plans.models import Assessment
from internkontroll.reports import prose
from internkontroll.reports.blocks import (
    activity_text,
    dated,
    deviations_sheet,
    deviations_table,
    iso,
    label,
    risk_table,
    structured,
)
from internkontroll.reports.document import Fields, Paragraph, Section, Table, Value
from internkontroll.reports.kinds.base import Body, Context
from internkontroll.reports.kinds.follow_up import activities_summary
from internkontroll.reports.rows import ActivityRow, RiskRow
from internkontroll.reports.rows import label as choice_label
from internkontroll.risks.models import Handling


def results(activity: ActivityRow) -> str:
    """One line per period it was due or reported in: "Tertial 1: Inga anmärkningar. …"."""
    return "\n".join(
        f"{period}: {row.result}. {dated(row)}" if row else f"{period}: {_('Not reported')}"
        for period, row in activity.results
    )


def controls_table(risks: list[RiskRow], with_process: bool = False) -> Table:
    columns = [label("risk"), label("control activity"), label("responsible"), _("Results")]
    rows: list[tuple[RiskRow, list[Value]]] = [
        (risk, [risk.title, activity_text(activity), activity.responsible, results(activity)])
        for risk in risks
        for activity in risk.activities
    ]
    return risk_table(label("control activities"), columns, [18, 34, 12, 36], rows, with_process)


def improvements_table(risks: list[RiskRow]) -> Table:
    columns = [label("risk"), _("Risk level"), label("planned handling"), label("actions")]
    rows: list[list[Value]] = [
        [
            risk.title,
            risk.assessment,
            risk.planned_handling,
            "\n".join(f"{a.title} ({a.status.lower()})" for a in risk.actions),
        ]
        for risk in risks
    ]
    return Table(_("Improvement areas"), columns, rows, [26, 18, 30, 26], show_title=False)


def make(context: Context) -> Body:
    assembler = context.assembler
    risks = assembler.risks
    stored: Assessment | None = context.snapshot.assessments.get(context.plan.pk)
    verdict = choice_label(Assessment.Verdict, stored.verdict) if stored and stored.verdict else ""
    shown = capfirst(verdict)
    decided_on = iso(stored.decided_on) if stored else ""
    analysis = stored.analysis if stored else ""
    deviations = [deviation for risk in risks for deviation in risk.deviations]
    summary = [prose.verdict(stored.verdict if stored and stored.verdict else None)]
    if any(risk.activities for risk in risks):
        summary.append(activities_summary(context, risks))
    key_fields = [
        (label("verdict"), shown or _("Not assessed")),
        (label("decided on"), decided_on),
        (label("analysis"), analysis),
    ]
    improvements = [risk for risk in risks if Handling.IMPROVE in risk.handling_codes]
    sections = [
        Section(
            _("The committee's assessment"),
            1,
            [Fields([(name, text) for name, text in key_fields if text])],
        ),
        structured(
            _("Controls carried out"),
            [risk for risk in risks if risk.activities],
            lambda rows, process: [controls_table(rows, process)],
            empty=_("The plan holds no control activities."),
        ),
        Section(
            _("Deviations"),
            1,
            [deviations_table(deviations)]
            if deviations
            else [Paragraph(_("The controls found no deviations."))],
        ),
        Section(
            _("Improvement areas"),
            1,
            [improvements_table(improvements)]
            if improvements
            else [Paragraph(_("No risk is handled as an improvement area."))],
        ),
    ]
    sheet = controls_table([risk for risk in risks if risk.activities])
    return Body(
        summary=summary,
        sections=sections,
        sheets=[
            Table(sheet.title, sheet.columns, sheet.rows, [30, 50, 20, 80]),
            deviations_sheet(deviations),
        ],
        key_fields=[(name, text) for name, text in key_fields if text],
        empty=not (risks or verdict),
    )
