"""A PDF's pages as a reader sees them: sizes, words with their boxes, lines from top to bottom.

For layout tests of any PDF renderer: A4 pages, no word past the margins, no heading stranded at
a page's bottom, table-header words whole.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pdfplumber

MM = 72 / 25.4
A4 = (595.28, 841.89)  # pt, portrait
TOLERANCE = 1.0  # pt


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(frozen=True)
class Page:
    number: int  # from 1
    width: float
    height: float
    words: list[Word]

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def is_a4(self) -> bool:
        size = sorted((self.width, self.height))
        return abs(size[0] - A4[0]) <= TOLERANCE and abs(size[1] - A4[1]) <= TOLERANCE

    def body(self, margin_mm: float = 25) -> list[Word]:
        """The words between the top and bottom margins: not the running header or footer."""
        margin = margin_mm * MM
        return [
            w for w in self.words if w.top >= margin - 2 and w.bottom <= self.height - margin + 2
        ]

    def lines(self, margin_mm: float = 25) -> list[str]:
        """The body's lines of text from top to bottom (words on the same baseline joined)."""
        rows: list[list[Word]] = []
        for word in sorted(self.body(margin_mm), key=lambda w: (round(w.bottom), w.x0)):
            if rows and abs(rows[-1][0].bottom - word.bottom) < 1.5:
                rows[-1].append(word)
            else:
                rows.append([word])
        return [" ".join(w.text for w in sorted(row, key=lambda w: w.x0)) for row in rows]

    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def read(content: bytes) -> list[Page]:
    """Every page of the PDF with its words (split at spaces) and their boxes in pt."""
    pages = []
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            words = [
                Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], round(w["size"], 1))
                for w in page.extract_words(
                    keep_blank_chars=False, use_text_flow=True, extra_attrs=["size"]
                )
            ]
            pages.append(Page(number, float(page.width), float(page.height), words))
    return pages


def metadata(content: bytes) -> dict[str, Any]:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return dict(pdf.metadata)


def not_a4(pages: list[Page]) -> list[int]:
    return [page.number for page in pages if not page.is_a4]


def words_past_margins(
    pages: list[Page], margin_mm: float = 25, tolerance: float = TOLERANCE
) -> list[tuple[int, str, float, float]]:
    """(page, word, x0, x1) for every word drawn left or right of the text area."""
    margin = margin_mm * MM
    return [
        (page.number, word.text, round(word.x0, 1), round(word.x1, 1))
        for page in pages
        for word in page.words
        if word.x0 < margin - tolerance or word.x1 > page.width - margin + tolerance
    ]


def headings_at_page_bottom(
    pages: list[Page], headings: list[str], margin_mm: float = 25
) -> list[tuple[int, str]]:
    """(page, line) for every page but the last whose last body line is one of `headings`.

    A heading is matched by its whole text or as the start of a wrapped heading's first line.
    """
    stranded = []
    wanted = [" ".join(h.split()) for h in headings]
    for page in pages[:-1]:
        lines = page.lines(margin_mm)
        for tail in (" ".join(lines[-2:]), lines[-1] if lines else ""):
            if tail and any(tail == h or (len(tail) > 3 and h.startswith(tail)) for h in wanted):
                stranded.append((page.number, tail))
                break
    return stranded


def broken_words(pages: list[Page], words: list[str]) -> list[str]:
    """Those of `words` that appear nowhere whole (as a word of their own, punctuation aside)."""
    found = {w.text.strip(".,:;()") for page in pages for w in page.words}
    return [word for word in dict.fromkeys(words) if word.strip(".,:;()") not in found]
