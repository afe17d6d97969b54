import html
import io
import tempfile
import zipfile

import docx
import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings
from django.urls import reverse
from django.utils import translation

from internkontroll.followups.evidence import ACCEPTED, display_name
from internkontroll.followups.models import Evidence
from internkontroll.risks.models import Action
from internkontroll.test import BaseTestCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class EvidenceTests(BaseTestCase):
    def setUp(self) -> None:
        self.media = self.enterContext(tempfile.TemporaryDirectory())
        self.enterContext(override_settings(MEDIA_ROOT=self.media))
        Action.objects.filter(pk=self.sn_action.pk).update(assignee=self.responsible)

    def report(self, *files: SimpleUploadedFile) -> object:
        self.client.force_login(self.responsible)
        return self.client.post(
            reverse("followups:report_action", args=[self.sn_action.pk]),
            {
                "period": self.organisation.periods.get(code="T2").pk,
                "date": "2025-09-05",
                "status": "in_progress",
                "comment": "Se bifogat protokoll.",
                "version": 1,
                "evidence": list(files),
            },
        )

    def test_files_are_attached_to_the_follow_up_and_served_to_people_who_may_see_it(self) -> None:
        response = self.report(
            SimpleUploadedFile("protokoll.pdf", PDF), SimpleUploadedFile("bild.png", PNG)
        )
        assert response.status_code == 302
        pdf = Evidence.objects.get(name="protokoll.pdf")
        assert pdf.content_type == "application/pdf"
        assert pdf.file.path.startswith(self.media)
        assert "protokoll" not in pdf.file.name  # stored under a random name
        self.client.force_login(self.reader)
        download = self.client.get(reverse("followups:evidence", args=[pdf.pk]))
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF
        assert "attachment" in download["Content-Disposition"]
        assert download["X-Content-Type-Options"] == "nosniff"

    def test_outsiders_and_anonymous_users_cannot_download(self) -> None:
        self.report(SimpleUploadedFile("protokoll.pdf", PDF))
        pdf = Evidence.objects.get()
        url = reverse("followups:evidence", args=[pdf.pk])
        self.client.logout()
        assert self.client.get(url).status_code == 302
        self.client.force_login(self.outsider)
        assert self.client.get(url).status_code == 404

    def test_a_file_that_is_not_a_document_or_image_is_refused_and_nothing_is_stored(self) -> None:
        response = self.report(SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf at all"))
        assert response.status_code == 422
        assert "virus.pdf" in response.content.decode()
        assert not Evidence.objects.exists()
        assert self.sn_action.follow_ups.count() == 1

    @override_settings(IK_EVIDENCE_MAX_BYTES=1024)
    def test_a_file_that_is_too_large_is_refused(self) -> None:
        big = SimpleUploadedFile("stor.pdf", PDF + b"0" * 2048)
        response = self.report(big)
        assert response.status_code == 422
        assert "stor.pdf" in response.content.decode()
        assert not Evidence.objects.exists()

    def test_the_download_rejects_post(self) -> None:
        self.report(SimpleUploadedFile("protokoll.pdf", PDF))
        assert (
            self.client.post(
                reverse("followups:evidence", args=[Evidence.objects.get().pk])
            ).status_code
            == 405
        )


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def with_part(package: bytes, name: str, content: bytes) -> bytes:
    buffer = io.BytesIO(package)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def with_content_types(package: bytes, old: bytes, new: bytes) -> bytes:
    """The package with one content type in [Content_Types].xml replaced."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data.replace(old, new) if info.filename.startswith("[") else data)
    return buffer.getvalue()


def odf_bytes(mime: str, *parts: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mime, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
        for part in parts:
            archive.writestr(part, "<script/>")
    return buffer.getvalue()


XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024


class EvidenceTypeTests(EvidenceTests):
    """What is accepted, under which name and type, and why the rest is refused."""

    def refusal(self, name: str, content: bytes) -> str:
        response = self.report(SimpleUploadedFile(name, content))
        assert response.status_code == 422, name
        assert not Evidence.objects.exists()
        return " ".join(html.unescape(response.content.decode()).split())

    def download(self, evidence: Evidence) -> object:
        self.client.force_login(self.reader)
        return self.client.get(reverse("followups:evidence", args=[evidence.pk]))

    def test_a_file_is_stored_and_served_under_the_extension_of_its_content(self) -> None:
        assert self.report(SimpleUploadedFile("protokoll.txt", PDF)).status_code == 302
        pdf = Evidence.objects.get()
        assert pdf.name == "protokoll.txt.pdf"
        assert pdf.file.name.endswith(".pdf")
        response = self.download(pdf)
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="protokoll.txt.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_an_image_with_the_wrong_extension_gets_the_right_one(self) -> None:
        assert self.report(SimpleUploadedFile("bild.jpg", PNG)).status_code == 302
        image = Evidence.objects.get()
        assert (image.name, image.content_type) == ("bild.png", "image/png")
        assert image.file.name.endswith(".png")

    def test_word_and_excel_files_are_accepted_by_their_content(self) -> None:
        response = self.report(
            SimpleUploadedFile("Rapport.DOCX", docx_bytes()),
            SimpleUploadedFile("siffror", xlsx_bytes()),
        )
        assert response.status_code == 302
        stored = {item.name: item.content_type for item in Evidence.objects.all()}
        assert stored == {
            "Rapport.docx": "application/vnd.openxmlformats-officedocument"
            ".wordprocessingml.document",
            "siffror.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }

    def test_an_opendocument_text_is_accepted(self) -> None:
        odt = odf_bytes("application/vnd.oasis.opendocument.text")
        assert self.report(SimpleUploadedFile("beslut.odt", odt)).status_code == 302
        assert Evidence.objects.get().content_type == "application/vnd.oasis.opendocument.text"

    def test_a_pdf_named_as_a_program_script_or_web_page_is_refused(self) -> None:
        for name in ("rapport.hta", "start.bat", "sida.html", "bild.svg", "program.exe"):
            text = self.refusal(name, PDF)
            extension = name.rsplit(".", 1)[1]
            assert f"{name} har filändelsen .{extension}" in text, name
            assert "tas inte emot" in text

    def test_a_program_is_refused_whatever_its_name(self) -> None:
        text = self.refusal("protokoll.pdf", b"MZ\x90\x00" + b"\x00" * 128)
        assert "protokoll.pdf är ett program" in text

    def test_web_pages_svg_images_and_scripts_are_refused_as_text(self) -> None:
        for name, content in (
            ("sida.pdf", b"<html><script>alert(1)</script></html>"),
            ("bild.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
            ("rapport", b"#!/bin/sh\nrm -rf /\n"),
        ):
            assert f"{name} är en textfil" in self.refusal(name, content), name

    def test_office_files_with_macros_are_refused(self) -> None:
        cases = {
            "makro.docx": with_part(docx_bytes(), "word/vbaProject.bin", b"\x00" * 64),
            "makro.xlsx": with_content_types(xlsx_bytes(), XLSX_MAIN, XLSM_MAIN),
            "rapport.docm": docx_bytes(),
            "beslut.odt": odf_bytes(
                "application/vnd.oasis.opendocument.text", "Basic/Standard/Module1.xml"
            ),
        }
        for name, content in cases.items():
            assert f"{name} innehåller makron" in self.refusal(name, content), name

    def test_old_office_files_are_refused_since_they_can_hold_macros(self) -> None:
        text = self.refusal("budget.xls", OLE)
        assert "budget.xls har ett äldre Office-format" in text

    def test_an_archive_is_refused_with_the_list_of_accepted_types(self) -> None:
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as package:
            package.writestr("readme.txt", "hej")
        text = self.refusal("arkiv.zip", archive.getvalue())
        assert "arkiv.zip är inte av någon av de filtyper som tas emot" in text
        assert "Word (.docx)" in text and "OpenDocument-text (.odt)" in text

    def test_a_damaged_package_is_refused(self) -> None:
        text = self.refusal("trasig.docx", docx_bytes()[:200])
        assert "trasig.docx går inte att läsa som ett dokument" in text

    def test_every_refused_file_is_named_when_several_are_sent(self) -> None:
        text = self.refusal("start.bat", PDF)
        assert "start.bat" in text
        response = self.report(
            SimpleUploadedFile("ok.pdf", PDF), SimpleUploadedFile("sida.html", b"<html>")
        )
        assert response.status_code == 422
        assert "sida.html" in response.content.decode()
        assert not Evidence.objects.exists()

    def test_a_file_stored_before_the_checks_is_served_under_its_type(self) -> None:
        self.report(SimpleUploadedFile("protokoll.pdf", PDF))
        legacy = Evidence.objects.get()
        Evidence.objects.filter(pk=legacy.pk).update(name="protokoll.hta")
        response = self.download(Evidence.objects.get())
        assert response["Content-Disposition"] == 'attachment; filename="protokoll.hta.pdf"'
        Evidence.objects.filter(pk=legacy.pk).update(name="sida.html", content_type="text/html")
        response = self.download(Evidence.objects.get())
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"] == 'attachment; filename="sida.html.bin"'


class DisplayNameTests(SimpleTestCase):
    def test_folders_control_and_direction_characters_are_removed(self) -> None:
        pdf = ACCEPTED["application/pdf"]
        assert display_name("..\\..\\Windows\\rap\u202eport\x07.PDF", pdf) == "rapport.pdf"
        assert display_name("bild\u202egnp.exe", ACCEPTED["image/png"]) == "bildgnp.exe.png"
        assert display_name('a<b>:"c"|?*.pdf', pdf) == "a_b___c____.pdf"

    def test_an_empty_or_reserved_name_gets_a_harmless_one(self) -> None:
        pdf = ACCEPTED["application/pdf"]
        with translation.override("sv"):
            assert display_name(" . . ", pdf) == "underlag.pdf"
        assert display_name("CON.pdf", pdf) == "_CON.pdf"

    def test_a_long_name_is_shortened_but_keeps_its_extension(self) -> None:
        name = display_name("x" * 400 + ".pdf", ACCEPTED["application/pdf"])
        assert len(name) <= 255
        assert name.endswith("x.pdf")
