"""The report as PDF: WeasyPrint on the same HTML, never fetching anything from the network.

WeasyPrint lays a page out in about a tenth of a second, a committee's 60-page follow-up in five
seconds of one processor. A long report is therefore made in two parts at once, each in its own
process, split where a section begins; the parts are joined with pypdf, which then numbers the
pages ("Sida 1 (63)") and builds the outline. The second part starts on a page of its own, as a
section may anyway.
"""

from __future__ import annotations

import functools
import io
import logging
import math
import multiprocessing
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import Any, cast

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, Fit, NameObject
from weasyprint import CSS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.html import UA
from weasyprint.urls import URLFetcher

from internkontroll.lib.collector import collection_paused
from internkontroll.reports.document import Document, Fields, Figure, Paragraph, Section, Table
from internkontroll.reports.render.html import cell_text, css_string, render_html

logger = logging.getLogger(__name__)

# What WeasyPrint's time grows with: lines of text, counted roughly, and a table cell's box.
LINE_CHARACTERS = 130  # characters on a line of the text's width
CELL_LINES = 0.5  # a table cell costs as much as half a line more
FIGURE_LINES = 40
# A document of fewer lines is made in one process: below it, the second process and the
# joining save less than they cost (about a second of layout on this machine).
PARALLEL_LINES = 2_500
# The first part is made by this process, which then joins the parts: it takes a little less.
FIRST_SHARE = 0.48
# A section of a higher level (a chapter) begins the second part rather than a lower one
# closer to the middle, if it is this close to the middle, as a share of the whole.
CHAPTER_TOLERANCE = 0.04
PT_PER_PX = 0.75


def report_user_agent_css(sheet: str) -> str:
    """WeasyPrint's own sheet without the rules for footnotes and notes, which reports never
    have, and with list markers only on list items. Each of those rules names a pseudo-element
    of every element, whose style WeasyPrint then computes for each table cell: a sixth of the
    time of a committee's PDF."""
    pseudo = r"footnote-call|footnote-marker|note-call|note-marker|note-callback"
    trimmed = re.sub(rf"^::(?:{pseudo}) {{[^}}\n]*}}\n", "", sheet, flags=re.MULTILINE)
    return trimmed.replace("\n::marker {", "\nli::marker, summary::marker {", 1)


# Its counter styles are WeasyPrint's own, which every document starts from.
REPORT_UA_STYLESHEET = CSS(string=report_user_agent_css(UA), counter_style=CounterStyle())


class ReportHTML(HTML):
    """A report's page for WeasyPrint, with the user agent sheet above."""

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [REPORT_UA_STYLESHEET]


def local_fetcher() -> URLFetcher:
    """A fetcher that only reads data: URLs; the document carries its styles inline."""
    return URLFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=1)


def report_html(html: str) -> ReportHTML:
    """The page for WeasyPrint, reading nothing but the data it carries."""
    return ReportHTML(string=html, base_url=None, url_fetcher=local_fetcher())


def render_pdf(document: Document, parallel: bool | None = None) -> bytes:
    """A4 pages with the title, author and language (from <html lang>) in the file's properties.

    `parallel` None makes a long document in two processes where this one may fork; True
    splits any document that has a second section (for tests), False never does.
    """
    halves = None
    if parallel or (parallel is None and may_fork() and weight(document) >= PARALLEL_LINES):
        halves = split(document)
    if halves is not None:
        try:
            numbering(_("Page"), document.language)
        except UnexpectedPageFoot:
            logger.exception("Page numbers cannot be written into parts: the PDF is made whole")
        else:
            return render_in_parts(document, halves)
    html = render_html(document)
    with collection_paused():
        return report_html(html).write_pdf()


def may_fork() -> bool:
    """Two processors, and a process that forks safely: one thread, not a daemon."""
    processors = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return (
        processors >= 2
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon
    )


def lines(text: str, share: float = 1.0) -> float:
    """About how many lines `text` takes in a column of `share` of the text's width."""
    return math.ceil(len(text) / max(1.0, share * LINE_CHARACTERS)) if text else 0


def block_weight(block: object) -> float:
    if isinstance(block, Table):
        weights = block.widths or [1] * len(block.columns)
        shares = [width / (sum(weights) or 1) for width in weights]
        cells = [
            (cell_text(value), share)
            for row in block.rows
            for value, share in zip(row, shares, strict=False)
        ]
        return sum(CELL_LINES + lines(text, share) for text, share in cells)
    if isinstance(block, Paragraph):
        return lines(block.text)
    if isinstance(block, Fields):
        return sum(1 + lines(value) for _, value in block.items)
    if isinstance(block, Figure):
        return FIGURE_LINES
    return 0


def own_weight(section: Section) -> float:
    return 1 + sum(block_weight(block) for block in section.blocks)


def weight(document: Document) -> float:
    return sum(own_weight(section) for section, _ in walk(document.sections))


def walk(
    sections: list[Section], path: tuple[int, ...] = ()
) -> Iterator[tuple[Section, tuple[int, ...]]]:
    """Every section in reading order, with its path of indexes from the top."""
    for index, section in enumerate(sections):
        yield section, (*path, index)
        yield from walk(section.children, (*path, index))


