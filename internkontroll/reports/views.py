from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from internkontroll.access.plans import PlanReading, report_reading
from internkontroll.jobs.actions import request_report
from internkontroll.jobs.reports import in_background
from internkontroll.organisation.models import Organisation
from internkontroll.plans.models import ControlPlan, get_plan_for_user, get_version_for_user
from internkontroll.reports.frozen import frozen_snapshot, report_kind
from internkontroll.reports.kinds import KINDS, ReportError, check_period
from internkontroll.reports.render.html import render_body
from internkontroll.reports.requests import check_format, lay_out, make, parse_date


def _check_request(kind: str, plan: ControlPlan, fmt: str, period: str | None) -> None:
    """Refuse now, in Swedish, what the worker would refuse later."""
    check_format(fmt)
    organisation = Organisation.objects.get(pk=plan.unit.organisation_id)
    check_period(KINDS[kind], organisation, period)


def _readable_plan(
    request: HttpRequest, kind: str, plan_pk: int
) -> tuple[ControlPlan, PlanReading]:
    """The plan (404 for outsiders) and the reader's share of it for this kind (or 403)."""
    if kind not in KINDS:
        raise Http404
    plan = get_plan_for_user(request.user, plan_pk)
    spec = KINDS[kind]
    reading = report_reading(
        request.user, plan, whole_plan=spec.whole_plan, organisation_wide=spec.organisation_wide
    )
    return plan, reading


@login_required
@require_GET
def report(request: HttpRequest, kind: str, plan_pk: int) -> HttpResponse:
    """The report on the plan as a page or a download (?format=pdf|docx|xlsx&period=T1)."""
    plan, reading = _readable_plan(request, kind, plan_pk)
    fmt = request.GET.get("format", "html")
    period = request.GET.get("period") or None
    try:
        as_of = parse_date(request.GET.get("as_of"))
        if fmt == "html" and request.htmx:  # type: ignore[attr-defined]
            return HttpResponse(render_body(lay_out(kind, plan, period, as_of, reading), request))
        if "now" not in request.GET and in_background(kind, plan, fmt, reading):
            # Large reports are made by a worker while the page shows progress, not a freeze.
            _check_request(kind, plan, fmt, period)
            job = request_report(
                plan,
                kind=kind,
                fmt=fmt,
                period_code=period,
                as_of=as_of,
                language=get_language(),
                acting_user=request.user,
            )
            context = {"plan": plan, "kind": kind, "job": job}
            return render(request, "reports/progress.html", context)
        made = make(
            kind,
            plan,
            fmt=fmt,
            period_code=period,
            as_of=as_of,
            request=request,
            reading=reading,
        )
    except ReportError as error:
        return render(request, "reports/error.html", {"message": str(error)}, status=400)
    response = HttpResponse(made.content, content_type=made.content_type)
    if fmt != "html":
        response["Content-Disposition"] = content_disposition_header(True, made.filename)
    return response


@login_required
@require_GET
def version(request: HttpRequest, version_pk: int) -> HttpResponse:
    """The report on an adopted version, from its frozen copy (?format=pdf|docx|xlsx)."""
    adopted = get_version_for_user(request.user, version_pk)
    kind = report_kind(adopted)
    reading = report_reading(
        request.user, adopted.plan, whole_plan=KINDS[kind].whole_plan, organisation_wide=False
    )
    fmt = request.GET.get("format", "html")
    try:
        made = make(
            kind,
            adopted.plan,
            fmt=fmt,
            as_of=adopted.decided_on,
            request=request,
            reading=reading,
            snapshot=frozen_snapshot(adopted, reading),
        )
    except ReportError as error:
        return render(request, "reports/error.html", {"message": str(error)}, status=400)
    response = HttpResponse(made.content, content_type=made.content_type)
    if fmt != "html":
        response["Content-Disposition"] = content_disposition_header(True, made.filename)
    return response
