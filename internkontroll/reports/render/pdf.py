"""The report as PDF: WeasyPrint on the same HTML, never fetching anything from the network."""

from __future__ import annotations

import re

from weasyprint import CSS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.html import UA
from weasyprint.urls import URLFetcher

from internkontroll.reports.document import Document
from internkontroll.reports.render.html import render_html


def report_user_agent_css(sheet: str) -> str:
    """WeasyPrint's own sheet without the rules for footnotes and notes, which reports never
    have, and with list markers only on list items. Each of those rules names a pseudo-element
    of every element, whose style WeasyPrint then computes for each table cell: a sixth of the
    time of a committee's PDF."""
    pseudo = r"footnote-call|footnote-marker|note-call|note-marker|note-callback"
    trimmed = re.sub(rf"^::(?:{pseudo}) {{[^}}\n]*}}\n", "", sheet, flags=re.MULTILINE)
    return trimmed.replace("\n::marker {", "\nli::marker, summary::marker {", 1)


# Its counter styles are WeasyPrint's own, which every document starts from.
REPORT_UA_STYLESHEET = CSS(string=report_user_agent_css(UA), counter_style=CounterStyle())


class ReportHTML(HTML):
    """A report's page for WeasyPrint, with the user agent sheet above."""

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [REPORT_UA_STYLESHEET]


def local_fetcher() -> URLFetcher:
    """A fetcher that only reads data: URLs; the document carries its styles inline."""
    return URLFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=1)


def render_pdf(document: Document) -> bytes:
    """A4 pages with the title, author and language (from <html lang>) in the file's properties."""
    html = render_html(document)
    return ReportHTML(string=html, base_url=None, url_fetcher=local_fetcher()).write_pdf()
