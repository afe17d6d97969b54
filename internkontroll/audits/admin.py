from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.followups.admin import RecommendationFollowUpInline
from internkontroll.lib.admin import HistoryAdmin as SimpleHistoryAdmin
from internkontroll.lib.admin import VersionedInline


class RecommendationInline(VersionedInline, admin.StackedInline):
    model = Recommendation
    fields = ("external_id", "text", "response", "status")
    extra = 0


@admin.register(AuditReport)
class AuditReportAdmin(SimpleHistoryAdmin):
    list_display = ("external_id", "title", "unit", "auditor", "date", "organisation")
    list_display_links = ("external_id", "title")
    list_filter = ("organisation", "date")
    list_select_related = ("unit", "organisation")
    search_fields = ("external_id", "title", "auditor")
    autocomplete_fields = ("organisation", "unit")
    date_hierarchy = "date"
    inlines = (RecommendationInline,)


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ("external_id", "short_text", "report", "status")
    list_display_links = ("external_id", "short_text")
    list_filter = ("report__organisation", "status")
    list_select_related = ("report",)
    search_fields = ("external_id", "text", "response", "report__title")
    autocomplete_fields = ("report",)
    inlines = (RecommendationFollowUpInline,)

    @admin.display(description=_("recommendation"))
    def short_text(self, recommendation: Recommendation) -> str:
        return Truncator(recommendation.text).chars(80)
