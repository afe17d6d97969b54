from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from internkontroll.lib.admin import HistoryAdmin as SimpleHistoryAdmin
from internkontroll.organisation.models import (
    Goal,
    Organisation,
    Period,
    Process,
    RiskArea,
    RiskMatrix,
    Unit,
)


class PeriodInline(admin.TabularInline):
    model = Period
    fields = ("position", "code", "name", "ends_month", "ends_day")
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "risk_matrix")
    list_select_related = ("risk_matrix__organisation",)
    search_fields = ("name",)
    autocomplete_fields = ("risk_matrix",)
    inlines = (PeriodInline,)


@admin.register(RiskMatrix)
class RiskMatrixAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "organisation", "level_names", "cell_map", "created_at")
    list_filter = ("organisation",)
    list_select_related = ("organisation",)
    search_fields = ("organisation__name",)
    readonly_fields = ("created_at",)

    @admin.display(description=_("levels"))
    def level_names(self, matrix: RiskMatrix) -> str:
        return ", ".join(level.name for level in matrix.level_objects())

    @admin.display(description=_("level per cell"), boolean=True)
    def cell_map(self, matrix: RiskMatrix) -> bool:
        return bool(matrix.cells)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A matrix a plan uses is frozen, so that year keeps the levels it was assessed with.
        if obj is not None and obj.plans.exists():
            return (
                "organisation",
                "probability_labels",
                "consequence_labels",
                "levels",
                "cells",
                "created_at",
            )
        return self.readonly_fields


@admin.register(Period)
class PeriodAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "ends", "organisation", "position")
    ordering = ("organisation__name", "position", "id")
    list_filter = ("organisation",)
    list_select_related = ("organisation",)
    search_fields = ("code", "name", "organisation__name")

    @admin.display(description=_("ends"))
    def ends(self, period: Period) -> str:
        return period.ends


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("name", "external_id", "kind", "parent", "organisation")
    list_filter = ("organisation", "kind")
    list_select_related = ("parent", "organisation")
    search_fields = ("name", "external_id")
    autocomplete_fields = ("organisation", "parent")


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ("external_id", "title", "year", "unit", "organisation")
    list_filter = ("organisation", "year")
    list_select_related = ("unit", "organisation")
    search_fields = ("external_id", "title")
    autocomplete_fields = ("organisation", "unit")


@admin.register(RiskArea)
class RiskAreaAdmin(SimpleHistoryAdmin):
    list_display = ("name", "organisation")
    list_filter = ("organisation",)
    list_select_related = ("organisation",)
    search_fields = ("name",)
    autocomplete_fields = ("organisation",)


@admin.register(Process)
class ProcessAdmin(SimpleHistoryAdmin):
    list_display = ("name", "organisation")
    list_filter = ("organisation",)
    list_select_related = ("organisation",)
    search_fields = ("name",)
    autocomplete_fields = ("organisation",)
