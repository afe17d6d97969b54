"""Word files read back as a person opening them finds them, and as LibreOffice lays them out.

A4 pages with Swedish in every style, built-in headings, tables exactly as wide as the text
with their header rows repeated, landscape sections for wide tables, page numbers, and, once
LibreOffice has made PDFs of them, no word past a margin and no table-header word broken.
LibreOffice runs once per group of documents; without it these tests skip, or fail in CI.
"""

from __future__ import annotations

import atexit
import datetime
import functools
import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.management import call_command
from django.test import SimpleTestCase, TestCase
from django.utils import translation
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.section import Section as WordSection
from docx.table import Table as WordTable

from internkontroll.plans.models import ControlPlan
from internkontroll.reports.document import (
    Document,
    Fields,
    Figure,
    Paragraph,
    Section,
    Table,
    number_sections,
)
from internkontroll.reports.kinds import KINDS
from internkontroll.reports.matrix import LevelKey, MatrixCell, MatrixPicture
from internkontroll.reports.render.docx import render_docx
from internkontroll.reports.requests import make
from internkontroll.reports.tests import pages
from internkontroll.reports.tests.helpers import import_fixture
from internkontroll.reports.word import measure

SOFFICE = Path("/usr/bin/soffice")
MISSING = f"LibreOffice not found at {SOFFICE}: the Word layout tests that print are skipped"
needs_libreoffice = pytest.mark.skipif(
    not SOFFICE.exists() and not os.environ.get("CI"), reason=MISSING
)
EMU_PER_TWIP = 635
A4 = (11906, 16838)  # twips
MARGIN_MM = 25

# The document's table-header words, none of which occurs anywhere else in it.
NARROW_HEADERS = ["Id", "Riskvärde", "Uppföljningsperiod", "Status", "Kommentar för perioden"]
WIDE_HEADERS = [
    "Nämnd",
    "Risker",
    "Kritiska",
    "Höga",
    "Medelhöga",
    "Låga",
    "Åtgärder",
    "Pågående",
    "Avslutade",
    "Försenade",
    "Kontrollaktiviteter",
    "Genomförda",
    "Avvikelser",
    "Rekommendationer",
    "Bedömning",
    "Diarienummer",
    "Fastställd",
]
LEVELS = [
    LevelKey("Låg", "#2e7d32", "#ffffff"),
    LevelKey("Medel", "#f9a825", "#000000"),
    LevelKey("Hög", "#ef6c00", "#000000"),
    LevelKey("Mycket hög", "#c62828", "#ffffff"),
]


def level(probability: int, consequence: int) -> LevelKey:
    score = probability * consequence
    return LEVELS[0 if score <= 2 else 1 if score <= 6 else 2 if score <= 9 else 3]


def picture() -> MatrixPicture:
    rows = [
        [MatrixCell(p, c, (p + c) % 3, level(p, c)) for c in range(1, 5)] for p in range(4, 0, -1)
    ]
    return MatrixPicture(
        ["Osannolik", "Möjlig", "Sannolik", "Mycket sannolik"],
        ["Försumbar", "Lindrig", "Allvarlig", "Mycket allvarlig"],
        rows,
        LEVELS,
        assessed=sum(cell.count for row in rows for cell in row),
        unassessed=1,
    )


