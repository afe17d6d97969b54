"""A risk's history comes into its page as the reader scrolls to it, without a reload."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from playwright.sync_api import expect

from internkontroll.risks.models import Risk
from internkontroll.tests.browser.helpers import sn_plan, t


def test_the_history_loads_when_its_section_comes_into_view(page_as: Any) -> None:
    risk = Risk.objects.filter(plan=sn_plan(), actions__isnull=False).order_by("id").first()
    assert risk is not None, "the demo data has changed"
    url = reverse("risks:detail", args=[risk.pk])
    page = page_as("samordnare")
    page.set_viewport_size({"width": 1280, "height": 600})
    page.goto(url)
    section = page.locator("section", has=page.locator("#history-heading"))
    expect(section.get_by_role("link", name=t("Show the history"))).to_have_count(1)
    section.scroll_into_view_if_needed()
    # Every risk of the demo has at least its own creation recorded.
    expect(section.locator("ol.trail li").first).to_be_visible()
    expect(section.get_by_role("link", name=t("Show the history"))).to_have_count(0)
    assert page.url.endswith(url), page.url  # loaded in place, the address unchanged
