"""What the browser journeys share: the text a user reads, and logging in as a demo user."""

from __future__ import annotations

import re
from typing import Any

from django.utils import translation
from playwright.sync_api import expect

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
