"""The report as PDF: WeasyPrint on the same HTML, never fetching anything from the network."""

from __future__ import annotations

from weasyprint import HTML
from weasyprint.urls import URLFetcher

from internkontroll.reports.document import Document
from internkontroll.reports.render.html import render_html


def local_fetcher() -> URLFetcher:
    """A fetcher that only reads data: URLs; the document carries its styles inline."""
    return URLFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=1)


def render_pdf(document: Document) -> bytes:
    """A4 pages with the title, author and language (from <html lang>) in the file's properties."""
    html = render_html(document)
    return HTML(string=html, base_url=None, url_fetcher=local_fetcher()).write_pdf()
