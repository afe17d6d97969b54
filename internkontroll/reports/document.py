"""A report laid out once as a format-neutral document: numbered sections, fields, tables.

The four renderers (web page, PDF, Word, Excel) turn a `Document` into their format, so every
format carries the same content in the same order. Nothing here knows a report kind.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from django.utils.text import slugify

if TYPE_CHECKING:
    from internkontroll.reports.matrix import MatrixPicture

Value = str | int | datetime.date | None


@dataclass
class Table:
    """A table with a header row that repeats on every page.

    `widths` are relative weights per column (proportional to the content a column holds);
    renderers scale them to the text width. `show_title` is False when the heading right
    above already says what the table is, so that no caption repeats it.
    """

    kind: ClassVar[str] = "table"
    title: str
    columns: list[str]
    rows: list[list[Value]]
    widths: list[int] = field(default_factory=list)
    show_title: bool = True


@dataclass
class Fields:
    """Label and text pairs, such as "Riskbeskrivning" and its text; empty texts are left out."""

    kind: ClassVar[str] = "fields"
    items: list[tuple[str, str]]


@dataclass
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: str


@dataclass
class Figure:
    """The risk matrix, drawn by each renderer in its own way, with its description."""

    kind: ClassVar[str] = "matrix"
    picture: MatrixPicture


Block = Table | Fields | Paragraph | Figure


@dataclass
class Section:
    """A heading with its blocks and subsections.

    `number` ("2", "2.1", "2.1.3") is set by `number_sections`; renderers write it before the
    heading. A `landscape` section (with its children) is laid out on landscape pages: for
    wide tables such as the samlad riskbild list or the overview.
    """

    heading: str
    level: int  # 1 to 4
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    landscape: bool = False
    number: str = ""

    @property
    def numbered_heading(self) -> str:
        return f"{self.number} {self.heading}" if self.number else self.heading


def number_sections(sections: list[Section], prefix: str = "") -> None:
    """Number the sections 1, 2, … and their children 1.1, 1.2, 1.1.1, … in place."""
    for position, section in enumerate(sections, start=1):
        section.number = f"{prefix}{position}"
        number_sections(section.children, f"{section.number}.")


@dataclass
class Document:
    """Everything a renderer needs.

    - `title`: the document's title (e.g. "Internkontrollplan 2026").
    - `subtitle`: the committee and what the document covers, e.g.
      "Socialnämnden – Uppföljning per tertial 1 (januari–april)".
    - `running_head`: for each page's header: the committee and its diarienummer.
    - `author`: the organisation, for the file's properties.
    - `meta`: the facts under the title (committee, reference, period, made on, …).
    - `summary`: the summary sentences (also the first section; Excel's summary sheet shows them).
    - `key_fields`: facts a workbook's summary sheet shows besides `meta` (the verdict, …).
    - `matrix`: the matrix picture, when the report has one (Excel draws it on its own sheet).
    - `sections`: the numbered body, in order.
    - `sheets`: the tables of the Excel workbook, one sheet each.
    - `filename_stem`: a Swedish, ASCII-safe file name without extension.
    """

    title: str
    subtitle: str
    running_head: str
    author: str
    meta: list[tuple[str, str]]
    summary: list[str]
    sections: list[Section]
    sheets: list[Table]
    filename_stem: str
    key_fields: list[tuple[str, str]] = field(default_factory=list)
    matrix: MatrixPicture | None = None
    empty_message: str = ""
    language: str = "sv-SE"


def file_stem(*parts: object) -> str:
    """A file name from its parts: lower case, ASCII, words joined by hyphens (å → a)."""
    return "-".join(slugify(str(part)) for part in parts if str(part))
