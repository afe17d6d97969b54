"""Links to the organisation-wide overview report, for pages outside a plan ("All committees")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from internkontroll.access.plans import may_read_organisation_wide
from internkontroll.plans.models import ControlPlan
from internkontroll.reports.links import FORMATS

register = template.Library()


def overview_links(
    user: Any, organisation_id: int, plans: Iterable[ControlPlan]
) -> list[tuple[str, str]]:
    """(format label, url) of the year's overview, for people who may read it; else none.

    The report is addressed through a plan of the year; any plan the person may read will do.
    """
    if not may_read_organisation_wide(user, organisation_id):
        return []
    plan = min(
        (plan for plan in plans if plan.unit.organisation_id == organisation_id),
        key=lambda plan: plan.pk,
        default=None,
    )
    if plan is None:
        return []
    url = reverse("reports:report", args=["overview", plan.pk])
    return [(str(label), f"{url}?{urlencode({'format': fmt})}") for fmt, label in FORMATS]


@register.simple_tag(takes_context=True)
def overview_report_links(context: Any, organisation: Any, plans: Any) -> list[tuple[str, str]]:
    return overview_links(context["request"].user, organisation.pk, plans)
