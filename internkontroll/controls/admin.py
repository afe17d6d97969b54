from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from internkontroll.controls.models import ControlActivity
from internkontroll.followups.admin import ControlActivityFollowUpInline
from internkontroll.lib.admin import HistoryAdmin as SimpleHistoryAdmin


class ControlActivityForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned_data = self.cleaned_data
        risk = cleaned_data.get("risk")
        if risk is not None and cleaned_data.get("periods") is not None:
            ControlActivity(risk=risk).validate_periods(list(cleaned_data["periods"]))
        return cleaned_data


@admin.register(ControlActivity)
class ControlActivityAdmin(SimpleHistoryAdmin):
    form = ControlActivityForm
    list_display = (
        "external_id",
        "title",
        "risk",
        "method",
        "frequency",
        "responsible",
        "due_date",
        "reported_in",
    )
    list_display_links = ("external_id", "title")
    list_filter = (
        "risk__plan__unit__organisation",
        "risk__plan__year",
        "method",
        "frequency",
    )
    list_select_related = ("risk",)
    search_fields = ("external_id", "title", "description", "responsible", "risk__title")
    autocomplete_fields = ("risk", "periods")
    fieldsets = (
        (None, {"fields": ("risk", "external_id", "title")}),
        (
            _("What is checked"),
            {"fields": ("working_method", "systematic_control", "description")},
        ),
        (
            _("How, by whom and when"),
            {"fields": ("method", "sample", "responsible", "frequency", "periods", "due_date")},
        ),
    )
    inlines = (ControlActivityFollowUpInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ControlActivity]:
        return super().get_queryset(request).prefetch_related("periods")

    @admin.display(description=_("reported in periods"))
    def reported_in(self, activity: ControlActivity) -> str:
        return ", ".join(period.code for period in activity.periods.all())
