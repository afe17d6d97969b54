"""Every kind in every format from the demo data, read back as a reader would see it."""

import io
import re
import zipfile

import docx
from django.core.management import call_command
from django.test import TestCase

from internkontroll.plans.models import ControlPlan
from internkontroll.reports.kinds import KINDS
from internkontroll.reports.render import FORMATS
from internkontroll.reports.requests import make
from internkontroll.reports.tests.helpers import docx_text, pdf_text, workbook, xlsx_text

PERIOD = "T2"


class DemoReportsTests(TestCase):
    """Socialnämnden 2025, the largest committee of the demo, in all 28 combinations."""

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("demo", quiet_logins=True, stdout=io.StringIO())
        cls.plan = ControlPlan.objects.select_related("unit").get(unit__external_id="sn", year=2025)
        cls.files = {
            (kind, fmt): make(
                kind,
                cls.plan,
                fmt=fmt,
                period_code=PERIOD if spec.takes_period else None,
            )
            for kind, spec in KINDS.items()
            for fmt in FORMATS
        }

    def text(self, kind: str, fmt: str) -> str:
        content = self.files[(kind, fmt)].content
        reader = {
            "html": lambda c: re.sub(r"<[^>]+>", " ", c.decode()),
            "pdf": pdf_text,
            "docx": docx_text,
            "xlsx": xlsx_text,
        }[fmt]
        return reader(content)

    def test_every_file_carries_its_title_and_committee(self) -> None:
        titles = {
            "risk-picture": "Samlad riskbild",
            "control-plan": "Internkontrollplan",
            "follow-up": "Uppföljning av internkontrollplan och samlad riskbild",
            "critical-risks": "Uppföljning av kritiska risker",
            "assessment": "Bedömning av nämndens interna kontroll",
            "recommendations": "Uppföljning av revisionens rekommendationer",
            "overview": "Översikt över alla nämnder",
        }
        for (kind, fmt), made in self.files.items():
            text = " ".join(self.text(kind, fmt).split())
            assert titles[kind] in text, (kind, fmt)
            # The overview is the organisation's; every other document is the committee's.
            assert ("Exempelkommun" if kind == "overview" else "Socialnämnden") in text, (kind, fmt)
            assert made.content_type == FORMATS[fmt]

    def test_the_follow_up_holds_levels_scores_statuses_comments_and_dates(self) -> None:
        facts = [
            "Felaktiga utbetalningar av ekonomiskt bistånd",
            "Kritisk",
            "Checklista för underlag vid nyansökan",
            "Avslutad",
            "Pågående",
            "2025-09-15",
            "Två gemensamma ärenden har lett till polisanmälan.",
            "Tolv risker har identifierats",
        ]
        for fmt in FORMATS:
            text = " ".join(self.text("follow-up", fmt).split())
            for fact in facts:
                assert fact in text, (fmt, fact)

    def test_the_risk_picture_shows_the_latest_comment_with_its_date(self) -> None:
        for fmt in FORMATS:
            text = " ".join(self.text("risk-picture", fmt).split())
            assert "2026-01-27" in text, fmt
            assert "blir en permanent del av arbetssättet" in text, fmt

    def test_the_pdfs_hold_the_matrix_with_level_names_and_axes(self) -> None:
        for kind in ("risk-picture", "control-plan", "follow-up", "critical-risks"):
            text = self.text(kind, "pdf")
            assert "Riskmatris" in text, kind
            for name in ("Låg", "Medel", "Hög", "Kritisk", "Sannolikhet", "Konsekvens", "Möjlig"):
                assert name in text, (kind, name)

    def test_the_web_page_draws_an_accessible_matrix_and_prints_page_numbers(self) -> None:
        html = self.files[("risk-picture", "html")].content.decode()
        assert "<svg" in html and "<title" in html and "<desc" in html
        assert "counter(page)" in html
        assert "@page" in html

    def test_word_files_have_headings_and_tables_with_a_repeated_header_row(self) -> None:
        for kind in KINDS:
            content = self.files[(kind, "docx")].content
            document = docx.Document(io.BytesIO(content))
            styles = {paragraph.style.name for paragraph in document.paragraphs}
            assert "Heading 1" in styles, kind
            assert document.tables, kind
            xml = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
            assert "w:tblHeader" in xml, kind
            footer = zipfile.ZipFile(io.BytesIO(content)).read("word/footer1.xml").decode()
            assert "PAGE" in footer, kind

    def test_the_word_matrix_is_shaded_in_the_level_colours(self) -> None:
        content = self.files[("risk-picture", "docx")].content
        xml = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
        assert 'w:fill="c62828"' in xml
        text = docx_text(content)
        for name in ("Låg", "Medel", "Hög", "Kritisk"):
            assert name in text
        assert "K = Kritisk" not in text  # levels are named in full, never abbreviated

    def test_excel_sheets_have_a_bold_frozen_header_and_real_dates(self) -> None:
        book = workbook(self.files[("follow-up", "xlsx")].content)
        assert "Riskmatris" in book.sheetnames
        actions = book["Åtgärder"]
        assert actions.freeze_panes == "A2"
        assert all(cell.font.bold for cell in actions[1])
        due = [cell for cell in actions["F"][1:] if cell.value is not None]
        assert due and all(cell.is_date for cell in due)
        matrix = book["Riskmatris"]
        fills = {cell.fill.fgColor.rgb for row in matrix.iter_rows() for cell in row}
        assert "00C62828" in fills

    def test_the_overview_sets_the_committees_side_by_side(self) -> None:
        text = self.text("overview", "xlsx")
        for name in ("Socialnämnden", "Kommunstyrelsen", "Äldrenämnden", "Utbildningsnämnden"):
            assert name in text
