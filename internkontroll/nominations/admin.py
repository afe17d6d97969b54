from django.contrib import admin

from internkontroll.lib.admin import ReadOnlyHistoryAdmin
from internkontroll.nominations.models import Nomination


@admin.register(Nomination)
class NominationAdmin(ReadOnlyHistoryAdmin):
    """Proposed, decided and withdrawn on the unit's and the committee's pages only."""

    list_display = ("title", "unit", "plan", "status", "proposed_by", "proposed_at", "decided_by")
    list_filter = ("plan__unit__organisation", "plan__year", "status")
    list_select_related = ("unit", "plan__unit", "proposed_by", "decided_by")
    search_fields = ("title", "unit__name", "motivation", "decision_comment")
