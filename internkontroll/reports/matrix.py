"""The risk matrix picture: counts per cell in the level colours, built once from the data.

Every cell names its level in full beside the count, so that the picture never relies on colour
alone (WCAG 1.4.1); labels wrap within their room, and a word too long for it is set smaller.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from django.utils.translation import gettext as _

from internkontroll.organisation.models import RiskMatrix
from internkontroll.reports.widths import text_em

# Drawing units of the SVG; the picture scales to the width it is given.
CELL = 100
LEFT = 130
TOP = 34
GAP = 10
LINE = 1.25  # line height, in font sizes
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"


@dataclass(frozen=True)
class LevelKey:
    name: str
    color: str
    text_color: str


@dataclass(frozen=True)
class MatrixCell:
    probability: int
    consequence: int
    count: int
    level: LevelKey


@dataclass(frozen=True)
class MatrixPicture:
    """Rows run from the highest probability down, as the matrix is drawn on paper."""

    probability_labels: list[str]
    consequence_labels: list[str]
    rows: list[list[MatrixCell]]
    legend: list[LevelKey]
    assessed: int
    unassessed: int

    @property
    def description(self) -> str:
        """Every cell that holds risks, in words: probability × consequence: count (level)."""
        parts = [
            f"{p_label} × {c_label}: {cell.count} ({cell.level.name})"
            for row, p_label in zip(self.rows, reversed(self.probability_labels), strict=True)
            for cell, c_label in zip(row, self.consequence_labels, strict=True)
            if cell.count
        ]
        return "; ".join(parts) or _("No risk has been assessed.")


def text_color_for(color: str) -> str:
    """Black or white, whichever reads better on the colour (WCAG relative luminance)."""
    hex_value = color.lstrip("#")
    if len(hex_value) != 6:
        return "#000000"
    channels = [int(hex_value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if luminance > 0.179 else "#ffffff"


def build_picture(
    matrix: RiskMatrix, assessments: Iterable[tuple[int | None, int | None]]
) -> MatrixPicture:
    """The matrix with the number of risks in each cell; `assessments` are (p, c) pairs."""
    levels = matrix.level_objects()
    keys = {
        level.name: LevelKey(level.name, level.color, text_color_for(level.color))
        for level in levels
    }
    counts: Counter[tuple[int, int]] = Counter()
    unassessed = 0
    for probability, consequence in assessments:
        if probability is None or consequence is None:
            unassessed += 1
        else:
            counts[(probability, consequence)] += 1
    rows = [
        [
            MatrixCell(p, c, counts[(p, c)], keys[matrix.level_for(p, c).name])
            for c in range(1, matrix.consequence_size + 1)
        ]
        for p in range(matrix.probability_size, 0, -1)
    ]
    return MatrixPicture(
        probability_labels=list(matrix.probability_labels),
        consequence_labels=list(matrix.consequence_labels),
        rows=rows,
        legend=list(keys.values()),
        assessed=sum(counts.values()),
        unassessed=unassessed,
    )


def wrap(text: str, width: float, size: float, *, bold: bool = False) -> tuple[list[str], float]:
    """`text` in lines no wider than `width` at font `size`, and the size, smaller if a word
    alone is wider than `width` (drawing units)."""
    words = text.split()
    widest = max((text_em(word, bold=bold) for word in words), default=0.0)
    if widest * size > width:
        size = width / widest
    lines: list[str] = []
    for word in words:
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and text_em(candidate, bold=bold) * size <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines, size


def _text(x: float, y: float, content: str, **attributes: str) -> str:
    extra = "".join(
        f' {name.replace("_", "-")}="{escape(value)}"' for name, value in attributes.items()
    )
    return f'<text x="{x:g}" y="{y:g}"{extra}>{escape(content)}</text>'


def _lines(x: float, top: float, lines: list[str], size: float, **attributes: str) -> list[str]:
    """One <text> per line, the first line's baseline one font size below `top`."""
    return [
        _text(x, top + size + index * size * LINE, line, font_size=f"{size:.3g}", **attributes)
        for index, line in enumerate(lines)
    ]


