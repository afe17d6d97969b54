from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Prefetch
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
from internkontroll.lib.pages import paginate
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
    """One line of "My tasks": an action or a control activity and what is due on it.

    Every task is first known by its id and dates; only a page's tasks load their `item`.
    """

    kind: str
    pk: int
    due: datetime.date | None = None
    overdue: bool = False
    due_now: bool = False
    missing_periods: list[Period] = field(default_factory=list)
    item: Any = None
    latest: FollowUp | None = None

    @property
    def urgent(self) -> bool:
        return self.overdue or self.due_now or bool(self.missing_periods)

    @property
    def report_url(self) -> str:
        if self.kind == "action":
            return reverse("followups:report_action", args=[self.pk])
        return reverse("followups:report_control_activity", args=[self.pk])


def _latest_first() -> Prefetch:
    return Prefetch(
        "follow_ups", queryset=FollowUp.objects.select_related("period").order_by("-date", "-id")
    )


def action_tasks(user: Any, today: datetime.date, period_end: datetime.date | None) -> list[Task]:
    """The user's open actions, soonest due first."""
    actions = (
        Action.objects.for_user(user)
        .filter(assignee=user, status__in=OPEN_PROGRESS)
        .order_by(F("due_date").asc(nulls_last=True), "id")
        .values_list("pk", "due_date")
    )
    return [
        Task(
            kind="action",
            pk=pk,
            due=due,
            overdue=due is not None and due < today,
            due_now=bool(due and period_end and due <= period_end),
        )
        for pk, due in actions
    ]


def control_tasks(user: Any, today: datetime.date) -> list[Task]:
    """The user's control activities of this year and last with a period still to report."""
    activities = ControlActivity.objects.for_user(user).filter(
        assignee=user, risk__plan__year__gte=today.year - 1
    )
    ids = activities.values("pk")
    planned: dict[int, list[Period]] = defaultdict(list)
    links = (
        ControlActivity.periods.through.objects.filter(controlactivity__in=ids)
        .select_related("period")
        .order_by("period__position", "period_id")
    )
    for link in links:
        planned[link.controlactivity_id].append(link.period)
    reported = set(
        FollowUp.objects.filter(control_activity__in=ids, period__isnull=False)
        .order_by()
        .values_list("control_activity_id", "period_id")
        .distinct()
    )
    tasks = []
    for pk, year in activities.order_by("risk__plan__year", "id").values_list(
        "pk", "risk__plan__year"
    ):
        due = [period for period in planned[pk] if (pk, period.pk) not in reported]
        if not due:
            continue
        tasks.append(
            Task(
                kind="control_activity",
                pk=pk,
                due=min(period.end_date(year) for period in due),
                missing_periods=[period for period in due if period.end_date(year) <= today],
            )
        )
    return tasks


def load_items(user: Any, tasks: list[Task]) -> list[Task]:
    """The tasks with their items and latest follow-ups, in a few queries however many."""
    found: dict[tuple[str, int], Any] = {}
    for kind, model in (("action", Action), ("control_activity", ControlActivity)):
        items = (
            model.objects.for_user(user)
            .filter(pk__in=[task.pk for task in tasks if task.kind == kind])
            .select_related("risk__plan__unit")
            .prefetch_related(_latest_first())
        )
        found.update({(kind, item.pk): item for item in items})
    loaded = []
    for task in tasks:
        task.item = found.get((task.kind, task.pk))
        if task.item is not None:  # unless it went away since the tasks were listed
            task.latest = next(iter(task.item.follow_ups.all()), None)
            loaded.append(task)
    return loaded


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    organisation = request.user.organisation  # type: ignore[union-attr]
    period = organisation.period_on(today) if organisation else None
    period_end = period.end_date(today.year) if period else None
    tasks = action_tasks(request.user, today, period_end) + control_tasks(request.user, today)
    urgent = paginate(
        request,
        [task for task in tasks if task.urgent],
        label=_("Pages of the tasks to report now"),
    )
    later = paginate(
        request,
        [task for task in tasks if not task.urgent],
        param="later",
        label=_("Pages of the other items"),
    )
    shown = load_items(request.user, urgent.rows + later.rows)
    return render(
        request,
        "followups/mine.html",
        {
            "period": period,
            "today": today,
            "urgent": [task for task in shown if task.urgent],
            "later": [task for task in shown if not task.urgent],
            "urgent_pager": urgent,
            "later_pager": later,
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
