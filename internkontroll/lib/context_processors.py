from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# (URL name, label); a page whose app has not landed yet is simply left out of the menu.
NAV = [
    ("followups:mine", _("My tasks")),
    ("followups:board", _("Follow-up board")),
    ("risks:overview", _("Risk picture")),
    ("plans:current", _("Internal control plan")),
    ("nominations:mine", _("My proposals")),
    ("audits:index", _("Audits")),
    ("organisation:overview", _("All committees")),
    ("search:results", _("Search")),
    ("trail:log", _("Audit trail")),
    ("accounts:users", _("Users")),
]
NAV_NAMES = frozenset(name for name, _label in NAV)
# Where a page of an app without its own menu entry belongs: the app's first entry.
NAV_OF_APP = {name.split(":")[0]: name for name, _label in reversed(NAV)}


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    current: bool


def navigation(request: HttpRequest) -> dict[str, Any]:
    items = []
    match = getattr(request, "resolver_match", None)
    view_name = getattr(match, "view_name", None)
    current = (
        view_name if view_name in NAV_NAMES else NAV_OF_APP.get(getattr(match, "namespace", ""))
    )
    for name, label in NAV:
        if name == "trail:log" and not _may_read_log(request):
            continue
        if name == "accounts:users" and not _may_manage_users(request):
            continue
        if name == "followups:board" and not _may_see_board(request):
            continue
        if name == "nominations:mine" and not _may_propose(request):
            continue
        url = _menu_url(
            name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language()
        )
        if url is None:
            continue
        items.append(NavItem(url=url, label=str(label), current=name == current))
    return {"nav_items": items, "demo_mode": settings.DEMO_MODE}


@lru_cache(maxsize=64)
def _menu_url(name: str, urlconf: Any, script_prefix: str, language: str | None) -> str | None:
    """The menu's URLs, reversed once per URL configuration, prefix and language instead of on
    every page."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _may_read_log(request: HttpRequest) -> bool:
    from internkontroll.access.trail import may_read_log

    return may_read_log(getattr(request, "user", None))


def _may_manage_users(request: HttpRequest) -> bool:
    """Administrators of (part of) their own organisation; from the per-request scope, no query."""
    from internkontroll.access.accounts import may_manage_users

    return may_manage_users(getattr(request, "user", None))


def _may_see_board(request: HttpRequest) -> bool:
    """Coordinators and administrators: the board view's own rule, from the cached scope."""
    from internkontroll.access.plans import may_use_follow_up_board

    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated and may_use_follow_up_board(user)


def _may_propose(request: HttpRequest) -> bool:
    """Those who may propose risks for some unit (or any, as a superuser); no query."""
    from internkontroll.nominations.models import proposing_units

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    units = proposing_units(user)
    return units is None or bool(units)
