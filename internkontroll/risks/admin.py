from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from internkontroll.followups.admin import ActionFollowUpInline, RiskFollowUpInline
from internkontroll.lib.admin import HistoryAdmin as SimpleHistoryAdmin
from internkontroll.lib.admin import VersionedInline
from internkontroll.risks.models import Action, Risk, RolloverDecision


class OverdueColumn:
    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, action: Action) -> bool:
        return action.is_overdue()


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any] | None:
        if self.value() == "yes":
            return queryset.filter(pk__in=Action.objects.overdue())
        if self.value() == "no":
            return queryset.exclude(pk__in=Action.objects.overdue())
        return None


class ActionInline(VersionedInline, OverdueColumn, admin.TabularInline):
    model = Action
    fields = ("external_id", "title", "responsible", "due_date", "status", "overdue")
    readonly_fields = ("overdue",)
    extra = 0


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = (
        "external_id",
        "title",
        "plan",
        "probability",
        "consequence",
        "score",
        "level",
        "critical",
    )
    list_display_links = ("external_id", "title")
    list_filter = (
        "plan__unit__organisation",
        "plan__year",
        "plan__unit",
        ("area", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("plan__unit", "plan__risk_matrix")
    search_fields = ("external_id", "title", "description", "plan__unit__name")
    autocomplete_fields = ("plan", "unit", "area", "process", "goal")
    readonly_fields = ("score", "level", "target_score", "target_level")
    fieldsets = (
        (None, {"fields": ("plan", "external_id", "title", "unit", "area", "process", "goal")}),
        (
            _("Risk analysis"),
            {"fields": ("description", "consequence_description", "existing_controls")},
        ),
        (
            _("Assessment"),
            {"fields": (("probability", "consequence"), ("score", "level"))},
        ),
        (
            _("Target assessment"),
            {
                "fields": (
                    ("target_probability", "target_consequence"),
                    ("target_score", "target_level"),
                )
            },
        ),
        (_("Handling"), {"fields": ("handling", "planned_handling")}),
    )
    inlines = (ActionInline, RiskFollowUpInline)

    @admin.display(description=_("risk score"))
    def score(self, risk: Risk) -> int | None:
        return risk.score

    @admin.display(description=_("risk level"))
    def level(self, risk: Risk) -> str | None:
        level = risk.level
        return level.name if level else None

    @admin.display(description=_("target risk score"))
    def target_score(self, risk: Risk) -> int | None:
        return risk.target_score

    @admin.display(description=_("target risk level"))
    def target_level(self, risk: Risk) -> str | None:
        level = risk.target_level
        return level.name if level else None

    @admin.display(description=_("critical"), boolean=True)
    def critical(self, risk: Risk) -> bool:
        return risk.is_critical


@admin.register(Action)
class ActionAdmin(OverdueColumn, SimpleHistoryAdmin):
    list_display = ("external_id", "title", "risk", "responsible", "due_date", "status", "overdue")
    list_display_links = ("external_id", "title")
    list_filter = (
        "risk__plan__unit__organisation",
        "risk__plan__year",
        "status",
        OverdueFilter,
        "due_date",
    )
    list_select_related = ("risk",)
    search_fields = ("external_id", "title", "description", "responsible", "risk__title")
    autocomplete_fields = ("risk",)
    readonly_fields = ("overdue",)
    inlines = (ActionFollowUpInline,)


@admin.register(RolloverDecision)
class RolloverDecisionAdmin(SimpleHistoryAdmin):
    """Made by the rollover (the plan page or `ik rollover`), which copies the risks; looked
    at here, never added or changed."""

    list_display = ("risk", "plan", "decision", "decided_by", "decided_at")
    list_filter = ("plan__unit__organisation", "plan__year", "decision")
    list_select_related = ("risk", "plan__unit", "decided_by")
    search_fields = ("risk__title", "reason")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
