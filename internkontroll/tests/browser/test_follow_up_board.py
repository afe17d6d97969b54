"""The coordinator sees on the follow-up board who has not reported; on a phone, "Mina
uppgifter" shows each task as a card with its deadline, status and report button."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from internkontroll.tests.browser.helpers import log_in, t

PHONE_WIDTH = 375


def test_the_board_shows_who_has_not_reported(page: Any) -> None:
    log_in(page, "samordnare")
    menu = page.get_by_role("navigation", name=t("Main menu"))
    menu.get_by_role("link", name=t("Follow-up board")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Follow-up board"))

    counts = page.get_by_role("navigation", name=t("Counts"))
    missing = counts.get_by_role("link", name=re.compile(re.escape(t("not reported")) + "$"))
    number = int(missing.locator("strong").inner_text())
    assert number > 0, "the demo has items not yet reported in the period being reported on"
    missing.click()

    expect(missing).to_have_attribute("aria-current", "page")
    table = page.get_by_role("table", name=t("Items"))
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(min(number, 50))
    for index in range(rows.count()):
        row = rows.nth(index)
        expect(row.locator(f'td[data-label="{t("Reported")}"]')).to_contain_text(
            re.compile(re.escape(t("Not reported")))
        )
        responsible = row.locator(f'td[data-label="{t("Responsible")}"]').inner_text()
        assert responsible.strip(), "each row says who is responsible"


def test_my_tasks_are_cards_on_a_phone(page: Any) -> None:
    log_in(page, "ansvarig")
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 740})
    page.goto("/")
    card = page.get_by_role("table", name=t("To report now")).locator("tbody tr").first
    for label in (t("Report by"), t("Status")):
        cell = card.locator(f'td[data-label="{label}"]')
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH
    button = card.get_by_role("link", name=re.compile(f"^{t('Report')}"))
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE_WIDTH
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
