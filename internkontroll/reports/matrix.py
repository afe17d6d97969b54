"""The risk matrix picture: counts per cell in the level colours, built once from the data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from django.utils.translation import gettext as _

from internkontroll.organisation.models import RiskMatrix

CELL = 96
LEFT = 150
TOP = 40
BOTTOM = 70
LEGEND_ROW = 22


@dataclass(frozen=True)
class LevelKey:
    name: str
    abbreviation: str
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


def abbreviations(names: list[str]) -> list[str]:
    """The shortest unique prefixes (at least one letter) of the level names."""
    result = []
    for name in names:
        length = 1
        while length < len(name) and any(
            other != name and other[:length].lower() == name[:length].lower() for other in names
        ):
            length += 1
        result.append(name[:length])
    return result


def build_picture(
    matrix: RiskMatrix, assessments: Iterable[tuple[int | None, int | None]]
) -> MatrixPicture:
    """The matrix with the number of risks in each cell; `assessments` are (p, c) pairs."""
    levels = matrix.level_objects()
    keys = {
        level.name: LevelKey(level.name, short, level.color, text_color_for(level.color))
        for level, short in zip(levels, abbreviations([lv.name for lv in levels]), strict=True)
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


def _text(x: float, y: float, content: str, **attributes: str) -> str:
    extra = "".join(
        f' {name.replace("_", "-")}="{escape(value)}"' for name, value in attributes.items()
    )
    return f'<text x="{x:g}" y="{y:g}"{extra}>{escape(content)}</text>'


def _cell(cell: MatrixCell, x: int, y: int) -> str:
    middle = x + CELL / 2
    return "".join(
        (
            f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{cell.level.color}" '
            'stroke="#ffffff" stroke-width="2"/>',
            _text(
                middle,
                y + CELL / 2 + 2,
                str(cell.count),
                text_anchor="middle",
                font_size="26",
                font_weight="bold",
                fill=cell.level.text_color,
            ),
            _text(
                middle,
                y + CELL - 12,
                cell.level.abbreviation,
                text_anchor="middle",
                font_size="13",
                fill=cell.level.text_color,
            ),
        )
    )


def matrix_svg(picture: MatrixPicture, title: str | None = None) -> str:
    """An accessible SVG: a title and description, and every cell's count and level as text."""
    columns, rows = len(picture.consequence_labels), len(picture.rows)
    width = LEFT + columns * CELL + 10
    grid_bottom = TOP + rows * CELL
    height = grid_bottom + BOTTOM + LEGEND_ROW * len(picture.legend)
    title = title or _("Risk matrix")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="risk-matrix" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'aria-labelledby="matrix-title matrix-desc" font-family="sans-serif">',
        f'<title id="matrix-title">{escape(title)}</title>',
        f'<desc id="matrix-desc">{escape(picture.description)}</desc>',
        _text(8, TOP - 16, _("Probability"), font_size="13", font_weight="bold"),
    ]
    for index, row in enumerate(picture.rows):
        y = TOP + index * CELL
        label = picture.probability_labels[len(picture.rows) - 1 - index]
        parts.append(_text(LEFT - 8, y + CELL / 2 + 4, label, text_anchor="end", font_size="12"))
        parts.extend(_cell(cell, LEFT + column * CELL, y) for column, cell in enumerate(row))
    for column, label in enumerate(picture.consequence_labels):
        x = LEFT + column * CELL + CELL / 2
        parts.append(_text(x, grid_bottom + 18, label, text_anchor="middle", font_size="12"))
    parts.append(
        _text(
            LEFT + columns * CELL / 2,
            grid_bottom + 40,
            _("Consequence"),
            text_anchor="middle",
            font_size="13",
            font_weight="bold",
        )
    )
    for index, key in enumerate(picture.legend):
        y = grid_bottom + BOTTOM - 8 + index * LEGEND_ROW
        parts.append(f'<rect x="{LEFT}" y="{y - 13}" width="16" height="16" fill="{key.color}"/>')
        parts.append(_text(LEFT + 24, y, f"{key.abbreviation} = {key.name}", font_size="12"))
    parts.append("</svg>")
    return "".join(parts)
