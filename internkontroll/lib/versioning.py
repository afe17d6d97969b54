"""Optimistic locking: an edit made from an outdated version of a row is refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

_M = TypeVar("_M", bound=models.Model)


class StaleEdit(Exception):
    """Someone saved the row after the form was opened; nothing was written."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else saved this item after you opened the form. Nothing was saved; "
                "your text is kept below. Open the item again to see their changes, or send "
                "again to replace them."
            )
        )


def lock_current(model: type[_M], pk: Any, version: int | None) -> _M:
    """The row locked for update, if its version is still the one the form was made from."""
    obj = model._default_manager.select_for_update().get(pk=pk)
    if version is not None and obj.version != version:  # type: ignore[attr-defined]
        raise StaleEdit
    return obj


def save_versioned(obj: _M, values: dict[str, Any], *, version: int | None, acting_user: Any) -> _M:
    """Apply values to obj (new or existing) and save it with a raised version number."""
    with transaction.atomic():
        if obj.pk is not None:
            obj = lock_current(type(obj), obj.pk, version)
        for name, value in values.items():
            setattr(obj, name, value)
        if obj.pk is not None:
            obj.version += 1  # type: ignore[attr-defined]
        obj._history_user = acting_user  # type: ignore[attr-defined]
        obj.full_clean(exclude=["version"])
        obj.save()
    return obj


def refresh_version(form: Any, current: Any) -> None:
    """After a stale refusal the form carries the current version: sending again is deliberate."""
    data = form.data.copy()
    data["version"] = current.version
    form.data = data


def save_form(
    request: HttpRequest,
    form: Any,
    obj: models.Model,
    save: Callable[..., Any],
    *,
    saved_message: str,
    next_url: Callable[[Any], str],
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The edit page's one flow: save a valid form through `save`, refuse a stale edit with
    the user's text kept, and answer 422 with the errors next to the fields."""
    if form.is_bound and form.is_valid():
        try:
            saved = save(
                obj,
                form.cleaned_data,
                version=form.cleaned_data["version"],
                acting_user=request.user,
            )
        except StaleEdit as stale:
            form.add_error(None, str(stale))
            refresh_version(form, type(obj)._default_manager.get(pk=obj.pk))
        else:
            messages.success(request, saved_message)
            return redirect(next_url(saved))
    status = 422 if form.is_bound else 200
    return render(request, template, {"form": form, **context}, status=status)
