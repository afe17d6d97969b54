"""On a phone-sized screen no page is wider than the screen: wide tables scroll on their own."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from internkontroll.tests.browser.helpers import t

PHONE_WIDTH = 375


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("ansvarig", "/"),
        ("lasare", "/risker/"),
        ("lasare", "/planer/"),
        ("lasare", "/revision/"),
        ("lasare", "/organisation/"),
    ],
)
def test_the_page_fits_a_phone_screen(page_as: Any, persona: str, path: str) -> None:
    page = page_as(persona)
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 740})
    page.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_the_risk_form_with_its_matrix_fits_a_phone_screen(page_as: Any) -> None:
    page = page_as("samordnare")
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 740})
    page.goto("/risker/")
    page.get_by_role("link", name=t("New risk")).click()
    expect(page.locator("fieldset.matrix-picker")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
