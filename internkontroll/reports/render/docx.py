"""The report as Word: A4, Swedish, built-in headings, tables sized to the text, page numbers.

Every report is written on a template: the organisation's own .docx when it has uploaded one,
else the default `reports/word/mall.docx`. The template's styles, page set-up, header and
footer are kept and its body is replaced. The body is written as WordprocessingML text and
parsed once, which keeps a 200-risk committee's file well under a second.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import docx
from django.utils import timezone
from django.utils.translation import gettext as _
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENTATION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Twips
from lxml import etree

from internkontroll.reports.document import (
    Document,
    Fields,
    Figure,
    Paragraph,
    Section,
    Table,
    Value,
)
from internkontroll.reports.matrix import MatrixPicture
from internkontroll.reports.word.measure import (
    CELL_PADDING,
    estimated_height,
    fit_columns,
    font_scale,
    text_width,
)
from internkontroll.reports.word.template import REQUIRED_STYLES, default_template

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
WORD_MAIN = "word/document.xml"
CONTENT_TYPES = "[Content_Types].xml"
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
MACRO_TYPES = (b"macroEnabled", b"vbaProject")

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EMU_PER_TWIP = 635
HEADER_FILL = "E8E8E8"
CELL_MARGIN_TOP = 28
# A row estimated taller than this share of the page's text height may break across pages:
# Word cuts off, rather than moves, a row that may not break and does not fit on a page.
UNSPLIT_SHARE = 1 / 3
BODY_MARKER = "report body"
# ISO dates keep together on one line: their hyphens become non-breaking hyphens.
_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_HYPHEN = '</w:t><w:noBreakHyphen/><w:t xml:space="preserve">'
_UNBROKEN_DATE = rf"\1{_HYPHEN}\2{_HYPHEN}\3"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# Uploaded templates -------------------------------------------------------------------------


def validate_template(file: Any) -> list[str]:
    """Why the uploaded file cannot serve as a report template (empty when it can)."""
    data = _read(file)
    if len(data) > MAX_TEMPLATE_BYTES:
        return [_("The template is larger than 10 MB.")]
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return [_("The file is not a Word document (.docx).")]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        if WORD_MAIN not in names or CONTENT_TYPES not in names:
            return [_("The file is not a Word document (.docx).")]
        try:
            broken = archive.testzip()
            content_types = archive.read(CONTENT_TYPES)
        except (zipfile.BadZipFile, EOFError, OSError):
            broken = WORD_MAIN
        if broken is not None:
            return [_("The Word document is damaged.")]
    if any(marker in content_types for marker in MACRO_TYPES):
        return [
            _(
                "The Word document contains macros. Save it in Word as a Word document (.docx) "
                "or a Word template (.dotx) and upload it again."
            )
        ]
    try:
        document = docx.Document(io.BytesIO(as_document(data)))
    except Exception:  # python-docx raises many kinds for broken packages
        return [
            _(
                "The Word document cannot be read. Open it in Word, save it as a Word document "
                "(.docx) and upload it again."
            )
        ]
    present = {style.name for style in document.styles}
    return [
        _('The template lacks the style "%(style)s", which the reports use.') % {"style": name}
        for name in REQUIRED_STYLES
        if name not in present
    ]


def as_document(data: bytes) -> bytes:
    """A Word template (.dotx) as a Word document, which python-docx opens; others unchanged."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        content_types = archive.read(CONTENT_TYPES)
        if TEMPLATE_TYPE.encode() not in content_types:
            return data
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
            for item in archive.infolist():
                content = archive.read(item.filename)
                if item.filename == CONTENT_TYPES:
                    content = content.replace(TEMPLATE_TYPE.encode(), DOCUMENT_TYPE.encode())
                copy.writestr(item, content)
    return buffer.getvalue()


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
    """The template with its body emptied: its styles, page set-up, header and footer stay."""
    data = default_template() if template is None else as_document(_read(template))
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


# Language and properties ----------------------------------------------------------------------


