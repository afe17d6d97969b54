"""Deviation → action: the action on the same risk that answers a deviation a control found."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from internkontroll.controls.models import ControlActivity
from internkontroll.followups.actions import answer_deviation
from internkontroll.followups.models import FollowUp, get_deviation_for_user
from internkontroll.lib.versioning import CarriesVersion, version_field, write_form
from internkontroll.plans.lifecycle import closed_plan_of, closed_plan_page
from internkontroll.risks.forms import ActionForm
from internkontroll.risks.models import Action, get_risk_for_user

NEW = "new"


class AnswerForm(CarriesVersion, forms.Form):
    """Which action answers the deviation: a new one, one of the risk's, or none."""

    action = forms.ChoiceField(
        label=gettext_lazy("Action that answers the deviation"),
        help_text=gettext_lazy(
            "Choose one of the risk's actions, or create a new one with the fields below."
        ),
    )
    version = version_field()

    def __init__(self, *args: Any, actions: list[Action], linked: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actions = {str(action.pk): action for action in actions}
        choices = [(NEW, _("Create a new action"))]
        choices += [
            (pk, f"{action.title} ({action.get_status_display()})")
            for pk, action in self.actions.items()
        ]
        if linked:
            choices.append(("", _("No action (remove the link)")))
        field = self.fields["action"]
        field.required = False
        field.choices = choices  # type: ignore[attr-defined]

    @property
    def creates(self) -> bool:
        return self.cleaned_data.get("action") == NEW

    @property
    def chosen(self) -> Action | None:
        return self.actions.get(self.cleaned_data.get("action") or "")


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = get_deviation_for_user(request.user, pk)
    activity = cast(ControlActivity, follow_up.control_activity)
    risk = get_risk_for_user(request.user, activity.risk_id, write=True)
    if request.method == "GET" and (closed := closed_plan_of(risk)):
        back = reverse("risks:detail", args=[risk.pk])
        return closed_plan_page(request, closed, back, _("Back to the risk"))
    data = request.POST if request.method == "POST" else None
    form = AnswerForm(
        data,
        actions=list(risk.actions.order_by("id")),
        linked=follow_up.answered_by_id is not None,
        initial={"version": follow_up.version, "action": str(follow_up.answered_by_id or NEW)},
    )
    creating = data is not None and data.get("action") == NEW
    action_form = ActionForm(
        data if creating else None,
        prefix="new",
        instance=Action(risk=risk),
        risk=risk,
        initial={"description": follow_up.comment},
    )
    if form.is_valid() and (not form.creates or action_form.is_valid()):
        saved = write_form(
            form,
            lambda: answer_deviation(
                follow_up,
                acting_user=request.user,
                version=form.cleaned_data["version"],
                action=form.chosen,
                new_action=action_form.cleaned_data if form.creates else None,
            ),
            current=lambda: FollowUp.objects.get(pk=follow_up.pk),
        )
        if saved is not None:
            messages.success(request, _("The action that answers the deviation was saved."))
            return redirect(f"{reverse('risks:detail', args=[risk.pk])}#activity-{activity.pk}")
    return render(
        request,
        "followups/answer_deviation.html",
        {
            "form": form,
            "action_form": action_form,
            "follow_up": follow_up,
            "activity": activity,
            "risk": risk,
        },
        status=422 if form.is_bound else 200,
    )
