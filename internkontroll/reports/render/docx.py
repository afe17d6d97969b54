"""The report as Word: real headings, tables whose header row repeats, page numbers.

An organisation may upload its own .docx (logo, fonts, margins); it is then the base document:
its styles, headers and page setup are kept and its body is replaced by the report.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any

import docx
from django.utils.translation import gettext as _
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as WordTable
from docx.table import _Cell

from internkontroll.reports.layout import Document, Fields, Paragraph, Section, Table, Value
from internkontroll.reports.matrix import MatrixPicture

REQUIRED_STYLES = ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4")
MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
WORD_MAIN = "word/document.xml"
TEXT_WIDTH_CM = 17.0


# Uploaded templates -------------------------------------------------------------------------


def validate_template(file: Any) -> list[str]:
    """Why the uploaded file cannot serve as a report template (empty when it can)."""
    data = _read(file)
    if len(data) > MAX_TEMPLATE_BYTES:
        return [_("The template is larger than 10 MB.")]
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return [_("The file is not a Word document (.docx).")]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if WORD_MAIN not in archive.namelist():
            return [_("The file is not a Word document (.docx).")]
        if archive.testzip() is not None:
            return [_("The Word document is damaged.")]
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds for broken packages
        return [_("The Word document cannot be read: %(reason)s") % {"reason": error}]
    names = {style.name for style in document.styles}
    return [
        _('The template lacks the style "%(style)s", which the reports use.') % {"style": name}
        for name in REQUIRED_STYLES
        if name not in names
    ]


def _read(file: Any) -> bytes:
    if isinstance(file, bytes):
        return file
    if hasattr(file, "read"):
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read()
        if hasattr(file, "seek"):
            file.seek(0)
        return bytes(data)
    with open(file, "rb") as handle:
        return handle.read()


def _base(template: Any) -> WordDocument:
    if template is None:
        return docx.Document()
    document = docx.Document(io.BytesIO(_read(template)))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


# Fields, headers and footers ----------------------------------------------------------------


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word updates when it lays out the pages."""
    run = paragraph.add_run()
    for tag, text in (("begin", None), ("instr", instruction), ("separate", None), ("end", None)):
        if tag == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), tag)
        run._r.append(element)
        if tag == "separate":
            placeholder = OxmlElement("w:t")
            placeholder.text = "1"
            run._r.append(placeholder)


def _header_and_footer(word: WordDocument, document: Document) -> None:
    header = document.header
    section = word.sections[0]
    if not any(p.text.strip() for p in section.header.paragraphs):
        line = f"{header.title} – {header.committee} {header.year}"
        if header.period_code:
            line += f" {header.period_code}"
        paragraph = section.header.paragraphs[0]
        paragraph.text = f"{line} · {header.made_on.isoformat()}"
    footer = section.footer.paragraphs[0]
    footer.text = ""
    footer.add_run(_("Page") + " ")
    _field(footer, "PAGE")
    footer.add_run(" (")
    _field(footer, "NUMPAGES")
    footer.add_run(")")


# Tables ----------------------------------------------------------------------------------------


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _shade(cell: _Cell, color: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), color.lstrip("#"))
    cell._tc.get_or_add_tcPr().append(shading)


def _text(value: Value) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _has_grid(word: WordDocument) -> bool:
    return "Table Grid" in {style.name for style in word.styles}


def _new_table(word: WordDocument, columns: int) -> WordTable:
    table = word.add_table(rows=1, cols=columns)
    if _has_grid(word):
        table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    return table


def _table(word: WordDocument, data: Table) -> None:
    caption = word.add_paragraph()
    caption.add_run(data.title).bold = True
    table = _new_table(word, len(data.columns))
    total = sum(data.widths) or 1
    widths = [Cm(TEXT_WIDTH_CM * width / total) for width in data.widths]
    header = table.rows[0]
    _repeat_header(header)
    for cell, name in zip(header.cells, data.columns, strict=True):
        cell.paragraphs[0].add_run(name).bold = True
        _shade(cell, "#e8e8e8")
    rows = [header.cells] + [_filled(table.add_row().cells, values) for values in data.rows]
    if len(widths) == len(data.columns):
        for cells in rows:
            for cell, width in zip(cells, widths, strict=True):
                cell.width = width


def _filled(cells: Any, values: list[Value]) -> Any:
    for cell, value in zip(cells, values, strict=True):
        cell.text = _text(value)
    return cells


def _fields(word: WordDocument, fields: Fields) -> None:
    for name, value in fields.items:
        label = word.add_paragraph()
        label.add_run(name).bold = True
        label.paragraph_format.space_after = Pt(0)
        word.add_paragraph(value)


def _section(word: WordDocument, section: Section) -> None:
    word.add_heading(section.heading, level=min(section.level, 4))
    for block in section.blocks:
        if isinstance(block, Table):
            _table(word, block)
        elif isinstance(block, Fields):
            _fields(word, block)
        elif isinstance(block, Paragraph):
            word.add_paragraph(block.text)
    for child in section.children:
        _section(word, child)


def _matrix(word: WordDocument, picture: MatrixPicture) -> None:
    """The matrix as a shaded table: count and level abbreviation per cell, with a legend."""
    table = word.add_table(rows=0, cols=len(picture.consequence_labels) + 1)
    if "Table Grid" in {style.name for style in word.styles}:
        table.style = "Table Grid"
    for row, label in zip(picture.rows, reversed(picture.probability_labels), strict=True):
        cells = table.add_row().cells
        cells[0].text = label
        for cell, data in zip(cells[1:], row, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.add_run(str(data.count)).bold = True
            paragraph.add_run(f" {data.level.abbreviation}")
            color = RGBColor.from_string(data.level.text_color.lstrip("#").upper())
            for run in paragraph.runs:
                run.font.color.rgb = color
            _shade(cell, data.level.color)
    axis = table.add_row().cells
    axis[0].text = f"{_('Probability')} ↑ / {_('Consequence')} →"
    for cell, label in zip(axis[1:], picture.consequence_labels, strict=True):
        cell.text = label
    word.add_paragraph(" · ".join(f"{key.abbreviation} = {key.name}" for key in picture.legend))
    word.add_paragraph(picture.description)


def render_docx(document: Document, template: Any = None) -> bytes:
    """The report as .docx bytes, on the organisation's template when one is given."""
    word = _base(template)
    header = document.header
    word.core_properties.title = header.title
    word.core_properties.subject = f"{header.committee} {header.year}"
    _header_and_footer(word, document)
    word.add_heading(header.title, level=0)
    for name, value in document.meta:
        paragraph = word.add_paragraph()
        paragraph.add_run(f"{name}: ").bold = True
        paragraph.add_run(value)
        paragraph.paragraph_format.space_after = Pt(0)
    if document.summary or document.empty_message:
        word.add_heading(_("Summary"), level=1)
        for text in [*document.summary, document.empty_message]:
            if text:
                word.add_paragraph(text)
    if document.matrix and not document.empty_message:
        word.add_heading(_("Risk matrix"), level=1)
        _matrix(word, document.matrix)
    for section in document.sections:
        _section(word, section)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
