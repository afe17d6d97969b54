"""Reading an uploaded workbook: refused whole when it is not a plain workbook of ours, else
its rows as values with every problem named by sheet, row and column.

The file is checked before openpyxl reads it: its real size unpacked (zip bombs), no macros,
no document type declarations (XML entity bombs) and no merged cells. openpyxl then reads it
in read-only mode, row by row, so memory stays bounded.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from internkontroll.followups.evidence import MACRO_MARKERS
from internkontroll.workbooks.layout import (
    MAX_ROWS,
    SHEETS,
    CellProblem,
    Sheet,
    Vocabulary,
    read_cell,
    text_of,
)
from internkontroll.workbooks.writer import about_title, committee_label, year_label

# Largest file accepted; a large committee's year is well under 2 MB.
MAX_BYTES = 10 * 1024 * 1024
# What the file may unpack to, all parts together, and how many parts it may have.
MAX_UNPACKED = 100 * 1024 * 1024
MAX_PARTS = 1000
# Rows read from a sheet, empty ones included, before it is refused as too long.
MAX_READ_ROWS = 10 * MAX_ROWS
CHUNK = 64 * 1024
DECLARATIONS = (b"<!doctype", b"<!entity")
MERGED = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([^"]*)"')


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: a sheet, a row and a column, or the whole file."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""  # the column's letter and header, as "C (Rubrik)"

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                gettext("sheet %(sheet)s") % {"sheet": self.sheet} if self.sheet else "",
                gettext("row %(row)s") % {"row": self.row} if self.row else "",
                gettext("column %(column)s") % {"column": self.column} if self.column else "",
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message


class Refused(Exception):
    """The workbook cannot be read at all; nothing is written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, Any]


@dataclass
class Contents:
    committee: str = ""
    year: str = ""
    rows: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _refuse(message: str) -> Refused:
    return Refused([Problem(message)])


def _unreadable() -> Refused:
    return _refuse(
        gettext(
            "The file cannot be read as an Excel workbook (.xlsx); it may be damaged or of "
            "another type. Save it in Excel as “Excel Workbook (.xlsx)” and upload it again."
        )
    )


def inspect_package(file: IO[bytes]) -> dict[str, list[str]]:
    """Check the package part by part; the merged ranges of each worksheet part.

    Reads every part to its end, counting what it really unpacks to, since a zip's own
    sizes may lie.
    """
    merged: dict[str, list[str]] = {}
    try:
        with zipfile.ZipFile(file) as package:
            parts = package.infolist()
            if len(parts) > MAX_PARTS:
                raise _unreadable()
            names = {info.filename.lower() for info in parts}
            if "xl/workbook.xml" not in names or "[content_types].xml" not in names:
                raise _unreadable()
            if any(marker in name for name in names for marker in MACRO_MARKERS):
                raise _macros()
            total = 0
            for info in parts:
                total = _scan(package, info, total, merged)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, EOFError):
        raise _unreadable() from None
    except (OSError, ValueError, RuntimeError):
        raise _unreadable() from None
    finally:
        file.seek(0)
    return merged


