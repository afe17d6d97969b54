"""Reading the rendered files back, as a person opening them would see the text."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import docx
import openpyxl
import pypdf
from docx.table import Table as DocxTable

from internkontroll.exchange.importer import import_document
from internkontroll.manage import main

FIXTURES = Path(__file__).parent / "fixtures"


def import_fixture(name: str) -> None:
    import_document(json.loads((FIXTURES / name).read_text(encoding="utf-8")))


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def docx_body_text(content: bytes) -> str:
    """Paragraphs and table cells in the order they come in the document."""
    document = docx.Document(io.BytesIO(content))
    parts = []
    for item in document.iter_inner_content():
        if isinstance(item, DocxTable):
            parts.extend(cell.text for row in item.rows for cell in row.cells)
        else:
            parts.append(item.text)
    return "\n".join(parts)


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def workbook(content: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(content))


def xlsx_text(content: bytes) -> str:
    book = workbook(content)
    return "\n".join(
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


def run_ik(*argv: str) -> tuple[int, str]:
    """Run `ik` as from the shell; return its exit status and what it wrote to stderr."""
    err = io.StringIO()
    status = 0
    with (
        # A finished command closes the connections, which would end the test's transaction.
        mock.patch("django.db.connections.close_all"),
        mock.patch.object(sys, "argv", ["ik", *argv]),
        mock.patch.object(sys, "stderr", err),
        mock.patch.object(sys, "stdout", io.StringIO()),
    ):
        try:
            main()
        except SystemExit as exit_:
            status = int(exit_.code or 0)
    return status, err.getvalue()


def bare(text: str) -> str:
    """The text without whitespace and hyphens, so that a word hyphenated at a line's end (in a
    PDF's narrow column) compares equal to the word written whole."""
    return re.sub(r"[\s\-\u00ad\u2010]", "", text)


def text_of(response: Any, fmt: str) -> str:
    """The text of a report response in any format; a PDF's lines joined into one."""
    content = response.content
    if fmt == "pdf":
        return " ".join(pdf_text(content).split())  # lines wrap inside table cells
    if fmt == "docx":
        return docx_text(content)
    if fmt == "xlsx":
        return xlsx_text(content)
    return content.decode()
