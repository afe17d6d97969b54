"""The default Word template, `mall.docx`: A4, Swedish, Arial, Word's built-in styles.

Reports without an organisation's own template are written on it, and an administrator
downloads it from the settings page to restyle it in Word and upload it again. The committed
file is made by this module, run from the repository's root:

    .venv/bin/python -m internkontroll.reports.word.template

Its parts are plain XML written here, so that the file holds only what a report needs: the
page set-up, the language and the styles that the reports use (Swedish Word shows "heading 1"
as "Rubrik 1"; its table of contents and navigation pane work off them).
"""

from __future__ import annotations

import functools
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

PATH = Path(__file__).with_name("mall.docx")
LANGUAGE = "sv-SE"
FONT = "Arial"

# A4 in twips, with 2.5 cm margins all round (a text width of 16 cm) and the header and
# footer 1.25 cm from the paper's edge.
PAGE_WIDTH = 11906
PAGE_HEIGHT = 16838
MARGIN = 1418
HEADER_DISTANCE = 709
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN

# Zip entries carry this date, so that the same content makes the same file.
ZIP_DATE = (2025, 1, 1, 0, 0, 0)
CREATED = "2025-01-01T00:00:00Z"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# The styles' look: (name, id, size in half points, bold, spacing before, after, outline level).
HEADINGS = [
    ("heading 1", "Heading1", 28, 360, 120, 0),
    ("heading 2", "Heading2", 24, 240, 80, 1),
    ("heading 3", "Heading3", 22, 200, 60, 2),
    ("heading 4", "Heading4", 22, 160, 40, 3),
]
REQUIRED_STYLES = ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4")


def _lang() -> str:
    return f'<w:lang w:val="{LANGUAGE}" w:eastAsia="{LANGUAGE}" w:bidi="ar-SA"/>'


def _paragraph_style(
    style_id: str,
    name: str,
    *,
    ppr: str = "",
    rpr: str = "",
    default: bool = False,
    priority: int | None = None,
    based_on: str | None = "Normal",
    next_style: str | None = "Normal",
) -> str:
    flag = ' w:default="1"' if default else ""
    parts = [
        f'<w:style w:type="paragraph"{flag} w:styleId="{style_id}">',
        f'<w:name w:val="{name}"/>',
    ]
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_style:
        parts.append(f'<w:next w:val="{next_style}"/>')
    if priority is not None:
        parts.append(f'<w:uiPriority w:val="{priority}"/>')
    parts.append("<w:qFormat/>")
    if ppr:
        parts.append(f"<w:pPr>{ppr}</w:pPr>")
    parts.append(f"<w:rPr>{rpr}{_lang()}</w:rPr></w:style>")
    return "".join(parts)