def sample() -> Document:
    """A follow-up's shapes: summary, matrix, a long landscape list, fields, narrow tables."""
    long_list = Table(
        "Samlad riskbild",
        ["Id", "Risk", "Ansvarig enhet", "Risknivå", "Handläggare", "Senaste datum", "Kommentar"],
        [
            [
                f"r-{n}",
                f"Risk {n}: felaktiga utbetalningar av ekonomiskt bistånd",
                "Socialförvaltningen",
                "Mycket hög",
                "Enhetschef",
                datetime.date(2025, 9, 15),
                "Kommentar vid uppföljningen. " * (1 + n % 4),
            ]
            for n in range(45)
        ],
        [3, 12, 8, 5, 5, 5, 14],
        show_title=False,
    )
    narrow = Table(
        "Uppföljning per period",
        NARROW_HEADERS,
        [
            ["a-1", 12, "Tertial 2", "pågående <&> \x07klar", "Arbetet har börjat."],
            ["a-2", None, "Tertial 2", "avslutad", "Rad ett\nrad två"],
        ],
        # Weights that would make the second and third columns far too narrow for their words.
        [2, 1, 1, 3, 30],
    )
    tall = Table("Lång text", ["Fält", "Text"], [["Lång", "Ett mycket långt svar. " * 900]], [1, 5])
    wide = Table("Alla nämnder", WIDE_HEADERS, [["Socialnämnden", *range(16)]] * 4, [])
    sections = [
        Section("Sammanfattning", 1, [Paragraph("Tolv risker har identifierats.\n\nFem följs.")]),
        Section("Riskmatris", 1, [Figure(picture())]),
        Section("Samlad riskbild", 1, [long_list], landscape=True),
        Section(
            "Risker",
            1,
            children=[
                Section(
                    "Felaktiga utbetalningar",
                    2,
                    [
                        Fields(
                            [
                                ("Riskbeskrivning", "Utbetalningar görs på felaktigt underlag."),
                                ("Konsekvensbeskrivning", "  "),
                                ("Befintliga kontroller", "Attest i två steg.\nStickprov."),
                            ]
                        ),
                        narrow,
                    ],
                    children=[Section("Kontroller", 3, [tall]), Section("Svar", 4)],
                )
            ],
        ),
        Section("Alla nämnder", 1, [wide], landscape=True),
        Section("Avslutning", 1, [Paragraph("Slut.")]),
    ]
    number_sections(sections)
    return Document(
        title="Uppföljning av internkontrollplan och samlad riskbild 2025",
        subtitle="Socialnämnden – uppföljning per tertial 2 (maj–augusti)",
        running_head="Socialnämnden · Dnr SN-2024/259",
        author="Exempelstad",
        meta=[("Nämnd", "Socialnämnden"), ("Diarienummer", "SN-2024/259")],
        summary=["Tolv risker har identifierats."],
        sections=sections,
        sheets=[],
        filename_stem="uppfoljning-socialnamnden-2025-t2",
    )


def own_template(font: str) -> bytes:
    """An organisation's own template: US Letter, 2 cm margins, its font, a logo text on top."""
    word = docx.Document()
    word.styles["Normal"].font.name = font
    section = word.sections[0]
    section.left_margin = section.right_margin = docx.shared.Cm(2)
    section.header.paragraphs[0].text = "Exempelstads logga"
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


@functools.cache
def rendered() -> dict[str, bytes]:
    with translation.override("sv"):
        return {
            "sample": render_docx(sample()),
            "letter": render_docx(sample(), own_template("Arial")),
            "verdana": render_docx(sample(), own_template("Verdana")),
        }


def read(content: bytes) -> WordDocument:
    return docx.Document(io.BytesIO(content))


def twips(length: int | None) -> int:
    return round((length or 0) / EMU_PER_TWIP)


def text_width(section: WordSection) -> int:
    return twips(section.page_width) - twips(section.left_margin) - twips(section.right_margin)


def tables_with_sections(word: WordDocument) -> Iterator[tuple[WordTable, WordSection]]:
    """Every table with the Word section it lies in (a section ends at a paragraph's sectPr)."""
    sections = list(word.sections)
    index = 0
    for child in word.element.body.iterchildren():
        if child.tag == qn("w:tbl"):
            yield WordTable(child, word._body), sections[index]
        elif child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            index += 1


