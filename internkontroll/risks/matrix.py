"""The risk matrix as a grid of cells for the screen: counts, levels and links."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

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


def render(
    grid: list[Row],
    labels: Iterable[str],
    caption: str,
    *,
    cell_query: str | None = None,
    show_counts: bool = False,
) -> SafeString:
    """The matrix as an HTML table: a row per probability, a column per consequence, each cell
    in its level's colour with the level's name.

    With `cell_query` (the page's query string without its cell) a cell holding risks links to
    the list narrowed to it, loaded in place with htmx; `show_counts` shows each cell's number
    of risks, else the selected cell is marked as the risk's assessment. Written out here
    rather than as a template: 25 cells through the template engine took a risk list a fifth
    of its template time.
    """
    link = None if cell_query is None else (f"?{cell_query}&" if cell_query else "?")
    header = format_html_join("", '<th scope="col">{}</th>', ((label,) for label in labels))
    rows = format_html_join(
        "\n",
        '<tr><th scope="row">{}</th>{}</tr>',
        (
            (
                row.label,
                format_html_join(
                    "", "{}", ((_cell(row, cell, link, show_counts),) for cell in row.cells)
                ),
            )
            for row in grid
        ),
    )
    return format_html(
        '<div class="matrix-wrap" role="region" tabindex="0" aria-label="{caption}">'
        '<table class="matrix">\n<caption>{caption}</caption>\n'
        '<thead><tr><td class="matrix__corner"></td>{header}</tr></thead>\n'
        "<tbody>\n{rows}\n</tbody>\n</table></div>\n"
        '<p class="matrix-axis">{axis}</p>',
        caption=caption,
        header=header,
        rows=rows,
        axis=gettext("Rows: probability. Columns: consequence."),
    )


def _cell(row: Row, cell: Cell, link_prefix: str | None, show_counts: bool) -> SafeString:
    css_class = f"{cell.css_class} is-selected" if cell.selected else cell.css_class
    level = format_html('<span class="cell__level">{}</span>', cell.level.name)
    if link_prefix is not None and cell.count:
        href = f"{link_prefix}cell={cell.key}"
        described = ngettext(
            "%(counter)s risk, probability %(p)s, consequence %(c)s",
            "%(counter)s risks, probability %(p)s, consequence %(c)s",
            cell.count,
        ) % {"counter": cell.count, "p": row.label, "c": cell.consequence}
        content = format_html(
            '<a href="{href}" hx-get="{href}" hx-target="#results" hx-swap="outerHTML" '
            'hx-push-url="true"{current}><span class="cell__count">{count}</span> {level} '
            '<span class="visually-hidden">{described}</span></a>',
            href=href,
            current=SafeString(' aria-current="true"') if cell.selected else "",
            count=cell.count,
            level=level,
            described=described,
        )
    else:
        if show_counts:
            count = format_html('<span class="cell__count">{}</span>', cell.count or "")
        elif cell.selected:
            count = format_html(
                '<span class="cell__count">●</span> <span class="visually-hidden">{}</span>',
                gettext("The risk's assessment"),
            )
        else:
            count = SafeString("")
        # Spaces between the parts, so that their texts stay words apart when read as one.
        content = format_html('<span class="cell">{} {}</span>', count, level)
    return format_html('<td class="{}">{}</td>', css_class, content)
