from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from internkontroll.audits import actions
from internkontroll.audits.forms import (
    AuditFilterForm,
    AuditReportForm,
    LoadedForm,
    RecommendationFollowUpForm,
    RecommendationForm,
    writable_committees,
)
from internkontroll.audits.models import (
    AuditReport,
    Recommendation,
    get_audit_report_for_user,
    get_recommendation_for_user,
)
from internkontroll.followups.models import FollowUp, history_prefetch
from internkontroll.lib.http import HtmxHttpRequest
from internkontroll.lib.pages import paginate
from internkontroll.lib.versioning import write_form
from internkontroll.risks.models import Progress

# Each report comes with its table of recommendations, so a page holds fewer than a list's 50.
REPORTS_PER_PAGE = 20


def _recommendations(statuses: list[str] | None = None) -> Prefetch:
    """The reports' recommendations, each with the id of its latest follow-up (see
    `with_latest_follow_ups`)."""
    latest_id = FollowUp.objects.latest_id("recommendation")
    queryset = Recommendation.objects.annotate(latest_id=latest_id).order_by("id")
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    return Prefetch("recommendations", queryset=queryset)


def filtered_reports(user: Any, form: AuditFilterForm) -> Any:
    """The reports the user may see, narrowed by committee and year (not yet by status)."""
    chosen = form.values()
    reports = AuditReport.objects.for_user(user)
    if "committee" in chosen:
        reports = reports.filter(unit_id=chosen["committee"])
    if "year" in chosen:
        reports = reports.filter(date__year=chosen["year"])
    return reports


def with_recommendations(reports: Any, statuses: list[str] | None) -> Any:
    """Newest first, each with its recommendations (only those in `statuses`, if given)."""
    if statuses:
        matching = Recommendation.objects.filter(status__in=statuses).values("report_id")
        reports = reports.filter(pk__in=matching)
    return (
        reports.select_related("unit")
        .prefetch_related(_recommendations(statuses))
        .order_by(F("date").desc(nulls_last=True), "-id")
    )


def with_latest_follow_ups(reports: list[AuditReport]) -> list[AuditReport]:
    """Each recommendation of the reports with its `latest_follow_up`, read in one query: the
    latest alone, however long the recommendations' histories."""
    recommendations: list[Any] = [
        item for report in reports for item in report.recommendations.all()
    ]
    latest = FollowUp.objects.in_bulk(
        [item.latest_id for item in recommendations if item.latest_id is not None]
    )
    for item in recommendations:
        item.latest_follow_up = latest.get(item.latest_id)
    return reports


def status_counts(reports: Any) -> list[tuple[str, str, int]]:
    rows = Recommendation.objects.filter(report__in=reports).order_by().values("status")
    counts = Counter({row["status"]: row["n"] for row in rows.annotate(n=Count("id"))})
    return [(code, str(label), counts[code]) for code, label in Progress.choices]


def filter_form(request: HttpRequest) -> AuditFilterForm:
    visible = AuditReport.objects.for_user(request.user).order_by()
    rows = list(visible.values_list("unit_id", "unit__name", "date"))
    return AuditFilterForm(
        request.GET,
        committees=sorted({(pk, name) for pk, name, _date in rows if pk}, key=lambda c: c[1]),
        years=sorted({date.year for _pk, _name, date in rows if date}, reverse=True),
    )


@login_required
@require_GET
def index(request: HtmxHttpRequest) -> HttpResponse:
    form = filter_form(request)
    reports = filtered_reports(request.user, form)
    pager = paginate(
        request,
        with_recommendations(reports, form.statuses()),
        label=_("Pages of the audit reports"),
        per_page=REPORTS_PER_PAGE,
        target="#results",
    )
    context = {
        "form": form,
        "counts": status_counts(reports),
        "reports": with_latest_follow_ups(pager.rows),
        "pager": pager,
        "can_create": writable_committees(request.user).exists(),
    }
    template = "audits/index.html#results" if request.htmx else "audits/index.html"
    return render(request, template, context)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_audit_report_for_user(request.user, pk)
    can_edit = AuditReport.objects.may_write(report, request.user)
    recommendations = report.recommendations.prefetch_related(history_prefetch()).order_by("id")
    return render(
        request,
        "audits/detail.html",
        {"report": report, "recommendations": recommendations, "can_edit": can_edit},
    )


def _form_page(request: HttpRequest, template: str, form: BaseForm, **context: Any) -> HttpResponse:
    status = 422 if form.is_bound and not form.is_valid() else 200
    return render(request, template, {"form": form, **context}, status=status)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _write(request: HttpRequest, form: LoadedForm, write: Any, obj: Any) -> bool:
    """Save the form's values through `write`; a stale edit keeps the text and says why."""
    version = form.cleaned_data["version"]
    saved = write_form(
        form,
        lambda: write(obj, acting_user=request.user, version=version, **form.values()),
        current=lambda: type(obj).objects.get(pk=obj.pk),
    )
    return saved is not None


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    committees = writable_committees(request.user)
    if not committees.exists():
        raise PermissionDenied
    form = AuditReportForm(_posted(request), committees=committees)
    report = (
        write_form(
            form, lambda: actions.create_audit_report(acting_user=request.user, **form.values())
        )
        if form.is_valid()
        else None
    )
    if report is not None:
        messages.success(request, _("The audit report was saved."))
        return redirect("audits:detail", report.pk)
    return _form_page(request, "audits/report_form.html", form)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_audit_report_for_user(request.user, pk, write=True)
    committees = writable_committees(request.user).filter(organisation=report.organisation_id)
    form = AuditReportForm(_posted(request), committees=committees, saved=report)
    if form.is_valid() and _write(request, form, actions.update_audit_report, report):
        messages.success(request, _("The audit report was saved."))
        return redirect("audits:detail", report.pk)
    return _form_page(request, "audits/report_form.html", form, report=report)


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_audit_report_for_user(request.user, pk, write=True)
    form = RecommendationForm(_posted(request))
    if form.is_valid() and write_form(
        form,
        lambda: (
            actions.create_recommendation(report, acting_user=request.user, **form.values())
            is not None
        ),
    ):
        messages.success(request, _("The recommendation was saved."))
        return redirect("audits:detail", report.pk)
    return _form_page(request, "audits/recommendation_form.html", form, report=report)


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_recommendation_for_user(request.user, pk, write=True)
    form = RecommendationForm(_posted(request), saved=recommendation)
    if form.is_valid() and _write(request, form, actions.update_recommendation, recommendation):
        messages.success(request, _("The recommendation was saved."))
        return redirect("audits:detail", recommendation.report_id)
    return _form_page(
        request,
        "audits/recommendation_form.html",
        form,
        report=recommendation.report,
        recommendation=recommendation,
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_recommendation_for_user(request.user, pk, write=True)
    form = RecommendationFollowUpForm(
        _posted(request), instance=FollowUp(recommendation=recommendation), saved=recommendation
    )
    if form.is_valid() and _write(request, form, actions.follow_up_recommendation, recommendation):
        messages.success(request, _("The follow-up was saved."))
        return redirect("audits:detail", recommendation.report_id)
    return _form_page(
        request,
        "audits/follow_up_form.html",
        form,
        recommendation=recommendation,
        history=recommendation.follow_ups.as_history(),
    )
