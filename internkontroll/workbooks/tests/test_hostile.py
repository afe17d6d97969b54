"""Hostile workbooks: refused clearly, by sheet, row and column where there is one; never a
500, and nothing is written."""

from __future__ import annotations

import datetime
import io
import tempfile
import zipfile

import openpyxl
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from internkontroll.risks.models import Risk
from internkontroll.test import BaseTestCase
from internkontroll.workbooks.models import PendingWorkbook
from internkontroll.workbooks.reader import MAX_BYTES, Refused
from internkontroll.workbooks.tests.helpers import changeset, download, edited, problems

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def repacked(
    content: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    """The package with parts replaced or added, as a person's tool might write them."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = (replace or {}).get(info.filename, source.read(info))
            target.writestr(info.filename, data)
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return buffer.getvalue()


def saved(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@time_machine.travel(datetime.datetime(2025, 9, 10, 10, tzinfo=datetime.UTC), tick=False)
class HostileWorkbookTests(BaseTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        media = cls.enterClassContext(tempfile.TemporaryDirectory())
        cls.enterClassContext(override_settings(MEDIA_ROOT=media))
        super().setUpClass()

    def history(self) -> int:
        return Risk.history.count()  # type: ignore[attr-defined]

    def upload(self, content: bytes, name: str = "plan.xlsx") -> str:
        """Upload, try to apply whatever the preview offers; the page the person reads."""
        before = self.history()
        self.client.force_login(self.coordinator)
        response = self.client.post(
            reverse("workbooks:upload", args=[self.sn_plan.pk]),
            {"file": SimpleUploadedFile(name, content, content_type=XLSX)},
        )
        assert response.status_code in (302, 422)
        if response.status_code == 302:
            preview = self.client.get(response["Location"])
            assert preview.status_code == 200
            pending = PendingWorkbook.objects.get()
            applied = self.client.post(
                reverse("workbooks:apply", args=[pending.pk]),
                {"fingerprint": preview.context["fingerprint"]},
            )
            assert applied.status_code == 422
            text = preview.content.decode()
        else:
            assert not PendingWorkbook.objects.exists()
            text = response.content.decode()
        assert self.history() == before
        self.sn_risk.refresh_from_db()
        assert self.sn_risk.title == "Felaktiga utbetalningar"
        return text

    def test_a_formula_is_refused_with_its_cell_named(self) -> None:
        content = edited(download(self.sn_plan), "Risker", {"C2": '=HYPERLINK("http://x")'})

        result = problems(changeset(self.sn_plan, content))

        assert any(
            "blad Risker, rad 2, kolumn C (Rubrik)" in problem and "formel" in problem
            for problem in result
        ), result
        assert "formel" in self.upload(content)

    def test_a_workbook_with_macros_is_refused(self) -> None:
        content = repacked(download(self.sn_plan), add={"xl/vbaProject.bin": b"\x00" * 100})

        text = self.upload(content, "plan.xlsm")

        assert "makro" in text

    def test_a_macro_enabled_content_type_is_refused(self) -> None:
        content = download(self.sn_plan)
        manifest = zipfile.ZipFile(io.BytesIO(content)).read("[Content_Types].xml")
        manifest = manifest.replace(
            b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
        )
        content = repacked(content, replace={"[Content_Types].xml": manifest})

        with self.assertRaises(Refused):
            changeset(self.sn_plan, content)
        assert "makro" in self.upload(content)

    def test_merged_cells_are_refused_with_the_sheet_and_range(self) -> None:
        book = openpyxl.load_workbook(io.BytesIO(download(self.sn_plan)))
        book["Åtgärder"].merge_cells("D2:E2")
        content = saved(book)

        with self.assertRaises(Refused) as refused:
            changeset(self.sn_plan, content)

        (problem,) = refused.exception.problems
        assert problem.sheet == "Åtgärder"
        assert "D2:E2" in problem.message
        assert "sammanfogade" in self.upload(content)

    def test_a_file_over_the_limit_is_refused_before_it_is_read(self) -> None:
        content = b"PK\x03\x04" + b"\x00" * (20 * 1024 * 1024)
        assert len(content) > MAX_BYTES

        text = self.upload(content)

        assert "20,0 MB" in text
        assert "10,0 MB" in text

    def test_a_renamed_pdf_is_refused(self) -> None:
        text = self.upload(b"%PDF-1.4\n%%EOF\n", "plan.xlsx")

        assert "inte en Excel-arbetsbok" in text

    def test_a_renamed_text_file_is_refused(self) -> None:
        text = self.upload("risk;titel\nr-1;Något\n".encode(), "plan.xlsx")

        assert "textfil" in text

    def test_a_renamed_word_document_is_refused(self) -> None:
        docx = io.BytesIO()
        import docx as python_docx

        python_docx.Document().save(docx)

        text = self.upload(docx.getvalue(), "plan.xlsx")

        assert "inte en Excel-arbetsbok" in text

    def test_a_zip_bomb_is_refused(self) -> None:
        bomb = repacked(
            download(self.sn_plan), add={"xl/media/bomb.bin": b"\x00" * (120 * 1024 * 1024)}
        )
        assert len(bomb) < MAX_BYTES

        with self.assertRaises(Refused) as refused:
            changeset(self.sn_plan, bomb)

        assert "mer än 100 MB" in str(refused.exception)
        assert "mer än 100 MB" in self.upload(bomb)

    def test_an_xml_entity_declaration_is_refused(self) -> None:
        content = download(self.sn_plan)
        styles = zipfile.ZipFile(io.BytesIO(content)).read("xl/styles.xml")
        declaration = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        styles = declaration + styles.split(b"?>", 1)[-1]
        content = repacked(content, replace={"xl/styles.xml": styles})

        with self.assertRaises(Refused):
            changeset(self.sn_plan, content)

    def test_more_rows_than_allowed_are_refused(self) -> None:
        book = openpyxl.Workbook(write_only=True)
        source = openpyxl.load_workbook(io.BytesIO(download(self.sn_plan)))
        for worksheet in source.worksheets:
            target = book.create_sheet(worksheet.title)
            for row in worksheet.iter_rows(values_only=True):
                target.append(row)
            if worksheet.title == "Risker":
                for number in range(100_000):
                    target.append([f"x-{number}", None, f"Risk {number}"])
        content = saved(book)

        with self.assertRaises(Refused) as refused:
            changeset(self.sn_plan, content)

        assert "fler än 10 000 rader" in str(refused.exception)
        assert "fler än 10 000 rader" in self.upload(content)

    def test_a_cell_far_down_is_refused_without_reading_a_million_rows(self) -> None:
        content = edited(download(self.sn_plan), "Risker", {"C1000000": "Långt ner"})

        with self.assertRaises(Refused) as refused:
            changeset(self.sn_plan, content)

        assert "fler än 10 000 rader" in str(refused.exception)

    def test_an_error_value_is_named(self) -> None:
        content = edited(download(self.sn_plan), "Risker", {"C2": "#N/A"})
        book = openpyxl.load_workbook(io.BytesIO(content))
        book["Risker"]["C2"].data_type = "e"
        content = saved(book)

        result = problems(changeset(self.sn_plan, content))

        assert any("kolumn C (Rubrik)" in problem for problem in result), result

    def test_a_workbook_for_another_plan_is_refused(self) -> None:
        content = download(self.bn_plan)

        result = problems(changeset(self.sn_plan, content))

        assert any("Barn- och utbildningsnämnden 2025" in problem for problem in result)
