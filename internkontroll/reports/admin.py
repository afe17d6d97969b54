from django.contrib import admin

from internkontroll.lib.admin import HistoryAdmin as SimpleHistoryAdmin
from internkontroll.reports.models import ReportTemplate


@admin.register(ReportTemplate)
class ReportTemplateAdmin(SimpleHistoryAdmin):
    """Where the system administrator uploads the organisation's Word template."""

    list_display = ("organisation", "file", "uploaded_at")
    list_select_related = ("organisation",)
    search_fields = ("organisation__name",)
    readonly_fields = ("uploaded_at",)
