"""A committee member reads the risk picture of a committee and year and opens a risk."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from internkontroll.risks.models import Risk
from internkontroll.tests.browser.helpers import log_in, t

COMMITTEE, YEAR = "Socialnämnden", 2025


def followed_up_risk() -> Risk:
    """A risk of the committee's plan with a description and an action that has follow-ups."""
    risk = (
        Risk.objects.filter(
            plan__unit__name=COMMITTEE,
            plan__year=YEAR,
            actions__follow_ups__isnull=False,
            probability__isnull=False,
            consequence__isnull=False,
        )
        .exclude(description="")
        .order_by("id")
        .first()
    )
    assert risk is not None, "the demo data has changed"
    return risk


def go_to(page: Any, menu_item: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name=t(menu_item)).click()


def switch_to(page: Any, committee: str, year: int) -> None:
    page.get_by_label(t("Committee"), exact=True).select_option(label=committee)
    page.get_by_label(t("Year"), exact=True).select_option(str(year))
    page.get_by_role("button", name=t("Show")).click()


def test_a_committee_member_switches_committee_and_year_and_it_is_remembered(page: Any) -> None:
    log_in(page, "lasare")
    go_to(page, "Risk picture")
    heading = page.get_by_role("heading", level=1)
    expect(heading).not_to_have_text(re.compile(f"{COMMITTEE} {YEAR}"))

    switch_to(page, COMMITTEE, YEAR)
    expect(heading).to_have_text(f"{t('Risk picture')}: {COMMITTEE} {YEAR}")

    go_to(page, "My tasks")
    go_to(page, "Risk picture")
    expect(heading).to_have_text(f"{t('Risk picture')}: {COMMITTEE} {YEAR}")


def test_a_committee_member_filters_by_a_matrix_cell_and_opens_a_risk(page: Any) -> None:
    risk = followed_up_risk()
    in_cell = Risk.objects.filter(
        plan=risk.plan, probability=risk.probability, consequence=risk.consequence
    ).count()
    total = Risk.objects.filter(plan=risk.plan).count()
    actions = list(risk.actions.order_by("id").values_list("title", flat=True))
    log_in(page, "lasare")
    go_to(page, "Risk picture")
    switch_to(page, COMMITTEE, YEAR)
    risk_list = page.locator("#results").get_by_role("table").last
    expect(risk_list.locator("tbody tr")).to_have_count(total)

    cell = page.locator(f'table.matrix a[href$="cell={risk.probability}-{risk.consequence}"]')
    expect(cell).to_contain_text(str(in_cell))
    cell.click()

    expect(page).to_have_url(re.compile(rf"cell={risk.probability}-{risk.consequence}"))
    expect(page.locator('table.matrix a[aria-current="true"]')).to_have_count(1)
    expect(risk_list.locator("tbody tr")).to_have_count(in_cell)
    expect(
        page.get_by_role("heading", name=re.compile(rf"^{in_cell}\D.*\D{total}$"))
    ).to_be_visible()
    expect(risk_list.get_by_role("link", name=risk.title, exact=True)).to_be_visible()

    risk_list.get_by_role("link", name=risk.title, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(risk.title)
    expect(page.get_by_role("main")).to_contain_text(risk.description.strip()[:60])
    expect(page.get_by_role("heading", name=t("Actions"), exact=True)).to_be_visible()
    for title in actions:
        expect(page.get_by_role("article", name=title, exact=True)).to_be_visible()
    followed_up = page.get_by_role("article").filter(
        has=page.get_by_role("heading", name=t("Follow-ups"))
    )
    expect(followed_up.get_by_role("listitem").first).to_be_visible()
