"""A committee's year as an Excel workbook to edit offline (the layout is in docs/workbook.md)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from internkontroll.lib.spreadsheet import append_row, new_workbook, safe_cell, set_up_printing
from internkontroll.plans.models import ControlPlan
from internkontroll.workbooks import current
from internkontroll.workbooks.layout import (
    ACTIONS,
    CONTROL_ACTIVITIES,
    FOLLOW_UPS,
    MAX_ROWS,
    RISKS,
    SHEETS,
    Sheet,
    Vocabulary,
    cell_value,
    vocabulary,
)

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
DATE_FORMAT = "yyyy-mm-dd"
# The lists the drop-downs take their values from, one column each, on a hidden sheet.
LISTS = (
    "units",
    "areas",
    "processes",
    "goals",
    "probability",
    "consequence",
    "yes_no",
    "progress",
    "methods",
    "frequencies",
    "results",
    "periods",
    "people",
    "recommendations",
)


def lists_title() -> str:
    return gettext("Lists")


def about_title() -> str:
    return gettext("About the workbook")


def committee_label() -> str:
    return gettext("Committee")


def year_label() -> str:
    return gettext("Year")


def workbook_bytes(
    plan: ControlPlan, *, author: str, empty: bool = False, user: Any = None
) -> bytes:
    """The plan's risks, actions, control activities and follow-ups; or, `empty`, a template
    with the plan's lists and no rows, for a new plan. The audit recommendations are those the
    risk form offers `user`."""
    buffer = io.BytesIO()
    build(plan, author=author, empty=empty, user=user).save(buffer)
    return buffer.getvalue()


def build(plan: ControlPlan, *, author: str, empty: bool = False, user: Any = None) -> Workbook:
    words = vocabulary(plan, user=user)
    title = gettext("Internal control plan %(committee)s %(year)s") % {
        "committee": plan.unit.name,
        "year": plan.year,
    }
    book = new_workbook(author=author, title=safe_cell(title), language="sv")
    about = book.active
    assert about is not None  # noqa: S101 (a new workbook always has a sheet)
    about.title = about_title()
    _about(about, plan, title, empty)
    found = current.Stored() if empty else current.stored(plan)
    rows: dict[str, Iterable[dict[str, Any]]] = {
        RISKS.key: (
            current.risk_values(risk, words.labels["recommendations"])
            for risk in found.risks.values()
        ),
        ACTIONS.key: (current.action_values(action) for action in found.actions.values()),
        CONTROL_ACTIVITIES.key: (
            current.activity_values(activity) for activity in found.activities.values()
        ),
        FOLLOW_UPS.key: (current.follow_up_values(item) for item in found.follow_ups.values()),
    }
    lists = book.create_sheet(lists_title())
    ranges = _lists(lists, words)
    for sheet in SHEETS:
        worksheet = book.create_sheet(str(sheet.title))
        _table(worksheet, sheet, rows[sheet.key], words, ranges)
    book.move_sheet(lists, offset=len(SHEETS))
    lists.sheet_state = "hidden"
    footer = gettext("Page &P (&N)")
    for worksheet in book.worksheets:
        set_up_printing(
            worksheet,
            header=title,
            footer=footer,
            title_rows=1 if worksheet not in (about, lists) else 0,
        )
    return book


def _about(sheet: Worksheet, plan: ControlPlan, title: str, empty: bool) -> None:
    append_row(sheet, [title])[0].font = TITLE
    sheet.append([])
    # The committee and year tell the upload which plan the workbook was made for.
    for label, value in (
        (committee_label(), "" if empty else plan.unit.name),
        (year_label(), "" if empty else plan.year),
    ):
        append_row(sheet, [label, value])[0].font = BOLD
    sheet.append([])
    for text in instructions():
        cell = append_row(sheet, [text])[0]
        cell.alignment = WRAP
    sheet.column_dimensions["A"].width = 100
    sheet.column_dimensions["B"].width = 30


def instructions() -> list[str]:
    return [
        gettext(
            "Edit the rows on the sheets Risks, Actions, Control activities and Follow-ups, or "
            "add new rows, and upload the workbook on the plan's page. Before anything is "
            "saved you see what will change."
        ),
        gettext(
            "The identifier ties a row to what is stored: keep it on rows you change. Leave it "
            "empty on a new row to get one, or write your own, such as R12; actions, control "
            "activities and follow-ups name their risk by its identifier."
        ),
        gettext(
            "Rows you delete are not deleted in the application. Follow-ups already recorded "
            "cannot be changed: add a new row instead."
        ),
        gettext(
            "Choose from the lists where a cell has one. Formulas, merged cells and macros are "
            "refused."
        ),
    ]


def _lists(sheet: Worksheet, words: Vocabulary) -> dict[str, str]:
    """Write every list in a column of its own; the range of each, for the drop-downs."""
    ranges: dict[str, str] = {}
    for index, name in enumerate(LISTS, start=1):
        letter = get_column_letter(index)
        labels = list(words.labels[name].values())
        for row, label in enumerate(labels, start=1):
            cell = sheet.cell(row=row, column=index, value=safe_cell(label))
            cell.data_type = "s"
        last = max(1, len(labels))
        ranges[name] = f"{quote_sheetname(sheet.title)}!${letter}$1:${letter}${last}"
    return ranges


def _table(
    worksheet: Worksheet,
    sheet: Sheet,
    rows: Iterable[dict[str, Any]],
    words: Vocabulary,
    ranges: dict[str, str],
) -> None:
    for cell in append_row(worksheet, [str(column.header) for column in sheet.columns]):
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
    for values in rows:
        cells = append_row(
            worksheet, [cell_value(column, values[column.key], words) for column in sheet.columns]
        )
        for cell, column in zip(cells, sheet.columns, strict=True):
            cell.alignment = WRAP
            if column.kind == "date":
                cell.number_format = DATE_FORMAT
    worksheet.freeze_panes = "B2"
    for index, column in enumerate(sheet.columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = column.width
    for column in sheet.columns:
        _drop_down(worksheet, sheet, column.key, column.choices, column.strict, ranges)


def _drop_down(
    worksheet: Worksheet,
    sheet: Sheet,
    key: str,
    choices: str,
    strict: bool,
    ranges: dict[str, str],
) -> None:
    if not choices:
        return
    several = sheet.column(key).kind == "codes"
    if choices == "risks":
        letter = RISKS.letter("id")
        source = f"{quote_sheetname(str(RISKS.title))}!${letter}$2:${letter}${MAX_ROWS}"
    else:
        source = ranges[choices]
    message: Callable[[], str] = (
        (lambda: gettext("Choose from the list; write several separated by commas."))
        if several
        else (lambda: gettext("Choose a value from the list."))
        if strict
        else (lambda: gettext("Choose from the list, or write a new name."))
    )
    # A list takes one value: a cell of several is let through here and checked on upload.
    strict = strict and not several
    validation = DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if strict else "information",
        errorTitle=gettext("Not in the list"),
        error=message(),
    )
    letter = sheet.letter(key)
    validation.add(f"{letter}2:{letter}{MAX_ROWS}")
    worksheet.add_data_validation(validation)
