"""Översikt: every committee of the organisation for the year, side by side."""

from __future__ import annotations

from collections import Counter

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from internkontroll.organisation.models import PLAN_OWNER_KINDS
from internkontroll.plans.models import Assessment
from internkontroll.reports import prose
from internkontroll.reports.blocks import label
from internkontroll.reports.document import Paragraph, Section, Table, Value
from internkontroll.reports.kinds.base import Body, Context
from internkontroll.reports.rows import Assembler
from internkontroll.reports.rows import label as choice_label
from internkontroll.risks.models import Progress


def make(context: Context) -> Body:
    snapshot = context.snapshot
    level_names: list[str] = []
    rows: list[list[Value]] = []
    total_risks = total_critical = 0
    for plan in sorted(snapshot.plans, key=lambda p: snapshot.units[p.unit_id].name):
        assembler = Assembler(snapshot, plan, None, context.cutoff)
        for level in assembler.matrix.level_objects():
            if level.name not in level_names:
                level_names.append(level.name)
    for plan in sorted(snapshot.plans, key=lambda p: snapshot.units[p.unit_id].name):
        assembler = Assembler(snapshot, plan, None, context.cutoff)
        risks = assembler.risks
        actions = [action for risk in risks for action in risk.actions]
        statuses = Counter(action.status_code for action in actions)
        per_level = Counter(risk.level for risk in risks if risk.level)
        stored = snapshot.assessments.get(plan.pk)
        critical = sum(risk.critical for risk in risks)
        total_risks += len(risks)
        total_critical += critical
        rows.append(
            [snapshot.units[plan.unit_id].name, plan.reference, plan.adopted_on, len(risks)]
            + [per_level.get(name, 0) for name in level_names]
            + [statuses[Progress.IN_PROGRESS], statuses[Progress.DONE]]
            + [statuses[Progress.NOT_STARTED], sum(a.overdue for a in actions)]
            + [sum(len(risk.activities) for risk in risks)]
            + [sum(len(risk.deviations) for risk in risks)]
            + [capfirst(choice_label(Assessment.Verdict, stored.verdict)) if stored else ""]
        )
    with_plans = {p.unit_id for p in snapshot.plans}
    without = sorted(
        unit.name
        for unit in snapshot.units.values()
        if unit.kind in PLAN_OWNER_KINDS and unit.pk not in with_plans
    )
    columns = [label("committee"), _("Ref."), label("adopted on"), label("risks")]
    columns += level_names
    columns += [_("Actions in progress"), _("Actions done")]
    columns += [_("Actions not started"), _("Overdue actions"), label("control activities")]
    columns += [_("Deviations"), label("verdict")]
    widths = [18, 9, 10, 6] + [6] * len(level_names) + [7, 7, 7, 7, 8, 8, 11]
    table = Table(_("Committees"), columns, rows, widths, show_title=False)
    blocks: list[Paragraph | Table] = [table]
    if without:
        blocks.append(
            Paragraph(_("Without a plan for the year: %(names)s.") % {"names": ", ".join(without)})
        )
    return Body(
        summary=[prose.committees(len(rows), len(without), total_risks, total_critical)],
        sections=[Section(_("Committees side by side"), 1, list(blocks), landscape=True)],
        sheets=[table],
        empty=not rows,
    )