def _height(lines: list[str], size: float) -> float:
    return size + (len(lines) - 1) * size * LINE + size * 0.3


def _cell(cell: MatrixCell, x: float, y: float) -> list[str]:
    middle = x + CELL / 2
    colour = cell.level.text_color
    parts = [
        f'<rect x="{x:g}" y="{y:g}" width="{CELL}" height="{CELL}" fill="{cell.level.color}" '
        'stroke="#ffffff" stroke-width="2"/>',
        _text(
            middle,
            y + 40,
            str(cell.count),
            text_anchor="middle",
            font_size="28",
            font_weight="bold",
            fill=colour,
        ),
    ]
    lines, size = wrap(cell.level.name, CELL - 12, 14)
    while len(lines) > 2 and size > 8:
        lines, size = wrap(cell.level.name, CELL - 12, size - 2)
    parts += _lines(middle, y + 52, lines, size, text_anchor="middle", fill=colour)
    return parts


def matrix_svg(picture: MatrixPicture, title: str | None = None) -> str:
    """An accessible SVG: a title and description, and every cell's count and level as text.

    It has a viewBox and no fixed size, so it takes the width its container gives it.
    """
    columns, rows = len(picture.consequence_labels), len(picture.rows)
    grid_bottom = TOP + rows * CELL
    legend_rooms = [16 + 6 + text_em(key.name) * 14 + 2 * GAP for key in picture.legend]
    width = max([LEFT + columns * CELL + GAP, *legend_rooms])
    title = title or _("Risk matrix")
    parts = [
        _text(0, TOP - 14, _("Probability"), font_size="15", font_weight="bold"),
    ]
    for index in range(rows):
        y = TOP + index * CELL
        label = picture.probability_labels[rows - 1 - index]
        lines, size = wrap(label, LEFT - 2 * GAP, 14)
        top = y + (CELL - _height(lines, size)) / 2
        parts += _lines(LEFT - GAP, top, lines, size, text_anchor="end")
        for column, cell in enumerate(picture.rows[index]):
            parts += _cell(cell, LEFT + column * CELL, y)
    label_bottom = float(grid_bottom)
    for column, label in enumerate(picture.consequence_labels):
        lines, size = wrap(label, CELL - GAP, 14)
        x = LEFT + column * CELL + CELL / 2
        parts += _lines(x, grid_bottom + 4, lines, size, text_anchor="middle")
        label_bottom = max(label_bottom, grid_bottom + 4 + _height(lines, size))
    axis_top = label_bottom + 6
    parts.append(
        _text(
            LEFT + columns * CELL / 2,
            axis_top + 15,
            _("Consequence"),
            text_anchor="middle",
            font_size="15",
            font_weight="bold",
        )
    )
    # The legend, in rows as wide as the picture: a swatch and the level's name.
    legend_y = axis_top + 15 + 2 * GAP
    start = 0.0 if max(legend_rooms, default=0) > width - LEFT else float(LEFT)
    x = start
    for key, room in zip(picture.legend, legend_rooms, strict=True):
        if x > start and x + room > width:
            x, legend_y = start, legend_y + 24
        parts.append(
            f'<rect x="{x:g}" y="{legend_y:g}" width="16" height="16" fill="{key.color}" '
            'stroke="#555555" stroke-width="1"/>'
        )
        parts.append(_text(x + 22, legend_y + 13, key.name, font_size="14"))
        x += room
    height = legend_y + 16 + GAP
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="risk-matrix" '
            f'viewBox="0 0 {width:g} {height:g}" '
            f'aria-labelledby="matrix-title matrix-desc" font-family="{FONT}">',
            f'<title id="matrix-title">{escape(title)}</title>',
            f'<desc id="matrix-desc">{escape(picture.description)}</desc>',
            *parts,
            "</svg>",
        ]
    )
