from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from internkontroll.controls.actions import save_control_activity
from internkontroll.controls.forms import ControlActivityForm
from internkontroll.controls.models import ControlActivity, get_control_activity_for_user
from internkontroll.lib.versioning import StaleEdit, refresh_version
from internkontroll.risks.models import get_risk_for_user


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, risk_pk: int) -> HttpResponse:
    risk = get_risk_for_user(request.user, risk_pk, write=True)
    return _edit(request, ControlActivity(risk=risk))


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, get_control_activity_for_user(request.user, pk, write=True))


def _edit(request: HttpRequest, activity: ControlActivity) -> HttpResponse:
    form = ControlActivityForm(request.POST or None, instance=activity, risk=activity.risk)
    if form.is_bound and form.is_valid():
        try:
            saved = save_control_activity(
                activity,
                form.cleaned_data,
                version=form.cleaned_data["version"],
                acting_user=request.user,
            )
        except StaleEdit as stale:
            form.add_error(None, str(stale))
            refresh_version(form, ControlActivity.objects.get(pk=activity.pk))
        else:
            messages.success(request, _("The control activity was saved."))
            url = reverse("risks:detail", args=[saved.risk_id])
            return redirect(f"{url}#activity-{saved.pk}")
    status = 422 if form.is_bound else 200
    return render(
        request,
        "controls/form.html",
        {"form": form, "activity": activity, "risk": activity.risk},
        status=status,
    )