def _set_language(word: WordDocument, language: str) -> None:
    """The language on the document defaults, on every style that names one, and the theme's."""
    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_defaults.append(properties)
    if properties.find(qn("w:lang")) is None:
        properties.append(OxmlElement("w:lang"))
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), language)
        if lang.get(qn("w:eastAsia")):
            lang.set(qn("w:eastAsia"), language)
    settings = word.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is None:
        theme = OxmlElement("w:themeFontLang")
        settings.insert_element_before(
            theme,
            "w:clrSchemeMapping",
            "w:doNotIncludeSubdocsInStats",
            "w:doNotAutoCompressPictures",
            "w:forceUpgrade",
            "w:captions",
            "w:readModeInkLockDown",
            "w:smartTagType",
            "w:schemaLibrary",
            "w:shapeDefaults",
            "w:doNotEmbedSmartTags",
            "w:decimalSymbol",
            "w:listSeparator",
        )
    theme.set(qn("w:val"), language)


def _set_properties(word: WordDocument, document: Document) -> None:
    properties = word.core_properties
    now = timezone.now().replace(microsecond=0)
    properties.title = document.title
    properties.subject = document.subtitle
    properties.author = document.author
    properties.last_modified_by = document.author
    properties.language = document.language
    properties.comments = ""
    properties.keywords = ""
    properties.category = ""
    properties.created = now
    properties.modified = now
    properties.revision = 1


# Header and footer ----------------------------------------------------------------------------


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when laying out pages."""
    for kind in ("begin", "instr", "separate", "text", "end"):
        run = paragraph.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = "1"
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def _has_page_number(part: Any) -> bool:
    element = part._element
    instructions = [text.text or "" for text in element.iter(qn("w:instrText"))]
    instructions += [simple.get(qn("w:instr"), "") for simple in element.iter(qn("w:fldSimple"))]
    return any("PAGE" in instruction.split() for instruction in instructions)


def _free_paragraph(part: Any) -> Any:
    """The part's only paragraph when it is empty, else a new one after what is there."""
    paragraphs = part.paragraphs
    if len(paragraphs) == 1 and not paragraphs[0].text.strip() and not _has_content(paragraphs[0]):
        return paragraphs[0]
    return part.add_paragraph()


def _has_content(paragraph: Any) -> bool:
    element = paragraph._p
    return any(True for _ in element.iter(qn("w:drawing"), qn("w:pict"), qn("w:fldChar")))


def _header_and_footer(word: WordDocument, document: Document) -> None:
    """The running head and "Sida 1 (9)", added to what the template's header and footer hold."""
    section = word.sections[0]
    header = section.header
    if document.running_head and document.running_head not in "\n".join(
        paragraph.text for paragraph in header.paragraphs
    ):
        _free_paragraph(header).add_run(document.running_head)
    footer = section.footer
    if not _has_page_number(footer):
        paragraph = _free_paragraph(footer)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.add_run(_("Page") + " ")
        _field(paragraph, "PAGE")
        paragraph.add_run(" (")
        _field(paragraph, "NUMPAGES")
        paragraph.add_run(")")


# WordprocessingML text ------------------------------------------------------------------------


def _text(value: Value) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _run(
    text: str, *, bold: bool = False, size: float | None = None, color: str | None = None
) -> str:
    properties = "<w:b/><w:bCs/>" if bold else ""
    if color:
        properties += f'<w:color w:val="{color.lstrip("#")}"/>'
    if size:
        half_points = round(size * 2)
        properties += f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
    content = []
    for number, line in enumerate(_clean(text).split("\n")):
        if number:
            content.append("<w:br/>")
        for position, chunk in enumerate(line.split("\t")):
            if position:
                content.append("<w:tab/>")
            if chunk:
                whole = _DATE.sub(_UNBROKEN_DATE, escape(chunk))
                content.append(f'<w:t xml:space="preserve">{whole}</w:t>')
    run_properties = f"<w:rPr>{properties}</w:rPr>" if properties else ""
    return f"<w:r>{run_properties}{''.join(content)}</w:r>"


def _paragraph(
    runs: str,
    *,
    style: str | None = None,
    keep_next: bool = False,
    keep_lines: bool = False,
    spacing: str = "",
    align: str | None = None,
    extra: str = "",
) -> str:
    """A `w:p`; `extra` holds pPr children that come between keepLines and spacing (tabs)."""
    properties = "".join(
        (
            f'<w:pStyle w:val="{style}"/>' if style else "",
            "<w:keepNext/>" if keep_next else "",
            "<w:keepLines/>" if keep_lines else "",
            extra,
            spacing,
            f'<w:jc w:val="{align}"/>' if align else "",
        )
    )
    return f"<w:p>{f'<w:pPr>{properties}</w:pPr>' if properties else ''}{runs}</w:p>"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in _clean(text).split("\n") if line.strip()]


TIGHT = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'


