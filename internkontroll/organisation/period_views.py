"""Reporting periods in the settings: made, changed and deleted by administrators."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from internkontroll.access import get_for_user
from internkontroll.access.organisation import may_change_settings
from internkontroll.lib.versioning import StaleEdit, VersionedForm
from internkontroll.organisation import periods, queries
from internkontroll.organisation.models import Organisation, Period
from internkontroll.organisation.views import edit_settings


class PeriodForm(VersionedForm):
    """A period's name, code, last day and place; the structure is fixed once history uses it."""

    ends_month = forms.IntegerField(label=gettext_lazy("ends (month)"), min_value=1, max_value=12)
    ends_day = forms.IntegerField(label=gettext_lazy("ends (day)"), min_value=1, max_value=31)

    class Meta:
        model = Period
        fields = ["name", "code", "ends_month", "ends_day", "position"]

    def __init__(self, *args: Any, organisation: Organisation, locked: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["code"].help_text = _('A short code used in reports and files, such as "T1".')
        self.fields["position"].help_text = _("Periods are listed in this order, lowest first.")
        if self.instance.pk is None:
            last = organisation.periods.aggregate(last=Max("position"))["last"]
            self.initial["position"] = 0 if last is None else last + 1
        elif locked:
            for name in periods.STRUCTURE:
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Follow-ups or control activities refer to the periods: only the name can "
                    "change."
                )


def _settings_url() -> str:
    return reverse("organisation:settings") + "#periods"


def _period(request: HttpRequest, pk: int) -> Period:
    period = get_for_user(Period.objects.select_related("organisation"), request.user, pk)
    if not may_change_settings(request.user, period.organisation_id):
        raise PermissionDenied
    return period


@login_required
@require_http_methods(["GET", "POST"])
def period_create(request: HttpRequest) -> HttpResponse:
    organisation = queries.organisation_of(request.user)
    if organisation is None or not may_change_settings(request.user, organisation.pk):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = PeriodForm(data, organisation=organisation, locked=False)

    def write(**values: Any) -> Period:
        return periods.create_period(organisation, **values)

    title, saved = _("New reporting period"), _("The reporting period was saved.")
    return edit_settings(request, form, write, title=title, saved=saved, anchor="periods")


@login_required
@require_http_methods(["GET", "POST"])
def period_change(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    locked = periods.periods_locked(period.organisation)
    data = request.POST if request.method == "POST" else None
    form = PeriodForm(data, instance=period, organisation=period.organisation, locked=locked)

    def write(**values: Any) -> Period:
        return periods.change_period(period, **values)

    title = _("Edit reporting period %(name)s") % {"name": period.name}
    saved = _("The reporting period was saved.")
    return edit_settings(request, form, write, title=title, saved=saved, anchor="periods")


@login_required
@require_POST
def period_delete(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    version = request.POST.get("version", "")
    try:
        periods.delete_period(
            period,
            acting_user=request.user,
            version=int(version) if version.isdigit() else None,
        )
    except StaleEdit:
        messages.error(
            request,
            _(
                "The period was not deleted: someone changed it after you opened the page. "
                "Look at it again and delete it once more if it should go."
            ),
        )
    except ValidationError as refused:
        reason = " ".join(refused.messages)
        messages.error(request, _("The period was not deleted. %(reason)s") % {"reason": reason})
    else:
        messages.success(
            request, _("The reporting period %(name)s was deleted.") % {"name": period}
        )
    return redirect(_settings_url())
