"""The report as a web page: standalone and print-ready, or its body to embed in the app.

The PDF is WeasyPrint on the same page, so the page is laid out for A4: tables of fixed layout
whose columns are sized here, from the layout's weights, so that no header word breaks.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from internkontroll.reports.document import Document, Figure, Section, Table, Value
from internkontroll.reports.matrix import matrix_svg
from internkontroll.reports.widths import (
    MM_PER_PT,
    column_percentages,
    minimum_widths,
    whole_percentages,
)

# The page, as document.css lays it out: A4 with 25 mm margins.
PORTRAIT_TEXT_MM = 210 - 2 * 25
LANDSCAPE_TEXT_MM = 297 - 2 * 25
# Table type sizes in pt, largest first; a wide table takes the largest at which every header
# word fits its column (document.css has a class per size).
TABLE_SIZES = (8.5, 8.0, 7.5, 7.0, 6.5)
CELL_PADDING_EM = 0.7  # left and right together, as document.css pads th and td
SLACK_MM = 0.5  # cell borders, and Pango's metrics against ours


@dataclass
class TableView:
    """A table with what the template needs to lay it out: column widths and type size."""

    kind = "table"
    table: Table
    caption: str
    widths: list[int]
    size_class: str
    labelled_by: str

    @property
    def body(self) -> SafeString:
        """The rows as HTML, written here rather than in the template: a committee's tables
        hold thousands of cells, and a template loop over them costs a tenth of a second."""
        return mark_safe(  # noqa: S308 (every text is escaped)
            "".join(
                "<tr>" + "".join(f"<td>{escape(cell_text(value))}</td>" for value in row) + "</tr>"
                for row in self.table.rows
            )
        )


@dataclass
class FigureView:
    kind = "matrix"
    svg: SafeString
    description: str


@dataclass
class SectionView:
    section: Section
    anchor: str
    tag: str
    text_width_mm: float
    blocks: list[Any] = field(default_factory=list)
    children: list[SectionView] = field(default_factory=list)
    continued: bool = False  # its heading and blocks are in the part of the PDF before


def cell_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@dataclass
class ColumnTexts:
    """What sizing needs from a table's cells, gathered in one pass over them."""

    numbers: list[list[str]]  # per column, its longest date or number: these must not break
    words: list[list[str]]  # and with it the longest word of its texts: better not broken
    widest: list[list[str]]  # per column, its longest few lines: it need be no wider


def column_texts(table: Table, few: int = 3) -> ColumnTexts:
    """Dates and numbers must not break. Words should rather not: a one-word value (a status)
    up to 16 letters, and the first 12 letters of any longer word, which is hyphenated anyway."""
    count = len(table.columns)
    numbers, words = [""] * count, [""] * count
    longest: list[list[str]] = [[] for _ in range(count)]
    for row in table.rows:
        for index, value in enumerate(row[:count]):
            if value is None:
                continue
            text = cell_text(value)
            if isinstance(value, str):
                if len(value) <= 16 and " " not in value:
                    word = value
                else:
                    word = max(value.split(), key=len, default="")[:12]
                if len(word) > len(words[index]):
                    words[index] = word
            elif len(text) > len(numbers[index]):
                numbers[index] = text
            line = max(text.splitlines(), key=len, default="")
            lines = longest[index]
            if len(lines) < few or len(line) > len(lines[-1]):
                lines.append(line)
                lines.sort(key=len, reverse=True)
                del lines[few:]
    return ColumnTexts(
        numbers=[[n] if n else [] for n in numbers],
        words=[[text for text in pair if text] for pair in zip(numbers, words, strict=True)],
        widest=longest,
    )


