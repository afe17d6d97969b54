"""What the browser journeys share: the text a user reads, and logging in as a demo user."""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone, translation
from playwright.sync_api import expect

from internkontroll.plans.models import ControlPlan

DEMO_PASSWORD = "demo-internkontroll"


def t(message: str) -> str:
    """What a Swedish user reads for an English msgid (the English text until it is translated)."""
    with translation.override("sv"):
        return translation.gettext(message)


def log_in(page: Any, username: str) -> None:
    """Log in through the real login form as one of the demo users."""
    page.goto("/konto/logga-in/")
    page.get_by_label(t("username")).fill(username)
    page.get_by_label(t("password")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=t("Log in"), exact=True).click()
    expect(page.get_by_role("button", name=t("Log out"))).to_be_visible()


def field(page: Any, label: str) -> Any:
    """The form control whose label starts with the text (labels end with a required marker)."""
    return page.get_by_label(re.compile("^" + re.escape(label), re.IGNORECASE))


def success_message(page: Any) -> Any:
    return page.get_by_role("status")


def sn_plan() -> ControlPlan:
    """Socialnämnden's plan for this year, the one being followed up (in the autumn the demo
    also has next year's draft)."""
    plan = ControlPlan.objects.filter(
        unit__external_id="sn", year=timezone.localdate().year
    ).first()
    assert plan is not None, "the demo data has changed"
    return plan
