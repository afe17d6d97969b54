"""Keyboard users reach the content first: the skip link is the first stop and leads to main."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from internkontroll.tests.browser.helpers import log_in, t


def focused_element(page: Any) -> Any:
    return page.locator(":focus")


@pytest.mark.parametrize("path", ["/", "/risker/"])
def test_the_first_tab_stop_is_the_skip_link_and_it_moves_focus_to_main(
    page: Any, path: str
) -> None:
    log_in(page, "lasare")
    page.goto(path)

    page.keyboard.press("Tab")
    expect(focused_element(page)).to_have_text(t("Skip to content"))
    expect(focused_element(page)).to_be_in_viewport()  # it shows itself when focused
    page.keyboard.press("Enter")

    expect(focused_element(page)).to_have_attribute("id", "main")
    assert page.evaluate("document.activeElement.tagName") == "MAIN"


def test_after_the_skip_link_the_next_tab_stop_is_inside_main(page: Any) -> None:
    log_in(page, "ansvarig")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")

    assert page.evaluate("document.activeElement.closest('main') !== null")
    expect(focused_element(page)).to_be_visible()


def test_the_login_page_starts_in_the_login_form(page: Any) -> None:
    # Django's login form puts the focus on the username, already past the navigation.
    page.goto("/konto/logga-in/")

    expect(focused_element(page)).to_have_attribute("name", "username")
    assert page.evaluate("document.activeElement.closest('main') !== null")
