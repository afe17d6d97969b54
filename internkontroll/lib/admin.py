from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from internkontroll.lib.versioning import ANY_VERSION, has_version, lock_current


def write_from_admin(obj: models.Model, acting_user: Any) -> None:
    """Save a row the admin validated (its form ran the model's full_clean) like every other
    write: locked, with a raised version, so a form opened elsewhere before is refused."""
    with transaction.atomic():
        if obj.pk is not None and has_version(type(obj)):
            current = lock_current(type(obj), obj.pk, ANY_VERSION)
            obj.version = current.version + 1  # type: ignore[attr-defined]
        obj._history_user = acting_user  # type: ignore[attr-defined]
        obj.save()


class HistoryAdmin(SimpleHistoryAdmin):
    """The admin with history shown read-only: an old version can be looked at, never restored."""

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

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
