"""A responsible person reports a follow-up from "Mina uppgifter" and finds it on the risk page."""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone
from playwright.sync_api import expect

from internkontroll.organisation.models import Organisation
from internkontroll.tests.browser.helpers import field, log_in, success_message, t

COMMENT = "Rapporterat i webbläsartestet: två av tre delmoment är klara."


def current_period() -> str:
    organisation = Organisation.objects.get(name="Exempelkommun")
    period = organisation.period_on(timezone.localdate())
    assert period is not None
    return str(period)


def test_a_responsible_person_reports_a_follow_up_from_my_tasks(page: Any) -> None:
    log_in(page, "ansvarig")

    expect(page.get_by_role("heading", level=1)).to_have_text(t("My tasks"))
    due_now = page.get_by_role("table", name=t("To report now"))
    row = due_now.get_by_role("row").filter(has_text=f"{t('Action')}:").first
    title = row.get_by_role("link").first.inner_text()
    row.get_by_role("link", name=re.compile(f"^{t('Report')}")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    field(page, t("period")).select_option(label=current_period())
    field(page, t("date")).fill(timezone.localdate().isoformat())
    field(page, t("status")).select_option(label=t("in progress"))
    field(page, t("On track")).select_option(label=t("Yes"))
    field(page, t("comment")).fill(COMMENT)
    page.get_by_role("button", name=t("Save follow-up")).click()

    expect(success_message(page)).to_contain_text(t("The follow-up was saved."))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("My tasks"))

    page.get_by_role("link", name=title, exact=True).first.click()
    item = page.get_by_role("article", name=title)
    newest = item.get_by_role("listitem").first
    expect(newest).to_contain_text(COMMENT)
    expect(newest).to_contain_text(timezone.localdate().isoformat())
    expect(newest).to_contain_text(t("in progress"))