def grid(table: WordTable) -> list[int]:
    return [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def cell_widths(row: Any) -> list[int]:
    return [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in row._tr.tc_lst]


def spanned(columns: list[int], row: Any) -> list[int]:
    """The widths the row's cells should have: the grid columns each spans, added up."""
    widths, start = [], 0
    for tc in row._tr.tc_lst:
        widths.append(sum(columns[start : start + tc.grid_span]))
        start += tc.grid_span
    return widths


def row_flags(table: WordTable, flag: str) -> list[bool]:
    return [row._tr.find(f"{qn('w:trPr')}/{qn(flag)}") is not None for row in table.rows]


class FitColumnsTests(SimpleTestCase):
    def test_widths_add_up_to_the_text_width_in_proportion_to_the_weights(self) -> None:
        fit = measure.fit_columns(["A", "B", "C"], [1, 2, 5], 8000)
        assert sum(fit.widths) == 8000
        assert fit.widths == [1000, 2000, 5000]
        assert fit.size == measure.TABLE_SIZES[0]

    def test_a_column_too_narrow_for_its_header_word_is_widened_from_the_widest(self) -> None:
        fit = measure.fit_columns(["Id", "Riskvärde", "Kommentar"], [1, 1, 20], 9000)
        needed = measure.text_width("Riskvärde", fit.size) + 2 * fit.padding
        proportional = 9000 * 1 / 22
        assert fit.widths[1] >= needed > proportional
        assert fit.widths[2] < 9000 * 20 / 22
        assert fit.widths[0] < fit.widths[1]
        assert sum(fit.widths) == 9000

    def test_text_gets_smaller_when_the_header_words_do_not_fit_at_nine_points(self) -> None:
        fit = measure.fit_columns(WIDE_HEADERS, [1] * len(WIDE_HEADERS), 14003)
        assert fit.size < measure.TABLE_SIZES[0]
        for header, width in zip(WIDE_HEADERS, fit.widths, strict=True):
            assert width >= measure.longest_word_width(header, fit.size) + 2 * fit.padding
        assert measure.fit_columns(WIDE_HEADERS, [], 14003 * 2).size == measure.TABLE_SIZES[0]

    def test_body_words_are_kept_whole_where_there_is_room(self) -> None:
        cells = [["Socialförvaltningen", "1"], ["Barn", "2"]]
        fit = measure.fit_columns(["Enhet", "Antal"], [1, 10], 9000, cells=cells)
        assert fit.widths[0] >= measure.text_width("Socialförvaltningen", fit.size)
        assert fit.widths[0] < 9000 * 0.5

    def test_missing_weights_come_from_what_the_columns_hold(self) -> None:
        cells = [["Kort", "En mycket lång text som fyller kolumnen med ord efter ord."]]
        fit = measure.fit_columns(["A", "B"], [], 9000, cells=cells)
        assert fit.widths[1] > 3 * fit.widths[0]

    def test_a_row_much_taller_than_a_page_is_estimated_so(self) -> None:
        short = measure.estimated_height(["Kort."], [3000], 9)
        long = measure.estimated_height(["Ett mycket långt svar. " * 900], [3000], 9)
        assert short < 400
        assert long > 16838


class ReadBackTests(SimpleTestCase):
    """The sample on the default template, as python-docx reads it back."""

    def setUp(self) -> None:
        self.content = rendered()["sample"]
        self.word = read(self.content)

    def test_every_section_is_a4_with_margins_of_25_mm_and_turned_where_asked(self) -> None:
        orientations = []
        for section in self.word.sections:
            size = (twips(section.page_width), twips(section.page_height))
            landscape = size[0] > size[1]
            orientations.append(landscape)
            assert size == (A4[::-1] if landscape else A4)
            assert section.orientation == (1 if landscape else 0)
            margins = (section.left_margin, section.right_margin, section.top_margin)
            assert [round(margin.mm, 1) for margin in margins] == [25.0, 25.0, 25.0]
        assert orientations == [False, True, False, True, False]

    def test_later_sections_share_the_first_sections_header_and_footer(self) -> None:
        first, *later = self.word.sections
        assert not first.header.is_linked_to_previous
        assert all(section.header.is_linked_to_previous for section in later)
        assert all(section.footer.is_linked_to_previous for section in later)

    def test_the_language_is_swedish_in_the_defaults_every_style_and_the_theme(self) -> None:
        styles = self.word.styles.element
        default = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        assert default.find(qn("w:lang")).get(qn("w:val")) == "sv-SE"
        languages = [lang.get(qn("w:val")) for lang in styles.iter(qn("w:lang"))]
        assert len(languages) > 8
        assert set(languages) == {"sv-SE"}
        theme = self.word.settings.element.find(qn("w:themeFontLang"))
        assert theme.get(qn("w:val")) == "sv-SE"
        assert self.word.core_properties.language == "sv-SE"

    def test_the_properties_name_the_title_and_the_organisation_never_python_docx(self) -> None:
        properties = self.word.core_properties
        assert properties.title == "Uppföljning av internkontrollplan och samlad riskbild 2025"
        assert properties.author == "Exempelstad"
        assert properties.last_modified_by == "Exempelstad"
        with zipfile.ZipFile(io.BytesIO(self.content)) as archive:
            for name in archive.namelist():
                assert b"python-docx" not in archive.read(name), name

    def test_the_header_holds_the_running_head_and_the_footer_page_x_of_y(self) -> None:
        section = self.word.sections[0]
        assert section.header.paragraphs[0].text == "Socialnämnden · Dnr SN-2024/259"
        footer = section.footer.paragraphs[0]
        instructions = [text.text.strip() for text in footer._p.iter(qn("w:instrText"))]
        assert instructions == ["PAGE", "NUMPAGES"]
        assert footer.text == "Sida 1 (1)"

    def test_title_and_numbered_headings_use_words_built_in_styles(self) -> None:
        styled = [(p.style.name, p.text) for p in self.word.paragraphs if p.text]
        assert styled[0] == ("Title", "Uppföljning av internkontrollplan och samlad riskbild 2025")
        assert styled[1] == ("Subtitle", "Socialnämnden – uppföljning per tertial 2 (maj–augusti)")
        headings = [(name, text) for name, text in styled if name.startswith("Heading")]
        assert headings == [
            ("Heading 1", "1 Sammanfattning"),
            ("Heading 1", "2 Riskmatris"),
            ("Heading 1", "3 Samlad riskbild"),
            ("Heading 1", "4 Risker"),
            ("Heading 2", "4.1 Felaktiga utbetalningar"),
            ("Heading 3", "4.1.1 Kontroller"),
            ("Heading 4", "4.1.2 Svar"),
            ("Heading 1", "5 Alla nämnder"),
            ("Heading 1", "6 Avslutning"),
        ]

    def test_every_table_is_exactly_as_wide_as_its_sections_text(self) -> None:
        tables = list(tables_with_sections(self.word))
        assert len(tables) == 5
        for table, section in tables:
            columns = grid(table)
            assert sum(columns) == text_width(section)
            properties = table._tbl.tblPr
            assert properties.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
            assert int(properties.find(qn("w:tblW")).get(qn("w:w"))) == text_width(section)
            for row in table.rows:
                assert cell_widths(row) == spanned(columns, row)

    def test_the_wide_tables_get_the_landscape_pages_text_width(self) -> None:
        widths = {
            table.cell(0, 1).text: text_width(section)
            for table, section in tables_with_sections(self.word)
        }
        landscape, portrait = A4[1] - 2 * 1418, A4[0] - 2 * 1418
        assert widths["Risk"] == widths["Risker"] == landscape  # the long list; all committees
        assert widths["Riskvärde"] == widths["Text"] == portrait

    def test_columns_follow_their_weights_but_fit_their_header_words(self) -> None:
        table = next(
            t for t, _section in tables_with_sections(self.word) if t.cell(0, 0).text == "Id"
        )
        columns = grid(table)
        assert columns[1] > columns[0] * 3  # "Risk" weighs 12, "Id" 3
        narrow = next(
            t for t, _section in tables_with_sections(self.word) if t.cell(0, 1).text == "Riskvärde"
        )
        columns = grid(narrow)
        size = int(narrow.cell(0, 0).paragraphs[0].runs[0]._r.rPr.find(qn("w:sz")).get(qn("w:val")))
        for header, width in zip(NARROW_HEADERS, columns, strict=True):
            assert width > measure.longest_word_width(header, size / 2), header

    def test_header_rows_repeat_and_rows_split_only_when_taller_than_a_third_of_a_page(
        self,
    ) -> None:
        for table, _section in tables_with_sections(self.word):
            repeated = row_flags(table, "w:tblHeader")
            if table.cell(0, 0).text == "Sannolikhet":
                assert not any(repeated)  # the matrix has no header row
                continue
            assert repeated == [True] + [False] * (len(table.rows) - 1)
            unsplit = row_flags(table, "w:cantSplit")
            if table.cell(0, 0).text == "Fält":
                assert unsplit == [True, False]
            else:
                assert all(unsplit)

    def test_a_caption_comes_only_when_the_heading_does_not_already_say_it(self) -> None:
        texts = [p.text for p in self.word.paragraphs]
        assert "Samlad riskbild" not in texts  # the heading "3 Samlad riskbild" says it
        captions = [p for p in self.word.paragraphs if p.style.name == "Caption"]
        assert [p.text for p in captions] == ["Uppföljning per period", "Lång text", "Alla nämnder"]
        assert all(p.paragraph_format.keep_with_next for p in captions)

    def test_fields_give_each_label_in_bold_above_its_text_and_leave_empty_ones_out(self) -> None:
        texts = [p.text for p in self.word.paragraphs]
        start = texts.index("Riskbeskrivning")
        assert texts[start : start + 6] == [
            "Riskbeskrivning",
            "Utbetalningar görs på felaktigt underlag.",
            "Befintliga kontroller",
            "Attest i två steg.",
            "Stickprov.",
            "Uppföljning per period",
        ]
        label = self.word.paragraphs[start]
        assert label.runs[0].bold and label.paragraph_format.keep_with_next
        assert "Konsekvensbeskrivning" not in texts

    def test_the_matrix_shades_each_cell_and_names_its_level_in_full(self) -> None:
        table = next(
            t for t, _s in tables_with_sections(self.word) if t.cell(0, 0).text == "Sannolikhet"
        )
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        assert rows[1][0] == "Mycket sannolik"
        assert rows[1][4] == "2\nMycket hög"  # probability 4 × consequence 4: (4 + 4) % 3
        assert rows[-2][1:] == ["Försumbar", "Lindrig", "Allvarlig", "Mycket allvarlig"]
        assert rows[-1][-1] == "Konsekvens"
        cell = table.cell(1, 4)
        fill = cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
        assert fill == "c62828"
        assert str(cell.paragraphs[0].runs[0].font.color.rgb) == "FFFFFF"
        text = "\n".join(cell.text for row in table.rows for cell in row.cells)
        assert not re.search(r"\b(Me|My)\b", text)
        paragraphs = [p.text for p in self.word.paragraphs]
        legend = next(text for text in paragraphs if text.startswith("Teckenförklaring"))
        for key in LEVELS:
            assert key.name in legend
        assert picture().description in paragraphs

    def test_text_is_kept_as_written_and_characters_xml_cannot_hold_are_dropped(self) -> None:
        table = next(
            t for t, _section in tables_with_sections(self.word) if t.cell(0, 1).text == "Riskvärde"
        )
        assert table.cell(1, 3).text == "pågående <&> klar"
        assert table.cell(2, 4).text == "Rad ett\nrad två"
        assert table.cell(2, 1).text == ""

    def test_dates_keep_together_on_one_line(self) -> None:
        table = next(t for t, _s in tables_with_sections(self.word) if t.cell(0, 0).text == "Id")
        cell = table.cell(1, 5)
        assert cell.text == "2025-09-15"
        assert len(cell._tc.findall(f".//{qn('w:noBreakHyphen')}")) == 2


class OwnTemplateTests(SimpleTestCase):
    """On an organisation's US Letter template with 2 cm margins and a header of its own."""

    def setUp(self) -> None:
        self.word = read(rendered()["letter"])
        self.verdana = read(rendered()["verdana"])

    def test_its_page_and_margins_are_kept_and_tables_fit_its_text_width(self) -> None:
        first = self.word.sections[0]
        assert (twips(first.page_width), twips(first.page_height)) == (12240, 15840)
        assert round(first.left_margin.cm, 2) == 2.0
        for table, section in tables_with_sections(self.word):
            assert sum(grid(table)) == text_width(section)
        assert text_width(first) == 12240 - 2 * 1134

    def test_its_header_is_kept_with_the_running_head_added_below(self) -> None:
        header = [p.text for p in self.word.sections[0].header.paragraphs]
        assert header == ["Exempelstads logga", "Socialnämnden · Dnr SN-2024/259"]

    def test_columns_are_wider_for_a_font_wider_than_arial(self) -> None:
        def id_column(word: WordDocument) -> int:
            return next(
                grid(t)[0]
                for t, _s in tables_with_sections(word)
                if t.cell(0, 1).text == "Riskvärde"
            )

        assert measure.font_scale("Verdana") > measure.font_scale("arial") == 1.0
        assert measure.font_scale("Calibri") == 1.0
        assert id_column(self.verdana) > id_column(self.word)

    def test_its_styles_get_swedish_as_their_language(self) -> None:
        languages = {lang.get(qn("w:val")) for lang in self.word.styles.element.iter(qn("w:lang"))}
        assert languages == {"sv-SE"}


# LibreOffice --------------------------------------------------------------------------------


@functools.cache
def profile() -> Path:
    """One LibreOffice profile per test session, so that parallel sessions do not clash."""
    path = Path(tempfile.mkdtemp(prefix="ik-soffice-"))
    atexit.register(shutil.rmtree, path, True)
    return path


def to_pdf(files: dict[str, bytes]) -> dict[str, bytes]:
    """The .docx files as PDFs made by LibreOffice, all in one run of it."""
    if not SOFFICE.exists():
        pytest.fail(f"{MISSING}; in CI they must run (apt-get install libreoffice-writer-nogui).")
    with tempfile.TemporaryDirectory(prefix="ik-word-") as directory:
        root = Path(directory)
        for name, content in files.items():
            (root / f"{name}.docx").write_bytes(content)
        command = [
            str(SOFFICE),
            f"-env:UserInstallation={profile().as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(root / "pdf"),
            *(str(root / f"{name}.docx") for name in files),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=300)  # noqa: S603
        return {name: (root / "pdf" / f"{name}.pdf").read_bytes() for name in files}


def header_words(content: bytes) -> list[str]:
    word = read(content)
    return [
        token
        for table in word.tables
        if row_flags(table, "w:tblHeader")[0]
        for cell in table.rows[0].cells
        for token in cell.text.split()
    ]


def _tokens(texts: Iterator[str]) -> list[str]:
    return [token.strip(".,:;()") for text in texts for token in text.split()]


def broken_header_words(content: bytes, printed: list[pages.Page]) -> list[str]:
    """Header words printed whole fewer times than the document holds them (once per page
    would be more, as the header rows repeat); a word broken at a line end is not whole."""
    word = read(content)
    written = _tokens(
        iter(
            [p.text for p in word.paragraphs]
            + [cell.text for table in word.tables for row in table.rows for cell in row.cells]
        )
    )
    seen = _tokens(w.text for page in printed for w in page.words)
    return [
        token
        for token in dict.fromkeys(_tokens(iter(header_words(content))))
        if seen.count(token) < written.count(token)
    ]


@pytest.fixture(scope="module")
def printed() -> dict[str, list[pages.Page]]:
    return {name: pages.read(pdf) for name, pdf in to_pdf(rendered()).items()}


@needs_libreoffice
class TestPrintedByLibreOffice:
    def test_every_page_is_a4_and_the_wide_tables_are_on_landscape_pages(
        self, printed: dict[str, list[pages.Page]]
    ) -> None:
        sample = printed["sample"]
        assert pages.not_a4(sample) == []
        landscape = {page.number for page in sample if page.landscape}
        holding = {page.number for page in sample if "Kontrollaktiviteter" in page.text()}
        assert holding and holding <= landscape
        first_list_page = next(page for page in sample if "r-0" in page.text().split())
        assert first_list_page.landscape

    def test_no_word_is_drawn_past_a_margin(self, printed: dict[str, list[pages.Page]]) -> None:
        assert pages.words_past_margins(printed["sample"], MARGIN_MM) == []
        assert pages.words_past_margins(printed["letter"], 20) == []
        assert pages.words_past_margins(printed["verdana"], 20) == []

    def test_no_table_header_word_is_broken_across_lines(
        self, printed: dict[str, list[pages.Page]]
    ) -> None:
        for name, content in rendered().items():
            words = header_words(content)
            assert {"Uppföljningsperiod", "Kontrollaktiviteter", "Riskvärde"} <= set(words)
            broken = broken_header_words(content, printed[name])
            if name == "verdana":
                # Seventeen columns cannot all hold their words in Verdana; the others must.
                broken = [word for word in broken if word not in WIDE_HEADERS]
            assert broken == [], name

    def test_pages_are_numbered_sida_x_of_y(self, printed: dict[str, list[pages.Page]]) -> None:
        sample = printed["sample"]
        count = len(sample)
        assert count > 4
        assert f"Sida 1 ({count})" in sample[0].text()
        assert f"Sida {count} ({count})" in sample[-1].text()
        assert "Socialnämnden · Dnr SN-2024/259" in sample[-1].text()


@needs_libreoffice
class DemoReportsPrintTests(TestCase):
    """Every report kind of the demo's largest committee, in Word and printed by LibreOffice."""

    period = "T2"

    @classmethod
    def load(cls) -> ControlPlan:
        call_command("demo", quiet_logins=True, stdout=io.StringIO())
        return ControlPlan.objects.select_related("unit").get(unit__external_id="sn", year=2025)

    @classmethod
    def setUpTestData(cls) -> None:
        plan = cls.load()
        cls.files = {
            kind: make(
                kind, plan, fmt="docx", period_code=cls.period if spec.takes_period else None
            ).content
            for kind, spec in KINDS.items()
        }
        cls.printed = {name: pages.read(pdf) for name, pdf in to_pdf(cls.files).items()}

    def test_every_section_is_a4_in_swedish_and_every_table_fits_its_text(self) -> None:
        for kind, content in self.files.items():
            word = read(content)
            for section in word.sections:
                assert sorted((twips(section.page_width), twips(section.page_height))) == list(A4)
            languages = {lang.get(qn("w:val")) for lang in word.styles.element.iter(qn("w:lang"))}
            assert languages == {"sv-SE"}, kind
            for table, section in tables_with_sections(word):
                assert sum(grid(table)) == text_width(section), kind

    def test_every_page_is_a4_and_no_word_is_past_a_margin(self) -> None:
        for kind, printed in self.printed.items():
            assert pages.not_a4(printed) == [], kind
            assert pages.words_past_margins(printed, MARGIN_MM) == [], kind

    def test_no_table_header_word_is_broken(self) -> None:
        for kind, content in self.files.items():
            assert header_words(content) or not read(content).tables, kind
            assert broken_header_words(content, self.printed[kind]) == [], kind


@needs_libreoffice
class CareCommitteePrintTests(DemoReportsPrintTests):
    """The same checks on a real committee's plan, imported (five risks, eleven actions)."""

    period = "VB"

    @classmethod
    def load(cls) -> ControlPlan:
        import_fixture("care_follow_up.json")
        return ControlPlan.objects.select_related("unit").get(unit__external_id="on")


@needs_libreoffice
class SocialCommitteePrintTests(DemoReportsPrintTests):
    """And on another: recommendations from two audits, a plan of four reviewed risks."""

    @classmethod
    def load(cls) -> ControlPlan:
        import_fixture("social_follow_up.json")
        return ControlPlan.objects.select_related("unit").get(unit__external_id="snn")
