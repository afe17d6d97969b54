from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from internkontroll.lib.http import HtmxHttpRequest
from internkontroll.search.queries import LIMIT, search


@login_required
@require_GET
def results(request: HtmxHttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    groups = search(request.user, text)
    context = {
        "q": text,
        "groups": groups,
        "found": sum(len(group.hits) for group in groups),
        "limit": LIMIT,
    }
    template = "search/results.html#results" if request.htmx else "search/results.html"
    return render(request, template, context)
