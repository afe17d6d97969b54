from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from internkontroll.access import scope_slots
from internkontroll.access.plans import may_use_follow_up_board
from internkontroll.controls.models import ControlActivity, get_control_activity_for_user
from internkontroll.followups import task_queries
from internkontroll.followups.actions import (
    StaleEdit,
    report_on_action,
    report_on_control_activity,
    report_on_risk,
)
from internkontroll.followups.due import (
    duties,
    has_started,
    periods_by_organisation,
    report_url,
)
from internkontroll.followups.evidence import serve as serve_evidence
from internkontroll.followups.forms import FollowUpForm
from internkontroll.followups.models import FollowUp, get_evidence_for_user
from internkontroll.lib.pages import paginate
from internkontroll.lib.versioning import refresh_version
from internkontroll.organisation.models import Period, current_period
from internkontroll.plans.lifecycle import closed_plan_of, closed_plan_page
from internkontroll.plans.models import ControlPlan, get_plan_for_user
from internkontroll.reports.rows import activity_due_periods
from internkontroll.risks.models import (
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
    due: datetime.date | None = None  # the reporting deadline (an action: its end date)
    overdue: bool = False
    due_now: bool = False
    missing_periods: list[Period] = field(default_factory=list)
    period: Period | None = None  # the period to report on first
    reported_now: bool = False  # already reported for the current period
    item: Any = None
    latest: FollowUp | None = None

    @property
    def urgent(self) -> bool:
        return not self.reported_now and (
            self.overdue or self.due_now or bool(self.missing_periods)
        )

    @property
    def deadline(self) -> datetime.date | None:
        """The reporting deadline of the period to report on, when there is one now."""
        if self.kind == "control_activity":
            return self.due
        return self.period.deadline(self.item.risk.plan.year) if self.period else None

    @property
    def report_url(self) -> str:
        return report_url(self.kind, self.pk, self.period)


def action_tasks(user: Any, today: datetime.date, period: Period | None) -> list[Task]:
    """The user's open actions, soonest due first.

    To report now: those past or near their end date not yet reported for the current period.
    An action of a plan for a year that has not begun (next year's draft, with actions carried
    over from this year) is reported on from that year's first period, not now. A closed plan
    takes no more reports: its open actions were carried over or left, and are no task.
    """
    period_end = period.end_date(today.year) if period else None
    scope, scope_values = scope_slots(user)
    rows = task_queries.open_actions.rows(scope, user=user.pk, **scope_values)
    if not rows:
        return []
    reported = set(
        task_queries.actions_reported.rows(actions=[row[0] for row in rows], period=period.pk)
        if period is not None
        else ()
    )
    tasks = []
    for pk, due, year in rows:
        open_now = period is not None and year == today.year and pk not in reported
        tasks.append(
            Task(
                kind="action",
                pk=pk,
                due=due,
                overdue=due is not None and due < today and year <= today.year,
                due_now=bool(open_now and due and period_end and due <= period_end),
                period=period if open_now else None,
                reported_now=pk in reported,
            )
        )
    return tasks


def control_tasks(user: Any, today: datetime.date) -> list[Task]:
    """The user's control activities of this year and last with a period still to report.

    Only periods that have started are asked for; the due date is the period's deadline. A
    closed plan takes no more reports.
    """
    scope, scope_values = scope_slots(user)
    rows = task_queries.open_activities.rows(
        scope, user=user.pk, from_year=today.year - 1, **scope_values
    )
    if not rows:
        return []
    ids = [row[0] for row in rows]
    named: dict[int, list[int]] = defaultdict(list)
    for activity_id, period_id in task_queries.named_periods.rows(activities=ids):
        named[activity_id].append(period_id)
    reported = set(task_queries.activities_reported.rows(activities=ids))
    periods_of = periods_by_organisation(row[2] for row in rows)
    tasks = []
    for pk, year, organisation_id, frequency, due_date in rows:
        periods = periods_of[organisation_id]
        activity = ControlActivity(pk=pk, frequency=frequency, due_date=due_date)
        due = [
            period
            for period in activity_due_periods(activity, named[pk], periods, year)
            if (pk, period.pk) not in reported
        ]
        if not due:
            continue
        started = [period for period in due if has_started(periods, period, year, today)]
        first = started[0] if started else due[0]
        tasks.append(
            Task(
                kind="control_activity",
                pk=pk,
                due=first.deadline(year),
                due_now=bool(started),
                missing_periods=[period for period in started if period.deadline(year) < today],
                period=first if started else None,
            )
        )
    return tasks


def load_items(user: Any, tasks: list[Task]) -> list[Task]:
    """The tasks with their items and latest follow-ups, in at most three queries however many
    tasks and however long the items' histories."""
    found: dict[tuple[str, int], Any] = {}
    scope, scope_values = scope_slots(user)
    for kind, items in task_queries.ITEMS.items():
        ids = [task.pk for task in tasks if task.kind == kind]
        if ids:
            found.update(
                {(kind, item.pk): item for item in items.rows(scope, ids=ids, **scope_values)}
            )
    latest_ids = [item.latest_id for item in found.values() if item.latest_id is not None]
    latest = {
        follow_up.pk: follow_up
        for follow_up in (
            task_queries.follow_ups_with_period.rows(ids=latest_ids) if latest_ids else ()
        )
    }
    loaded = []
    for task in tasks:
        task.item = found.get((task.kind, task.pk))
        if task.item is not None:  # unless it went away since the tasks were listed
            task.latest = latest.get(task.item.latest_id)
            loaded.append(task)
    return loaded


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    organisation_id = request.user.organisation_id  # type: ignore[union-attr]
    period = current_period(organisation_id, today) if organisation_id is not None else None
    tasks = action_tasks(request.user, today, period) + control_tasks(request.user, today)
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
            "may_see_board": may_use_follow_up_board(request.user),
        },
    )


