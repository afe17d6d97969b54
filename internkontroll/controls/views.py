from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from internkontroll.controls.actions import save_control_activity
from internkontroll.controls.forms import ControlActivityForm
from internkontroll.controls.models import ControlActivity, get_control_activity_for_user
from internkontroll.controls.occurrences import schedule_of
from internkontroll.lib.versioning import save_form
from internkontroll.plans.lifecycle import closed_plan_of, closed_plan_page
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
    if request.method == "GET" and (closed := closed_plan_of(activity)):
        back = reverse("risks:detail", args=[activity.risk_id])
        return closed_plan_page(request, closed, back, _("Back to the risk"))
    form = ControlActivityForm(request.POST or None, instance=activity, risk=activity.risk)
    return save_form(
        request,
        form,
        activity,
        save_control_activity,
        saved_message=_("The control activity was saved."),
        next_url=lambda saved: (
            f"{reverse('risks:detail', args=[saved.risk_id])}#activity-{saved.pk}"
        ),
        template="controls/form.html",
        context={
            "activity": activity,
            "risk": activity.risk,
            "occurrences": schedule_of(activity) if activity.pk else [],
        },
    )
