from __future__ import annotations

import datetime
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from internkontroll.accounts.models import User
from internkontroll.plans.models import ControlPlan, get_plan_for_user
from internkontroll.workbooks.actions import ApplyFailed, apply_changes
from internkontroll.workbooks.changes import Changeset, changes
from internkontroll.workbooks.forms import UploadForm
from internkontroll.workbooks.layout import SHEETS, vocabulary
from internkontroll.workbooks.models import PendingWorkbook
from internkontroll.workbooks.reader import Problem, Refused, read_workbook
from internkontroll.workbooks.writer import workbook_bytes


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # login_required: never anonymous


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# How long an uploaded workbook waits for its preview to be applied.
PENDING_FOR = datetime.timedelta(hours=24)


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{slugify(name)}.xlsx")
    return response


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(_user(request), pk, write=True)
    content = workbook_bytes(plan, author=plan.unit.organisation.name, user=_user(request))
    name = _("internal-control-plan")
    return _xlsx(content, f"{name}-{plan.unit.name}-{plan.year}")


@login_required
@require_GET
def template(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(_user(request), pk, write=True)
    content = workbook_bytes(
        plan, author=plan.unit.organisation.name, empty=True, user=_user(request)
    )
    name = _("internal-control-plan-template")
    return _xlsx(content, f"{name}-{plan.unit.name}")


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(_user(request), pk, write=True)
    posted = request.method == "POST"
    form = UploadForm(request.POST, request.FILES) if posted else UploadForm()
    if posted and form.is_valid():
        file = form.cleaned_data["file"]
        with transaction.atomic():
            _forget_pending(request, plan)
            pending = PendingWorkbook(plan=plan, uploaded_by=_user(request), name=file.name[:255])
            pending.file.save("workbook.xlsx", file, save=False)
            pending.save()
        return redirect("workbooks:preview", pending.pk)
    status = 422 if form.is_bound else 200
    return render(request, "workbooks/upload.html", {"plan": plan, "form": form}, status=status)


def _forget_pending(request: HttpRequest, plan: ControlPlan) -> None:
    """The user's earlier uploads for the plan, and any upload past its time, are dropped."""
    old = PendingWorkbook.objects.filter(uploaded_by=_user(request), plan=plan) | (
        PendingWorkbook.objects.filter(uploaded_at__lt=timezone.now() - PENDING_FOR)
    )
    for pending in old:
        _delete(pending)


def _delete(pending: PendingWorkbook) -> None:
    pending.file.delete(save=False)
    pending.delete()


def _pending(request: HttpRequest, pk: int) -> tuple[PendingWorkbook, ControlPlan]:
    """The user's own upload, still waiting; 404 for anyone else's or an expired one."""
    pending = PendingWorkbook.objects.filter(
        pk=pk, uploaded_by=_user(request), uploaded_at__gte=timezone.now() - PENDING_FOR
    ).first()
    if pending is None:
        raise Http404
    return pending, get_plan_for_user(_user(request), pending.plan_id, write=True)


def _changeset(request: HttpRequest, pending: PendingWorkbook, plan: ControlPlan) -> Changeset:
    words = vocabulary(plan, user=_user(request))  # the uploader: the upload is their own
    try:
        with pending.file.open("rb") as file:
            contents = read_workbook(file, words)
    except Refused as refused:
        return Changeset(plan=plan, words=words, problems=refused.problems)
    except OSError:
        message = _("The uploaded file is no longer there; upload the workbook again.")
        return Changeset(plan=plan, words=words, problems=[Problem(message)])
    return changes(plan, contents, words)


def _render_preview(
    request: HttpRequest,
    pending: PendingWorkbook,
    changeset: Changeset,
    status: int = 200,
) -> HttpResponse:
    sheets = [
        {
            "sheet": sheet,
            "new": changeset.of(sheet.key, "new"),
            "changed": changeset.of(sheet.key, "changed"),
            "unchanged": len(changeset.of(sheet.key, "unchanged")),
            "absent": changeset.absent[sheet.key],
        }
        for sheet in SHEETS
    ]
    context = {
        "plan": changeset.plan,
        "pending": pending,
        "changeset": changeset,
        "sheets": sheets,
        "writes": len(changeset.writes),
        "fingerprint": changeset.fingerprint(),
    }
    return render(request, "workbooks/preview.html", context, status=status)


@login_required
@require_GET
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    pending, plan = _pending(request, pk)
    return _render_preview(request, pending, _changeset(request, pending, plan))


@login_required
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    pending, plan = _pending(request, pk)
    changeset = _changeset(request, pending, plan)
    if request.POST.get("fingerprint") != changeset.fingerprint():
        messages.error(
            request,
            _(
                "The plan changed after the preview was made. Nothing was saved; look at the "
                "changes below and apply them again."
            ),
        )
        return redirect("workbooks:preview", pending.pk)
    try:
        written = apply_changes(changeset, acting_user=_user(request))
    except ApplyFailed as failed:
        changeset.problems = failed.problems
        return _render_preview(request, pending, changeset, status=422)
    _delete(pending)
    count = sum(written.values())
    messages.success(
        request,
        ngettext(
            "The workbook is applied: %(count)s row was saved.",
            "The workbook is applied: %(count)s rows were saved.",
            count,
        )
        % {"count": count}
        if count
        else _("The workbook changed nothing in the plan."),
    )
    return redirect("plans:detail", plan.pk)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    pending, plan = _pending(request, pk)
    _delete(pending)
    messages.info(request, _("The uploaded workbook was discarded; nothing was saved."))
    return redirect("plans:detail", plan.pk)
