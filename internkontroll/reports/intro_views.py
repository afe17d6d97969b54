"""Editing the introductions the reports on a plan open with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from internkontroll.lib.versioning import StaleEdit, VersionedForm, write_form
from internkontroll.plans.models import ControlPlan, get_plan_for_user
from internkontroll.reports import introductions
from internkontroll.reports.models import ReportIntroduction, ReportKind

MAX_LENGTH = 20_000


class IntroductionForm(VersionedForm):
    text = forms.CharField(
        label=gettext_lazy("Introduction"),
        help_text=gettext_lazy("Plain text. Leave a blank line between paragraphs."),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={
            "required": gettext_lazy("Write the introduction, or use the default."),
            "max_length": gettext_lazy(
                "The introduction can be at most %(limit_value)d characters "
                "(it has %(show_value)d)."
            ),
        },
    )

    class Meta:
        model = ReportIntroduction
        fields = ["text"]

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.initial["text"] = introductions.default_text(kind)


@dataclass(frozen=True)
class Entry:
    """One report kind on the page: its title, the text it opens with, and whether it is own."""

    kind: str
    title: str
    paragraphs: list[str]
    own: ReportIntroduction | None


def _plan_and_kind(request: HttpRequest, plan_pk: int, kind: str) -> ControlPlan:
    """The plan, if the user may write it (404/403), and a kind they may edit (404/403)."""
    if kind not in introductions.KINDS:
        raise Http404
    plan = get_plan_for_user(request.user, plan_pk, write=True)
    if not introductions.may_edit(request.user, plan, kind):
        raise PermissionDenied
    return plan


def _list_url(plan: ControlPlan, kind: str) -> str:
    return f"{reverse('reports:introductions', args=[plan.pk])}#introduction-{kind}"


@login_required
@require_GET
def index(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """Every report kind's introduction for the plan, each with its edit and reset."""
    plan = get_plan_for_user(request.user, plan_pk, write=True)
    own = {row.kind: row for row in ReportIntroduction.objects.filter(plan=plan)}
    overview = introductions.stored(plan, ReportKind.OVERVIEW)
    entries = []
    for kind, title in ReportKind.choices:
        if not introductions.may_edit(request.user, plan, kind):
            continue
        row = overview if kind == ReportKind.OVERVIEW else own.get(kind)
        text = row.text if row else introductions.default_text(kind)
        entries.append(Entry(kind, str(title), introductions.paragraphs(text), row))
    return render(request, "reports/introductions.html", {"plan": plan, "entries": entries})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, plan_pk: int, kind: str) -> HttpResponse:
    plan = _plan_and_kind(request, plan_pk, kind)
    row = introductions.stored(plan, kind) or ReportIntroduction()
    form = IntroductionForm(request.POST or None, instance=row, kind=kind)

    def current() -> ReportIntroduction | None:
        return introductions.stored(plan, kind)

    def save() -> bool:
        introductions.save_introduction(
            plan,
            kind,
            text=form.cleaned_data["text"],
            version=form.cleaned_data.get("version"),
            acting_user=request.user,
        )
        return True

    saved = form.is_bound and form.is_valid() and write_form(form, save, current=current)
    if saved:
        messages.success(request, _("The introduction was saved."))
        return redirect(_list_url(plan, kind))
    return render(
        request,
        "reports/introduction.html",
        {
            "plan": plan,
            "kind": kind,
            "title": ReportKind(kind).label,
            "form": form,
            "own": row if row.pk else None,
            "default": introductions.paragraphs(introductions.default_text(kind)),
        },
        status=422 if form.is_bound else 200,
    )


@login_required
@require_POST
def reset(request: HttpRequest, plan_pk: int, kind: str) -> HttpResponse:
    """Go back to the default text; refused if the text changed since the page was shown."""
    plan = _plan_and_kind(request, plan_pk, kind)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None  # refused below like a stale version
    try:
        introductions.reset_introduction(plan, kind, version=version, acting_user=request.user)
    except StaleEdit as stale:
        messages.error(request, str(stale))
        return redirect("reports:introduction", plan.pk, kind)
    messages.success(request, _("The report now opens with the default text."))
    return redirect(_list_url(plan, kind))
