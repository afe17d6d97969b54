"""Word templates: the default `mall.docx`, and an organisation's own, refused at upload when it
cannot serve and the base of its reports when it can."""

import io
import tempfile
import zipfile

import docx
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, TestCase
from django.utils import translation
from docx.oxml.ns import qn

from internkontroll.reports.models import ReportTemplate
from internkontroll.reports.render.docx import (
    DOCUMENT_TYPE,
    TEMPLATE_TYPE,
    render_docx,
    validate_template,
)
from internkontroll.reports.requests import make
from internkontroll.reports.tests.test_word_layout import sample
from internkontroll.reports.word import template
from internkontroll.test import BaseTestCase


def word_file(header: str = "") -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = header
    document.add_paragraph("Mallens egen text som inte ska synas i rapporten.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def replaced(content: bytes, name: str, old: bytes, new: bytes) -> bytes:
    """The package with `old` replaced by `new` in its part `name`."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            copy.writestr(item, data.replace(old, new) if item.filename == name else data)
    return buffer.getvalue()


def parts(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


class DefaultTemplateTests(SimpleTestCase):
    def setUp(self) -> None:
        self.content = template.PATH.read_bytes()
        self.word = docx.Document(io.BytesIO(self.content))

    def test_the_committed_file_is_what_the_script_makes(self) -> None:
        with translation.override("sv"):
            made = template.build()
        assert parts(self.content) == parts(made), (
            "mall.docx is out of date: run .venv/bin/python -m internkontroll.reports.word.template"
        )

    def test_it_is_a4_with_margins_of_25_mm(self) -> None:
        section = self.word.sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        margins = [section.left_margin, section.right_margin, section.top_margin]
        margins.append(section.bottom_margin)
        assert [round(margin.mm, 1) for margin in margins] == [25.0] * 4

    def test_it_is_swedish_in_its_defaults_every_style_its_theme_and_properties(self) -> None:
        styles = self.word.styles.element
        default = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        assert default.find(qn("w:lang")).get(qn("w:val")) == "sv-SE"
        for style in self.word.styles:
            if style.type in (1, 2):  # paragraph and character styles
                lang = style.element.find(f"{qn('w:rPr')}/{qn('w:lang')}")
                assert lang is None or lang.get(qn("w:val")) == "sv-SE", style.name
        paragraph_styles = [s for s in self.word.styles if s.type == 1]
        assert all(
            s.element.find(f"{qn('w:rPr')}/{qn('w:lang')}") is not None for s in paragraph_styles
        )
        theme = self.word.settings.element.find(qn("w:themeFontLang"))
        assert theme.get(qn("w:val")) == "sv-SE"
        assert self.word.core_properties.language == "sv-SE"
        assert self.word.core_properties.author == "Internkontroll"

    def test_it_holds_every_style_the_reports_use_and_shows_them_in_swedish(self) -> None:
        names = {style.name for style in self.word.styles}
        wanted = {"Normal", "Title", "Subtitle", "Caption", "Header", "Footer", "Table Grid"}
        assert wanted | {f"Heading {level}" for level in range(1, 5)} <= names
        assert validate_template(self.content) == []
        text = [(p.style.name, p.text) for p in self.word.paragraphs]
        assert ("Heading 1", "1 Rubriknivå 1") in text
        assert ("Title", "Rapportens titel") in text

    def test_reports_without_a_template_of_their_own_are_written_on_it(self) -> None:
        with translation.override("sv"):
            word = docx.Document(io.BytesIO(render_docx(sample())))
        fonts = word.styles.element.find(
            f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}"
        )
        assert fonts.get(qn("w:ascii")) == "Arial"
        assert round(word.sections[0].page_width.mm) == 210
        assert "Rapportens titel" not in [p.text for p in word.paragraphs]


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

    def test_a_word_template_dotx_is_accepted(self) -> None:
        dotx = replaced(
            word_file(), "[Content_Types].xml", DOCUMENT_TYPE.encode(), TEMPLATE_TYPE.encode()
        )
        assert validate_template(dotx) == []

    def test_a_document_with_macros_is_refused_in_swedish(self) -> None:
        docm = replaced(
            word_file(),
            "[Content_Types].xml",
            DOCUMENT_TYPE.encode(),
            b"application/vnd.ms-word.document.macroEnabled.main+xml",
        )
        assert validate_template(docm) == [
            "Word-dokumentet innehåller makron. Spara det i Word som Word-dokument (.docx) "
            "eller Word-mall (.dotx) och ladda upp det igen."
        ]

    def test_a_template_without_a_heading_style_is_refused_naming_the_style(self) -> None:
        content = template.PATH.read_bytes()
        without = replaced(content, "word/styles.xml", b'w:val="heading 2"', b'w:val="rubrik x"')
        assert validate_template(without) == [
            "Mallen saknar formatmallen ”Heading 2” som rapporterna använder."
        ]

    def test_a_package_that_python_docx_cannot_open_is_refused_without_english(self) -> None:
        broken = replaced(word_file(), "word/document.xml", b"<w:body>", b"<w:body><w:p>")
        assert validate_template(broken) == [
            "Word-dokumentet kan inte läsas. Öppna det i Word, spara det som Word-dokument "
            "(.docx) och ladda upp det igen."
        ]


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

    def test_a_template_footer_with_page_numbers_is_kept_without_adding_more(self) -> None:
        own = docx.Document(io.BytesIO(word_file()))
        footer = own.sections[0].footer.paragraphs[0]
        footer.text = "Exempelstad, sida "
        simple = footer._p.makeelement(qn("w:fldSimple"), {qn("w:instr"): " PAGE "})
        footer._p.append(simple)
        buffer = io.BytesIO()
        own.save(buffer)
        with translation.override("sv"):
            word = docx.Document(io.BytesIO(render_docx(sample(), buffer.getvalue())))
        texts = [p.text for p in word.sections[0].footer.paragraphs]
        assert texts == ["Exempelstad, sida "]

    def test_a_dotx_template_is_the_base_of_reports(self) -> None:
        dotx = replaced(
            word_file("Mallens sidhuvud"),
            "[Content_Types].xml",
            DOCUMENT_TYPE.encode(),
            TEMPLATE_TYPE.encode(),
        )
        with translation.override("sv"):
            word = docx.Document(io.BytesIO(render_docx(sample(), dotx)))
        assert word.sections[0].header.paragraphs[0].text == "Mallens sidhuvud"
