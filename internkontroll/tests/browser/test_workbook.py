"""A coordinator downloads the plan as an Excel workbook, edits it offline, uploads it, reads
the preview of what will change and applies it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from internkontroll.tests.browser.helpers import log_in, sn_plan, success_message, t

NEW_RISK = "Leverantörsfakturor betalas två gånger (arbetsbokstest)"


def test_a_coordinator_uploads_an_edited_workbook_and_applies_it(page: Any, tmp_path: Path) -> None:
    plan = sn_plan()
    log_in(page, "samordnare")
    page.goto(f"/planer/{plan.pk}/")
    page.get_by_role("link", name=t("Upload a workbook")).click()

    with page.expect_download() as download:
        page.get_by_role("link", name=t("Download the plan as a workbook")).click()
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    risks = book[t("Risks")]
    rows = risks.max_row
    risks.append(["AB-1", None, NEW_RISK])
    edited = tmp_path / "plan.xlsx"
    book.save(edited)

    page.get_by_label(t("Workbook")).set_input_files(str(edited))
    page.get_by_role("button", name=t("Upload and preview")).click()

    heading = t("Preview of the workbook: %(unit)s %(year)s").split(":")[0]
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    summary = page.get_by_role("region", name=t("What the workbook changes"))
    expect(summary.get_by_role("row", name=t("Risks"))).to_contain_text(str(rows - 1))
    expect(page.get_by_text(f"AB-1 {NEW_RISK}")).to_be_visible()
    violations = [
        v for v in Axe().run(page).response["violations"] if v["impact"] in ("critical", "serious")
    ]
    assert not violations, violations

    page.get_by_role("button", name="Genomför 1 ändring").click()

    expect(success_message(page)).to_contain_text("1 rad sparades")
    assert plan.risks.filter(external_id="AB-1", title=NEW_RISK).exists()