@dataclass
class Halves:
    first: Document
    second: Document
    continued: list[Section]  # the second part's copies of sections the first part began

    def first_html(self) -> str:
        return render_html(self.first, page_numbers=False)

    def second_html(self) -> str:
        return render_html(self.second, header=False, continued=self.continued, page_numbers=False)


def split(document: Document) -> Halves | None:
    """The document split before the section that best halves its weight, preferring one of
    a higher level near the middle; None without a second section."""
    total = weight(document)
    before = 0.0
    candidates = []  # (distance from the middle, level, path)
    for section, path in walk(document.sections):
        if path != (0,):
            candidates.append((abs(before / total - FIRST_SHARE), section.level, path))
        before += own_weight(section)
    if not candidates:
        return None
    closest = min(distance for distance, _, _ in candidates)
    near = [c for c in candidates if c[0] <= closest + CHAPTER_TOLERANCE]
    _, _, best = min(near, key=lambda candidate: (candidate[1], candidate[0]))
    continued: list[Section] = []
    return Halves(
        first=replace(document, sections=head(document.sections, best)),
        second=replace(document, sections=tail(document.sections, best, continued)),
        continued=continued,
    )


def head(sections: list[Section], path: tuple[int, ...]) -> list[Section]:
    """The sections before the one at `path`."""
    index, rest = path[0], path[1:]
    if not rest:
        return sections[:index]
    section = sections[index]
    return [*sections[:index], replace(section, children=head(section.children, rest))]


def tail(sections: list[Section], path: tuple[int, ...], continued: list[Section]) -> list[Section]:
    """The sections from the one at `path` on; its ancestors as copies without their blocks."""
    index, rest = path[0], path[1:]
    if not rest:
        return sections[index:]
    section = sections[index]
    copy = replace(section, blocks=[], children=tail(section.children, rest, continued))
    continued.append(copy)
    return [copy, *sections[index + 1 :]]


@dataclass
class Bookmark:
    page: int  # index of the page in its part
    level: int
    label: str
    left: float  # in PDF points from the page's bottom left corner
    top: float
    open: bool


@dataclass
class Part:
    content: bytes
    pages: int
    bookmarks: list[Bookmark]


def render_part(html: str) -> Part:
    with collection_paused():
        return laid_out_part(report_html(html))


def laid_out_part(html: ReportHTML) -> Part:
    rendered = html.render()
    bookmarks = [
        Bookmark(
            index,
            level,
            label,
            x * PT_PER_PX,
            (page.height - y) * PT_PER_PX,
            state != "closed",
        )
        for index, page in enumerate(rendered.pages)
        for level, label, (x, y), state in page.bookmarks
    ]
    return Part(rendered.write_pdf(), len(rendered.pages), bookmarks)


def render_apart(halves: Halves, sender: Connection) -> None:
    """In the second process: the second part, or None when it failed (the first process
    makes it then). It reads no database: the document is all in memory."""
    try:
        sender.send(render_part(halves.second_html()))
    except Exception:
        logger.exception("The second part of a PDF failed in its own process")
        sender.send(None)
    finally:
        sender.close()


def render_in_parts(document: Document, halves: Halves) -> bytes:
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=render_apart, args=(halves, sender), daemon=True)
    process.start()
    sender.close()
    try:
        first = render_part(halves.first_html())
        try:
            second = receiver.recv()
        except EOFError:
            second = None
    finally:
        receiver.close()
        if process.is_alive():
            process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()
    if second is None:
        logger.warning("The second part of a PDF is made in the first process instead")
        second = render_part(halves.second_html())
    return join(document, [first, second])


@dataclass(frozen=True)
class Numbering:
    """How WeasyPrint writes "Sida 1 (9)" at a page's foot, to write the same into joined parts:
    its font (a subset holding the word and the digits), each character's glyph and width, the
    baseline, and the distance of the text's right end from the page's right edge."""

    font: DictionaryObject
    glyphs: dict[str, tuple[int, float]]  # character: glyph id, width in points
    size: float
    baseline: float
    right: float
    color: str

    def text(self, words: str, page_width: float) -> bytes:
        glyphs = [self.glyphs[char] for char in words]
        left = page_width - self.right - sum(width for _, width in glyphs)
        hex_glyphs = "".join(f"{glyph:04x}" for glyph, _ in glyphs)
        return (
            f"q {self.color} rg BT /{NUMBERS_FONT} {self.size:.6f} Tf "
            f"1 0 0 1 {left:.6f} {self.baseline:.6f} Tm <{hex_glyphs}> Tj ET Q\n"
        ).encode("ascii")


class UnexpectedPageFoot(Exception):
    """WeasyPrint wrote a page's foot otherwise than `numbering` reads it."""


NUMBERS_FONT = "IKPageNumbers"
SAMPLE_NUMBER = "0123456789 ()"


