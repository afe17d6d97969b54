"""The risk matrix on a page: `{% risk_matrix grid labels caption %}` (see matrix.render)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from internkontroll.risks import matrix

register = template.Library()


@register.simple_tag
def risk_matrix(
    grid: list[matrix.Row],
    labels: Iterable[str],
    caption: str,
    cell_query: str | None = None,
    show_counts: bool = False,
) -> SafeString:
    return matrix.render(grid, labels, caption, cell_query=cell_query, show_counts=show_counts)