# Pages ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A section's paper and margins, in twips; `landscape` turns the paper."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int

    def turned(self, landscape: bool) -> Page:
        short, long = sorted((self.width, self.height))
        width, height = (long, short) if landscape else (short, long)
        return Page(width, height, self.left, self.right, self.top, self.bottom)

    @property
    def text_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def text_height(self) -> int:
        return self.height - self.top - self.bottom

    @property
    def landscape(self) -> bool:
        return self.width > self.height


def _twips(length: int | None, default: int) -> int:
    return default if length is None else round(length / EMU_PER_TWIP)


def page_of(word: WordDocument) -> Page:
    """The template's page (A4 with 2.5 cm margins when it says nothing)."""
    section = word.sections[-1]
    return Page(
        width=_twips(section.page_width, 11906),
        height=_twips(section.page_height, 16838),
        left=_twips(section.left_margin, 1418),
        right=_twips(section.right_margin, 1418),
        top=_twips(section.top_margin, 1418),
        bottom=_twips(section.bottom_margin, 1418),
    )


def body_font(word: WordDocument) -> str | None:
    """The font of the template's ordinary text: its Normal style's, else its default's."""
    try:
        normal = word.styles["Normal"].font.name
    except KeyError:
        normal = None
    if normal:
        return str(normal)
    fonts = word.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}"
    )
    return None if fonts is None else fonts.get(qn("w:ascii"))


# The body ---------------------------------------------------------------------------------------


