"""Revisionens rekommendationer: each audit report's recommendations, the committee's response
and their follow-up."""

from __future__ import annotations

from internkontroll.reports import prose
from internkontroll.reports.blocks import audit_sections, recommendations_sheet
from internkontroll.reports.kinds.base import Body, Context
from internkontroll.reports.rows import RecommendationRow
from internkontroll.risks.models import Progress


def recommendations_summary(items: list[RecommendationRow]) -> str:
    return prose.recommendations(len(items), sum(i.status_code == Progress.DONE for i in items))


def make(context: Context) -> Body:
    audits = context.assembler.audits()
    items = [item for group in audits for item in group.recommendations]
    return Body(
        summary=[recommendations_summary(items)] if items else [],
        sections=audit_sections(audits, 1),
        sheets=[recommendations_sheet(audits)],
        empty=not audits,
    )
