"""Samlad riskbild: every risk of the plan with its assessment, handling and actions."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _

from internkontroll.reports import prose
from internkontroll.reports.blocks import (
    actions_sheet,
    actions_table,
    risks_sheet,
    risks_table,
    structured,
)
from internkontroll.reports.kinds.base import Body, Context
from internkontroll.reports.rows import ActionRow, RiskRow
from internkontroll.risks.models import Handling, Progress


def risks_summary(risks: list[RiskRow]) -> str:
    mitigated = sum(Handling.MITIGATE in risk.handling_codes for risk in risks)
    return prose.risks(len(risks), mitigated)


def actions_summary(actions: list[ActionRow]) -> str:
    statuses = Counter(action.status_code for action in actions)
    return prose.actions(
        in_progress=statuses[Progress.IN_PROGRESS],
        done=statuses[Progress.DONE],
        not_started=statuses[Progress.NOT_STARTED],
        cancelled=statuses[Progress.CANCELLED],
        overdue=sum(action.overdue for action in actions),
    )


def make(context: Context) -> Body:
    assembler = context.assembler
    risks = assembler.risks
    latest = _("Comment at the latest follow-up")
    actions = [action for risk in risks for action in risk.actions]
    return Body(
        summary=[risks_summary(risks), actions_summary(actions)] if risks else [],
        matrix=assembler.picture(),
        sections=[
            structured(
                _("Risk picture"),
                risks,
                lambda rows, process: [risks_table(rows, process)],
                goals=False,
                empty=_("No risks have been identified."),
            ),
            structured(
                _("Actions"),
                [risk for risk in risks if risk.actions],
                lambda rows, process: [
                    actions_table(rows, process, latest, none=_("Not followed up yet."))
                ],
                goals=False,
                empty=_("No actions have been decided."),
            ),
        ],
        sheets=[risks_sheet(risks), actions_sheet(risks, latest)],
        empty=not risks,
    )
