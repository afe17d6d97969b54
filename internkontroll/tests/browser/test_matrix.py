"""The risk matrix by keyboard, its cell filter in the address, and the matrix settings' preview."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from internkontroll.tests.browser.helpers import sn_plan, success_message, t


def focused(page: Any) -> Any:
    return page.locator(":focus")


def test_arrow_keys_move_the_chosen_cell_in_two_dimensions_on_the_risk_form(
    page_as: Any,
) -> None:
    page = page_as("samordnare")
    page.goto(f"/risker/ny/?plan={sn_plan().pk}")
    page.locator("label[for='cell-2-2']").click()
    expect(page.locator("#cell-2-2")).to_be_checked()
    page.locator("#cell-2-2").focus()

    # Rows run from the most probable down: up raises the probability.
    for key, cell in (
        ("ArrowUp", "3-2"),
        ("ArrowRight", "3-3"),
        ("ArrowDown", "2-3"),
        ("ArrowLeft", "2-2"),
        ("ArrowLeft", "2-1"),
        ("ArrowLeft", "2-1"),  # the edge: the choice stays
    ):
        page.keyboard.press(key)
        expect(page.locator(f"#cell-{cell}")).to_be_checked()
        expect(focused(page)).to_have_attribute("id", f"cell-{cell}")
    expect(page.locator("input[name=cell]:checked")).to_have_count(1)


def test_arrow_keys_move_between_the_cells_that_hold_risks_and_the_cell_stays_in_the_address(
    page_as: Any,
) -> None:
    page = page_as("lasare")
    page.goto(f"/risker/?unit={sn_plan().unit_id}&year={sn_plan().year}")
    cells = [
        tuple(int(n) for n in re.search(r"cell=(\d)-(\d)", href).groups())  # type: ignore[union-attr]
        for href in page.locator("table.matrix a").evaluate_all("els => els.map(a => a.href)")
    ]
    # A linked cell with another linked cell lower in its column: down goes to the nearest.
    start, below = next(
        ((p, c), max(q for q, d in cells if d == c and q < p))
        for p, c in cells
        if any(d == c and q < p for q, d in cells)
    )
    page.locator(f"table.matrix a[href*='cell={start[0]}-{start[1]}']").focus()
    page.keyboard.press("ArrowDown")
    expect(focused(page)).to_have_attribute("href", re.compile(f"cell={below}-{start[1]}"))

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"cell={below}-{start[1]}"))
    expect(page.locator('table.matrix a[aria-current="true"]')).to_have_count(1)

    # Another filter keeps the chosen cell, in the list and in the address.
    page.locator("#risk-filters select[name=sort]").select_option("title")
    expect(page).to_have_url(re.compile("sort=title"))
    expect(page).to_have_url(re.compile(f"cell={below}-{start[1]}"))
    expect(page.locator('table.matrix a[aria-current="true"]')).to_have_count(1)

    page.go_back()
    expect(page).not_to_have_url(re.compile("sort=title"))
    expect(page.locator("#risk-filters select[name=sort]")).to_have_value("")
    page.reload()
    expect(page.locator('table.matrix a[aria-current="true"]')).to_have_count(1)


def test_the_search_comes_back_with_its_words_after_going_back(page_as: Any) -> None:
    page = page_as("lasare")
    page.goto("/sok/")
    page.get_by_role("searchbox").fill("familjehem")
    expect(page).to_have_url(re.compile("q=familjehem"))
    page.get_by_role("searchbox").fill("utbetalningar")
    expect(page).to_have_url(re.compile("q=utbetalningar"))

    page.go_back()

    expect(page).to_have_url(re.compile("q=familjehem"))
    expect(page.get_by_role("searchbox")).to_have_value("familjehem")


def test_the_matrix_form_previews_each_change_and_saves_a_new_matrix(page_as: Any) -> None:
    page = page_as("admin")
    page.goto("/organisation/installningar/")
    page.get_by_role("link", name=t("Change the risk matrix")).click()
    preview = page.locator(".matrix-editor__preview svg")
    expect(preview).to_be_visible()

    page.locator("#id_probability_size").focus()
    page.locator("#id_probability_size").select_option("5")
    expect(page.locator("#id_probability_5")).to_have_value(t("Step %(number)s") % {"number": 5})
    expect(focused(page)).to_have_attribute("id", "id_probability_size")  # kept across the swap
    expect(preview.locator("desc")).to_contain_text(t("Step %(number)s") % {"number": 5})

    page.locator("#id_use_cells").check()
    expect(page.locator("#id_cell_5_4")).to_be_visible()
    page.locator("#id_cell_5_4").select_option(index=0)
    expect(preview.locator("desc")).to_contain_text(re.compile(r"× \S+: 20 \(Låg\)"))

    page.locator("#id_level_4_color").fill("#8e0000")
    expect(preview.locator("rect[fill='#8e0000']").first).to_be_attached()

    page.locator("#id_level_2_min_score").fill("1")
    page.locator("#id_level_2_min_score").blur()
    expect(page.locator("#matrix-preview svg")).to_have_count(0)
    expect(page.locator("#matrix-preview")).to_contain_text(
        t("The preview appears when the fields are filled in correctly.")
    )
    page.locator("#id_level_2_min_score").fill("4")
    page.locator("#id_level_2_min_score").blur()
    expect(preview).to_be_visible()

    page.locator("#id_probability_size").select_option("4")
    expect(page.locator("#id_probability_5")).to_have_count(0)
    page.locator("#id_use_cells").uncheck()
    expect(page.locator("#id_cell_4_4")).to_have_count(0)
    expect(page.locator("#id_level_4_color")).to_have_value("#8e0000")  # kept through both

    page.get_by_role("button", name=t("Save the risk matrix")).click()

    expect(success_message(page)).to_contain_text(
        t(
            "The risk matrix is saved as a new matrix. New plans get it; the plans made before "
            "keep the matrix they were made with."
        )
    )
    settings_matrix = page.locator("#risk-matrix svg")
    expect(settings_matrix.locator("rect[fill='#8e0000']").first).to_be_attached()