class _Body:
    """Collects the body as WordprocessingML, switching between portrait and landscape sections."""

    def __init__(self, word: WordDocument) -> None:
        self.word = word
        self.parts: list[str] = []
        self.sentinel = word.element.body.get_or_add_sectPr()
        self.base_page = page_of(word)
        self.page = self.base_page
        self.landscape = False
        self.breaks = 0
        self.styles = {name: self._style_id(name) for name in STYLE_NAMES}
        self.scale = font_scale(body_font(word))

    def _style_id(self, name: str) -> str | None:
        try:
            return str(self.word.styles[name].style_id)
        except KeyError:
            return None

    # Sections of the Word document (pages of one orientation)

    def orient(self, landscape: bool) -> None:
        """Start a new Word section when the orientation changes; portrait is the template's."""
        if landscape == self.landscape:
            return
        # A break paragraph carries the properties of the section that ends with it.
        properties = self.sentinel.clone()
        self._shape(properties, self.page, first=self.breaks == 0)
        self.parts.append(
            '<w:p><w:pPr><w:spacing w:before="0" w:after="0"/>'
            f"{etree.tostring(properties, encoding='unicode')}</w:pPr></w:p>"
        )
        self.breaks += 1
        self.landscape = landscape
        self.page = self.base_page.turned(True) if landscape else self.base_page

    @staticmethod
    def _shape(properties: Any, page: Page, *, first: bool) -> None:
        """Paper size and orientation; later sections inherit the first's header and footer."""
        if not first:
            for tag in ("w:headerReference", "w:footerReference", "w:type", "w:titlePg"):
                for child in properties.findall(qn(tag)):
                    properties.remove(child)
        properties.page_width = Twips(page.width)
        properties.page_height = Twips(page.height)
        properties.orientation = (
            WD_ORIENTATION.LANDSCAPE if page.landscape else WD_ORIENTATION.PORTRAIT
        )

    def finish(self) -> None:
        """Put the body into the document: parsed once in place (moving thousands of parsed
        elements into another tree costs more than parsing them)."""
        if self.breaks:
            self._shape(self.sentinel, self.page, first=False)
        marker = etree.Comment(BODY_MARKER)
        self.sentinel.addprevious(marker)
        xml = etree.tostring(self.word.element, encoding="unicode")
        self.word.part._element = parse_xml(
            xml.replace(f"<!--{BODY_MARKER}-->", "".join(self.parts), 1)
        )

    # Blocks

    def add(self, xml: str) -> None:
        self.parts.append(xml)

    def styled(self, name: str, text: str, *, keep_next: bool = False) -> None:
        style = self.styles.get(name)
        self.add(_paragraph(_run(text, bold=style is None), style=style, keep_next=keep_next))

    def title(self, document: Document) -> None:
        self.styled("Title", document.title, keep_next=True)
        if document.subtitle:
            self.styled("Subtitle", document.subtitle)
        self.meta(document.meta)

    def meta(self, lines: list[tuple[str, str]]) -> None:
        """Label and value on one line, values aligned on a tab stop after the longest label."""
        if not lines:
            return
        size = 11.0
        widest = max(text_width(f"{name}:", size, scale=self.scale) for name, _value in lines)
        stop = min(int(widest) + 240, self.page.text_width // 3)
        extra = f'<w:tabs><w:tab w:val="left" w:pos="{stop}"/></w:tabs>'
        indent = f'<w:ind w:left="{stop}" w:hanging="{stop}"/>'
        for number, (name, value) in enumerate(lines):
            last = number == len(lines) - 1
            spacing = f'<w:spacing w:before="0" w:after="{240 if last else 0}"/>{indent}'
            runs = _run(f"{name}:", bold=True) + _run(f"\t{value}")
            self.add(_paragraph(runs, keep_next=not last, extra=extra, spacing=spacing))

    def section(self, section: Section, landscape: bool = False) -> None:
        landscape = landscape or section.landscape
        self.orient(landscape)
        level = min(max(section.level, 1), 4)
        self.styled(f"Heading {level}", section.numbered_heading, keep_next=True)
        for block in section.blocks:
            if isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Fields):
                self.fields(block)
            elif isinstance(block, Paragraph):
                for line in _lines(block.text):
                    self.add(_paragraph(_run(line)))
            elif isinstance(block, Figure):
                self.matrix(block.picture)
        for child in section.children:
            self.section(child, landscape)

    def fields(self, fields: Fields) -> None:
        """Each label in bold, kept with its text below it; labels of empty texts are left out."""
        for name, value in fields.items:
            lines = _lines(value)
            if not lines:
                continue
            self.add(
                _paragraph(
                    _run(name, bold=True),
                    keep_next=True,
                    spacing='<w:spacing w:before="120" w:after="0"/>',
                )
            )
            for line in lines:
                self.add(_paragraph(_run(line), keep_lines=True))

    def table(self, table: Table) -> None:
        if not table.columns:
            return
        if table.show_title and table.title:
            self.styled("Caption", table.title, keep_next=True)
        texts = [[_text(value) for value in values] for values in table.rows]
        fit = fit_columns(
            table.columns, table.widths, self.page.text_width, cells=texts, scale=self.scale
        )
        widths, size = fit.widths, fit.size
        cells = [_cell_properties(width) for width in widths]
        rows = [
            _row(
                "".join(
                    _cell(properties, _run(name, bold=True, size=size), shade=HEADER_FILL)
                    for properties, name in zip(cells, table.columns, strict=True)
                ),
                header=True,
                keep_next=True,
            )
        ]
        tallest = self.page.text_height * UNSPLIT_SHARE
        for row in texts:
            rows.append(
                _row(
                    "".join(
                        _cell(properties, _run(text, size=size))
                        for properties, text in zip(cells, row, strict=True)
                    ),
                    split=estimated_height(row, widths, size, fit.padding) > tallest,
                )
            )
        self.add(self._table(table.title, widths, "".join(rows), padding=fit.padding))

    def _table(
        self,
        title: str,
        widths: list[int],
        rows: str,
        *,
        grid: bool = True,
        padding: int = CELL_PADDING,
    ) -> str:
        style = self.styles.get("Table Grid") if grid else None
        borders = ""
        if grid and style is None:
            borders = (
                "<w:tblBorders>"
                + "".join(
                    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
                    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
                )
                + "</w:tblBorders>"
            )
        properties = "".join(
            (
                f'<w:tblStyle w:val="{style}"/>' if style else "",
                f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>',
                '<w:tblInd w:w="0" w:type="dxa"/>',
                borders,
                '<w:tblLayout w:type="fixed"/>',
                f'<w:tblCellMar><w:top w:w="{CELL_MARGIN_TOP}" w:type="dxa"/>'
                f'<w:left w:w="{padding}" w:type="dxa"/>'
                f'<w:bottom w:w="{CELL_MARGIN_TOP}" w:type="dxa"/>'
                f'<w:right w:w="{padding}" w:type="dxa"/></w:tblCellMar>',
                '<w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
                'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>',
                f"<w:tblCaption w:val={quoteattr(_clean(title))}/>" if title else "",
            )
        )
        grid_columns = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
        return (
            f"<w:tbl><w:tblPr>{properties}</w:tblPr><w:tblGrid>{grid_columns}</w:tblGrid>"
            f"{rows}</w:tbl>"
        )

    def matrix(self, picture: MatrixPicture) -> None:
        """The matrix as a shaded table: probability on the left, consequence under it."""
        columns = len(picture.consequence_labels)
        total = self.page.text_width
        label_width = total // 4
        cell_width = (total - label_width) // columns
        widths = [total - cell_width * columns] + [cell_width] * columns
        label = _cell_properties(widths[0], v_align="center")
        data = _cell_properties(cell_width, v_align="center", white_borders=True)
        span = _cell_properties(cell_width * columns, span=columns)
        rows = [
            _row(
                _cell(label, _run(_("Probability"), bold=True, size=9))
                + _cell(span, _run("", size=9)),
                keep_next=True,
            )
        ]
        for row, probability in zip(
            picture.rows, reversed(picture.probability_labels), strict=True
        ):
            cells = [_cell(label, _run(probability, size=9), align="right")]
            for item in row:
                color = item.level.text_color
                runs = _run(str(item.count), bold=True, size=14, color=color) + _run(
                    f"\n{item.level.name}", size=9, color=color
                )
                cells.append(_cell(data, runs, shade=item.level.color, align="center"))
            rows.append(_row("".join(cells), keep_next=True, height=850))
        rows.append(
            _row(
                _cell(label, "")
                + "".join(
                    _cell(_cell_properties(cell_width), _run(name, size=9), align="center")
                    for name in picture.consequence_labels
                ),
                keep_next=True,
            )
        )
        rows.append(
            _row(
                _cell(label, "")
                + _cell(span, _run(_("Consequence"), bold=True, size=9), align="center"),
                keep_next=True,
            )
        )
        self.add(self._table(_("Risk matrix"), widths, "".join(rows), grid=False))
        legend = _run(_("Legend") + ": ", bold=True, size=9)
        for key in picture.legend:
            legend += _run("■ ", size=9, color=key.color) + _run(f"{key.name}   ", size=9)
        self.add(_paragraph(legend, keep_next=True, spacing='<w:spacing w:before="120"/>'))
        self.add(_paragraph(_run(picture.description)))


