"""A coordinator rolls the committee over to next year, adopts the new plan and follows a
carried risk back to last year's version."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import expect

from internkontroll.plans.models import ControlPlan
from internkontroll.plans.rollover import next_plan
from internkontroll.risks.models import Risk
from internkontroll.tests.browser.helpers import field, sn_plan, success_message, t


def pages_exist() -> bool:
    try:
        reverse("plans:rollover", args=[1])
    except NoReverseMatch:
        return False
    return True


pytestmark = pytest.mark.skipif(not pages_exist(), reason="waiting for the rollover")


@pytest.fixture
def this_years_plan() -> Iterator[ControlPlan]:
    """Socialnämnden's plan for this year; on PostgreSQL the server commits, so next year's plan
    is removed again afterwards for the journeys that follow."""
    plan = sn_plan()
    yield plan
    following = ControlPlan.objects.filter(unit=plan.unit, year=plan.year + 1).first()
    if following is not None:
        following.versions.all().delete()
        Risk.objects.filter(plan=following).delete()
        following.delete()


def test_a_coordinator_rolls_over_adopts_and_sees_last_years_links(
    page_as: Any, this_years_plan: ControlPlan
) -> None:
    plan = this_years_plan
    next_year = plan.year + 1
    risks = list(plan.risks.order_by("id"))
    closed, carried = risks[0], risks[1]
    page = page_as("samordnare")
    drafted = next_plan(plan)
    if drafted is not None:
        # From October the demo has rolled the plan over already: the coordinator undoes it.
        drafted_risks = drafted.risks.count()
        page.goto(reverse("plans:rollover", args=[plan.pk]))
        page.get_by_role("button", name=t("Undo the rollover")).click()
        expect(success_message(page)).to_contain_text(
            t("The rollover to %(year)s was undone: %(risks)s carried risks removed.")
            % {"year": next_year, "risks": drafted_risks}
        )
    page.goto(reverse("plans:detail", args=[plan.pk]))

    page.get_by_role(
        "link", name=t("Make next year's plan (%(year)s)") % {"year": next_year}
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(next_year))
    page.get_by_label(t("Decision for %(risk)s") % {"risk": closed.title}).select_option(
        label=t("close the risk")
    )
    page.get_by_label(t("Reason for %(risk)s") % {"risk": closed.title}).fill(
        "Risken hanteras i det nya verksamhetssystemet (webbläsartest)."
    )
    page.get_by_role("button", name=t("Make the plan for %(year)s") % {"year": next_year}).click()

    expect(success_message(page)).to_contain_text(
        t(
            "Rollover to %(year)s: %(carried)s risks carried over, %(closed)s closed, "
            "%(merged)s merged, %(left)s left to decide later."
        )
        % {"year": next_year, "carried": len(risks) - 1, "closed": 1, "merged": 0, "left": 0}
    )
    adoption = page.get_by_role("region", name=t("Adoption"))
    expect(adoption).to_contain_text(t("draft").capitalize())

    reference = f"SN-{timezone.localdate().year}/4711"
    field(page, t("Adopted on")).fill(timezone.localdate().isoformat())
    field(page, t("Reference")).fill(reference)
    page.get_by_role("button", name=t("Record adoption")).click()
    expect(success_message(page)).to_contain_text(t("The adoption of the plan was recorded."))
    expect(adoption).to_contain_text(t("adopted").capitalize())
    expect(adoption).to_contain_text(reference)

    page.get_by_role("link", name=t("Risk picture"), exact=True).first.click()
    page.get_by_role("link", name=carried.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(carried.title)
    about = page.get_by_role("region", name=t("About the risk"))
    expect(about).to_contain_text(t("carried over"))
    about.get_by_role("link", name=t("The risk in %(year)s") % {"year": plan.year}).click()

    expect(page).to_have_url(reverse("risks:detail", args=[carried.pk]))
    about = page.get_by_role("region", name=t("About the risk"))
    expect(
        about.get_by_role("link", name=t("Carried over to %(year)s") % {"year": next_year})
    ).to_be_visible()
    page.goto(reverse("risks:detail", args=[closed.pk]))
    expect(page.get_by_role("region", name=t("About the risk"))).to_contain_text(
        "Risken hanteras i det nya verksamhetssystemet (webbläsartest)."
    )
