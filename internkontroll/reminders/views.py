from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from internkontroll.reminders.actions import choose_reminders
from internkontroll.reminders.forms import PreferencesForm


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """A person's own choice: reminders by e-mail or not."""
    user = request.user
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"receives_reminders": user.receives_reminders},  # type: ignore[union-attr]
    )
    if form.is_valid():
        choose_reminders(
            user, acting_user=user, receives_reminders=form.cleaned_data["receives_reminders"]
        )
        if form.cleaned_data["receives_reminders"]:
            messages.success(request, _("You will get reminders by e-mail."))
        else:
            messages.success(request, _("You will no longer get reminders by e-mail."))
        return redirect("reminders:preferences")
    return render(
        request,
        "reminders/preferences.html",
        {"form": form, "email": user.email},  # type: ignore[union-attr]
        status=422 if form.is_bound else 200,
    )
