from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from internkontroll.access.trail import log_scope
from internkontroll.lib.http import HtmxHttpRequest
from internkontroll.trail.forms import LogFilterForm
from internkontroll.trail.queries import Cursor, entries_for_page, log_page

PER_PAGE = 50


@login_required
@require_GET
def log(request: HtmxHttpRequest) -> HttpResponse:
    scope = log_scope(request.user)
    if scope.is_empty:
        raise PermissionDenied
    form = LogFilterForm(request.GET)
    page = log_page(
        scope,
        form.filters(),
        older_than=Cursor.parse(request.GET.get("older")),
        newer_than=Cursor.parse(request.GET.get("newer")),
        size=PER_PAGE,
    )
    query = request.GET.copy()
    query.pop("older", None)
    query.pop("newer", None)
    entries = entries_for_page(page.rows)
    context = {
        "form": form,
        "page": page,
        "entries": entries,
        # Suggestions for the person filter: who made the changes shown.
        "authors": sorted({entry.who for entry in entries if entry.user_id is not None}),
        "query": query.urlencode(),
    }
    template = "trail/log.html#results" if request.htmx else "trail/log.html"
    return render(request, template, context)
