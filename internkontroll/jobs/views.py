from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_htmx.http import reswap, retarget

from internkontroll.jobs import reports
from internkontroll.jobs.models import ReportJob, get_job_for_user
from internkontroll.plans.models import get_plan_for_user


def _readable_job(request: HttpRequest, pk: Any) -> ReportJob:
    """The person's own job, while they may still read the share of the plan its file holds."""
    job = get_job_for_user(request.user, pk)
    plan = get_plan_for_user(request.user, job.plan_id)
    share = reports.share_of(reports.reading_for(job, request.user, plan))
    if job.status == ReportJob.Status.READY and share != job.share:
        raise Http404  # made for a share the person no longer has: they ask again
    return job


def _page(job: ReportJob, request: HttpRequest) -> str:
    """A report page, with this response's CSP nonce on its styles."""
    with job.file.open("rb") as file:
        document = file.read().decode("utf-8")
    return document.replace(reports.EMPTY_NONCE, f'<style nonce="{request.csp_nonce}">')  # type: ignore[attr-defined]


@login_required
@require_GET
def status(request: HttpRequest, pk: Any) -> HttpResponse:
    """How the person's report is coming along; htmx polls its fragment until it is done."""
    job = _readable_job(request, pk)
    if request.htmx and job.status == ReportJob.Status.READY and job.format == "html":  # type: ignore[attr-defined]
        # The report takes the progress message's place, as the page's own fragment does.
        body = HttpResponse(reports.body_of(_page(job, request)))
        return reswap(retarget(body, "#report-progress"), "outerHTML")
    template = "jobs/status.html#progress" if request.htmx else "jobs/status.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job})


@login_required
@require_GET
def file(request: HttpRequest, pk: Any) -> HttpResponse | FileResponse:
    """The finished report: a page shown as it is, any other format as a download."""
    job = _readable_job(request, pk)
    if job.status != ReportJob.Status.READY:
        raise Http404
    if job.format == "html":
        return HttpResponse(_page(job, request), content_type=job.content_type)
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=job.content_type,
    )
