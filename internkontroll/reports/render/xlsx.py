"""The report as Excel: a summary sheet, the matrix as a shaded range, a sheet per table.

Every sheet prints on A4 landscape, fitted to the page's width, with the committee in the
page header, "Sida 1 (3)" in the footer and a table's header row repeated on every page.
"""

from __future__ import annotations

import datetime
import io
import math
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from internkontroll.lib.spreadsheet import append_row, new_workbook, set_up_printing
from internkontroll.reports.document import Document, Table
from internkontroll.reports.matrix import MatrixPicture
from internkontroll.reports.widths import column_percentages

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
SUBTITLE = Font(bold=True, size=12)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
WHITE = Side(style="thin", color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
DATE_FORMAT = "yyyy-mm-dd"
FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

FONT_SIZE_PT = 11
# A4 landscape less the side margins, in mm; a table's columns share it by their weights.
TEXT_WIDTH_MM = 297 - 2 * 15.24
# One unit of Excel's column width: the width of a digit in Calibri 11, 7 pixels at 96 dpi.
MM_PER_CHARACTER = 7 * 25.4 / 96
# A wide table gets this much room per column on screen; printing scales it to the page.
READABLE_COLUMN = 14
MIN_WIDTH = 8
MAX_WIDTH = 60
# Row heights are not fitted by Excel for merged cells: estimated from the text instead.
LINE_HEIGHT_PT = 15
# Running text has narrower letters than the digit a width unit is measured in.
LETTERS_PER_CHARACTER = 1.1
LABEL_WIDTH = 30
TEXT_WIDTH = 100


def sheet_title(name: str, taken: set[str]) -> str:
    """A unique sheet name within Excel's 31 characters and allowed letters."""
    base = FORBIDDEN.sub(" ", name).strip()[:31] or _("Sheet")
    title, number = base, 2
    while title.lower() in taken:
        suffix = f" {number}"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(title.lower())
    return title


def lines(text: str, width: float, size: float = FONT_SIZE_PT) -> int:
    """How many lines `text` in font `size` takes wrapped in a column `width` characters wide."""
    per_line = max(1, int(width * LETTERS_PER_CHARACTER * FONT_SIZE_PT / size))
    return sum(max(1, math.ceil(len(line) / per_line)) for line in text.split("\n"))


def _text_row(sheet: Worksheet, text: str, *, font: Font | None = None) -> None:
    """A paragraph across both columns of the summary, wrapped, as high as its lines."""
    cell = append_row(sheet, [text])[0]
    row = cell.row
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    cell.alignment = WRAP
    if font:
        cell.font = font
    size = font.sz if font and font.sz else FONT_SIZE_PT
    height = lines(text, LABEL_WIDTH + TEXT_WIDTH, size) * LINE_HEIGHT_PT * size / FONT_SIZE_PT
    sheet.row_dimensions[row].height = height


def _field_row(sheet: Worksheet, label: str, value: str) -> None:
    label_cell, value_cell = append_row(sheet, [label, value])
    label_cell.font = BOLD
    label_cell.alignment = value_cell.alignment = WRAP
    height = max(lines(label, LABEL_WIDTH), lines(value, TEXT_WIDTH))
    if height > 1:
        sheet.row_dimensions[label_cell.row].height = height * LINE_HEIGHT_PT


def _summary(sheet: Worksheet, document: Document) -> None:
    sheet.column_dimensions["A"].width = LABEL_WIDTH
    sheet.column_dimensions["B"].width = TEXT_WIDTH
    _text_row(sheet, document.title, font=TITLE)
    if document.subtitle:
        _text_row(sheet, document.subtitle, font=SUBTITLE)
    sheet.append([])
    for label, value in [*document.meta, *document.key_fields]:
        _field_row(sheet, label, value)
    texts = [text for text in [*document.summary, document.empty_message] if text]
    if texts:
        sheet.append([])
        append_row(sheet, [_("Summary")])[0].font = SUBTITLE
        for text in texts:
            _text_row(sheet, text)


def _shade(target: Cell, color: str, text_color: str) -> None:
    target.fill = PatternFill("solid", fgColor=color.lstrip("#").upper())
    target.font = Font(bold=True, color=text_color.lstrip("#").upper())
    target.alignment = CENTRE
    target.border = Border(WHITE, WHITE, WHITE, WHITE)


def _matrix(sheet: Worksheet, picture: MatrixPicture) -> None:
    """The matrix as on paper: each square holds its count and its level's full name."""
    columns = len(picture.consequence_labels)
    append_row(sheet, [_("Probability")])[0].font = BOLD
    for squares, label in zip(picture.rows, reversed(picture.probability_labels), strict=True):
        texts = [f"{square.count}\n{square.level.name}" for square in squares]
        label_cell, *cells = append_row(sheet, [label, *texts])
        label_cell.alignment = WRAP
        for cell, square in zip(cells, squares, strict=True):
            _shade(cell, square.level.color, square.level.text_color)
        sheet.row_dimensions[label_cell.row].height = 2.5 * LINE_HEIGHT_PT
    for cell in append_row(sheet, ["", *picture.consequence_labels])[1:]:
        cell.alignment = CENTRE
    append_row(sheet, ["", _("Consequence")])[1].font = BOLD
    sheet.append([])
    append_row(sheet, [_("Level")])[0].font = BOLD
    for key in picture.legend:
        _shade(append_row(sheet, [key.name])[0], key.color, key.text_color)
    sheet.append([])
    description = append_row(sheet, [picture.description])[0]
    row = description.row
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns + 1)
    description.alignment = WRAP
    width = 22 + 18 * columns
    sheet.row_dimensions[row].height = lines(picture.description, width) * LINE_HEIGHT_PT
    sheet.column_dimensions["A"].width = 22
    for column in range(2, columns + 2):
        sheet.column_dimensions[get_column_letter(column)].width = 18


