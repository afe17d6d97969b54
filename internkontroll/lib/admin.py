from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin

from internkontroll.lib.versioning import (
    ANY_VERSION,
    CarriesVersion,
    StaleEdit,
    check_write,
    has_version,
    lock_current,
    refresh_version,
    version_field,
)


class WriteCheckedAdminForm(forms.ModelForm):
    """An admin form that runs the write gate's rules (such as a closed plan) as validation."""

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        try:
            check_write(self.instance, self.changed_data)
        except ValidationError as refused:
            self.add_error(None, refused)


class VersionedAdminForm(CarriesVersion, WriteCheckedAdminForm):
    """An admin change form that carries the row's version and refuses a stale one."""

    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        version = cleaned.get("version")
        current = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
        if version is not None and current is not None and version != current.version:
            refresh_version(self, current)  # sending again is then a deliberate overwrite
            raise ValidationError(str(StaleEdit()))
        return cleaned


def write_from_admin(obj: models.Model, acting_user: Any) -> None:
    """Save a row the admin validated (its form ran the model's full_clean) like every other
    write: locked, with a raised version, so a form opened elsewhere before is refused."""
    with transaction.atomic():
        if obj.pk is not None and has_version(type(obj)):
            current = lock_current(type(obj), obj.pk, ANY_VERSION)
            obj.version = current.version + 1  # type: ignore[attr-defined]
        obj._history_user = acting_user  # type: ignore[attr-defined]
        obj.save()


def _carrying_version(
    model_admin: Any, request: HttpRequest, obj: Any, kwargs: dict[str, Any]
) -> dict[str, Any]:
    """Form options for a form (or an inline's forms) that carry the row's version."""
    base: type[forms.ModelForm] = kwargs.get("form") or model_admin.form
    if not issubclass(base, VersionedAdminForm):
        kwargs["form"] = type(base.__name__, (VersionedAdminForm, base), {})
    # The version is a declared form field; the model's own is not editable.
    if "fields" not in kwargs:
        kwargs["fields"] = flatten_fieldsets(model_admin.get_fieldsets(request, obj))
    if kwargs["fields"] is not None:
        kwargs["fields"] = [name for name in kwargs["fields"] if name != "version"]
    return kwargs


def _with_version(model: type[models.Model], fieldsets: Any) -> Any:
    """The fieldsets with the hidden version, so the admin renders it and sends it back."""
    if not has_version(model) or "version" in flatten_fieldsets(fieldsets):
        return fieldsets
    return [*fieldsets, (None, {"fields": ["version"]})]


class VersionedInline:
    """For inlines: each row carries its version and a stale one is refused, as in the form."""

    model: type[models.Model]

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        if has_version(self.model):
            kwargs = _carrying_version(self, request, obj, kwargs)
        return super().get_formset(request, obj, **kwargs)  # type: ignore[misc]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return _with_version(self.model, super().get_fieldsets(request, obj))  # type: ignore[misc]


class HistoryAdmin(SimpleHistoryAdmin):
    """The admin with history shown read-only: an old version can be looked at, never restored."""

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        """A change form of a versioned row carries its version, like every other edit form."""
        if obj is not None and has_version(self.model):
            kwargs = _carrying_version(self, request, obj, kwargs)
        if "form" not in kwargs and self.form is forms.ModelForm:
            kwargs["form"] = WriteCheckedAdminForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj is None else _with_version(self.model, fieldsets)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        write_from_admin(obj, request.user)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj._history_user = request.user
            obj.delete()
        for instance in instances:
            write_from_admin(instance, request.user)
        formset.save_m2m()


class ReadOnlyHistoryAdmin(HistoryAdmin):
    """For records made only by their own action (a proposal, a sent reminder, an upload):
    looked at in the admin, never added, changed or deleted there, which would skip its rules."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        """Operational records without a recorded history show the admin's own change log."""
        if hasattr(self.model._meta, "simple_history_manager_attribute"):
            return super().history_view(request, object_id, extra_context)
        response = admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        if isinstance(response, TemplateResponse):
            response.template_name = "admin/object_history.html"
        return response
