"""An object's history on its own page (a risk's, a plan's), loaded when the reader comes to it.

A risk's history holds every version of the risk, its actions, control activities and
follow-ups: most readers of the page never scroll to it, and reading it took about a quarter
of the page's time. So the page is sent without it; htmx asks for it (`?history=1`) when the
section comes into view, and a link asks for the whole page with it where JavaScript does not
run.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from internkontroll.lib.http import HtmxHttpRequest
from internkontroll.trail.queries import history_for

PARAMETER = "history"


def history_context(
    request: HttpRequest, obj: models.Model, *, readable: bool = True
) -> dict[str, Any]:
    """The history section's context: its entries if asked for, else the link to them.

    A reader who may not read the object's history (`readable` false, such as a person who
    reads only their units' part of a plan) gets the section empty, with nothing to ask for."""
    if not readable:
        return {"history_entries": [], "history_deferred": False}
    if request.GET.get(PARAMETER):
        return {"history_entries": history_for(obj), "history_deferred": False}
    return {"history_entries": [], "history_deferred": True}


def history_part(
    request: HtmxHttpRequest, obj: models.Model, *, readable: bool = True
) -> HttpResponse | None:
    """For htmx asking for the history: the section's entries alone; else None."""
    if not (request.htmx and request.GET.get(PARAMETER)):
        return None
    entries = history_for(obj) if readable else []
    return render(request, "trail/object_history.html#history", {"entries": entries})
