from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from internkontroll.lib.http import HtmxHttpRequest
from internkontroll.search.forms import SearchForm
from internkontroll.search.queries import search


@login_required
@require_GET
def results(request: HtmxHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    form.is_valid()  # a bad kind or page falls back to every kind's first page
    text = form.cleaned_data.get("q", "")
    kind = form.cleaned_data.get("kind") or None
    groups = search(request.user, text, kind, form.cleaned_data.get("page") or 1)
    context = {
        "q": text,
        "kind": kind,
        "groups": groups,
        "found": sum(len(group.hits) for group in groups),
    }
    # Going back to a search htmx kept no copy of asks for the whole page, as a reload does.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "search/results.html#results" if partial else "search/results.html"
    return render(request, template, context)
