"""Links to every report on a plan, in every format, for the plan's page."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from internkontroll.access.plans import PlanReading
from internkontroll.organisation.models import Period
from internkontroll.plans.models import ControlPlan
from internkontroll.reports.kinds import KINDS

FORMATS = [("html", _("Web page")), ("pdf", "PDF"), ("docx", "Word"), ("xlsx", "Excel")]


@dataclass(frozen=True)
class ReportLink:
    title: str
    period: Period | None
    urls: list[tuple[str, str]]  # (format label, url)


def report_links(
    plan: ControlPlan, periods: list[Period], reading: PlanReading
) -> list[ReportLink]:
    """The reports on the plan the reader may get; the organisation-wide one is linked elsewhere."""
    links = []
    for kind in KINDS.values():
        if kind.organisation_wide or (kind.whole_plan and not reading.whole):
            continue
        for period in periods if kind.takes_period else [None]:
            query = {"period": period.code} if period else {}
            url = reverse("reports:report", args=[kind.name, plan.pk])
            links.append(
                ReportLink(
                    title=kind.title(),
                    period=period,
                    urls=[
                        (str(label), f"{url}?{urlencode({**query, 'format': fmt})}")
                        for fmt, label in FORMATS
                    ],
                )
            )
    return links