BOARD_FILTERS = ("missing", "late", "reported", "deviation")


def _board_plan(request: HttpRequest, today: datetime.date) -> tuple[Any, list[Any]]:
    """The plan asked for (or this year's first), and the plans the user may choose from."""
    plans = list(
        ControlPlan.objects.for_user(request.user)
        .select_related("unit__organisation")
        .order_by("-year", "unit__name", "id")
    )
    asked = request.GET.get("plan", "")
    if asked:
        return get_plan_for_user(request.user, asked), plans
    this_year = [plan for plan in plans if plan.year == today.year]
    return next(iter(this_year or plans), None), plans


def _board_period(
    asked: str, periods: list[Period], year: int, today: datetime.date
) -> Period | None:
    """The period asked for, or the one being reported on: the first whose deadline is ahead."""
    chosen = next((period for period in periods if str(period.pk) == asked), None)
    if chosen is not None or not periods:
        return chosen
    return next((p for p in periods if p.deadline(year) >= today), periods[-1])


def _board_url(plan: Any, period: Period, **params: str) -> str:
    query = urlencode({"plan": plan.pk, "period": period.pk, **params})
    return f"{reverse('followups:board')}?{query}"


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """Per committee plan and period: every item due, who is responsible, reported or not."""
    if not may_use_follow_up_board(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    plan, plans = _board_plan(request, today)
    context: dict[str, Any] = {"plan": plan, "plans": plans, "today": today}
    if plan is not None:
        periods = periods_by_organisation([plan.unit.organisation_id])[plan.unit.organisation_id]
        period = _board_period(request.GET.get("period", ""), periods, plan.year, today)
        context.update(periods=periods, period=period)
        if period is not None:
            context.update(_board_rows(request, plan, period, periods, today))
    return render(request, "followups/board.html", context)


def _board_rows(
    request: HttpRequest, plan: Any, period: Period, periods: list[Period], today: datetime.date
) -> dict[str, Any]:
    kind = request.GET.get("kind", "")
    shown = request.GET.get("show", "")
    items: dict[str, Any] = {
        name: model.objects.in_plan_for_user(plan, request.user, write=True)
        for name, model in (("action", Action), ("control_activity", ControlActivity))
    }
    if kind in items:
        for other in set(items) - {kind}:
            items[other] = items[other].none()
    found = duties(items["action"], items["control_activity"], period, periods, today)
    tests = {
        "missing": lambda duty: not duty.reported,
        "late": lambda duty: duty.late,
        "reported": lambda duty: duty.reported,
        "deviation": lambda duty: duty.deviation,
    }
    extra = {"kind": kind} if kind in items else {}
    counts = {
        name: (sum(1 for duty in found if test(duty)), _board_url(plan, period, show=name, **extra))
        for name, test in tests.items()
    }
    rows = [duty for duty in found if tests[shown](duty)] if shown in tests else found
    pager = paginate(request, rows, label=_("Pages of the follow-up board"))
    return {
        "total": len(found),
        "all_url": _board_url(plan, period, **extra),
        "counts": counts,
        "show": shown if shown in tests else "",
        "kind": kind if kind in items else "",
        "rows": pager.rows,
        "pager": pager,
        "deadline": period.deadline(plan.year),
        "back": request.get_full_path(),
    }


def _next_url(request: HttpRequest) -> str | None:
    """Where to go after reporting, if the form was opened from a page of this site."""
    asked = request.POST.get("next") or request.GET.get("next") or ""
    if asked and url_has_allowed_host_and_scheme(
        asked, {request.get_host()}, require_https=request.is_secure()
    ):
        return asked
    return None


def _asked_period(request: HttpRequest, organisation: Any, today: datetime.date) -> Any:
    asked = request.GET.get("period", "")
    chosen = organisation.periods.filter(pk=asked).first() if asked.isdigit() else None
    return chosen or organisation.period_on(today)


def _report(request: HttpRequest, item: Any, subject: str, write: Any) -> HttpResponse:
    risk = item if subject == "risk" else item.risk
    if request.method == "GET" and (closed := closed_plan_of(risk)):
        back = reverse("risks:detail", args=[risk.pk])
        return closed_plan_page(request, closed, back, _("Back to the risk"))
    organisation = risk.plan.unit.organisation
    data = request.POST if request.method == "POST" else None
    # A coordinator reporting on someone's item reports on their behalf, and it is recorded.
    on_behalf_of = (
        item.assignee
        if subject != "risk" and item.assignee_id and item.assignee_id != request.user.pk
        else None
    )
    form = FollowUpForm(
        data,
        request.FILES if data is not None else None,
        instance=FollowUp(**{subject: item}),
        subject=subject,
        organisation=organisation,
        initial={
            "version": item.version,
            "date": timezone.localdate(),
            "period": _asked_period(request, organisation, timezone.localdate()),
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
                reported_for=on_behalf_of,
                **form.values(),
            )
        except StaleEdit as stale:
            form.add_error(None, str(stale))
            refresh_version(form, type(item).objects.get(pk=item.pk))
        except ValidationError as refused:  # the write gate's rules, such as a closed plan
            form.add_error(None, refused.messages)
        else:
            messages.success(request, _("The follow-up was saved."))
            if subject == "risk":
                return redirect(reverse("risks:detail", args=[risk.pk]) + "#follow-ups-heading")
            return redirect(_next_url(request) or "followups:mine")
    history = item.follow_ups.as_history()
    return render(
        request,
        "followups/report.html",
        {
            "form": form,
            "item": item,
            "risk": risk,
            "subject": subject,
            "history": history,
            "on_behalf_of": on_behalf_of,
            "next": _next_url(request) or "",
        },
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
    return serve_evidence(get_evidence_for_user(request.user, pk))
