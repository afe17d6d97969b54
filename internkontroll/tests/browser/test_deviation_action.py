"""A coordinator answers a deviation a control found with a new action, from the risk page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from playwright.sync_api import expect

from internkontroll.followups.models import FollowUp
from internkontroll.tests.browser.helpers import field, success_message, t

TITLE = "Påminnelse till attestanterna (webbläsartestet)"


def test_a_coordinator_creates_the_action_that_answers_a_deviation(page_as: Any) -> None:
    deviation = (
        FollowUp.objects.filter(
            result="deviation",
            answered_by=None,
            control_activity__risk__plan__unit__external_id="sn",
            # Last year's plan is closed once assessed: its deviations are answered no more.
            control_activity__risk__plan__closed_at=None,
        )
        .select_related("control_activity")
        .order_by("id")
        .first()
    )
    assert deviation is not None, "the demo data has changed"
    activity = deviation.control_activity
    page = page_as("samordnare")
    page.goto(reverse("risks:detail", args=[activity.risk_id]))

    card = page.get_by_role("article", name=activity.title)
    card.get_by_role("link", name=t("Create or link an action")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(t("Action for a deviation"))
    expect(page.get_by_role("main")).to_contain_text(deviation.comment[:40])
    field(page, t("Action that answers the deviation")).select_option(
        label=t("Create a new action")
    )
    field(page, t("title")).fill(TITLE)
    page.get_by_role("button", name=t("Save"), exact=True).click()

    expect(success_message(page)).to_contain_text(
        t("The action that answers the deviation was saved.")
    )
    expect(page.get_by_role("article", name=TITLE)).to_be_visible()
    card = page.get_by_role("article", name=activity.title)
    card.get_by_role("link", name=t("The action that answers the deviation")).first.click()
    expect(page.get_by_role("article", name=TITLE)).to_be_in_viewport()
