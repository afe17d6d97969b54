from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from internkontroll.controls.models import ControlActivity, get_control_activity_for_user
from internkontroll.followups.actions import (
    StaleEdit,
    report_on_action,
    report_on_control_activity,
    report_on_risk,
)
from internkontroll.followups.forms import FollowUpForm
from internkontroll.followups.models import FollowUp, get_evidence_for_user
from internkontroll.lib.versioning import refresh_version
from internkontroll.organisation.models import Period
from internkontroll.risks.models import (
    OPEN_PROGRESS,
    Action,
    get_action_for_user,
    get_risk_for_user,
)


@dataclass
class Task:
    """One line of "My tasks": an action or a control activity and what is due on it."""

    kind: str
    item: Any
    report_url: str
    due: datetime.date | None = None
    overdue: bool = False
    due_now: bool = False
    missing_periods: list[Period] = field(default_factory=list)
    latest: FollowUp | None = None

    @property
    def urgent(self) -> bool:
        return self.overdue or self.due_now or bool(self.missing_periods)


def _latest_first() -> Prefetch:
    return Prefetch(
        "follow_ups", queryset=FollowUp.objects.select_related("period").order_by("-date", "-id")
    )


def action_tasks(user: Any, today: datetime.date, period_end: datetime.date | None) -> list[Task]:
    actions = (
        Action.objects.for_user(user)
        .filter(assignee=user, status__in=OPEN_PROGRESS)
        .select_related("risk__plan__unit")
        .prefetch_related(_latest_first())
        .order_by("due_date", "id")
    )
    return [
        Task(
            kind="action",
            item=action,
            report_url=reverse("followups:report_action", args=[action.pk]),
            due=action.due_date,
            overdue=action.is_overdue(today),
            due_now=bool(action.due_date and period_end and action.due_date <= period_end),
            latest=next(iter(action.follow_ups.all()), None),
        )
        for action in actions
    ]


def control_tasks(user: Any, today: datetime.date) -> list[Task]:
    activities = (
        ControlActivity.objects.for_user(user)
        .filter(assignee=user, risk__plan__year__gte=today.year - 1)
        .select_related("risk__plan__unit")
        .prefetch_related("periods", _latest_first())
        .order_by("risk__plan__year", "id")
    )
    tasks = []
    for activity in activities:
        follow_ups = list(activity.follow_ups.all())
        reported = {follow_up.period_id for follow_up in follow_ups}
        year = activity.risk.plan.year
        missing = [
            period
            for period in activity.periods.all()
            if period.pk not in reported and period.end_date(year) <= today
        ]
        upcoming = [
            period
            for period in activity.periods.all()
            if period.pk not in reported and period.end_date(year) > today
        ]
        if not missing and not upcoming:
            continue
        tasks.append(
            Task(
                kind="control_activity",
                item=activity,
                report_url=reverse("followups:report_control_activity", args=[activity.pk]),
                due=min((p.end_date(year) for p in missing + upcoming), default=None),
                missing_periods=missing,
                latest=follow_ups[0] if follow_ups else None,
            )
        )
    return tasks


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    organisation = request.user.organisation  # type: ignore[union-attr]
    period = organisation.period_on(today) if organisation else None
    period_end = period.end_date(today.year) if period else None
    tasks = action_tasks(request.user, today, period_end) + control_tasks(request.user, today)
    return render(
        request,
        "followups/mine.html",
        {
            "period": period,
            "today": today,
            "urgent": [task for task in tasks if task.urgent],
            "later": [task for task in tasks if not task.urgent],
        },
    )


def _report(request: HttpRequest, item: Any, subject: str, write: Any) -> HttpResponse:
    risk = item if subject == "risk" else item.risk
    organisation = risk.plan.unit.organisation
    data = request.POST if request.method == "POST" else None
    form = FollowUpForm(
        data,
        request.FILES if data is not None else None,
        instance=FollowUp(**{subject: item}),
        subject=subject,
        organisation=organisation,
        initial={
            "version": item.version,
            "date": timezone.localdate(),
            "period": organisation.period_on(timezone.localdate()),
            "status": getattr(item, "status", None),
        },
    )
    if form.is_valid():
        try:
            write(
                item,
                acting_user=request.user,
                version=form.cleaned_data["version"],
                evidence=form.cleaned_data.get("evidence") or [],
                **form.values(),
            )
        except StaleEdit as stale:
            form.add_error(None, str(stale))
            refresh_version(form, type(item).objects.get(pk=item.pk))
        else:
            messages.success(request, _("The follow-up was saved."))
            if subject == "risk":
                return redirect(reverse("risks:detail", args=[risk.pk]) + "#follow-ups-heading")
            return redirect("followups:mine")
    history = (
        item.follow_ups.select_related("period")
        .prefetch_related("evidence")
        .order_by("-date", "-id")
    )
    return render(
        request,
        "followups/report.html",
        {"form": form, "item": item, "risk": risk, "subject": subject, "history": history},
        status=422 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_action(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action_for_user(request.user, pk, report=True)
    return _report(request, action, "action", report_on_action)


@login_required
@require_http_methods(["GET", "POST"])
def report_control_activity(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_control_activity_for_user(request.user, pk, report=True)
    return _report(request, activity, "control_activity", report_on_control_activity)


@login_required
@require_http_methods(["GET", "POST"])
def report_risk(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_risk_for_user(request.user, pk, write=True)
    return _report(request, risk, "risk", report_on_risk)


@login_required
@require_GET
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, served only to people who may see its follow-up."""
    item = get_evidence_for_user(request.user, pk)
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.download_name,
        content_type=item.download_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
