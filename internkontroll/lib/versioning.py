"""Every write of an editable row: locked, validated, version raised, recorded in history.

An edit made from an outdated version of a row is refused (optimistic locking).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Final, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_M = TypeVar("_M", bound=models.Model)
_T = TypeVar("_T")


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


class _AnyVersion:
    def __repr__(self) -> str:
        return "ANY_VERSION"


# For the importer and the admin: they lock and raise the version without comparing it.
ANY_VERSION: Final = _AnyVersion()
Version = int | _AnyVersion | None


# Rules every write must pass, registered by the apps that know them (a closed plan is
# read-only): each gets the row with its new values and the names of the fields the write
# sets, and raises ValidationError to refuse it.
WriteCheck = Callable[[models.Model, Iterable[str]], None]
_write_checks: list[WriteCheck] = []


def register_write_check(check: WriteCheck) -> None:
    if check not in _write_checks:
        _write_checks.append(check)


def check_write(obj: models.Model, fields: Iterable[str]) -> None:
    for check in _write_checks:
        check(obj, list(fields))


def has_version(model: type[models.Model]) -> bool:
    return any(field.name == "version" for field in model._meta.concrete_fields)


def lock_current(model: type[_M], pk: Any, version: Version) -> _M:
    """The row locked for update, if its version is still the one the form was made from.

    A missing version (None) is refused like a stale one: only ANY_VERSION skips the check.
    """
    obj = model._default_manager.select_for_update().get(pk=pk)
    if version is not ANY_VERSION and obj.version != version:  # type: ignore[attr-defined]
        raise StaleEdit
    return obj


def lock_parent(obj: _M) -> _M:
    """Lock a row others add children to, so that two creates pick their identifiers in turn."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def save_versioned(
    obj: _M,
    values: dict[str, Any],
    *,
    version: Version,
    acting_user: Any,
    reason: str | None = None,
) -> _M:
    """Apply values to obj (new or existing), validate it and save it with a raised version.

    The one write helper of forms, the importer and the admin; `reason` goes into history.
    """
    versioned = has_version(type(obj))
    with transaction.atomic():
        if obj.pk is not None:
            obj = lock_current(type(obj), obj.pk, version if versioned else ANY_VERSION)
        for name, value in values.items():
            setattr(obj, name, value)
        check_write(obj, values)
        if obj.pk is not None and versioned:
            obj.version += 1  # type: ignore[attr-defined]
        obj._history_user = acting_user  # type: ignore[attr-defined]
        if reason:
            obj._change_reason = reason  # type: ignore[attr-defined]
        obj.full_clean(exclude=["version"])
        obj.save()
    return obj


def bump_version(obj: models.Model, acting_user: Any, fields: list[str] | None = None) -> None:
    """Save a locked row whose children changed (or `fields`) under a raised version."""
    check_write(obj, fields or [])
    obj.version += 1  # type: ignore[attr-defined]
    obj._history_user = acting_user  # type: ignore[attr-defined]
    obj.save(update_fields=["version", *(fields or [])])


def version_field() -> forms.IntegerField:
    """The hidden field that says which version of the row the form was made from."""
    message = gettext_lazy(
        "The form lacks the version of the item it was opened from. Nothing was saved; "
        "open the item again and redo the change."
    )
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": message, "invalid": message, "min_value": message},
    )


class CarriesVersion:
    """A form with a hidden `version` field, whose errors are shown at the top of the form."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        errors = getattr(self, "_errors", None)
        if errors and "version" in errors:
            moved = errors.pop("version")
            if NON_FIELD_ERRORS not in errors:
                errors[NON_FIELD_ERRORS] = self.error_class(  # type: ignore[attr-defined]
                    error_class="nonfield",
                    renderer=self.renderer,  # type: ignore[attr-defined]
                )
            errors[NON_FIELD_ERRORS].extend(moved)


class VersionedForm(CarriesVersion, forms.ModelForm):
    """A model form that carries the version of its row; a new row has none to carry."""

    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["version"]
        else:
            self.initial["version"] = self.instance.version


def refresh_version(form: Any, current: Any) -> None:
    """After a stale refusal the form carries the current version: sending again is deliberate."""
    data = form.data.copy()
    data[form.add_prefix("version")] = current.version
    form.data = data
    form.stale = True


def write_form(
    form: Any, write: Callable[[], _T], *, current: Callable[[], Any] | None = None
) -> _T | None:
    """Run a valid form's write; a stale edit or a concurrent create becomes a form error.

    The user's input is kept; `current` gives the row as saved now, for the next attempt.
    """
    try:
        return write()
    except StaleEdit as stale:
        form.add_error(None, str(stale))
        if current is not None:
            refresh_version(form, current())
    except ValidationError as error:
        # A rule the model holds that the form did not show (say, a date checked at writing).
        errors = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
        for name, messages_ in errors.items():
            form.add_error(name if name in form.fields else None, messages_)
    except IntegrityError:
        form.add_error(
            None,
            _(
                "Someone else saved at the same moment and the two changes collided. Nothing "
                "was saved; your text is kept below. Send the form again."
            ),
        )
    return None


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
        saved = write_form(
            form,
            lambda: save(
                obj,
                form.cleaned_data,
                version=form.cleaned_data.get("version"),
                acting_user=request.user,
            ),
            current=lambda: type(obj)._default_manager.get(pk=obj.pk),
        )
        if saved is not None:
            messages.success(request, saved_message)
            return redirect(next_url(saved))
    status = 422 if form.is_bound else 200
    return render(request, template, {"form": form, **context}, status=status)
