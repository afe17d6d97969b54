"""How wide text is drawn, approximately, to size Word's table columns so no header word breaks.

Glyph widths are Arial's (`reports.widths`; Liberation Sans has the same metrics). Lengths are
in twips (1/20 point, 1/1440 inch), Word's unit for page and table geometry.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from internkontroll.reports.widths import text_em

TWIPS_PER_POINT = 20
TWIPS_PER_CM = 1440 / 2.54

# Table text sizes to try, largest first: the first at which every header word fits is used.
TABLE_SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5)
# Left and right cell padding, in twips: 0.15 cm, or 0.1 cm in tables set in small text.
CELL_PADDING = 85
NARROW_PADDING = 57
NARROW_BELOW = 8.0
# Room for rounding and for a renderer whose metrics differ a little from these.
SLACK = 1.03
SLACK_TWIPS = 30

AVERAGE_REGULAR = 520  # a Swedish sentence in Arial, per character including spaces

# How much wider than Arial the fonts wider than it set Swedish text (about; bold weight).
# Other fonts (Calibri, Times New Roman, Garamond, …) are measured as Arial, which they undercut.
WIDER_THAN_ARIAL = {
    "verdana": 1.22,
    "century gothic": 1.18,
    "dejavu sans": 1.14,
    "tahoma": 1.08,
    "georgia": 1.08,
    "trebuchet ms": 1.06,
    "segoe ui": 1.04,
}


def font_scale(name: str | None) -> float:
    """How much wider than Arial a template's font sets text (1.0 for Arial and narrower)."""
    return WIDER_THAN_ARIAL.get((name or "").strip().lower(), 1.0)


def text_width(text: str, size: float, *, bold: bool = True, scale: float = 1.0) -> float:
    """The width of `text` set in Arial at `size` points, in twips (bold is the wider)."""
    return text_em(text, bold=bold) * size * TWIPS_PER_POINT * scale


def longest_word_width(text: str, size: float, scale: float = 1.0) -> float:
    return max((text_width(word, size, scale=scale) for word in text.split()), default=0.0)


def longest_words(texts: Iterable[str], spread: int = 3) -> list[str]:
    """The longest words of `texts` (and those nearly as long, whose letters may be wider)."""
    words = {word for text in texts for word in text.split()}
    longest = max((len(word) for word in words), default=0)
    return [word for word in words if len(word) >= longest - spread]


@dataclass(frozen=True)
class Fit:
    """Column widths in twips that add up to the table's width, the text size and padding."""

    widths: list[int]
    size: float
    padding: int = CELL_PADDING


def fit_columns(
    headers: Sequence[str],
    weights: Sequence[float],
    total: int,
    *,
    cells: Sequence[Sequence[str]] = (),
    sizes: Sequence[float] = TABLE_SIZES,
    scale: float = 1.0,
) -> Fit:
    """Widths proportional to `weights`, each column wide enough for its longest header word.

    The largest size in `sizes` at which all header words fit is chosen; a column that its
    weight makes too narrow is widened to its word, and the width it needs is taken from the
    others in proportion to their weights, so mostly from the widest. Where there is room,
    columns are also kept wide enough for the longest word of their `cells` (rows of texts).
    `scale` is the font's width relative to Arial's (`font_scale`).
    """
    columns = [[row[index] for row in cells if index < len(row)] for index in range(len(headers))]
    if len(weights) != len(headers) or not all(weight > 0 for weight in weights):
        weights = [
            _content_weight(header, texts) for header, texts in zip(headers, columns, strict=True)
        ]
    candidates = [longest_words(texts) for texts in columns]
    for size in sizes:
        padding = padding_for(size)
        needed = _minimums(headers, size, padding, scale)
        if sum(needed) > total:
            continue
        wished = [
            max(minimum, min(_widest(words, size, scale) + 2 * padding + SLACK_TWIPS, total * 0.3))
            for minimum, words in zip(needed, candidates, strict=True)
        ]
        minimums = wished if sum(wished) <= total else needed
        return Fit(_rounded(_water_fill(weights, minimums, total), total), size, padding)
    # Not even the smallest size fits every header word: share out by the words' own widths.
    size = sizes[-1]
    padding = padding_for(size)
    return Fit(_rounded(_minimums(headers, size, padding, scale), total), size, padding)


def padding_for(size: float) -> int:
    return NARROW_PADDING if size < NARROW_BELOW else CELL_PADDING


def _content_weight(header: str, texts: Sequence[str]) -> float:
    """A column's weight from what it holds: its header word or its typical text, capped."""
    lengths = sorted(len(text) for text in texts)
    typical = lengths[len(lengths) * 9 // 10] if lengths else 0
    return max(len(max(header.split(), key=len, default="")), min(typical, 60), 4)


def _widest(words: Sequence[str], size: float, scale: float) -> float:
    return max((text_width(word, size, scale=scale) for word in words), default=0.0)


def _minimums(headers: Sequence[str], size: float, padding: int, scale: float) -> list[float]:
    return [
        longest_word_width(header, size, scale) * SLACK + 2 * padding + SLACK_TWIPS
        for header in headers
    ]


def _water_fill(weights: Sequence[float], minimums: Sequence[float], total: int) -> list[float]:
    """Proportional shares, with columns below their minimum pinned to it and the rest re-shared."""
    pinned: dict[int, float] = {}
    while True:
        free = [index for index in range(len(weights)) if index not in pinned]
        remaining = total - sum(pinned.values())
        weight_sum = sum(weights[index] for index in free)
        shares = {index: remaining * weights[index] / weight_sum for index in free}
        short = [index for index in free if shares[index] < minimums[index]]
        if not short:
            return [pinned.get(index, shares.get(index, 0.0)) for index in range(len(weights))]
        for index in short:
            pinned[index] = minimums[index]


def _rounded(widths: Sequence[float], total: int) -> list[int]:
    """Whole twips that add up to exactly `total` (the remainder goes to the widest column)."""
    scale = total / sum(widths)
    result = [int(width * scale) for width in widths]
    result[max(range(len(result)), key=lambda index: result[index])] += total - sum(result)
    return result


def estimated_height(
    texts: Sequence[str], widths: Sequence[int], size: float, padding: int = CELL_PADDING
) -> float:
    """Roughly how tall a table row holding `texts` in columns of `widths` is, in twips."""
    line_height = size * 1.2 * TWIPS_PER_POINT
    char_width = AVERAGE_REGULAR * size * TWIPS_PER_POINT / 1000
    tallest = 1
    for text, width in zip(texts, widths, strict=False):
        per_line = max(1, int((width - 2 * padding) / char_width))
        lines = sum(max(1, math.ceil(len(line) / per_line)) for line in text.split("\n"))
        tallest = max(tallest, lines)
    return tallest * line_height + 2 * 28