def _size(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


def _spacing(before: int, after: int) -> str:
    return f'<w:spacing w:before="{before}" w:after="{after}"/>'


def styles_xml() -> str:
    tabs = (
        f'<w:tabs><w:tab w:val="center" w:pos="{TEXT_WIDTH // 2}"/>'
        f'<w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>'
    )
    border = '<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
    borders = "".join(
        border.format(side=side)
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    styles = [
        _paragraph_style("Normal", "Normal", default=True, based_on=None, next_style=None),
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>",
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>'
        '<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:style>",
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList">'
        '<w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>",
        _paragraph_style(
            "Title",
            "Title",
            priority=10,
            ppr="<w:keepNext/>" + _spacing(0, 120),
            rpr='<w:b/><w:bCs/><w:kern w:val="28"/>' + _size(40),
        ),
        _paragraph_style(
            "Subtitle",
            "Subtitle",
            priority=11,
            ppr="<w:keepNext/>" + _spacing(0, 240),
            rpr='<w:color w:val="404040"/>' + _size(26),
        ),
        *(
            _paragraph_style(
                style_id,
                name,
                priority=9,
                ppr=f"<w:keepNext/><w:keepLines/>{_spacing(before, after)}"
                f'<w:outlineLvl w:val="{level}"/>',
                rpr="<w:b/><w:bCs/>" + ("<w:i/><w:iCs/>" if level == 3 else "") + _size(size),
            )
            for name, style_id, size, before, after, level in HEADINGS
        ),
        _paragraph_style(
            "Caption",
            "caption",
            priority=35,
            ppr="<w:keepNext/>" + _spacing(120, 60),
            rpr="<w:b/><w:bCs/>" + _size(20),
        ),
        _paragraph_style("Header", "header", priority=99, ppr=tabs + _spacing(0, 0), rpr=_size(18)),
        _paragraph_style("Footer", "footer", priority=99, ppr=tabs + _spacing(0, 0), rpr=_size(18)),
        '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
        '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
        f"<w:pPr>{_spacing(0, 0)}</w:pPr><w:tblPr><w:tblBorders>{borders}</w:tblBorders>"
        "</w:tblPr></w:style>",
    ]
    defaults = (
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f'<w:rFonts w:ascii="{FONT}" w:eastAsia="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/>'
        f"{_size(22)}{_lang()}</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        '<w:spacing w:after="120" w:line="264" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    return f'{DECLARATION}<w:styles xmlns:w="{W}">{defaults}{"".join(styles)}</w:styles>'


def settings_xml() -> str:
    # Swedish Word's defaults: tab stops every 2.3 cm, decimal comma, semicolon between items.
    return (
        f'{DECLARATION}<w:settings xmlns:w="{W}">'
        '<w:zoom w:percent="100"/><w:defaultTabStop w:val="1304"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        f'<w:themeFontLang w:val="{LANGUAGE}"/>'
        '<w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/></w:settings>'
    )


def section_xml() -> str:
    return (
        f'<w:sectPr><w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/>'
        f'<w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" w:left="{MARGIN}" '
        f'w:header="{HEADER_DISTANCE}" w:footer="{HEADER_DISTANCE}" w:gutter="0"/>'
        '<w:cols w:space="708"/><w:docGrid w:linePitch="360"/></w:sectPr>'
    )


def _sample(style: str, text: str) -> str:
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
    )


def document_xml() -> str:
    """A page showing each style, so that a person restyling the template sees them in use."""
    heading = _("Heading level %(level)s")
    numbers = ["1", "1.1", "1.1.1", "1.1.1.1"]
    body = [
        _sample("Title", _("Report title")),
        _sample("Subtitle", _("Committee – what the report covers")),
        _sample(
            "Normal",
            _(
                "This is the template the reports are written on. Change its styles, margins, "
                "header and footer in Word, save it as a Word document and upload it on the page "
                "Units, goals, processes and risk areas. Each report replaces this text and adds "
                "the committee, its reference and the page numbers to the header and footer."
            ),
        ),
    ]
    for level, number in enumerate(numbers, start=1):
        body.append(_sample(f"Heading{level}", f"{number} {heading % {'level': level}}"))
        body.append(_sample("Normal", _("Body text of the report.")))
    body.append(_sample("Caption", _("Table caption")))
    return (
        f'{DECLARATION}<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>'
        f"{''.join(body)}{section_xml()}</w:body></w:document>"
    )


def core_xml() -> str:
    return (
        f"{DECLARATION}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(_('Report template'))}</dc:title>"
        "<dc:creator>Internkontroll</dc:creator><cp:lastModifiedBy>Internkontroll"
        f"</cp:lastModifiedBy><dc:language>{LANGUAGE}</dc:language><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{CREATED}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{CREATED}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def parts() -> dict[str, str]:
    """Every part of the package by its name; the active language must be Swedish."""
    package = "http://schemas.openxmlformats.org/package/2006"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    wml = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    return {
        "[Content_Types].xml": (
            f'{DECLARATION}<Types xmlns="{package}/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{wml}.document.main+xml"/>'
            f'<Override PartName="/word/styles.xml" ContentType="{wml}.styles+xml"/>'
            f'<Override PartName="/word/settings.xml" ContentType="{wml}.settings+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'{DECLARATION}<Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="rId1" Type="{office}/officeDocument" Target="word/document.xml"/>'
            f'<Relationship Id="rId2" Type="{package}/relationships/metadata/core-properties" '
            'Target="docProps/core.xml"/></Relationships>'
        ),
        "docProps/core.xml": core_xml(),
        "word/_rels/document.xml.rels": (
            f'{DECLARATION}<Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="rId1" Type="{office}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId2" Type="{office}/settings" Target="settings.xml"/>'
            "</Relationships>"
        ),
        "word/document.xml": document_xml(),
        "word/styles.xml": styles_xml(),
        "word/settings.xml": settings_xml(),
    }


def build() -> bytes:
    """The template as .docx bytes (the same bytes for the same parts)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts().items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content.encode("utf-8"))
    return buffer.getvalue()


@functools.cache
def default_template() -> bytes:
    """The committed `mall.docx`, read once."""
    return PATH.read_bytes()


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internkontroll.settings")
    django.setup()
    from django.utils import translation

    with translation.override("sv"):
        PATH.write_bytes(build())
    print(f"Wrote {PATH}")


if __name__ == "__main__":
    main()
