"""Column widths that keep every table-header word whole, for the PDF and Word renderers.

A layout gives each column a relative weight; a renderer scales the weights to its text width.
A narrow column would then break a header word mid-word ("Riskvä rde"), so each column gets at
least the width of its longest header word. Widths are measured with Arial's glyph widths
(Liberation Sans has the same metrics), which is close enough for any ordinary sans-serif.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

MM_PER_PT = 25.4 / 72

# Advance widths in thousandths of an em, Arial / Liberation Sans, by character.
_CHARS = (
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
    "abcdefghijklmnopqrstuvwxyz{|}~åäöÅÄÖéÉüÜ–—…§"
)
_REGULAR = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722,
    722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722,
    667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556,
    556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500,
    500, 334, 260, 334, 584, 556, 556, 556, 667, 667, 778, 556, 667, 556, 722, 556, 1000, 1000,
    556,
)  # fmt: skip
_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722,
    722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722,
    667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611,
    611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556,
    500, 389, 280, 389, 584, 556, 556, 611, 722, 722, 778, 556, 667, 611, 722, 556, 1000, 1000,
    556,
)  # fmt: skip
_WIDTHS = {
    False: dict(zip(_CHARS, _REGULAR, strict=True)),
    True: dict(zip(_CHARS, _BOLD, strict=True)),
}
# Characters not in the table: as wide as a capital letter, so that a guess errs on the wide side.
_UNKNOWN = 722

# Pango and Word kern and round differently from this table; a word gets this much extra.
SAFETY = 1.04


def text_em(text: str, *, bold: bool = False) -> float:
    """How wide `text` is on one line, in ems (multiply by the font size)."""
    widths = _WIDTHS[bold]
    return sum(widths.get(char, _UNKNOWN) for char in text) / 1000


def text_mm(text: str, font_size_pt: float, *, bold: bool = False) -> float:
    return text_em(text, bold=bold) * font_size_pt * MM_PER_PT * SAFETY


def longest_word_mm(text: str, font_size_pt: float, *, bold: bool = False) -> float:
    return max((text_mm(word, font_size_pt, bold=bold) for word in text.split()), default=0.0)


def minimum_widths(
    columns: Sequence[str],
    font_size_pt: float,
    *,
    padding_mm: float = 2.0,
    keep_whole: Sequence[Sequence[str]] = (),
) -> list[float]:
    """Each column's narrowest width in mm: its longest header word, set in bold, and padding.

    `keep_whole` holds, per column, more texts whose words must not break (dates, numbers),
    set in the regular weight.
    """
    minimums = []
    for index, header in enumerate(columns):
        words = [longest_word_mm(header, font_size_pt, bold=True)]
        if index < len(keep_whole):
            words.extend(longest_word_mm(text, font_size_pt) for text in keep_whole[index])
        minimums.append(max(words) + padding_mm)
    return minimums


def fits(
    columns: Sequence[str],
    text_width_mm: float,
    font_size_pt: float,
    *,
    padding_mm: float = 2.0,
    keep_whole: Sequence[Sequence[str]] = (),
) -> bool:
    """Whether every column can be as wide as its longest header word within the text width."""
    minimums = minimum_widths(columns, font_size_pt, padding_mm=padding_mm, keep_whole=keep_whole)
    return sum(minimums) <= text_width_mm


def maximum_widths(
    columns: Sequence[str],
    font_size_pt: float,
    widest: Sequence[Sequence[str]],
    *,
    padding_mm: float = 2.0,
) -> list[float]:
    """Each column's widest need in mm: its header or its longest text on one line, and padding.

    `widest` holds, per column, the texts that may be its longest (all of them, or the longest
    few by length); lines are split at newlines.
    """
    return [
        max(
            [text_mm(header, font_size_pt, bold=True)]
            + [
                text_mm(line, font_size_pt)
                for text in (widest[index] if index < len(widest) else ())
                for line in text.splitlines()
            ]
        )
        + padding_mm
        for index, header in enumerate(columns)
    ]


def column_percentages(
    columns: Sequence[str],
    widths: Sequence[float],
    text_width_mm: float,
    font_size_pt: float,
    *,
    padding_mm: float = 2.0,
    keep_whole: Sequence[Sequence[str]] = (),
    widest: Sequence[Sequence[str]] = (),
) -> list[float]:
    """The columns' shares of the text width, in per cent, summing to 100.

    Shares follow the relative `widths` (equal when missing), with two bounds. No column is
    narrower than its longest header word (or word to keep whole): such a column gets that
    width and the others share the rest by weight. Given `widest`, no column is wider than its
    longest line of text needs, so that the room goes to the columns that wrap; when every
    column has room to spare, the spare is shared by weight. When even the narrowest widths
    exceed the text width, the shares are proportional to them (use a smaller font or
    landscape).
    """
    count = len(columns)
    if not count:
        return []
    weights = [float(w) for w in widths] if len(widths) == count else [1.0] * count
    weights = [w if w > 0 else 1.0 for w in weights]
    minimums = minimum_widths(columns, font_size_pt, padding_mm=padding_mm, keep_whole=keep_whole)
    if sum(minimums) >= text_width_mm:
        total = sum(minimums)
        return [100 * m / total for m in minimums]
    columns_all = range(count)
    capped: dict[int, float] = {}
    if widest:
        maximums = [
            max(most, least)
            for most, least in zip(
                maximum_widths(columns, font_size_pt, widest, padding_mm=padding_mm),
                minimums,
                strict=True,
            )
        ]
        if sum(maximums) <= text_width_mm:
            spare = (text_width_mm - sum(maximums)) / sum(weights)
            return [
                100 * (most + spare * w) / text_width_mm
                for most, w in zip(maximums, weights, strict=True)
            ]
        capped = _pin(weights, text_width_mm, maximums, columns_all, above=True)
        needed = sum(capped.values()) + sum(m for i, m in enumerate(minimums) if i not in capped)
        if needed > text_width_mm:
            capped = {}
    rest = [i for i in columns_all if i not in capped]
    room = text_width_mm - sum(capped.values())
    floored = _pin(weights, room, minimums, rest, above=False)
    free = room - sum(floored.values())
    free_weight = sum(weights[i] for i in rest if i not in floored) or 1.0
    mm = [capped.get(i, floored.get(i, free * weights[i] / free_weight)) for i in columns_all]
    return [100 * value / text_width_mm for value in mm]


def _pin(
    weights: Sequence[float],
    width: float,
    bounds: Sequence[float],
    columns: Iterable[int],
    *,
    above: bool,
) -> dict[int, float]:
    """Share `width` among `columns` by weight, pinning at its bound every column whose share
    rises above it (or falls below it), until none does; the pinned columns and their widths."""
    active = list(columns)
    pinned: dict[int, float] = {}
    while True:
        free_columns = [i for i in active if i not in pinned]
        if not free_columns:
            return pinned
        free = width - sum(pinned.values())
        total = sum(weights[i] for i in free_columns)
        shares = {i: free * weights[i] / total for i in free_columns}
        crossing = [
            i for i, share in shares.items() if (share > bounds[i] if above else share < bounds[i])
        ]
        if not crossing:
            return pinned
        for i in crossing:
            pinned[i] = bounds[i]


def whole_percentages(percentages: Sequence[float], minimums: Sequence[float] = ()) -> list[int]:
    """Whole per cents summing to 100, none below its column's minimum (in per cent, rounded up).

    Rounding is by largest remainder; what the minimums take is taken from the columns with the
    most room above their own minimum.
    """
    count = len(percentages)
    if not count:
        return []
    floors = [math.ceil(m - 1e-9) for m in minimums] + [0] * (count - len(minimums))
    result = [max(int(p), floor) for p, floor in zip(percentages, floors, strict=True)]
    by_fraction = sorted(range(count), key=lambda i: percentages[i] - int(percentages[i]))
    while sum(result) < 100:
        result[by_fraction.pop() if by_fraction else result.index(max(result))] += 1
    while sum(result) > 100:
        roomiest = max(range(count), key=lambda i: result[i] - floors[i])
        if result[roomiest] <= max(floors[roomiest], 1):
            break  # the minimums alone exceed the width; nothing more can give
        result[roomiest] -= 1
    return result
