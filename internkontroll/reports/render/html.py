"""The report as a web page: standalone and print-ready, or its body to embed in the app.

The PDF is WeasyPrint on the same page, so the page is laid out for A4: tables of fixed layout
whose columns are sized here, from the layout's weights, so that no header word breaks.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
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


def cell_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def unbreakable_values(table: Table) -> tuple[list[list[str]], list[list[str]]]:
    """Per column, the longest date or number, and the longest one-word text (up to 16 letters).

    Dates and numbers must not break; one-word values such as a status should rather not.
    """
    count = len(table.columns)
    numbers, words = [""] * count, [""] * count
    for row in table.rows:
        for index, value in enumerate(row[:count]):
            if isinstance(value, datetime.date | int):
                text = cell_text(value)
                if len(text) > len(numbers[index]):
                    numbers[index] = text
            elif (
                isinstance(value, str) and len(words[index]) < len(value) <= 16 and " " not in value
            ):
                words[index] = value
    return [[n] if n else [] for n in numbers], [
        [n, w] if w else [n] if n else [] for n, w in zip(numbers, words, strict=True)
    ]


def table_view(table: Table, heading: Section, anchor: str, text_width_mm: float) -> TableView:
    """The table at the largest type size at which every header word fits its column whole.

    At each size, one-word values are kept whole too where there is room. Should nothing fit
    (too many columns even in landscape), the smallest size is used and the columns are as wide
    as their words need relative to each other: a header word then breaks rather than the table
    running off the page.
    """
    numbers, words = unbreakable_values(table)
    minimums: list[float] = []
    for size, keep_whole in ((s, keep) for s in TABLE_SIZES for keep in (words, numbers)):
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
        table.columns, table.widths, text_width_mm, size, padding_mm=padding, keep_whole=keep_whole
    )
    caption = table.title if table.show_title and table.title != heading.heading else ""
    return TableView(
        table=table,
        caption=caption,
        widths=whole_percentages(percentages, minimums),
        size_class=f"size-{round(size * 10)}",
        labelled_by="" if caption else anchor,
    )


def section_view(section: Section, counter: list[int], landscape: bool = False) -> SectionView:
    counter[0] += 1
    landscape = landscape or section.landscape
    anchor = f"section-{section.number or counter[0]}".replace(".", "-")
    view = SectionView(
        section=section,
        anchor=f"{anchor}-heading",
        tag=f"h{min(max(section.level, 1), 4) + 1}",
        text_width_mm=LANDSCAPE_TEXT_MM if landscape else PORTRAIT_TEXT_MM,
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
    view.children = [section_view(child, counter, landscape) for child in section.children]
    return view


def css_string(text: str) -> str:
    """`text` as a quoted CSS string that cannot end the string or the <style> element."""
    safe = "".join(
        char if char.isalnum() or char in " .,:;()–-" else f"\\{ord(char):x} " for char in text
    )
    return f'"{safe}"'


def context(document: Document) -> dict[str, Any]:
    counter = [0]
    page_css = (
        "@page { @top-left { content: %s } @top-right { content: %s } "
        '@bottom-right { content: %s " " counter(page) " (" counter(pages) ")" } }'
        % (css_string(document.running_head), css_string(document.title), css_string(_("Page")))
    )
    return {
        "document": document,
        "sections": [section_view(section, counter) for section in document.sections],
        # Built from quoted, escaped strings only.
        "page_css": mark_safe(page_css),  # noqa: S308
    }


def render_html(document: Document, request: Any = None) -> str:
    """A whole HTML page that prints on A4 with a running header and page numbers."""
    return render_to_string("reports/document.html", context(document), request=request)


def render_body(document: Document, request: Any = None) -> str:
    """Only the report's <article>, for embedding in another page."""
    return render_to_string("reports/_body.html", context(document), request=request)
