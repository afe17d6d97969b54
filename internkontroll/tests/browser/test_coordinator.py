"""A coordinator adds a risk to the plan, assesses it on the matrix, plans its handling and
records the committee's adoption of the plan."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import expect

from internkontroll.tests.browser.helpers import field, log_in, success_message, t

RISK = "Fakturor attesteras av samma person som beställt (webbläsartest)"
ACTION = "Inför dubbel attest i ekonomisystemet (webbläsartest)"
DEPARTMENT = "Avdelningen för individ- och familjeomsorg"  # where the demo's "ansvarig" works
ACTIVITY = "Stickprov på attesterade fakturor (webbläsartest)"


def pages_exist() -> bool:
    try:
        reverse("risks:create")
        for name in ("risks:action_create", "controls:create", "plans:detail", "plans:adopt"):
            reverse(name, args=[1])
    except NoReverseMatch:
        return False
    return True


pytestmark = pytest.mark.skipif(not pages_exist(), reason="waiting for the risk forms")


def test_a_coordinator_creates_assesses_and_plans_a_risk_and_records_adoption(page: Any) -> None:
    log_in(page, "samordnare")
    page.get_by_role("navigation").get_by_role("link", name=t("Risk picture")).click()
    page.get_by_role("link", name=t("New risk")).click()

    field(page, t("title")).fill(RISK)
    field(page, t("identified by")).select_option(label=DEPARTMENT)
    field(page, t("risk description")).fill("Samma person kan både beställa och attestera.")
    page.locator("label[for='cell-3-4']").click()  # the cell: probability 3, consequence 4
    expect(page.locator("#cell-3-4")).to_be_checked()
    page.get_by_label(t("mitigate with actions")).check()
    page.get_by_label(t("review in the internal control plan")).check()
    page.get_by_role("button", name=t("Save risk")).click()

    expect(success_message(page)).to_contain_text(t("The risk was saved."))
    expect(page.get_by_role("heading", level=1)).to_have_text(RISK)
    assessment = page.get_by_role("region", name=t("Assessment"))
    expect(assessment.locator("td.is-selected")).to_have_count(1)

    page.get_by_role("link", name=t("Add action")).click()
    field(page, t("title")).fill(ACTION)
    field(page, t("responsible")).fill("Ekonomichef")
    field(page, t("assigned to")).select_option(label="Erik Holm")
    field(page, t("due date")).fill(f"{timezone.localdate().year}-12-31")
    page.get_by_role("button", name=t("Save action")).click()

    expect(success_message(page)).to_contain_text(t("The action was saved."))
    expect(page.get_by_role("article", name=ACTION)).to_be_visible()

    page.get_by_role("link", name=t("Add control activity")).click()
    field(page, t("title")).fill(ACTIVITY)
    field(page, t("control activity")).fill("Controllern granskar 15 fakturor per tertial.")
    field(page, t("method")).select_option(label=t("sample"))
    field(page, t("responsible")).fill("Controller")
    field(page, t("frequency")).select_option(label=t("every reporting period"))
    page.get_by_label(re.compile(r"^T1\b")).check()
    page.get_by_role("button", name=t("Save control activity")).click()

    expect(success_message(page)).to_contain_text(t("The control activity was saved."))
    expect(page.get_by_role("article", name=ACTIVITY)).to_be_visible()

    page.get_by_role("navigation").get_by_role("link", name=t("Internal control plan")).click()
    expect(page.get_by_role("main")).to_contain_text(ACTIVITY)
    reference = f"SN-{timezone.localdate().year}/999"
    adopted_on = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_text(t("Change the adoption")).click()  # the demo's plan is adopted already
    field(page, t("Adopted on")).fill(adopted_on.isoformat())
    field(page, t("Reference")).fill(reference)
    page.get_by_role("button", name=t("Record the new adoption")).click()

    expect(success_message(page)).to_contain_text(t("The adoption of the plan was recorded."))
    adoption = page.get_by_role("region", name=t("Adoption"))
    expect(adoption).to_contain_text(reference)
    expect(adoption).to_contain_text(adopted_on.isoformat())
