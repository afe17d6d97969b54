from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from internkontroll.lib.pages import paginate
from internkontroll.lib.versioning import save_form, write_form
from internkontroll.nominations import actions
from internkontroll.nominations.forms import AcceptForm, NominationForm, ReturnForm, WithdrawForm
from internkontroll.nominations.models import (
    Nomination,
    get_nomination_for_user,
    may_propose,
    plans_to_propose_for,
    proposing_units,
)
from internkontroll.organisation.models import Unit
from internkontroll.plans.models import ControlPlan, get_plan_for_user
from internkontroll.risks import matrix
from internkontroll.risks.models import Risk, get_risk_for_user

LISTED = ("plan__unit", "unit", "risk", "decided_by", "proposed_by")


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """My proposals: what I proposed, newest first, each with its state and decision."""
    nominations = (
        Nomination.objects.for_user(request.user)
        .filter(proposed_by_id=request.user.pk)
        .select_related(*LISTED)
        .order_by("-proposed_at", "-id")
    )
    pager = paginate(request, nominations, label=_("Pages of my proposals"))
    units = proposing_units(request.user)
    return render(
        request,
        "nominations/mine.html",
        {"pager": pager, "nominations": pager.rows, "may_propose": units is None or bool(units)},
    )


@login_required
@require_GET
def queue(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposals for a plan: those awaiting a decision first, then the decided ones."""
    plan = get_plan_for_user(request.user, pk)
    readable = Nomination.objects.for_user(request.user).filter(plan=plan).select_related(*LISTED)
    decided = readable.exclude(status=Nomination.Status.PROPOSED).order_by("-decided_at", "-id")
    pager = paginate(request, decided, label=_("Pages of decided proposals"))
    return render(
        request,
        "nominations/queue.html",
        {
            "plan": plan,
            "pending": list(readable.pending().order_by("proposed_at", "id")),
            "pager": pager,
            "decided": pager.rows,
            "can_decide": _may_decide(request.user, plan),
        },
    )


def _may_decide(user: Any, plan: ControlPlan) -> bool:
    return ControlPlan.objects.may_write(plan, user)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """Propose a risk for a plan (?plan=), new or marked from another year (?risk=)."""
    source = _source_risk(request)
    plans = plans_to_propose_for(request.user, from_year=timezone.localdate().year)
    if source is not None:
        plans = plans.filter(unit_id=source.plan.unit_id).exclude(pk=source.plan_id)
    asked = request.GET.get("plan", "")
    if asked:
        if not _is_id(asked):
            raise Http404
        plan = plans.filter(pk=int(asked)).first()
        if plan is None:
            get_plan_for_user(request.user, asked)  # 404 for a plan not theirs to know
            raise PermissionDenied
        return _propose(request, plan, source)
    choices = list(plans.order_by("unit__name", "-year"))
    if len(choices) == 1:
        return _propose(request, choices[0], source)
    return render(request, "nominations/choose_plan.html", {"plans": choices, "source": source})


def _is_id(value: str) -> bool:
    """Whether the text can name a row (digits the database's integer can hold)."""
    return value.isascii() and value.isdecimal() and int(value) < 2**31


def _source_risk(request: HttpRequest) -> Risk | None:
    """The risk a person marks for proposal, which their unit must have identified."""
    if "risk" not in request.GET:
        if proposing_units(request.user) == frozenset():
            raise PermissionDenied
        return None
    if not _is_id(request.GET["risk"]):
        raise Http404
    risk = get_risk_for_user(request.user, request.GET["risk"])
    if not may_propose(request.user, risk.unit_id):
        raise PermissionDenied
    return risk


def _propose(request: HttpRequest, plan: ControlPlan, source: Risk | None) -> HttpResponse:
    nomination = Nomination(plan=plan)
    units = proposing_units(request.user)
    subtree = Unit.objects.filter(pk__in=plan.unit.subtree_ids())
    choices = subtree if units is None else subtree.filter(pk__in=units)
    if source is not None:
        nomination.source_risk = source
        nomination.unit = source.unit  # type: ignore[assignment]
        _copy_content(source, nomination)
    form = NominationForm(request.POST or None, instance=nomination, units=choices)
    return save_form(
        request,
        form,
        nomination,
        actions.propose,
        saved_message=_("Your proposal was sent to the committee's coordinators."),
        next_url=lambda saved: reverse("nominations:detail", args=[saved.pk]),
        template="nominations/form.html",
        context={
            "plan": plan,
            "source": source,
            "nomination": nomination,
            "level_styles": matrix.level_styles([plan.risk_matrix]),
        },
    )


def _copy_content(risk: Risk, nomination: Nomination) -> None:
    for name in (
        "title",
        "area",
        "process",
        "description",
        "consequence_description",
        "existing_controls",
    ):
        setattr(nomination, name, getattr(risk, name))
    # Another year's plan may use another matrix: the cell is kept only where it fits.
    fits = nomination.plan.risk_matrix
    if (
        risk.is_assessed
        and risk.probability <= fits.probability_size  # type: ignore[operator]
        and risk.consequence <= fits.consequence_size  # type: ignore[operator]
    ):
        nomination.probability, nomination.consequence = risk.probability, risk.consequence


@dataclass(frozen=True)
class Event:
    """A step in a proposal's life, from its history: who did what, when, and why."""

    who: Any
    status: str
    label: str
    when: Any
    comment: str


def _event_label(status: str) -> str:
    labels = {
        Nomination.Status.PROPOSED: pgettext("nomination", "proposed the risk"),
        Nomination.Status.ACCEPTED: pgettext("nomination", "accepted the proposal"),
        Nomination.Status.RETURNED: pgettext("nomination", "returned the proposal"),
        Nomination.Status.WITHDRAWN: pgettext("nomination", "withdrew the proposal"),
    }
    return labels.get(status, status)  # type: ignore[call-overload]


def _events(nomination: Nomination) -> list[Event]:
    """Each change of state, oldest first (a row that only edits the content is left out)."""
    rows = nomination.history.select_related("history_user").order_by("history_date", "history_id")
    events: list[Event] = []
    previous = None
    for row in rows:
        if row.status != previous:
            events.append(
                Event(
                    who=row.history_user,
                    status=row.status,
                    label=_event_label(row.status),
                    when=row.history_date,
                    comment=row.decision_comment,
                )
            )
        previous = row.status
    return events


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_nomination_for_user(request.user, pk)
    return _render_detail(request, nomination)


def _render_detail(
    request: HttpRequest, nomination: Nomination, status: int = 200, **forms: Any
) -> HttpResponse:
    pending = nomination.is_pending
    can_decide = pending and _may_decide(request.user, nomination.plan)
    own = nomination.proposed_by_id == request.user.pk
    level = nomination.level
    initial = {"version": nomination.version}
    context = {
        "nomination": nomination,
        "plan": nomination.plan,
        "level": level,
        "level_css": matrix.level_class(nomination.plan.risk_matrix, level) if level else "",
        "level_styles": matrix.level_styles([nomination.plan.risk_matrix]),
        "events": _events(nomination),
        "risk": Risk.objects.for_user(request.user).filter(pk=nomination.risk_id).first()
        if nomination.risk_id
        else None,
        "source": Risk.objects.for_user(request.user)
        .filter(pk=nomination.source_risk_id)
        .select_related("plan")
        .first()
        if nomination.source_risk_id
        else None,
        "accept_form": forms.get("accept_form") or AcceptForm(initial=initial)
        if can_decide
        else None,
        "return_form": forms.get("return_form") or ReturnForm(initial=initial)
        if can_decide
        else None,
        "withdraw_form": WithdrawForm(initial=initial) if pending and own else None,
        "errors": forms.get("errors", []),
    }
    return render(request, "nominations/detail.html", context, status=status)


def _decide(
    request: HttpRequest,
    pk: int,
    form_class: type[Any],
    form_name: str,
    write: Callable[[Nomination, Any], Nomination],
    done: str,
) -> HttpResponse:
    nomination = get_nomination_for_user(request.user, pk, write=True)
    form = form_class(request.POST)
    if form.is_valid():
        decided = write_form(form, lambda: write(nomination, form.cleaned_data))
        if decided is not None:
            messages.success(request, done)
            return redirect("nominations:queue", nomination.plan_id)
    nomination.refresh_from_db()
    if not nomination.is_pending:  # decided meanwhile: the forms are gone, their errors stay
        return _render_detail(request, nomination, status=422, errors=form.non_field_errors())
    return _render_detail(request, nomination, status=422, **{form_name: form})


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        AcceptForm,
        "accept_form",
        lambda nomination, data: actions.accept(
            nomination, comment=data["comment"], version=data["version"], acting_user=request.user
        ),
        _("The proposal was accepted and the risk added to the plan."),
    )


@login_required
@require_POST
def send_back(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        ReturnForm,
        "return_form",
        lambda nomination, data: actions.send_back(
            nomination, reason=data["reason"], version=data["version"], acting_user=request.user
        ),
        _("The proposal was returned to the unit with your reason."),
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_nomination_for_user(request.user, pk)
    if nomination.proposed_by_id != request.user.pk:
        raise PermissionDenied
    form = WithdrawForm(request.POST)
    if form.is_valid():
        withdrawn = write_form(
            form,
            lambda: actions.withdraw(
                nomination, version=form.cleaned_data["version"], acting_user=request.user
            ),
        )
        if withdrawn is not None:
            messages.success(request, _("Your proposal was withdrawn."))
            return redirect("nominations:mine")
    nomination.refresh_from_db()
    errors = [error for errors in form.errors.values() for error in errors]
    return _render_detail(request, nomination, status=422, errors=errors)