STYLE_NAMES = (
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Heading 4",
    "Caption",
    "Table Grid",
)


def _cell_properties(
    width: int, *, span: int = 1, v_align: str | None = None, white_borders: bool = False
) -> str:
    parts = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if span > 1:
        parts.append(f'<w:gridSpan w:val="{span}"/>')
    if white_borders:
        parts.append(
            "<w:tcBorders>"
            + "".join(
                f'<w:{side} w:val="single" w:sz="18" w:space="0" w:color="FFFFFF"/>'
                for side in ("top", "left", "bottom", "right")
            )
            + "</w:tcBorders>"
        )
    parts.append("{shade}")
    if v_align:
        parts.append(f'<w:vAlign w:val="{v_align}"/>')
    return "".join(parts)


def _cell(properties: str, runs: str, *, shade: str | None = None, align: str | None = None) -> str:
    fill = f'<w:shd w:val="clear" w:color="auto" w:fill="{shade.lstrip("#")}"/>' if shade else ""
    paragraph = _paragraph(runs, spacing=TIGHT, align=align)
    return f"<w:tc><w:tcPr>{properties.replace('{shade}', fill)}</w:tcPr>{paragraph}</w:tc>"


def _row(
    cells: str,
    *,
    header: bool = False,
    split: bool = False,
    keep_next: bool = False,
    height: int | None = None,
) -> str:
    """A `w:tr`; a header row repeats on every page, and a row breaks across pages only if
    `split` (it is too tall to move whole); `keep_next` keeps it on the page of the next row."""
    properties = "".join(
        (
            "" if split else "<w:cantSplit/>",
            f'<w:trHeight w:val="{height}" w:hRule="atLeast"/>' if height else "",
            "<w:tblHeader/>" if header else "",
        )
    )
    if keep_next:
        cells = cells.replace("<w:pPr>", "<w:pPr><w:keepNext/>")
    return f"<w:tr><w:trPr>{properties}</w:trPr>{cells}</w:tr>"


def render_docx(document: Document, template: Any = None) -> bytes:
    """The report as .docx bytes, on the organisation's template when one is given."""
    word = _base(template)
    _set_language(word, document.language)
    _set_properties(word, document)
    _header_and_footer(word, document)
    body = _Body(word)
    body.title(document)
    if not document.sections and document.empty_message:
        body.add(_paragraph(_run(document.empty_message)))
    for section in document.sections:
        body.section(section)
    body.finish()
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
