"""An organisation's Word template: refused at upload when broken, the base of reports when not."""

import io
import tempfile

import docx
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from internkontroll.reports.models import ReportTemplate
from internkontroll.reports.render.docx import validate_template
from internkontroll.reports.requests import make
from internkontroll.test import BaseTestCase


def word_file(header: str = "") -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = header
    document.add_paragraph("Mallens egen text som inte ska synas i rapporten.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class ValidateTemplateTests(TestCase):
    def test_a_word_document_is_accepted(self) -> None:
        assert validate_template(io.BytesIO(word_file())) == []

    def test_a_file_that_is_not_a_word_document_is_refused_in_swedish(self) -> None:
        assert validate_template(io.BytesIO(b"%PDF-1.7 not word")) == [
            "Filen är inte ett Word-dokument (.docx)."
        ]

    def test_a_truncated_word_document_is_refused(self) -> None:
        problems = validate_template(io.BytesIO(word_file()[:2000]))
        assert problems and "Word" in problems[0]


class TemplateUseTests(BaseTestCase):
    def test_the_model_refuses_a_broken_upload(self) -> None:
        template = ReportTemplate(
            organisation=self.organisation,
            file=SimpleUploadedFile("mall.docx", b"inte en docx"),
        )
        try:
            template.full_clean()
        except ValidationError as error:
            assert "Filen är inte ett Word-dokument (.docx)." in error.messages
        else:
            raise AssertionError("a broken template was accepted")

    def test_reports_keep_the_templates_header_and_replace_its_body(self) -> None:
        with self.settings(MEDIA_ROOT=self.enterContext(tempfile.TemporaryDirectory())):
            ReportTemplate.objects.create(
                organisation=self.organisation,
                file=SimpleUploadedFile("mall.docx", word_file("Exempelstads logga")),
            )
            made = make("risk-picture", self.sn_plan, fmt="docx")
        document = docx.Document(io.BytesIO(made.content))
        assert document.sections[0].header.paragraphs[0].text == "Exempelstads logga"
        text = "\n".join(paragraph.text for paragraph in document.paragraphs)
        assert "Samlad riskbild" in text
        assert "Mallens egen text" not in text
