"""The report as Excel: a summary sheet, the matrix as a shaded range, a sheet per section."""

from __future__ import annotations

import datetime
import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from internkontroll.lib.spreadsheet import append_row
from internkontroll.reports.layout import Document, Table
from internkontroll.reports.matrix import MatrixPicture

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
THIN = Side(style="thin", color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
DATE_FORMAT = "yyyy-mm-dd"
MAX_WIDTH = 60
FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, taken: set[str]) -> str:
    """A unique sheet name within Excel's 31 characters and allowed letters."""
    base = FORBIDDEN.sub(" ", name).strip()[:31] or _("Sheet")
    title, number = base, 2
    while title.lower() in taken:
        suffix = f" {number}"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(title.lower())
    return title


def _summary(sheet: Worksheet, document: Document) -> None:
    append_row(sheet, [document.header.title])
    sheet["A1"].font = Font(bold=True, size=14)
    for name, value in document.meta:
        append_row(sheet, [name, value])
        sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.append([])
    for text in [*document.summary, document.empty_message]:
        if text:
            append_row(sheet, [text])
            sheet.cell(sheet.max_row, 1).alignment = Alignment(wrap_text=False)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 60


def _matrix(sheet: Worksheet, picture: MatrixPicture) -> None:
    append_row(sheet, [_("Probability")])
    sheet["A1"].font = BOLD
    for row, label in zip(picture.rows, reversed(picture.probability_labels), strict=True):
        append_row(sheet, [label, *(cell.count for cell in row)])
        index = sheet.max_row
        for column, square in enumerate(row, start=2):
            target = sheet.cell(index, column)
            target.fill = PatternFill("solid", fgColor=square.level.color.lstrip("#").upper())
            target.font = Font(bold=True, color=square.level.text_color.lstrip("#").upper())
            target.alignment = CENTRE
            target.border = Border(THIN, THIN, THIN, THIN)
        sheet.row_dimensions[index].height = 36
    append_row(sheet, ["", *picture.consequence_labels])
    append_row(sheet, ["", _("Consequence")])
    sheet.cell(sheet.max_row, 2).font = BOLD
    sheet.append([])
    append_row(sheet, [_("Level"), _("Colour")])
    for key in picture.legend:
        append_row(sheet, [key.name, key.abbreviation])
        cell = sheet.cell(sheet.max_row, 2)
        cell.fill = PatternFill("solid", fgColor=key.color.lstrip("#").upper())
        cell.font = Font(color=key.text_color.lstrip("#").upper())
    sheet.append([])
    append_row(sheet, [picture.description])
    sheet.column_dimensions["A"].width = 22
    for column in range(2, len(picture.consequence_labels) + 2):
        sheet.column_dimensions[get_column_letter(column)].width = 16


def _table(sheet: Worksheet, table: Table) -> None:
    append_row(sheet, table.columns)
    for cell in sheet[1]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
    for values in table.rows:
        append_row(sheet, values)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAP
            if isinstance(cell.value, datetime.date):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    if table.rows:
        sheet.auto_filter.ref = sheet.dimensions
    for index, name in enumerate(table.columns, start=1):
        width = table.widths[index - 1] if index <= len(table.widths) else len(name) + 2
        sheet.column_dimensions[get_column_letter(index)].width = min(width, MAX_WIDTH)


def render_xlsx(document: Document) -> bytes:
    workbook = Workbook()
    taken: set[str] = set()
    summary = workbook.active
    assert summary is not None  # noqa: S101 (a new workbook always has a sheet)
    summary.title = sheet_title(_("Summary"), taken)
    _summary(summary, document)
    if document.matrix and not document.empty_message:
        _matrix(workbook.create_sheet(sheet_title(_("Risk matrix"), taken)), document.matrix)
    if not document.empty_message:
        for table in document.sheets:
            _table(workbook.create_sheet(sheet_title(table.title, taken)), table)
    workbook.properties.title = document.header.title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
