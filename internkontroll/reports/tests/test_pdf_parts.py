"""A long PDF made in two processes at once: the same words, outline and properties as one
made whole, each page numbered "Sida N (M)" of the whole, and the same layout checks."""

from __future__ import annotations

import functools
import gc
import io
import os
import threading
from unittest import mock

import pypdf
from django.test import SimpleTestCase
from django.utils import translation

from internkontroll.reports.document import Document, Paragraph, Section, Table
from internkontroll.reports.render import pdf
from internkontroll.reports.render.html import render_html
from internkontroll.reports.tests import pages
from internkontroll.reports.tests.test_pdf_layout import (
    RUNNING_HEAD,
    TITLE,
    document,
    headings,
    long,
    wide,
)


@functools.cache
def made(name: str, parallel: bool) -> bytes:
    with translation.override("sv"):
        return pdf.render_pdf({"wide": wide, "long": long}[name](), parallel=parallel)


@functools.cache
def read(name: str, parallel: bool) -> list[pages.Page]:
    return pages.read(made(name, parallel))


def body_lines(printed: list[pages.Page]) -> list[str]:
    """The lines between the margins, but for the table headers, which each page repeats: the
    second part begins a page where the first might have gone on."""
    headers = {" ".join(table.columns) for table in tables(wide()) + tables(long())}
    return [line for page in printed for line in page.lines() if line not in headers]


def tables(document: Document) -> list[Table]:
    return [
        block
        for section, _ in pdf.walk(document.sections)
        for block in section.blocks
        if isinstance(block, Table)
    ]


def outline(content: bytes) -> list[tuple[int, str]]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    items: list[tuple[int, str]] = []

    def walk(entries: list, depth: int) -> None:  # type: ignore[type-arg]
        for entry in entries:
            if isinstance(entry, list):
                walk(entry, depth + 1)
            else:
                items.append((depth, str(entry.title)))

    walk(reader.outline, 0)
    return items


class PartsTests(SimpleTestCase):
    def test_it_has_the_words_of_the_pdf_made_whole_in_their_order(self) -> None:
        for name in ("wide", "long"):
            whole, parts = body_lines(read(name, False)), body_lines(read(name, True))
            assert len(whole) > 200
            assert parts == whole, name

    def test_every_page_is_numbered_of_all_under_the_running_header(self) -> None:
        for name in ("wide", "long"):
            printed = read(name, True)
            for page in printed:
                top = " ".join(w.text for w in page.words if w.bottom < 25 * pages.MM)
                bottom = [w for w in page.words if w.top > page.height - 25 * pages.MM]
                assert RUNNING_HEAD in top and TITLE in top, page.number
                assert " ".join(w.text for w in bottom) == f"Sida {page.number} ({len(printed)})"

    def test_the_page_number_stands_where_weasyprint_puts_it_on_either_orientation(self) -> None:
        whole, parts = read("wide", False), read("wide", True)
        assert len({page.landscape for page in parts}) == 2
        for mine, its in zip(parts, whole, strict=True):
            [*_, mine_last] = [w for w in mine.words if w.top > mine.height - 25 * pages.MM]
            [*_, its_last] = [w for w in its.words if w.top > its.height - 25 * pages.MM]
            assert abs(mine_last.x1 - its_last.x1) < 0.5 and abs(mine_last.top - its_last.top) < 0.5
            assert abs(mine_last.size - its_last.size) < 0.1

    def test_it_keeps_the_layout_checks(self) -> None:
        printed = read("wide", True)
        assert pages.not_a4(printed) == []
        assert pages.words_past_margins(printed) == []
        assert [page.landscape for page in printed] == [
            page.landscape for page in read("wide", False)
        ]
        assert pages.headings_at_page_bottom(read("long", True), headings(long())) == []

    def test_the_outline_nests_the_headings_as_in_the_pdf_made_whole(self) -> None:
        for name in ("wide", "long"):
            whole = outline(made(name, False))
            assert len(whole) > 5
            assert outline(made(name, True)) == whole, name

    def test_it_carries_the_title_author_and_language_of_the_pdf_made_whole(self) -> None:
        whole = pypdf.PdfReader(io.BytesIO(made("wide", False)))
        parts = pypdf.PdfReader(io.BytesIO(made("wide", True)))
        assert parts.metadata is not None and whole.metadata is not None
        assert parts.metadata.title == whole.metadata.title
        assert parts.metadata.author == whole.metadata.author == "Exempelkommun"
        assert parts.root_object["/Lang"] == whole.root_object["/Lang"] == "sv-SE"
        assert sorted(parts.named_destinations) == sorted(whole.named_destinations)

    def test_the_second_part_is_made_here_when_its_process_fails(self) -> None:
        here = os.getpid()
        real = pdf.render_part

        def fail_elsewhere(html: str) -> pdf.Part:
            if os.getpid() != here:
                raise RuntimeError("the second process failed")
            return real(html)

        with (
            mock.patch.object(pdf, "render_part", fail_elsewhere),
            self.assertLogs(pdf.logger, "WARNING"),
            translation.override("sv"),
        ):
            content = pdf.render_pdf(long(), parallel=True)
        assert body_lines(pages.read(content)) == body_lines(read("long", False))


