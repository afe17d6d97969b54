"""Workbooks as a coordinator opens and prints them: properties, summary, matrix, print set-up."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from typing import Any

from django.core.management import call_command
from django.test import SimpleTestCase, TestCase
from django.utils import translation

from internkontroll.organisation.defaults import DEFAULT_RISK_MATRIX
from internkontroll.organisation.models import RiskMatrix
from internkontroll.plans.models import ControlPlan
from internkontroll.reports.document import Document, Paragraph, Section, Table
from internkontroll.reports.kinds import KINDS
from internkontroll.reports.matrix import build_picture
from internkontroll.reports.render.xlsx import render_xlsx
from internkontroll.reports.requests import lay_out, make
from internkontroll.reports.tests.helpers import workbook

AUTHOR = "Exempelkommun"
RUNNING_HEAD = "Socialnämnden & Arbetsmarknad – SN-2026/12"
ANALYSIS = (
    "Kontrollerna har genomförts enligt plan. Två avvikelser har lett till åtgärder som "
    "följs upp under året, och rutinerna för attest har förtydligats. " * 4
).strip()


def matrix_picture() -> Any:
    fields = RiskMatrix.fields_from_document(DEFAULT_RISK_MATRIX)
    return build_picture(RiskMatrix(**fields), [(4, 4), (4, 4), (3, 2), (1, 1), (None, None)])


def sample_document() -> Document:
    risks = Table(
        "Risker",
        ["Risk", "Riskvärde", "Beskrivning", "Slutdatum"],
        [
            [f"Risk {number}", 12, '=HYPERLINK("http://x")', datetime.date(2026, 6, 30)]
            for number in range(120)
        ],
        widths=[3, 1, 6, 2],
    )
    actions = Table("Åtgärder", ["Åtgärd", "Status"], [["Ny rutin", "pågående"]], widths=[4, 1])
    return Document(
        title="Bedömning av nämndens interna kontroll 2026",
        subtitle="Socialnämnden – verksamhetsåret 2026",
        running_head=RUNNING_HEAD,
        author=AUTHOR,
        meta=[("Nämnd", "Socialnämnden"), ("Diarienummer", "SN-2026/12")],
        summary=[
            "Nämnden bedömer att den interna kontrollen har varit tillräcklig.",
            "Fyra kontrollaktiviteter skulle rapporteras till tertialrapport 1. "
            "Samtliga har genomförts och följts upp. Kontrollerna visade inga avvikelser.",
        ],
        sections=[Section("Sammanfattning", 1, [Paragraph("Nämnden bedömer …")])],
        sheets=[risks, actions],
        filename_stem="bedomning-socialnamnden-2026",
        key_fields=[
            ("Bedömning", "Tillräcklig"),
            ("Beslutsdatum", "2027-02-14"),
            ("Analys", ANALYSIS),
        ],
        matrix=matrix_picture(),
    )


def sheet_xml(content: bytes, index: int) -> str:
    return zipfile.ZipFile(io.BytesIO(content)).read(f"xl/worksheets/sheet{index}.xml").decode()


class PrintSetUpAssertions:
    def assert_prints_on_a4_landscape(self, content: bytes, running_head: str) -> None:
        book = workbook(content)
        for index, sheet in enumerate(book.worksheets, start=1):
            setup = sheet.page_setup
            assert int(setup.paperSize) == 9, sheet.title
            assert setup.orientation == "landscape", sheet.title
            assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
            page_setup = re.search(r"<pageSetup [^>]*>", sheet_xml(content, index))
            assert page_setup, sheet.title
            assert 'fitToHeight="0"' in page_setup.group(0), sheet.title
            assert int(setup.fitToWidth or 1) == 1, sheet.title
            margins = sheet.page_margins
            assert 0.5 <= margins.left <= 1 and 0.5 <= margins.top <= 1, sheet.title
            assert sheet.oddHeader.center.text == running_head.replace("&", "&&"), sheet.title
            assert sheet.oddFooter.right.text == "Sida &P (&N)", sheet.title

    def assert_authored_by(self, content: bytes, author: str) -> None:
        book = workbook(content)
        assert book.properties.creator == author
        assert book.properties.lastModifiedBy == author
        core = zipfile.ZipFile(io.BytesIO(content)).read("docProps/core.xml").decode()
        assert "openpyxl" not in core


class DocumentWorkbookTests(PrintSetUpAssertions, SimpleTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        with translation.override("sv"):
            cls.content = render_xlsx(sample_document())
        cls.book = workbook(cls.content)

    def summary_values(self) -> list[Any]:
        sheet = self.book["Sammanfattning"]
        return [cell.value for row in sheet.iter_rows() for cell in row if cell.value]

    def test_every_sheet_prints_on_a4_landscape_fitted_to_the_width(self) -> None:
        assert self.book.sheetnames == ["Sammanfattning", "Riskmatris", "Risker", "Åtgärder"]
        self.assert_prints_on_a4_landscape(self.content, RUNNING_HEAD)

    def test_the_header_row_of_every_table_is_repeated_on_every_page(self) -> None:
        for name in ("Risker", "Åtgärder"):
            sheet = self.book[name]
            assert sheet.print_title_rows == "$1:$1", name
            assert sheet.freeze_panes == "A2", name
            assert all(cell.font.bold for cell in sheet[1]), name
        assert self.book["Risker"].auto_filter.ref == "A1:D121"

    def test_the_workbook_names_its_title_author_and_language(self) -> None:
        self.assert_authored_by(self.content, AUTHOR)
        assert self.book.properties.title == "Bedömning av nämndens interna kontroll 2026"
        assert self.book.properties.language == "sv-SE"

    def test_the_summary_holds_title_meta_key_fields_and_sentences(self) -> None:
        values = self.summary_values()
        document = sample_document()
        expected = [document.title, document.subtitle, "Sammanfattning", *document.summary]
        for label, value in [*document.meta, *document.key_fields]:
            expected += [label, value]
        for text in expected:
            assert text in values, text

    def test_long_texts_wrap_in_rows_high_enough_to_show_them(self) -> None:
        sheet = self.book["Sammanfattning"]
        analysis = next(cell for row in sheet.iter_rows() for cell in row if cell.value == ANALYSIS)
        assert analysis.alignment.wrap_text
        assert sheet.row_dimensions[analysis.row].height >= 3 * 15
        assert sheet.column_dimensions["B"].width >= 80

    def test_the_matrix_names_every_level_in_full_in_its_squares(self) -> None:
        sheet = self.book["Riskmatris"]
        names = {level["name"] for level in DEFAULT_RISK_MATRIX["levels"]}
        squares = [cell for row in sheet.iter_rows(min_row=2, max_row=5) for cell in row[1:]]
        assert len(squares) == 16
        for cell in squares:
            count, level = cell.value.split("\n")
            assert level in names and count.isdigit(), cell.value
            assert cell.fill.fgColor.rgb != "00000000", cell.coordinate
        assert "2\nKritisk" in [cell.value for cell in squares]
        values = {cell.value for row in sheet.iter_rows() for cell in row if cell.value}
        assert names <= values  # the legend
        abbreviations = {"L", "M", "H", "K", "Me", "My"}
        assert not values & abbreviations
        assert not any(re.match(r"^\w{1,2} = ", str(value)) for value in values)

    def test_text_that_looks_like_a_formula_stays_text(self) -> None:
        cell = self.book["Risker"]["C2"]
        assert cell.value == '\'=HYPERLINK("http://x")'
        assert cell.data_type == "s"

    def test_dates_are_dates_and_columns_follow_their_weights(self) -> None:
        sheet = self.book["Risker"]
        assert sheet["D2"].is_date and sheet["D2"].number_format == "yyyy-mm-dd"
        assert sheet["A2"].alignment.wrap_text and sheet["D2"].alignment.wrap_text
        assert {"Tabelltext", "Tabelldatum"} <= set(self.book.named_styles)
        widths = {column: sheet.column_dimensions[column].width for column in "ABCD"}
        assert widths["C"] > widths["A"] > widths["B"]
        assert widths["B"] >= len("Riskvärde") and widths["D"] >= len("2026-06-30")


class DemoWorkbookTests(PrintSetUpAssertions, TestCase):
    """Every kind from the demo's largest committee, as the application makes it."""

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("demo", quiet_logins=True, stdout=io.StringIO())
        plan = ControlPlan.objects.select_related("unit").get(unit__external_id="sn", year=2025)
        cls.made = {}
        for kind, spec in KINDS.items():
            period = "T2" if spec.takes_period else None
            document = lay_out(kind, plan, period, None)
            content = make(kind, plan, fmt="xlsx", period_code=period).content
            cls.made[kind] = (document, content)

    def test_every_sheet_of_every_kind_prints_on_a4_landscape(self) -> None:
        for kind, (document, content) in self.made.items():
            with self.subTest(kind=kind):
                self.assert_prints_on_a4_landscape(content, document.running_head)
                self.assert_authored_by(content, document.author)
                book = workbook(content)
                for sheet in book.worksheets[1:]:
                    if sheet.title != "Riskmatris":
                        assert sheet.print_title_rows == "$1:$1", (kind, sheet.title)

    def test_the_summary_sheet_holds_every_key_field_and_sentence(self) -> None:
        for kind, (document, content) in self.made.items():
            sheet = workbook(content).worksheets[0]
            values = {cell.value for row in sheet.iter_rows() for cell in row if cell.value}
            for label, value in [*document.meta, *document.key_fields]:
                assert label in values, (kind, label)
                assert not value or value in values, (kind, value)
            for text in document.summary:
                assert text in values, (kind, text)

    def test_the_assessment_workbook_holds_the_verdict_analysis_and_decision_date(self) -> None:
        _document, content = self.made["assessment"]
        sheet = workbook(content)["Sammanfattning"]
        rows = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
        assert rows["Bedömning"] == "Delvis tillräcklig"
        assert rows["Beslutad den"] == "2026-02-24"
        assert rows["Analys"].startswith("Socialnämnden bedömer att den interna kontrollen")
        assert "Nämnden bedömer att den interna kontrollen har varit delvis tillräcklig." in rows
