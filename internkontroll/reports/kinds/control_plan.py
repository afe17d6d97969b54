"""Internkontrollplan: the risks the plan examines and the control activities that do it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from internkontroll.reports import prose
from internkontroll.reports.blocks import activities_sheet, activities_table, label, structured
from internkontroll.reports.kinds.base import Body, Context


def make(context: Context) -> Body:
    assembler = context.assembler
    risks = [risk for risk in assembler.risks if risk.reviewed]
    activities = sum(len(risk.activities) for risk in risks)
    return Body(
        summary=[prose.plan_reviews(len(risks), activities)] if risks else [],
        matrix=assembler.picture(),
        sections=[
            structured(
                _("Control activities"),
                risks,
                lambda rows, process: [activities_table(rows, process)],
                empty=_("The plan examines no risks."),
            )
        ],
        sheets=[activities_sheet(risks, label("comment"))],
        empty=not risks,
    )
