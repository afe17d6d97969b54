"""The report as a web page: standalone and print-friendly, or its body to embed in the app."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from internkontroll.reports.layout import Document
from internkontroll.reports.matrix import matrix_svg


def context(document: Document) -> dict[str, Any]:
    svg = matrix_svg(document.matrix) if document.matrix and not document.empty_message else ""
    # The SVG is built by matrix_svg, which escapes every text it writes.
    return {"document": document, "matrix_svg": mark_safe(svg)}  # noqa: S308


def render_html(document: Document, request: Any = None) -> str:
    """A whole HTML page that prints with page numbers."""
    return render_to_string("reports/document.html", context(document), request=request)


def render_body(document: Document, request: Any = None) -> str:
    """Only the report's <article>, for embedding in another page."""
    return render_to_string("reports/_body.html", context(document), request=request)
