"""Making one report from what a person asked for, on the command line or in the browser."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from internkontroll.access.plans import WHOLE, PlanReading
from internkontroll.organisation.models import Organisation, Period
from internkontroll.plans.models import ControlPlan
from internkontroll.reports.document import Document
from internkontroll.reports.kinds import ReportError, build, check_kind, check_period
from internkontroll.reports.loading import Snapshot
from internkontroll.reports.models import ReportTemplate
from internkontroll.reports.render import FORMATS, render


@dataclass(frozen=True)
class Made:
    content: bytes
    content_type: str
    filename: str


def parse_date(text: str | None) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ReportError(
            _('"%(text)s" is not a date; write it as YYYY-MM-DD, e.g. 2025-09-30.') % {"text": text}
        ) from None


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ReportError(
            _('There is no format "%(format)s"; the formats are %(formats)s.')
            % {"format": fmt, "formats": ", ".join(FORMATS)}
        )
    return fmt


def organisation_template(organisation_id: int) -> Any:
    template = ReportTemplate.objects.filter(organisation_id=organisation_id).first()
    return template.file if template and template.file else None


def lay_out(
    kind: str,
    plan: ControlPlan,
    period_code: str | None,
    as_of: datetime.date | None,
    reading: PlanReading = WHOLE,
    snapshot: tuple[Snapshot, ControlPlan] | None = None,
) -> Document:
    spec = check_kind(kind)
    organisation = Organisation.objects.get(pk=plan.unit.organisation_id)
    period: Period | None = check_period(spec, organisation, period_code)
    return build(kind, plan, period, as_of, reading, snapshot)


def make(
    kind: str,
    plan: ControlPlan,
    *,
    fmt: str,
    period_code: str | None = None,
    as_of: datetime.date | None = None,
    request: Any = None,
    reading: PlanReading = WHOLE,
    snapshot: tuple[Snapshot, ControlPlan] | None = None,
) -> Made:
    """The report as a file; raises ReportError with a Swedish message for bad requests.

    `reading` is the reader's share of the plan (from `access.plans`); whole on the command line.
    """
    check_format(fmt)
    laid_out = lay_out(kind, plan, period_code, as_of, reading, snapshot)
    template = organisation_template(plan.unit.organisation_id) if fmt == "docx" else None
    content = render(laid_out, fmt, template=template, request=request)
    return Made(content, FORMATS[fmt], f"{laid_out.filename_stem}.{fmt}")
