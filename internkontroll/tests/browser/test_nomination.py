"""A responsible person below the committee proposes a risk for the committee's risk picture;
the coordinator accepts it into the plan; the proposer sees the decision and the new risk."""

from __future__ import annotations

import re
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from internkontroll.tests.browser.helpers import field, sn_plan, success_message, t
from internkontroll.tests.browser.test_accessibility import blocking_violations, describe

RISK = "Hot mot personal vid hembesök (webbläsartest)"
UNIT = "Vuxenenheten"  # below the demo's "ansvarig" department
COMMENT = "Tas med i samlad riskbild (webbläsartest)."


def status(label: str) -> str:
    with translation.override("sv"):
        return str(capfirst(translation.pgettext("nomination", label)))


def queue_link() -> str:
    """The start of the plan page's link to the proposals awaiting the coordinator."""
    with translation.override("sv"):
        one = translation.ngettext(
            "Proposals for the risk picture: %(counter)s awaits your decision",
            "Proposals for the risk picture: %(counter)s await your decision",
            1,
        )
    return one.split("%(counter)s")[0]


def test_a_unit_proposes_a_risk_the_coordinator_accepts_it_and_the_unit_sees_it(
    page_as: Any,
) -> None:
    plan = sn_plan()
    proposer = page_as("ansvarig")
    proposer.goto(f"/planer/{plan.pk}/")
    proposer.get_by_role("link", name=t("Propose a risk for the plan")).click()

    field(proposer, t("proposing unit")).select_option(label=UNIT)
    field(proposer, t("title")).fill(RISK)
    field(proposer, t("risk description")).fill("Handläggare gör hembesök ensamma.")
    field(proposer, t("Assessment")).select_option(index=6)
    field(proposer, t("why the committee should include it")).fill("Tre incidenter i år.")
    proposer.get_by_role("button", name=t("Send the proposal")).click()

    expect(success_message(proposer)).to_contain_text(
        t("Your proposal was sent to the committee's coordinators.")
    )
    expect(proposer.get_by_role("heading", level=1)).to_have_text(RISK)
    expect(proposer.locator(".page-header .badge")).to_have_text(status("awaiting decision"))

    coordinator = page_as("samordnare")
    coordinator.goto(f"/planer/{plan.pk}/")
    coordinator.get_by_role("link", name=re.compile("^" + re.escape(queue_link()))).click()
    coordinator.get_by_role("link", name=RISK).click()
    violations = blocking_violations(Axe().run(coordinator))
    assert not violations, describe(violations)
    field(coordinator, t("Comment to the unit")).fill(COMMENT)
    coordinator.get_by_role("button", name=t("Accept and add the risk")).click()
    expect(success_message(coordinator)).to_contain_text(
        t("The proposal was accepted and the risk added to the plan.")
    )

    proposer.goto("/forslag/")
    row = proposer.get_by_role("row").filter(has_text=RISK)
    expect(row).to_contain_text(status("accepted"))
    expect(row).to_contain_text(COMMENT)
    row.get_by_role("link", name=re.compile("^" + re.escape(t("The risk in the plan")))).click()
    expect(proposer.get_by_role("heading", level=1)).to_have_text(RISK)
    expect(proposer.get_by_text(UNIT).first).to_be_visible()