def _scan(
    package: zipfile.ZipFile, info: zipfile.ZipInfo, total: int, merged: dict[str, list[str]]
) -> int:
    name = info.filename.lower()
    xml = name.endswith((".xml", ".rels"))
    worksheet = name.startswith("xl/worksheets/")
    tail = b""
    with package.open(info) as part:
        while chunk := part.read(CHUNK):
            total += len(chunk)
            if total > MAX_UNPACKED:
                raise _refuse(
                    gettext(
                        "The workbook unpacks to more than %(max)s MB. It is refused, as a "
                        "workbook made to exhaust the server would be."
                    )
                    % {"max": MAX_UNPACKED // (1024 * 1024)}
                )
            if not xml:
                continue
            window = tail + chunk
            lowered = window.lower()
            if any(declaration in lowered for declaration in DECLARATIONS):
                raise _unreadable()
            if name == "[content_types].xml" and b"macroenabled" in lowered:
                raise _macros()
            if worksheet:
                for found in MERGED.finditer(window):
                    reference = found.group(1).decode("ascii", "replace")
                    if found.start() >= len(tail) or reference not in merged.get(name, []):
                        merged.setdefault(name, []).append(reference)
            tail = window[-256:]
    return total


def _macros() -> Refused:
    return _refuse(
        gettext(
            "The workbook contains macros or is of a type that can hold them (.xlsm). Save it "
            "as “Excel Workbook (.xlsx)” and upload it again."
        )
    )


def read_workbook(file: IO[bytes], words: Vocabulary) -> Contents:
    """The workbook's rows as values, with every problem in them; Refused if it is not one."""
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    if size > MAX_BYTES:
        raise _refuse(
            gettext("The file is %(size)s MB; the largest workbook accepted is %(max)s MB.")
            % {"size": _megabytes(size), "max": _megabytes(MAX_BYTES)}
        )
    merged = inspect_package(file)
    try:
        book = load_workbook(file, read_only=True, data_only=False, keep_links=False)
    except Refused:
        raise
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise _unreadable() from None
    try:
        return _contents(book, words, merged)
    finally:
        book.close()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def _contents(book: Any, words: Vocabulary, merged: dict[str, list[str]]) -> Contents:
    by_title = {worksheet.title.casefold(): worksheet for worksheet in book.worksheets}
    problems = [
        Problem(
            gettext(
                "The sheet has merged cells (%(ranges)s). Unmerge them and upload again: "
                "every value needs a cell of its own."
            )
            % {"ranges": ", ".join(ranges[:5])},
            sheet=worksheet.title,
        )
        for worksheet in book.worksheets
        for ranges in [merged.get(getattr(worksheet, "_worksheet_path", "").lower(), [])]
        if ranges
    ]
    if problems:
        raise Refused(problems)
    contents = Contents()
    about = by_title.get(about_title().casefold())
    if about is not None:
        for row in about.iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
            label = text_of(row[0]).strip().casefold() if row else ""
            if label == committee_label().casefold():
                contents.committee = text_of(row[1]).strip()
            elif label == year_label().casefold():
                contents.year = text_of(row[1]).strip()
    for sheet in SHEETS:
        worksheet = by_title.get(str(sheet.title).casefold())
        if worksheet is None:
            contents.problems.append(
                Problem(
                    gettext(
                        "The sheet %(sheet)s is missing. Keep the workbook's sheets as they were "
                        "downloaded; a sheet may be left without rows."
                    )
                    % {"sheet": sheet.title}
                )
            )
            contents.rows[sheet.key] = []
            continue
        contents.rows[sheet.key] = _rows(worksheet, sheet, words, contents.problems)
    return contents


def _column_name(sheet: Sheet, index: int) -> str:
    letter = get_column_letter(index + 1)
    if index < len(sheet.columns):
        return f"{letter} ({sheet.columns[index].header})"
    return letter


def _rows(worksheet: Any, sheet: Sheet, words: Vocabulary, problems: list[Problem]) -> list[Row]:
    width = len(sheet.columns)
    title = worksheet.title
    found: list[Row] = []
    rows = worksheet.iter_rows(min_row=1, max_col=width + 10)
    filled = 0
    for number, cells in enumerate(rows, start=1):
        if number > MAX_READ_ROWS or filled > MAX_ROWS:
            raise Refused(
                [
                    Problem(
                        gettext(
                            "The sheet has more than %(max)s rows. Split the plan, or move "
                            "large amounts of data with the exchange format (ik import)."
                        )
                        % {"max": f"{MAX_ROWS:,}".replace(",", " ")},
                        sheet=title,
                    )
                ]
            )
        if number == 1:
            _check_header(cells, sheet, title, problems)
            continue
        if all(cell.value is None or cell.value == "" for cell in cells):
            continue
        filled += 1
        values: dict[str, Any] = {}
        for index, cell in enumerate(cells):
            if cell.value is None or cell.value == "":
                continue
            where = {"sheet": title, "row": number, "column": _column_name(sheet, index)}
            if cell.data_type == "f":
                problems.append(
                    Problem(
                        gettext(
                            "The cell holds a formula (%(formula)s). Formulas are not read: "
                            "write the value itself."
                        )
                        % {"formula": str(cell.value)[:80]},
                        **where,
                    )
                )
            elif cell.data_type == "e":
                problems.append(
                    Problem(
                        gettext("The cell holds an error value (%(value)s).")
                        % {"value": cell.value},
                        **where,
                    )
                )
            elif index >= width:
                problems.append(
                    Problem(
                        gettext(
                            "The column is not part of the workbook's layout; move what it "
                            "holds into a column of the layout, or delete it."
                        ),
                        **where,
                    )
                )
        for index, column in enumerate(sheet.columns):
            raw = cells[index].value if index < len(cells) else None
            if index < len(cells) and cells[index].data_type in ("f", "e"):
                raw = None
            try:
                values[column.key] = read_cell(column, raw, words)
            except CellProblem as problem:
                values[column.key] = None
                problems.append(
                    Problem(
                        str(problem),
                        sheet=title,
                        row=number,
                        column=_column_name(sheet, index),
                    )
                )
        found.append(Row(number, values))
    return found


def _check_header(cells: Any, sheet: Sheet, title: str, problems: list[Problem]) -> None:
    for index, column in enumerate(sheet.columns):
        text = text_of(cells[index].value) if index < len(cells) else ""
        if " ".join(text.split()).casefold() != str(column.header).casefold():
            problems.append(
                Problem(
                    gettext(
                        "The column's heading is “%(found)s” where the layout has "
                        "“%(expected)s”. Keep the columns as they were downloaded."
                    )
                    % {"found": text, "expected": column.header},
                    sheet=title,
                    row=1,
                    column=get_column_letter(index + 1),
                )
            )
