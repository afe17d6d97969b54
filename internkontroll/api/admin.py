from django.contrib import admin

from internkontroll.api.models import AccessToken
from internkontroll.lib.admin import ReadOnlyHistoryAdmin


@admin.register(AccessToken)
class AccessTokenAdmin(ReadOnlyHistoryAdmin):
    """Made and revoked by their owner on the token page; only the hint is shown, never the hash."""

    list_display = (
        "name",
        "user",
        "hint",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("user__organisation",)
    list_select_related = ("user",)
    search_fields = ("name", "hint", "user__username", "user__first_name", "user__last_name")
    exclude = ("key_hash",)
