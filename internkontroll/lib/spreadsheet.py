"""Cells a spreadsheet program shows as the text people wrote and never runs as a formula.

Also the workbook's properties and print set-up, the same for every workbook we write.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

# OWASP's formula triggers: text starting with one of them may be read as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# An ordinary document's margins (about 2 cm above and below, 1.5 cm at the sides), in inches.
MARGINS_INCHES = {
    "left": 0.6,
    "right": 0.6,
    "top": 0.8,
    "bottom": 0.8,
    "header": 0.3,
    "footer": 0.3,
}
# Excel allows 255 characters in each header and footer, codes included.
HEADER_FOOTER_LIMIT = 200


def neutralised(text: str) -> str:
    """The text with a leading quote if a spreadsheet could take it for a formula (CSV too)."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def safe_cell(value: Any) -> Any:
    """The value to write in a cell: text made safe to open, numbers and dates as they are."""
    if not isinstance(value, str):
        return value
    # Control characters are not allowed in the file format; they would stop the whole workbook.
    return neutralised(ILLEGAL_CHARACTERS_RE.sub("", value))


def append_row(sheet: Worksheet, values: Iterable[Any]) -> list[Cell]:
    """Append a row through `safe_cell`, its text always in string cells, never formulas.

    Returns the row's cells, for styling.
    """
    cells = [WriteOnlyCell(sheet, safe_cell(value)) for value in values]
    for cell in cells:
        # openpyxl guesses formulas ("=…") and error codes ("#N/A") from text.
        if isinstance(cell.value, str):
            cell.data_type = "s"
    sheet.append(cells)
    return cells


def new_workbook(*, author: str, title: str = "", language: str = "") -> Workbook:
    """An empty workbook whose properties name its author, never the library that wrote it."""
    workbook = Workbook()
    workbook.properties.creator = author
    workbook.properties.lastModifiedBy = author
    workbook.properties.title = title or None
    workbook.properties.language = language or None
    return workbook


def header_footer_text(text: str) -> str:
    """Text for a page header or footer: "&" escaped (it starts a code such as &P) and cut short."""
    return ILLEGAL_CHARACTERS_RE.sub("", text).replace("&", "&&")[:HEADER_FOOTER_LIMIT]


def set_up_printing(
    sheet: Worksheet, *, header: str = "", footer: str = "", title_rows: int = 0
) -> None:
    """A4 landscape, fitted to the page's width, with margins, a header and a footer.

    `header` is plain text (escaped here); `footer` may hold codes such as "&P (&N)" for the
    page number and the number of pages. The first `title_rows` rows repeat on every page.
    """
    setup = sheet.page_setup
    setup.paperSize = Worksheet.PAPERSIZE_A4
    setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins = PageMargins(**MARGINS_INCHES)
    if title_rows:
        sheet.print_title_rows = f"1:{title_rows}"
    page_header, page_footer = sheet.oddHeader, sheet.oddFooter
    assert page_header is not None and page_footer is not None  # noqa: S101 (always made)
    if header:
        page_header.center.text = header_footer_text(header)
    if footer:
        page_footer.right.text = footer
