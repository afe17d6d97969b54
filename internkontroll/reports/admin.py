from django.contrib import admin

from internkontroll.lib.admin import HistoryAdmin as SimpleHistoryAdmin
from internkontroll.reports.models import ReportIntroduction, ReportTemplate


@admin.register(ReportTemplate)
class ReportTemplateAdmin(SimpleHistoryAdmin):
    """Where the system administrator uploads the organisation's Word template."""

    list_display = ("organisation", "file", "uploaded_at")
    list_select_related = ("organisation",)
    search_fields = ("organisation__name",)
    readonly_fields = ("uploaded_at",)


@admin.register(ReportIntroduction)
class ReportIntroductionAdmin(SimpleHistoryAdmin):
    """The introductions committees wrote for their reports (the overview's: the organisation's)."""

    list_display = ("kind", "plan", "organisation")
    list_filter = ("organisation", "kind", "plan__year")
    list_select_related = ("organisation", "plan__unit")
    search_fields = ("plan__unit__name", "organisation__name", "text")
    autocomplete_fields = ("plan",)
