"""The risk matrix in the organisation's settings: shown to all, changed by administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from internkontroll.access.organisation import may_change_settings
from internkontroll.lib.http import HtmxHttpRequest
from internkontroll.lib.versioning import write_form
from internkontroll.organisation import queries
from internkontroll.organisation.matrix_actions import change_risk_matrix
from internkontroll.organisation.matrix_forms import MatrixForm
from internkontroll.organisation.models import Organisation, RiskMatrix
from internkontroll.reports.matrix import (
    LevelKey,
    MatrixCell,
    MatrixPicture,
    matrix_svg,
    text_color_for,
)


def matrix_picture(matrix: RiskMatrix, title: str) -> SafeString:
    """The matrix drawn with each cell's risk score and level (SVG, safe for any CSP)."""
    keys = {
        level.name: LevelKey(level.name, level.color, text_color_for(level.color))
        for level in matrix.level_objects()
    }
    rows = [
        [
            MatrixCell(p, c, p * c, keys[matrix.level_for(p, c).name])
            for c in range(1, matrix.consequence_size + 1)
        ]
        for p in range(matrix.probability_size, 0, -1)
    ]
    picture = MatrixPicture(
        probability_labels=list(matrix.probability_labels),
        consequence_labels=list(matrix.consequence_labels),
        rows=rows,
        legend=list(keys.values()),
        assessed=0,
        unassessed=0,
    )
    return mark_safe(matrix_svg(picture, title))  # noqa: S308 - matrix_svg escapes every text


def plans_using(matrix: RiskMatrix | None) -> dict[str, Any]:
    """How many plans use the matrix, and in which years."""
    if matrix is None or matrix.pk is None:
        return {"count": 0, "years": ""}
    found = RiskMatrix.objects.filter(pk=matrix.pk).aggregate(
        count=Count("plans"), first=Min("plans__year"), last=Max("plans__year")
    )
    first, last = found["first"], found["last"]
    years = f"{first}" if first == last else f"{first}–{last}"
    return {"count": found["count"], "years": years}


def _organisation_to_change(user: Any) -> Organisation:
    organisation = queries.organisation_of(user)
    if organisation is None:
        raise Http404
    if not may_change_settings(user, organisation.pk):
        raise PermissionDenied
    return organisation


@login_required
@require_http_methods(["GET", "POST"])
def matrix_edit(request: HtmxHttpRequest) -> HttpResponse:
    organisation = _organisation_to_change(request.user)
    current = organisation.risk_matrix
    form = MatrixForm(request.POST if request.method == "POST" else None, current=current)
    previewing = "preview" in request.POST
    if request.method == "POST" and not previewing and form.is_valid():
        saved = write_form(
            form,
            lambda: change_risk_matrix(
                organisation,
                form.document(),
                opened_from=form.cleaned_data["opened_from"],
                acting_user=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _saved_message(created=saved[1]))
            return redirect(reverse("organisation:settings") + "#risk-matrix")
        organisation.refresh_from_db(fields=["risk_matrix"])
        form.reopen(organisation.risk_matrix_id)
        current = organisation.risk_matrix
    preview = None
    if form.is_bound and form.is_valid():
        draft = RiskMatrix(**RiskMatrix.fields_from_document(form.document()))
        preview = matrix_picture(draft, _("Preview: risk score and level of each cell"))
    elif not form.is_bound and current is not None:
        preview = matrix_picture(current, _("Preview: risk score and level of each cell"))
    context = {
        "form": form,
        "preview": preview,
        "organisation": organisation,
        "in_use": plans_using(current),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "organisation/matrix_edit.html"
    if partial:
        # A changed field redraws the preview; a changed size or cell map the fields as well.
        picture = request.POST.get("preview") == "picture"
        template = "organisation/matrix_preview.html" if picture else f"{template}#editor"
    status = 422 if form.is_bound and not previewing and not partial else 200
    return render(request, template, context, status=status)


def _saved_message(*, created: bool) -> str:
    if created:
        return _(
            "The risk matrix is saved as a new matrix. New plans get it; the plans made before "
            "keep the matrix they were made with."
        )
    return _("The risk matrix is saved. New plans get it.")
