from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from internkontroll.accounts.models import RoleAssignment, User
from internkontroll.lib.admin import HistoryAdmin as SimpleHistoryAdmin

# The admin is the system administrator's backstage tool; its site texts are set once, here.
admin.site.site_header = _("Internkontroll – administration")
admin.site.site_title = _("Internkontroll")
admin.site.index_title = _("Data and settings")


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fields = ("role", "organisation", "unit")
    autocomplete_fields = ("organisation", "unit")
    extra = 0


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A person is deactivated, never deleted: the history must keep who did what.
        return False

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "organisation")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "organisation", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = (
        "username",
        "first_name",
        "last_name",
        "email",
        "organisation",
        "is_active",
        "is_superuser",
    )
    list_filter = ("organisation", "is_active", "is_staff", "is_superuser")
    list_select_related = ("organisation",)
    search_fields = ("username", "first_name", "last_name", "email")
    autocomplete_fields = ("organisation",)
    inlines = (RoleAssignmentInline,)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "organisation", "unit")
    list_filter = ("role", "organisation")
    list_select_related = ("user", "organisation", "unit")
    search_fields = ("user__username", "user__first_name", "user__last_name", "unit__name")
    autocomplete_fields = ("user", "organisation", "unit")
