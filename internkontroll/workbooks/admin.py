from django.contrib import admin

from internkontroll.lib.admin import ReadOnlyHistoryAdmin
from internkontroll.workbooks.models import PendingWorkbook


@admin.register(PendingWorkbook)
class PendingWorkbookAdmin(ReadOnlyHistoryAdmin):
    """Uploads waiting for their preview; applied or dropped by the uploader only."""

    list_display = ("name", "plan", "uploaded_by", "uploaded_at")
    list_filter = ("plan__unit__organisation", "plan__year")
    list_select_related = ("plan__unit", "uploaded_by")
    search_fields = ("name", "plan__unit__name", "uploaded_by__username")
