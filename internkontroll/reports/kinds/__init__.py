"""The report kinds, one module each, registered here in the order the plan page lists them."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from internkontroll.access.plans import WHOLE, PlanReading
from internkontroll.organisation.models import Organisation, Period, Unit
from internkontroll.plans.models import ControlPlan
from internkontroll.reports.document import Document
from internkontroll.reports.kinds import (
    assessment,
    control_plan,
    critical_risks,
    follow_up,
    overview,
    recommendations,
    risk_picture,
)
from internkontroll.reports.kinds.base import Kind, ReportError, context_for, frame
from internkontroll.reports.loading import Snapshot
from internkontroll.reports.models import ReportKind

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "risk-picture",
            ReportKind.RISK_PICTURE.label.__str__,
            risk_picture.make,
            proposed=True,
        ),
        Kind(
            "control-plan",
            ReportKind.CONTROL_PLAN.label.__str__,
            control_plan.make,
            proposed=True,
        ),
        Kind(
            "follow-up",
            ReportKind.FOLLOW_UP.label.__str__,
            follow_up.make,
            takes_period=True,
            audits=True,
        ),
        Kind(
            "critical-risks",
            ReportKind.CRITICAL_RISKS.label.__str__,
            critical_risks.make,
            takes_period=True,
        ),
        Kind(
            "assessment",
            ReportKind.ASSESSMENT.label.__str__,
            assessment.make,
            whole_plan=True,
        ),
        Kind(
            "recommendations",
            ReportKind.RECOMMENDATIONS.label.__str__,
            recommendations.make,
            whole_plan=True,
            audits=True,
        ),
        Kind(
            "overview",
            ReportKind.OVERVIEW.label.__str__,
            overview.make,
            organisation_wide=True,
            whole_plan=True,
        ),
    )
}


def build(
    kind: str,
    plan: ControlPlan,
    period: Period | None = None,
    as_of: datetime.date | None = None,
    reading: PlanReading = WHOLE,
    snapshot: tuple[Snapshot, ControlPlan] | None = None,
) -> Document:
    """The report of this kind on the plan (and period), laid out for rendering.

    It tells the state at the period's end, or on `as_of` when given (then from the history).
    `reading` is the reader's share of the plan (whole on the command line); `snapshot`, when
    given, is the data to report on (a frozen adopted version) instead of loading it.
    """
    spec = KINDS[kind]
    if spec.takes_period and period is None:
        raise ReportError(_('The report "%(kind)s" needs a period.') % {"kind": kind})
    context = context_for(spec, plan, period, as_of, reading, snapshot)
    return frame(context, spec.make(context))


def check_kind(kind: str) -> Kind:
    if kind not in KINDS:
        raise ReportError(
            _('There is no report "%(kind)s"; the reports are %(kinds)s.')
            % {"kind": kind, "kinds": ", ".join(KINDS)}
        )
    return KINDS[kind]


def check_period(kind: Kind, organisation: Organisation, code: str | None) -> Period | None:
    """The organisation's period with this code, if the kind takes one; else a Swedish error."""
    periods = list(Period.objects.filter(organisation=organisation).order_by("position", "id"))
    codes = ", ".join(period.code for period in periods)
    if not kind.takes_period:
        if code:
            raise ReportError(
                _('The report "%(kind)s" covers the whole year and takes no period.')
                % {"kind": kind.name}
            )
        return None
    if not code:
        raise ReportError(
            _('The report "%(kind)s" needs a period: one of %(codes)s.')
            % {"kind": kind.name, "codes": codes}
        )
    period = next((p for p in periods if p.code == code), None)
    if period is not None:
        return period
    if Period.objects.filter(code=code).exists():
        raise ReportError(
            _("%(organisation)s does not use the period %(code)s; its periods are %(codes)s.")
            % {"organisation": organisation.name, "code": code, "codes": codes}
        )
    raise ReportError(
        _("There is no period %(code)s; the periods are %(codes)s.")
        % {"code": code, "codes": codes}
    )


def find_plan(organisation: Organisation, unit_id: str, year: int) -> ControlPlan:
    unit = Unit.objects.filter(organisation=organisation, external_id=unit_id).first()
    if unit is None:
        raise ReportError(
            _('The unit "%(id)s" does not exist in %(organisation)s.')
            % {"id": unit_id, "organisation": organisation.name}
        )
    plan = ControlPlan.objects.filter(unit=unit, year=year).select_related("unit").first()
    if plan is None:
        years = ", ".join(
            str(y) for y in ControlPlan.objects.filter(unit=unit).values_list("year", flat=True)
        )
        raise ReportError(
            _("%(unit)s has no plan for %(year)s (plans: %(years)s).")
            % {"unit": unit.name, "year": year, "years": years or "–"}
        )
    return plan


__all__ = ["KINDS", "Kind", "ReportError", "build", "check_kind", "check_period", "find_plan"]
