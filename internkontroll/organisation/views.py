from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from internkontroll.access import get_for_user
from internkontroll.access.organisation import may_change_settings
from internkontroll.lib.http import HtmxHttpRequest
from internkontroll.lib.pages import paginate
from internkontroll.lib.versioning import write_form
from internkontroll.organisation import actions, queries
from internkontroll.organisation.forms import (
    GoalForm,
    NamedForm,
    PeriodDeadlineForm,
    ProcessForm,
    RiskAreaForm,
    UnitForm,
    goal_form_options,
)
from internkontroll.organisation.models import (
    Organisation,
    Period,
    Process,
    RiskArea,
    Unit,
    get_goal_for_user,
    get_unit_for_user,
)
from internkontroll.organisation.periods import periods_locked
from internkontroll.plans.actions import committees_for_new_plans
from internkontroll.reports.forms import ReportTemplateForm
from internkontroll.reports.models import ReportTemplate
from internkontroll.reports.word.actions import remove_template, replace_template
from internkontroll.reports.word.template import default_template
from internkontroll.risks import matrix

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _organisation(user: Any) -> Organisation:
    organisation = queries.organisation_of(user)
    if organisation is None:
        raise Http404
    return organisation


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
@require_GET
def overview(request: HtmxHttpRequest) -> HttpResponse:
    organisation = _organisation(request.user)
    today = timezone.localdate()
    years = queries.overview_years(request.user, organisation)
    year = queries.choose_year(years, request.GET.get("year"), today)
    pager = paginate(
        request,
        queries.committees(request.user, organisation, year),
        label=_("Pages of the committees"),
        target="#results",
    )
    data = queries.committee_overview(request.user, organisation, year, years, pager.rows, today)
    context = {
        "organisation": organisation,
        "overview": data,
        "pager": pager,
        "level_styles": matrix.level_styles(plan.risk_matrix for plan in data.plans),
        "may_manage": queries.may_manage_catalogue(request.user, organisation),
        # The committees without a plan this year that the reader may make one for.
        "may_create_plan": set(
            committees_for_new_plans(request.user)
            .filter(pk__in=[row.unit.pk for row in data.rows if row.plan is None])
            .values_list("pk", flat=True)
        ),
    }
    template = (
        "organisation/overview.html#results" if request.htmx else "organisation/overview.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def settings(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request.user)
    return _settings_page(request, organisation)


def _settings_page(
    request: HttpRequest,
    organisation: Organisation,
    template_form: ReportTemplateForm | None = None,
) -> HttpResponse:
    may_change = may_change_settings(request.user, organisation.pk)
    context = {
        "organisation": organisation,
        "catalogue": queries.catalogue(request.user, organisation),
        "may_change_settings": may_change,
        "may_manage_catalogue": queries.may_manage_catalogue(request.user, organisation),
        "period_rows": _period_rows(organisation, timezone.localdate().year),
        "periods_locked": periods_locked(organisation),
    }
    if may_change:
        context["report_template"] = ReportTemplate.objects.filter(
            organisation=organisation
        ).first()
        context["template_form"] = template_form or ReportTemplateForm()
    status = 422 if template_form is not None else 200
    return render(request, "organisation/settings.html", context, status=status)


@login_required
@require_GET
def report_template_default(request: HttpRequest) -> FileResponse:
    """The default Word template, for an administrator to restyle in Word and upload."""
    return FileResponse(
        io.BytesIO(default_template()),
        as_attachment=True,
        filename="rapportmall.docx",
        content_type=DOCX,
    )


def _organisation_to_change(request: HttpRequest) -> Organisation:
    organisation = _organisation(request.user)
    _require(may_change_settings(request.user, organisation.pk))
    return organisation


@login_required
@require_GET
def report_template_download(request: HttpRequest) -> FileResponse:
    """The organisation's own Word template, as uploaded."""
    organisation = _organisation_to_change(request)
    template = ReportTemplate.objects.filter(organisation=organisation).first()
    if template is None or not template.file:
        raise Http404
    return FileResponse(
        template.file.open("rb"),
        as_attachment=True,
        filename=PurePath(template.file.name or "mall.docx").name,
        content_type=DOCX,
    )


@login_required
@require_POST
def report_template_upload(request: HttpRequest) -> HttpResponse:
    organisation = _organisation_to_change(request)
    form = ReportTemplateForm(request.POST, request.FILES)
    if not form.is_valid():
        return _settings_page(request, organisation, form)
    replace_template(organisation, form.cleaned_data["file"], acting_user=request.user)
    messages.success(request, _("The Word template is uploaded. New reports are written on it."))
    return redirect(reverse("organisation:settings") + "#report-template")


@login_required
@require_POST
def report_template_remove(request: HttpRequest) -> HttpResponse:
    organisation = _organisation_to_change(request)
    if remove_template(organisation, acting_user=request.user):
        messages.success(
            request,
            _("The Word template is removed. Reports are written on the default template again."),
        )
    return redirect(reverse("organisation:settings") + "#report-template")


def _edit(
    request: HttpRequest,
    form: forms.ModelForm,
    write: Callable[..., Any],
    *,
    title: str,
    saved: str,
    anchor: str,
) -> HttpResponse:
    """Validate the form, write through the action, or show the form again with its errors."""
    if (
        request.method == "POST"
        and form.is_valid()
        and write_form(
            form,
            lambda: write(acting_user=request.user, **form.cleaned_data),
            current=lambda: type(form.instance).objects.get(pk=form.instance.pk),
        )
    ):
        messages.success(request, saved)
        return redirect(reverse("organisation:settings") + f"#{anchor}")
    return render(
        request,
        "organisation/form.html",
        {"form": form, "title": title, "anchor": anchor},
        status=422 if form.is_bound else 200,
    )


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def edit_settings(
    request: HttpRequest, form: forms.ModelForm, write: Callable[..., Any], **texts: str
) -> HttpResponse:
    """The settings forms' edit step, for settings views in other modules (title, saved, anchor)."""
    return _edit(request, form, write, **texts)


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request.user)
    _require(may_change_settings(request.user, organisation.pk))
    form = UnitForm(_data(request), organisation=organisation)

    def write(**values: Any) -> Unit:
        return actions.create_unit(organisation, **values)

    return _edit(
        request, form, write, title=_("New unit"), saved=_("The unit was saved."), anchor="units"
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk)
    _require(may_change_settings(request.user, unit.organisation_id))
    form = UnitForm(_data(request), instance=unit, organisation=unit.organisation)

    def write(**values: Any) -> Unit:
        return actions.change_unit(unit, **values)

    title = _("Edit unit %(name)s") % {"name": unit.name}
    return _edit(request, form, write, title=title, saved=_("The unit was saved."), anchor="units")


