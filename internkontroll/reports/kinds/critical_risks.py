"""Kritiska risker: the risks at the matrix's highest level, whether they follow the plan."""

from __future__ import annotations

from django.utils.translation import gettext as _

from internkontroll.reports import prose
from internkontroll.reports.blocks import dated, label, lines, yes_no
from internkontroll.reports.document import Paragraph, Section, Table, Value
from internkontroll.reports.kinds.base import Body, Context
from internkontroll.reports.rows import RiskRow


def critical_table(risks: list[RiskRow]) -> Table:
    columns = [label("risk"), label("process"), _("Risk level"), label("existing controls")]
    columns += [label("planned handling"), _("Examined in the plan"), label("on track")]
    columns += [_("Comment for the period")]
    rows: list[list[Value]] = [
        [
            lines(risk.title, risk.description),
            risk.process,
            risk.assessment,
            risk.existing_controls,
            risk.planned_handling,
            yes_no(risk.reviewed),
            yes_no(risk.follow_up.on_track) if risk.follow_up else "",
            dated(risk.follow_up, _("Not followed up for the period.")),
        ]
        for risk in risks
    ]
    widths = [20, 11, 11, 15, 15, 8, 7, 18]
    return Table(_("Critical risks"), columns, rows, widths, show_title=False)


def make(context: Context) -> Body:
    assembler = context.assembler
    risks = assembler.risks
    critical = [risk for risk in risks if risk.critical]
    level = assembler.matrix.highest_level().name
    off_track = [r.title for r in critical if r.follow_up is not None and not r.follow_up.on_track]
    summary = [
        prose.critical(
            total_risks=len(risks),
            critical=len(critical),
            level_name=level,
            examined=sum(risk.reviewed for risk in critical),
            off_track_names=off_track,
            not_followed=sum(risk.follow_up is None for risk in critical),
        )
    ]
    table = critical_table(critical)
    section = Section(
        _("Critical risks"),
        1,
        [table] if critical else [Paragraph(_("No risk is at the highest level."))],
        landscape=bool(critical),
    )
    return Body(
        summary=summary,
        matrix=assembler.picture(),
        sections=[section],
        sheets=[table],
        empty=not risks,
    )
