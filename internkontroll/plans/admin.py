from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from internkontroll.lib.admin import HistoryAdmin as SimpleHistoryAdmin
from internkontroll.lib.admin import VersionedInline
from internkontroll.plans.models import AdoptedVersion, Assessment, ControlPlan


class PlanStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return ControlPlan.Status.choices

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any] | None:
        conditions = {
            ControlPlan.Status.DRAFT: {"adopted_on__isnull": True},
            ControlPlan.Status.ADOPTED: {
                "adopted_on__isnull": False,
                "follow_up_started_at__isnull": True,
            },
            ControlPlan.Status.FOLLOW_UP: {
                "follow_up_started_at__isnull": False,
                "closed_at__isnull": True,
            },
            ControlPlan.Status.CLOSED: {"closed_at__isnull": False},
        }
        condition = conditions.get(self.value())  # type: ignore[call-overload]
        return queryset.filter(**condition) if condition is not None else None


class AssessmentInline(VersionedInline, admin.StackedInline):
    model = Assessment
    fields = ("verdict", "decided_on", "analysis")
    extra = 0


@admin.register(ControlPlan)
class ControlPlanAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "year", "status", "adopted_on", "reference", "organisation")
    list_filter = ("unit__organisation", "year", PlanStatusFilter)
    list_select_related = ("unit__organisation",)
    search_fields = ("unit__name", "reference")
    autocomplete_fields = ("unit", "risk_matrix")
    readonly_fields = ("status",)
    inlines = (AssessmentInline,)

    @admin.display(description=_("status"))
    def status(self, plan: ControlPlan) -> str:
        return plan.get_status_display()

    @admin.display(description=_("organisation"), ordering="unit__organisation__name")
    def organisation(self, plan: ControlPlan) -> str:
        return str(plan.unit.organisation)


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ("plan", "verdict", "decided_on")
    list_filter = ("plan__unit__organisation", "plan__year", "verdict")
    list_select_related = ("plan__unit",)
    search_fields = ("plan__unit__name", "analysis")
    autocomplete_fields = ("plan",)


@admin.register(AdoptedVersion)
class AdoptedVersionAdmin(SimpleHistoryAdmin):
    """Frozen as decided: looked at, never added, changed or deleted here."""

    list_display = ("plan", "kind", "decided_on", "reference", "created_by", "created_at")
    list_filter = ("plan__unit__organisation", "kind", "plan__year")
    list_select_related = ("plan__unit", "created_by")
    search_fields = ("plan__unit__name", "reference")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
