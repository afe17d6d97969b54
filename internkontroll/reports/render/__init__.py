"""Rendering a laid-out report in one of the four formats."""

from __future__ import annotations

from typing import Any

from internkontroll.reports.document import Document

FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render(document: Document, fmt: str, *, template: Any = None, request: Any = None) -> bytes:
    """The document as bytes in `fmt`; `template` is an organisation's .docx, for Word only."""
    if fmt == "html":
        from internkontroll.reports.render.html import render_html

        return render_html(document, request).encode("utf-8")
    if fmt == "pdf":
        from internkontroll.reports.render.pdf import render_pdf

        return render_pdf(document)
    if fmt == "docx":
        from internkontroll.reports.render.docx import render_docx

        return render_docx(document, template)
    if fmt == "xlsx":
        from internkontroll.reports.render.xlsx import render_xlsx

        return render_xlsx(document)
    raise ValueError(fmt)
