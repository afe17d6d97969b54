from django.contrib import admin

from internkontroll.lib.admin import ReadOnlyHistoryAdmin
from internkontroll.reminders.models import SentReminder


@admin.register(SentReminder)
class SentReminderAdmin(ReadOnlyHistoryAdmin):
    """The record of what was mailed to whom; the reminder run writes it, nobody else."""

    list_display = ("day", "user", "kind", "item", "sent_at")
    list_filter = ("kind", "day")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "item")
    date_hierarchy = "day"
