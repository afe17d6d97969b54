"""Cells a spreadsheet program shows as the text people wrote and never runs as a formula."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

# OWASP's formula triggers: text starting with one of them may be read as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    """The text with a leading quote if a spreadsheet could take it for a formula (CSV too)."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def safe_cell(value: Any) -> Any:
    """The value to write in a cell: text made safe to open, numbers and dates as they are."""
    if not isinstance(value, str):
        return value
    # Control characters are not allowed in the file format; they would stop the whole workbook.
    return neutralised(ILLEGAL_CHARACTERS_RE.sub("", value))


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Append a row through `safe_cell`, its text always in string cells, never formulas."""
    row = [safe_cell(value) for value in values]
    sheet.append(row)
    if row:
        for cell in next(sheet.iter_rows(min_row=sheet.max_row, max_col=len(row))):
            # openpyxl guesses formulas ("=…") and error codes ("#N/A") from text.
            if isinstance(cell.value, str):
                cell.data_type = "s"
