"""The rules of a risk matrix's shape: the one definition the model and the importer share.

The rules yield (JSON path, message) pairs; types are checked before (JSON Schema or the model).
"""

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from internkontroll.organisation.defaults import MAX_SCALE, MIN_SCALE

JsonPath = tuple[str | int, ...]
JsonObject = dict[str, Any]
Finding = tuple[JsonPath, str]


def integer(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def objects(value: object) -> list[tuple[int, JsonObject]]:
    """The objects of a list with their indexes; anything else is the schema layer's concern."""
    if not isinstance(value, list):
        return []
    return [(index, item) for index, item in enumerate(value) if isinstance(item, dict)]


def is_blank(value: object) -> bool:
    return isinstance(value, str) and not value.strip()


def matrix_findings(matrix: JsonObject, path: JsonPath) -> Iterator[Finding]:
    yield from _check_scale(matrix, "probability", path)
    yield from _check_scale(matrix, "consequence", path)
    yield from _check_levels(matrix, path)
    yield from _check_cells(matrix, path)


def _check_scale(matrix: JsonObject, key: str, path: JsonPath) -> Iterator[Finding]:
    scale_path = (*path, key)
    if key not in matrix:
        if key == "probability":
            yield (scale_path, _("The risk matrix needs a probability scale."))
        else:
            yield (scale_path, _("The risk matrix needs a consequence scale."))
        return
    labels = matrix[key]
    if not isinstance(labels, list):
        return
    if not MIN_SCALE <= len(labels) <= MAX_SCALE:
        message = _("The scale needs between %(min)s and %(max)s steps, not %(count)s.") % {
            "min": MIN_SCALE,
            "max": MAX_SCALE,
            "count": len(labels),
        }
        yield (scale_path, message)
    yield from _check_labels(labels, scale_path)


def _check_labels(labels: list[Any], path: JsonPath) -> Iterator[Finding]:
    first_index: dict[str, int] = {}
    for index, label in enumerate(labels):
        if not isinstance(label, str):
            continue
        if not label.strip():
            yield ((*path, index), _("Each step of the scale needs a label."))
        elif label.strip() in first_index:
            message = _('The label "%(label)s" is already used in this scale (%(first)s).') % {
                "label": label,
                "first": f"{path[-1]}[{first_index[label.strip()]}]",
            }
            yield ((*path, index), message)
        else:
            first_index[label.strip()] = index


def _check_levels(matrix: JsonObject, path: JsonPath) -> Iterator[Finding]:
    levels = matrix.get("levels")
    if "levels" not in matrix or levels == []:
        yield ((*path, "levels"), _("The risk matrix needs at least one level."))
    if not isinstance(levels, list):
        return
    yield from _check_level_names(objects(levels), (*path, "levels"))
    yield from _check_min_scores(objects(levels), (*path, "levels"))
    yield from _check_level_colors(objects(levels), (*path, "levels"))


def _check_level_names(levels: list[tuple[int, JsonObject]], path: JsonPath) -> Iterator[Finding]:
    first_index: dict[str, int] = {}
    for index, level in levels:
        name = level.get("name")
        if "name" not in level or is_blank(name):
            yield ((*path, index, "name"), _("Each level needs a name."))
        elif isinstance(name, str) and name in first_index:
            message = _('The level name "%(name)s" is already used (%(first)s).') % {
                "name": name,
                "first": f"levels[{first_index[name]}]",
            }
            yield ((*path, index, "name"), message)
        elif isinstance(name, str):
            first_index[name] = index


def _check_min_scores(levels: list[tuple[int, JsonObject]], path: JsonPath) -> Iterator[Finding]:
    previous: int | None = None
    for index, level in levels:
        score_path = (*path, index, "min_score")
        if "min_score" not in level:
            yield (score_path, _("Each level needs a min_score, the lowest risk score it covers."))
            continue
        score = integer(level["min_score"])
        if score is None:
            continue
        if index == 0 and score != 1 and score >= 1:
            message = _("The first level must start at score 1, not %(value)s.") % {"value": score}
            yield (score_path, message)
        elif previous is not None and score <= previous:
            message = _(
                "min_score %(value)s must be greater than the previous level's %(previous)s."
            ) % {
                "value": score,
                "previous": previous,
            }
            yield (score_path, message)
        previous = score


def _check_level_colors(levels: list[tuple[int, JsonObject]], path: JsonPath) -> Iterator[Finding]:
    for index, level in levels:
        if "color" not in level:
            yield ((*path, index, "color"), _("Each level needs a colour, written #RRGGBB."))


def _check_cells(matrix: JsonObject, path: JsonPath) -> Iterator[Finding]:
    cells = matrix.get("cells")
    if not isinstance(cells, list):
        return
    cells_path = (*path, "cells")
    probability = matrix.get("probability")
    if isinstance(probability, list) and len(cells) != len(probability):
        message = _(
            "The cells need one row per probability step (%(expected)s), not %(count)s."
        ) % {
            "expected": len(probability),
            "count": len(cells),
        }
        yield (cells_path, message)
    for row_index, row in enumerate(cells):
        if isinstance(row, list):
            yield from _check_cell_row(matrix, row, (*cells_path, row_index))


def _check_cell_row(matrix: JsonObject, row: list[Any], path: JsonPath) -> Iterator[Finding]:
    consequence = matrix.get("consequence")
    if isinstance(consequence, list) and len(row) != len(consequence):
        message = _(
            "The row needs one level per consequence step (%(expected)s), not %(count)s."
        ) % {
            "expected": len(consequence),
            "count": len(row),
        }
        yield (path, message)
    level_names = [
        level["name"] for _index, level in objects(matrix.get("levels")) if "name" in level
    ]
    if not level_names:
        return  # the missing levels are reported already
    for column, name in enumerate(row):
        if isinstance(name, str) and name not in level_names:
            message = _('"%(name)s" is not one of the matrix\'s levels (%(levels)s).') % {
                "name": name,
                "levels": ", ".join(str(level_name) for level_name in level_names),
            }
            yield ((*path, column), message)
