from typing import Any

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from internkontroll.followups.models import SUBJECTS, Evidence, FollowUp
from internkontroll.lib.admin import HistoryAdmin as SimpleHistoryAdmin
from internkontroll.lib.admin import VersionedInline
from internkontroll.organisation.models import Organisation


class FollowUpInline(VersionedInline, admin.TabularInline):
    """Follow-ups on one kind of item; subclasses name the item by `fk_name`."""

    model = FollowUp
    fields = ("period", "date", "status", "on_track", "result", "comment")
    autocomplete_fields = ("period",)
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A follow-up needs a saved item to refer to.
        return obj is not None and super().has_add_permission(request, obj)


class ActionFollowUpInline(FollowUpInline):
    fk_name = "action"


class ControlActivityFollowUpInline(FollowUpInline):
    fk_name = "control_activity"


class RiskFollowUpInline(FollowUpInline):
    fk_name = "risk"


class RecommendationFollowUpInline(FollowUpInline):
    fk_name = "recommendation"


class SubjectFilter(admin.SimpleListFilter):
    title = _("follow-up of")
    parameter_name = "subject"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return [
            ("action", _("action")),
            ("control_activity", _("control activity")),
            ("risk", _("risk")),
            ("recommendation", _("recommendation")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any] | None:
        if self.value() in SUBJECTS:
            return queryset.filter(**{f"{self.value()}__isnull": False})
        return None


class OrganisationFilter(admin.SimpleListFilter):
    title = _("organisation")
    parameter_name = "organisation"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return Organisation.objects.values_list("pk", "name")

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any] | None:
        organisation = self.value()
        if organisation is None:
            return None
        if not organisation.isdigit():
            raise IncorrectLookupParameters
        return queryset.filter(
            Q(action__risk__plan__unit__organisation=organisation)
            | Q(control_activity__risk__plan__unit__organisation=organisation)
            | Q(risk__plan__unit__organisation=organisation)
            | Q(recommendation__report__organisation=organisation)
        )


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = ("date", "subject", "period", "status", "on_track", "result", "deviation")
    list_filter = (
        OrganisationFilter,
        SubjectFilter,
        "period__code",
        "status",
        "on_track",
        "result",
    )
    list_select_related = ("action", "control_activity", "risk", "recommendation", "period")
    search_fields = (
        "comment",
        "action__title",
        "control_activity__title",
        "risk__title",
        "recommendation__text",
    )
    autocomplete_fields = ("action", "control_activity", "risk", "recommendation", "period")
    date_hierarchy = "date"

    @admin.display(description=_("concerns"))
    def subject(self, follow_up: FollowUp) -> str:
        return str(follow_up.subject)

    @admin.display(description=_("deviation"), boolean=True)
    def deviation(self, follow_up: FollowUp) -> bool:
        return follow_up.is_deviation


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ("name", "follow_up", "content_type", "size", "uploaded_by", "uploaded_at")
    list_select_related = ("follow_up", "uploaded_by")
    search_fields = ("name",)
    list_filter = ("content_type",)
    # Evidence is attached through the follow-up form, where its type is checked; here it is
    # only looked at (a file put in by hand would skip those checks).
    readonly_fields = (
        "follow_up",
        "name",
        "file",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