@functools.cache
def numbering(word: str, language: str) -> Numbering:
    """Read from a page whose foot WeasyPrint wrote with every character a number needs."""
    sample = f"{word} {SAMPLE_NUMBER}"
    html = (
        f"<!DOCTYPE html><html lang={css_string(language)}><head><meta charset=utf-8>"
        f"<style>{render_to_string('reports/document.css')}</style>"
        f"<style>@page {{ @bottom-right {{ content: {css_string(sample)} }} }}</style></head>"
        '<body class="report-page"><article class="report"></article></body></html>'
    )
    content = report_html(html).write_pdf()
    page = PdfReader(io.BytesIO(content)).pages[0]
    resources = cast(DictionaryObject, page["/Resources"])
    [font] = [value.get_object() for value in cast(DictionaryObject, resources["/Font"]).values()]
    widths = cid_widths(font["/DescendantFonts"][0].get_object()["/W"])
    stream = page.get_contents()
    assert stream is not None  # noqa: S101 (WeasyPrint wrote the sample)
    data = stream.get_data().decode("latin-1")
    glyph_ids = [int(code, 16) for code in re.findall(r"<([0-9a-f]{4})>", data)]
    color = re.search(r"([\d.]+ [\d.]+ [\d.]+) rg", data)
    placed: list[tuple[float, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            # The text's origin and size on the page: its text matrix in the page's space.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            placed.append((x, y, size * abs(tm[3] * cm[3] + tm[2] * cm[1])))

    page.extract_text(visitor_text=visit)
    if len(glyph_ids) != len(sample) or not placed or color is None:
        raise UnexpectedPageFoot(data)
    x, baseline, size = placed[0]
    glyphs = {
        char: (glyph, widths.get(glyph, 0) * size / 1000)
        for char, glyph in zip(sample, glyph_ids, strict=True)
    }
    right = float(page.mediabox.width) - x - sum(glyphs[char][1] for char in sample)
    return Numbering(font, glyphs, size, baseline, right, color.group(1))


def cid_widths(array: Any) -> dict[int, float]:
    """A CID font's /W array as glyph id: width (in thousandths of the font size)."""
    widths: dict[int, float] = {}
    items = list(array)
    index = 0
    while index < len(items):
        first = int(items[index])
        if isinstance(items[index + 1].get_object(), list):
            for offset, width in enumerate(items[index + 1].get_object()):
                widths[first + offset] = float(width)
            index += 2
        else:
            for glyph in range(first, int(items[index + 1]) + 1):
                widths[glyph] = float(items[index + 2])
            index += 3
    return widths


def join(document: Document, parts: list[Part]) -> bytes:
    """One file of the parts: their pages numbered, the outline and properties of one document."""
    writer = PdfWriter()
    readers = [PdfReader(io.BytesIO(part.content)) for part in parts]
    for reader in readers:
        writer.append(reader, import_outline=False)
    number_pages(writer, numbering(_("Page"), document.language))
    first = readers[0]
    if first.metadata is not None:
        writer.add_metadata(dict(first.metadata))
    if "/Lang" in first.root_object:
        writer.root_object[NameObject("/Lang")] = first.root_object["/Lang"]
    add_outline(writer, parts)
    content = io.BytesIO()
    writer.write(content)
    return content.getvalue()


def number_pages(writer: PdfWriter, numbering: Numbering) -> None:
    """Write "Sida N (M)" at every page's foot, after the page's own drawing, whose graphics
    state is saved and restored around it."""
    font = numbering.font.clone(writer).indirect_reference
    save, restore = (writer._add_object(stream(data)) for data in (b"q\n", b"\nQ\n"))
    total = len(writer.pages)
    word = _("Page")
    for number, page in enumerate(writer.pages, start=1):
        resources = cast(DictionaryObject, page[NameObject("/Resources")])
        fonts = resources.setdefault(NameObject("/Font"), DictionaryObject()).get_object()
        cast(DictionaryObject, fonts)[NameObject(f"/{NUMBERS_FONT}")] = font
        contents = page.raw_get("/Contents")  # its reference: the stream stays as it is
        resolved = contents.get_object()
        own = [*resolved] if isinstance(resolved, ArrayObject) else [contents]
        foot = numbering.text(f"{word} {number} ({total})", float(page.mediabox.width))
        page[NameObject("/Contents")] = ArrayObject(
            [save, *own, restore, writer._add_object(stream(foot))]
        )


def stream(data: bytes) -> DecodedStreamObject:
    result = DecodedStreamObject()
    result.set_data(data)
    return result


def add_outline(writer: PdfWriter, parts: list[Part]) -> None:
    """The headings' bookmarks, each under the last one of a lower level, as WeasyPrint nests
    them in a document made whole."""
    open_items: list[tuple[int, Any]] = []
    offset = 0
    for part in parts:
        for mark in part.bookmarks:
            while open_items and open_items[-1][0] >= mark.level:
                open_items.pop()
            parent = open_items[-1][1] if open_items else None
            item = writer.add_outline_item(
                title=mark.label,
                page_number=offset + mark.page,
                parent=parent,
                fit=Fit.xyz(left=mark.left, top=mark.top, zoom=0),
                is_open=mark.open,
            )
            open_items.append((mark.level, item))
        offset += part.pages