class SplitTests(SimpleTestCase):
    def test_it_splits_before_the_section_nearest_the_middle_and_continues_its_parent(
        self,
    ) -> None:
        halves = pdf.split(long())
        assert halves is not None
        first = [s.number for s, _ in pdf.walk(halves.first.sections)]
        second = [s.number for s, _ in pdf.walk(halves.second.sections)]
        everything = [s.number for s, _ in pdf.walk(long().sections)]
        assert [s.number for s in halves.continued] == ["2"]
        assert first + second[1:] == everything
        assert 0.4 < pdf.weight(halves.first) / pdf.weight(long()) < 0.6
        assert halves.continued[0].blocks == []

    def test_the_second_part_names_no_heading_twice_and_has_no_title(self) -> None:
        halves = pdf.split(long())
        assert halves is not None
        with translation.override("sv"):
            second = halves.second_html()
        assert "Risker per område</h2>" not in second  # the continued section
        assert "<h1>" not in second and "Sida" not in second
        assert "Risker per område</h2>" in halves.first_html()

    def test_it_prefers_a_chapter_near_the_middle_to_a_subsection_at_it(self) -> None:
        text = Paragraph("Ord " * 400)
        chapters = [
            Section("Ett", 1, [text, text, text], [Section("Ett a", 2, [Paragraph("Ord " * 60)])]),
            Section("Två", 1, [text, text, text]),
        ]
        halves = pdf.split(document(chapters))
        assert halves is not None
        assert halves.continued == [] and halves.second.sections[0].heading == "Två"

    def test_a_document_of_one_section_is_not_split(self) -> None:
        assert pdf.split(document([Section("Ett", 1, [Paragraph("Ord")])])) is None

    def test_a_short_report_is_made_in_one_process(self) -> None:
        with mock.patch.object(pdf, "render_in_parts") as in_parts, translation.override("sv"):
            pdf.render_pdf(long())
        in_parts.assert_not_called()
        assert pdf.weight(long()) < pdf.PARALLEL_LINES

    def test_a_long_report_is_made_in_parts_where_it_may_fork(self) -> None:
        with (
            mock.patch.object(pdf, "PARALLEL_LINES", 1),
            mock.patch.object(pdf, "may_fork", return_value=True),
            mock.patch.object(pdf, "render_in_parts", return_value=b"%PDF") as in_parts,
        ):
            assert pdf.render_pdf(long()) == b"%PDF"
        in_parts.assert_called_once()

    def test_a_page_foot_it_cannot_read_makes_the_pdf_whole(self) -> None:
        with (
            mock.patch.object(pdf, "numbering", side_effect=pdf.UnexpectedPageFoot("BT ET")),
            mock.patch.object(pdf, "render_in_parts") as in_parts,
            self.assertLogs(pdf.logger, "ERROR"),
            translation.override("sv"),
        ):
            content = pdf.render_pdf(long(), parallel=True)
        in_parts.assert_not_called()
        assert body_lines(pages.read(content)) == body_lines(read("long", False))

    def test_it_does_not_fork_beside_other_threads(self) -> None:
        stop = threading.Event()
        other = threading.Thread(target=stop.wait)
        other.start()
        try:
            assert not pdf.may_fork()
        finally:
            stop.set()
            other.join()

    def test_the_whole_page_still_has_its_numbers_and_header(self) -> None:
        with translation.override("sv"):
            html = render_html(long())
        assert "counter(pages)" in html and "<h1>" in html


class CollectionTests(SimpleTestCase):
    def test_weasyprint_works_without_cyclic_collection_which_comes_back_after(self) -> None:
        seen = []
        real = pdf.ReportHTML.write_pdf

        def write_pdf(html: pdf.ReportHTML) -> bytes:
            seen.append(gc.isenabled())
            return real(html)

        with mock.patch.object(pdf.ReportHTML, "write_pdf", write_pdf), translation.override("sv"):
            pdf.render_pdf(document([Section("Ett", 1, [Paragraph("Ord")])]), parallel=False)
        assert seen == [False] and gc.isenabled()

    def test_collection_comes_back_after_a_failure_and_stays_off_if_it_was(self) -> None:
        with self.assertRaises(ValueError), pdf.collection_paused():
            raise ValueError
        assert gc.isenabled()
        gc.disable()
        try:
            with pdf.collection_paused():
                pass
            assert not gc.isenabled()
        finally:
            gc.enable()