def column_widths(table: Table) -> list[float]:
    """Widths in Excel's characters: the table's weights over a landscape page (wider for many
    columns), no header word broken and no date or number cut, within MIN_WIDTH and MAX_WIDTH."""
    keep_whole: list[list[str]] = [
        sorted(
            {str(row[index]) for row in table.rows if isinstance(row[index], int | datetime.date)}
        )
        if all(len(row) > index for row in table.rows)
        else []
        for index in range(len(table.columns))
    ]
    width_mm = max(TEXT_WIDTH_MM, READABLE_COLUMN * len(table.columns) * MM_PER_CHARACTER)
    shares = column_percentages(
        table.columns, table.widths, width_mm, FONT_SIZE_PT, keep_whole=keep_whole
    )
    return [
        min(MAX_WIDTH, max(MIN_WIDTH, round(share * width_mm / 100 / MM_PER_CHARACTER, 1)))
        for share in shares
    ]


@dataclass(frozen=True)
class BodyStyles:
    """The names of the workbook's styles for table cells: wrapped text, and dates."""

    text: str
    date: str


def _table(sheet: Worksheet, table: Table, styles: BodyStyles) -> None:
    for cell in append_row(sheet, table.columns):
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
    # Named styles: one lookup per cell instead of registering a new style for each.
    for values in table.rows:
        for cell in append_row(sheet, values):
            cell.style = styles.date if isinstance(cell.value, datetime.date) else styles.text
    sheet.freeze_panes = "A2"
    if table.rows:
        sheet.auto_filter.ref = sheet.dimensions
    for index, width in enumerate(column_widths(table), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def workbook(document: Document) -> Workbook:
    book = new_workbook(author=document.author, title=document.title, language=document.language)
    styles = BodyStyles(text=_("Table text"), date=_("Table date"))
    book.add_named_style(NamedStyle(styles.text, alignment=WRAP))
    book.add_named_style(NamedStyle(styles.date, alignment=WRAP, number_format=DATE_FORMAT))
    taken: set[str] = set()
    summary = book.active
    assert summary is not None  # noqa: S101 (a new workbook always has a sheet)
    summary.title = sheet_title(_("Summary"), taken)
    _summary(summary, document)
    if document.matrix:
        _matrix(book.create_sheet(sheet_title(_("Risk matrix"), taken)), document.matrix)
    tables = [book.create_sheet(sheet_title(table.title, taken)) for table in document.sheets]
    for sheet, table in zip(tables, document.sheets, strict=True):
        _table(sheet, table, styles)
    # Excel's page codes: &P is the page number, &N the number of pages.
    footer = _("Page &P (&N)")
    for sheet in book.worksheets:
        set_up_printing(
            sheet,
            header=document.running_head,
            footer=footer,
            title_rows=1 if sheet in tables else 0,
        )
    return book


def render_xlsx(document: Document) -> bytes:
    buffer = io.BytesIO()
    workbook(document).save(buffer)
    return buffer.getvalue()
