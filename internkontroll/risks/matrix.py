"""The risk matrix as a grid of cells for the screen: counts, levels and links."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from internkontroll.organisation.models import Level, RiskMatrix


@dataclass(frozen=True)
class Cell:
    probability: int
    consequence: int
    level: Level
    count: int
    selected: bool

    @property
    def key(self) -> str:
        return f"{self.probability}-{self.consequence}"

    css_class: str


@dataclass(frozen=True)
class Row:
    probability: int
    label: str
    cells: list[Cell]


def grid(
    matrix: RiskMatrix,
    assessments: Iterable[tuple[int | None, int | None]],
    selected: tuple[int, int] | None = None,
) -> list[Row]:
    """Rows from the most to the least probable, as risk matrices are usually drawn."""
    counts = Counter((p, c) for p, c in assessments if p is not None and c is not None)
    return counted_grid(matrix, counts, selected)


def counted_grid(
    matrix: RiskMatrix, counts: Mapping[tuple[int, int], int], selected: tuple[int, int] | None
) -> list[Row]:
    """The grid for counts per (probability, consequence) cell, as the database counts them."""
    return [
        Row(
            probability=p,
            label=matrix.probability_labels[p - 1],
            cells=[
                Cell(
                    p,
                    c,
                    matrix.level_for(p, c),
                    counts.get((p, c), 0),
                    selected == (p, c),
                    level_class(matrix, matrix.level_for(p, c)),
                )
                for c in range(1, matrix.consequence_size + 1)
            ],
        )
        for p in range(matrix.probability_size, 0, -1)
    ]


@dataclass(frozen=True)
class LevelStyle:
    css_class: str
    background: str
    color: str


def readable_text_color(background: str) -> str:
    """Black or white, whichever contrasts more with the background colour."""
    red, green, blue = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


def level_class(matrix: RiskMatrix, level: Level) -> str:
    return f"level-{matrix.pk}-{level.rank}"


def level_styles(matrices: Iterable[RiskMatrix]) -> list[LevelStyle]:
    """CSS classes for the levels' colours, so pages carry no inline style attributes."""
    seen: dict[int, RiskMatrix] = {m.pk: m for m in matrices}
    return [
        LevelStyle(level_class(m, level), level.color, readable_text_color(level.color))
        for m in seen.values()
        for level in m.level_objects()
    ]