def _goal_form(request: HttpRequest, organisation: Organisation, **kwargs: Any) -> GoalForm:
    return GoalForm(_data(request), **goal_form_options(request.user, organisation), **kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request.user)
    _require(queries.may_manage_catalogue(request.user, organisation))
    form = _goal_form(request, organisation)

    def write(**values: Any) -> Any:
        return actions.create_goal(organisation, **values)

    return _edit(
        request, form, write, title=_("New goal"), saved=_("The goal was saved."), anchor="goals"
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_goal_for_user(request.user, pk, write=True)
    form = _goal_form(request, goal.organisation, instance=goal)

    def write(**values: Any) -> Any:
        return actions.change_goal(goal, **values)

    title = _("Edit goal %(id)s") % {"id": goal.external_id}
    return _edit(request, form, write, title=title, saved=_("The goal was saved."), anchor="goals")


@dataclass(frozen=True)
class NamedCatalogue:
    """Processes or risk areas: lists of names the whole organisation shares, as settings."""

    model: type[Process] | type[RiskArea]
    form: type[NamedForm]
    create: Callable[..., Any]
    rename: Callable[..., Any]
    new_title: str | Promise
    edit_title: str | Promise
    saved: str | Promise
    anchor: str


PROCESSES = NamedCatalogue(
    model=Process,
    form=ProcessForm,
    create=actions.create_process,
    rename=actions.rename_process,
    new_title=gettext_lazy("New process"),
    edit_title=gettext_lazy("Edit process"),
    saved=gettext_lazy("The process was saved."),
    anchor="processes",
)
RISK_AREAS = NamedCatalogue(
    model=RiskArea,
    form=RiskAreaForm,
    create=actions.create_risk_area,
    rename=actions.rename_risk_area,
    new_title=gettext_lazy("New risk area"),
    edit_title=gettext_lazy("Edit risk area"),
    saved=gettext_lazy("The risk area was saved."),
    anchor="risk-areas",
)


@login_required
@require_http_methods(["GET", "POST"])
def named_create(request: HttpRequest, catalogue: NamedCatalogue) -> HttpResponse:
    organisation = _organisation(request.user)
    _require(may_change_settings(request.user, organisation.pk))
    form = catalogue.form(_data(request), organisation=organisation)

    def write(**values: Any) -> Any:
        return catalogue.create(organisation, **values)

    title, saved = str(catalogue.new_title), str(catalogue.saved)
    return _edit(request, form, write, title=title, saved=saved, anchor=catalogue.anchor)


@login_required
@require_http_methods(["GET", "POST"])
def named_edit(request: HttpRequest, pk: int, catalogue: NamedCatalogue) -> HttpResponse:
    queryset = catalogue.model.objects.select_related("organisation")
    item = get_for_user(queryset, request.user, pk, write=True)
    form = catalogue.form(_data(request), instance=item, organisation=item.organisation)

    def write(**values: Any) -> Any:
        return catalogue.rename(item, **values)

    title, saved = str(catalogue.edit_title), str(catalogue.saved)
    return _edit(request, form, write, title=title, saved=saved, anchor=catalogue.anchor)


def _period_rows(organisation: Organisation, year: int) -> list[dict[str, Any]]:
    """The reporting periods with this year's last day and reporting deadline."""
    return [
        {"period": period, "ends": period.end_date(year), "deadline": period.deadline(year)}
        for period in organisation.periods.order_by("position", "id")
    ]


@login_required
@require_http_methods(["GET", "POST"])
def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_for_user(Period.objects.all(), request.user, pk)
    _require(may_change_settings(request.user, period.organisation_id))
    form = PeriodDeadlineForm(_data(request), instance=period)

    def write(**values: Any) -> Period:
        return actions.change_period_deadline(period, **values)

    title = _("Reporting deadline for %(name)s") % {"name": period.name}
    saved = _("The reporting deadline was saved.")
    return _edit(request, form, write, title=title, saved=saved, anchor="periods")