def table_view(table: Table, heading: Section, anchor: str, text_width_mm: float) -> TableView:
    """The table at the largest type size at which every header word fits its column whole.

    At each size, the texts' words are kept whole too where there is room. No column is wider
    than its longest line needs, so the room goes to the columns that wrap. Should nothing fit
    (too many columns even in landscape), the smallest size is used and the columns are as wide
    as their words need relative to each other: a header word then breaks rather than the table
    running off the page.
    """
    texts = column_texts(table)
    minimums: list[float] = []
    for size, keep_whole in (
        (s, keep) for s in TABLE_SIZES for keep in (texts.words, texts.numbers)
    ):
        padding = CELL_PADDING_EM * size * MM_PER_PT + SLACK_MM
        minimums = [
            100 * width / text_width_mm
            for width in minimum_widths(
                table.columns, size, padding_mm=padding, keep_whole=keep_whole
            )
        ]
        if sum(math.ceil(m) for m in minimums) <= 100:
            break
    else:
        minimums = []
    percentages = column_percentages(
        table.columns,
        table.widths,
        text_width_mm,
        size,
        padding_mm=padding,
        keep_whole=keep_whole,
        widest=texts.widest,
    )
    caption = table.title if table.show_title and table.title != heading.heading else ""
    return TableView(
        table=table,
        caption=caption,
        widths=whole_percentages(percentages, minimums),
        size_class=f"size-{round(size * 10)}",
        labelled_by="" if caption else anchor,
    )


def section_view(
    section: Section,
    counter: list[int],
    landscape: bool = False,
    continued: Collection[Section] = (),
) -> SectionView:
    counter[0] += 1
    landscape = landscape or section.landscape
    anchor = f"section-{section.number or counter[0]}".replace(".", "-")
    view = SectionView(
        section=section,
        anchor=f"{anchor}-heading",
        tag=f"h{min(max(section.level, 1), 4) + 1}",
        text_width_mm=LANDSCAPE_TEXT_MM if landscape else PORTRAIT_TEXT_MM,
        continued=any(section is other for other in continued),
    )
    for block in section.blocks:
        if isinstance(block, Table):
            view.blocks.append(table_view(block, section, view.anchor, view.text_width_mm))
        elif isinstance(block, Figure):
            # matrix_svg escapes every text it writes.
            svg = mark_safe(matrix_svg(block.picture))  # noqa: S308
            view.blocks.append(FigureView(svg, block.picture.description))
        else:
            view.blocks.append(block)
    view.children = [
        section_view(child, counter, landscape, continued) for child in section.children
    ]
    return view


def css_string(text: str) -> str:
    """`text` as a quoted CSS string that cannot end the string or the <style> element."""
    safe = "".join(
        char if char.isalnum() or char in " .,:;()/–-" else f"\\{ord(char):x} " for char in text
    )
    return f'"{safe}"'


def page_css(document: Document, *, page_numbers: bool = True) -> str:
    """The page's margin boxes: the running head and title on top, "Sida 1 (9)" below."""
    head, title, page = (
        css_string(text) for text in (document.running_head, document.title, _("Page"))
    )
    boxes = [f"@top-left {{ content: {head} }} @top-right {{ content: {title} }}"]
    if page_numbers:
        boxes.append(
            f'@bottom-right {{ content: {page} " " counter(page) " (" counter(pages) ")" }}'
        )
    return f"@page {{ {' '.join(boxes)} }}"


def context(
    document: Document,
    *,
    header: bool = True,
    continued: Collection[Section] = (),
    page_numbers: bool = True,
) -> dict[str, Any]:
    counter = [0]
    return {
        "document": document,
        "header": header,
        "sections": [
            section_view(section, counter, continued=continued) for section in document.sections
        ],
        # Built from quoted, escaped strings only.
        "page_css": mark_safe(page_css(document, page_numbers=page_numbers)),  # noqa: S308
    }


def render_html(
    document: Document,
    request: Any = None,
    *,
    header: bool = True,
    continued: Collection[Section] = (),
    page_numbers: bool = True,
) -> str:
    """A whole HTML page that prints on A4 with a running header and page numbers.

    For a PDF made in parts (render/pdf.py), a part may leave out the title and facts
    (`header`), the headings of the `continued` sections, and the page numbers.
    """
    parts = context(document, header=header, continued=continued, page_numbers=page_numbers)
    return render_to_string("reports/document.html", parts, request)


def render_body(document: Document, request: Any = None) -> str:
    """Only the report's <article>, for embedding in another page."""
    return render_to_string("reports/_body.html", context(document), request=request)
