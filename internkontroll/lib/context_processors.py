from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (URL name, label); a page whose app has not landed yet is simply left out of the menu.
NAV = [
    ("followups:mine", _("My tasks")),
    ("risks:overview", _("Risk picture")),
    ("plans:current", _("Internal control plan")),
    ("audits:index", _("Audits")),
    ("organisation:overview", _("All committees")),
    ("search:results", _("Search")),
    ("trail:log", _("Audit trail")),
    ("accounts:users", _("Users")),
]


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    current: bool


def navigation(request: HttpRequest) -> dict[str, Any]:
    items = []
    current_namespace = getattr(getattr(request, "resolver_match", None), "namespace", None)
    for name, label in NAV:
        if name == "trail:log" and not _may_read_log(request):
            continue
        if name == "accounts:users" and not _may_manage_users(request):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append(
            NavItem(url=url, label=str(label), current=name.split(":")[0] == current_namespace)
        )
    return {"nav_items": items, "demo_mode": settings.DEMO_MODE}


def _may_read_log(request: HttpRequest) -> bool:
    from internkontroll.access.trail import may_read_log

    return may_read_log(getattr(request, "user", None))


def _may_manage_users(request: HttpRequest) -> bool:
    """Administrators of (part of) their own organisation; from the per-request scope, no query."""
    from internkontroll.access.accounts import may_manage_users

    return may_manage_users(getattr(request, "user", None))
