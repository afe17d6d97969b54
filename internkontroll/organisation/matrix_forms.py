"""The risk matrix as a form: scale sizes and labels, levels with colours, an optional cell map.

The number of fields follows the sizes the user chose, so changing a size and sending the form
(or the live preview's request) brings back a form of the new shape, with what was typed kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from internkontroll.organisation.defaults import MAX_SCALE, MIN_SCALE
from internkontroll.organisation.models import RiskMatrix, matrix_errors

MIN_LEVELS = 1
MAX_LEVELS = 6
NEW_LEVEL_COLOR = "#757575"
COLOR = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Write the colour as # followed by six hexadecimal digits.")
)


def _size(value: Any, low: int, high: int, fallback: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return fallback
    return number if low <= number <= high else fallback


@dataclass(frozen=True)
class LevelFields:
    number: int
    name: forms.BoundField
    min_score: forms.BoundField
    color: forms.BoundField


@dataclass(frozen=True)
class CellRow:
    label: str
    cells: list[forms.BoundField]


class MatrixForm(forms.Form):
    """A whole matrix; `document()` gives it in the exchange format's shape once it is valid."""

    opened_from = forms.IntegerField(widget=forms.HiddenInput, required=False)
    probability_size = forms.TypedChoiceField(
        label=_("Number of probability steps"),
        coerce=int,
        choices=[(n, n) for n in range(MIN_SCALE, MAX_SCALE + 1)],
    )
    consequence_size = forms.TypedChoiceField(
        label=_("Number of consequence steps"),
        coerce=int,
        choices=[(n, n) for n in range(MIN_SCALE, MAX_SCALE + 1)],
    )
    level_count = forms.TypedChoiceField(
        label=_("Number of levels"),
        coerce=int,
        choices=[(n, n) for n in range(MIN_LEVELS, MAX_LEVELS + 1)],
    )
    use_cells = forms.BooleanField(
        label=_("Choose the level of each cell myself"),
        required=False,
        help_text=_("Otherwise a cell's level follows its risk score, probability × consequence."),
    )

    def __init__(self, data: Any = None, *, current: RiskMatrix | None, **kwargs: Any) -> None:
        document = current.as_document() if current is not None else None
        initial = self._initial(document, current)
        if data is not None:
            data = data.copy()
        super().__init__(data, initial=initial, **kwargs)
        source = data if data is not None else initial
        self.sizes = (
            _size(source.get("probability_size"), MIN_SCALE, MAX_SCALE, MIN_SCALE),
            _size(source.get("consequence_size"), MIN_SCALE, MAX_SCALE, MIN_SCALE),
        )
        self.level_total = _size(source.get("level_count"), MIN_LEVELS, MAX_LEVELS, MIN_LEVELS)
        if data is None:
            self.cell_map = bool(initial["use_cells"])
        else:
            self.cell_map = self.fields["use_cells"].widget.value_from_datadict(
                data, {}, "use_cells"
            )
        self._add_scale_fields()
        self._add_level_fields()
        if self.cell_map:
            self._add_cell_fields(data)

    @staticmethod
    def _initial(document: dict[str, Any] | None, current: RiskMatrix | None) -> dict[str, Any]:
        if document is None:
            from internkontroll.organisation.defaults import DEFAULT_RISK_MATRIX

            document = DEFAULT_RISK_MATRIX
        levels = document["levels"]
        initial: dict[str, Any] = {
            "opened_from": current.pk if current is not None else None,
            "probability_size": len(document["probability"]),
            "consequence_size": len(document["consequence"]),
            "level_count": len(levels),
            "use_cells": bool(document.get("cells")),
        }
        for index, label in enumerate(document["probability"], start=1):
            initial[f"probability_{index}"] = label
        for index, label in enumerate(document["consequence"], start=1):
            initial[f"consequence_{index}"] = label
        for index, level in enumerate(levels, start=1):
            initial[f"level_{index}_name"] = level["name"]
            initial[f"level_{index}_min_score"] = level["min_score"]
            initial[f"level_{index}_color"] = level["color"]
        names = [level["name"] for level in levels]
        for p, row in enumerate(document.get("cells") or [], start=1):
            for c, name in enumerate(row, start=1):
                initial[f"cell_{p}_{c}"] = str(names.index(name)) if name in names else ""
        return initial

    def _add_scale_fields(self) -> None:
        for key, size, label in (
            ("probability", self.sizes[0], _("Probability, step %(number)s")),
            ("consequence", self.sizes[1], _("Consequence, step %(number)s")),
        ):
            for number in range(1, size + 1):
                name = f"{key}_{number}"
                self.fields[name] = forms.CharField(
                    label=str(label) % {"number": number}, max_length=100
                )
                self.initial.setdefault(name, gettext("Step %(number)s") % {"number": number})
                self._default(name)

    def _add_level_fields(self) -> None:
        previous_score = 0
        for number in range(1, self.level_total + 1):
            name = f"level_{number}_name"
            self.fields[name] = forms.CharField(
                label=gettext("Level %(number)s, name") % {"number": number}, max_length=100
            )
            score = f"level_{number}_min_score"
            self.fields[score] = forms.IntegerField(
                label=gettext("Level %(number)s, lowest risk score") % {"number": number},
                min_value=1,
                max_value=MAX_SCALE * MAX_SCALE,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            color = f"level_{number}_color"
            self.fields[color] = forms.CharField(
                label=gettext("Level %(number)s, colour") % {"number": number},
                max_length=7,
                validators=[COLOR],
                widget=forms.TextInput(attrs={"type": "color"}),
            )
            self.initial.setdefault(name, gettext("Level %(number)s") % {"number": number})
            self.initial.setdefault(score, previous_score + 1)
            self.initial.setdefault(color, NEW_LEVEL_COLOR)
            for field in (name, score, color):
                self._default(field)
            previous_score = _size(self._value(score), 1, MAX_SCALE * MAX_SCALE, previous_score + 1)

    def _add_cell_fields(self, data: Any) -> None:
        choices = [
            (str(index), self._value(f"level_{index + 1}_name") or str(index + 1))
            for index in range(self.level_total)
        ]
        for p in range(1, self.sizes[0] + 1):
            for c in range(1, self.sizes[1] + 1):
                name = f"cell_{p}_{c}"
                self.fields[name] = forms.TypedChoiceField(
                    label=gettext("Level of the cell %(probability)s × %(consequence)s")
                    % {
                        "probability": self._value(f"probability_{p}"),
                        "consequence": self._value(f"consequence_{c}"),
                    },
                    coerce=int,
                    choices=choices,
                )
                # A new cell starts at the level its score gives.
                if name not in self.initial or (data is not None and name not in data):
                    self.initial[name] = str(self._band(p * c))
                self._default(name)

    def _default(self, name: str) -> None:
        """A field that the sent form did not have yet (a larger size) starts at its default."""
        if self.is_bound and name not in self.data:
            cast(dict[str, Any], self.data)[name] = self.initial[name]

    def reopen(self, matrix_id: int | None) -> None:
        """After someone else changed the matrix: sending again replaces theirs, deliberately."""
        cast(dict[str, Any], self.data)["opened_from"] = matrix_id

    def _value(self, name: str) -> Any:
        return self.data.get(name) if self.is_bound else self.initial.get(name)

    def _band(self, score: int) -> int:
        """The index of the level a score falls in by the levels' lowest scores as typed."""
        band = 0
        for index in range(self.level_total):
            lowest = _size(self._value(f"level_{index + 1}_min_score"), 1, 10**6, 10**6)
            if lowest <= score:
                band = index
        return band

    # For the template: the fields in the groups they are shown in.
    def probability_fields(self) -> list[forms.BoundField]:
        return [self[f"probability_{n}"] for n in range(1, self.sizes[0] + 1)]

    def consequence_fields(self) -> list[forms.BoundField]:
        return [self[f"consequence_{n}"] for n in range(1, self.sizes[1] + 1)]

    def level_fields(self) -> list[LevelFields]:
        return [
            LevelFields(
                n, self[f"level_{n}_name"], self[f"level_{n}_min_score"], self[f"level_{n}_color"]
            )
            for n in range(1, self.level_total + 1)
        ]

    def cell_rows(self) -> list[CellRow]:
        """Rows from the most probable down, as the matrix is drawn."""
        if not self.cell_map:
            return []
        return [
            CellRow(
                str(self._value(f"probability_{p}")),
                [self[f"cell_{p}_{c}"] for c in range(1, self.sizes[1] + 1)],
            )
            for p in range(self.sizes[0], 0, -1)
        ]

    def consequence_labels(self) -> list[str]:
        return [str(self._value(f"consequence_{c}")) for c in range(1, self.sizes[1] + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_unique("probability", self.sizes[0], _("the probability scale"))
        self._check_unique("consequence", self.sizes[1], _("the consequence scale"))
        self._check_levels()
        if not self.errors:
            for problem in matrix_errors(self.document()):
                self.add_error(None, problem)
        return data

    def _check_unique(self, key: str, size: int, scale: Any) -> None:
        seen: dict[str, int] = {}
        for number in range(1, size + 1):
            name = f"{key}_{number}"
            label = " ".join(str(self.cleaned_data.get(name) or "").split())
            if not label:
                continue
            self.cleaned_data[name] = label
            if label.casefold() in seen:
                self.add_error(
                    name,
                    gettext("“%(label)s” is already step %(first)s of %(scale)s.")
                    % {"label": label, "first": seen[label.casefold()], "scale": scale},
                )
            else:
                seen[label.casefold()] = number

    def _check_levels(self) -> None:
        names: dict[str, int] = {}
        previous: int | None = None
        highest = self.sizes[0] * self.sizes[1]
        for number in range(1, self.level_total + 1):
            name = " ".join(str(self.cleaned_data.get(f"level_{number}_name") or "").split())
            if name:
                self.cleaned_data[f"level_{number}_name"] = name
                if name.casefold() in names:
                    self.add_error(
                        f"level_{number}_name",
                        gettext("“%(name)s” is already the name of level %(first)s.")
                        % {"name": name, "first": names[name.casefold()]},
                    )
                else:
                    names[name.casefold()] = number
            score = self.cleaned_data.get(f"level_{number}_min_score")
            if score is None:
                continue
            field = f"level_{number}_min_score"
            if number == 1 and score != 1:
                self.add_error(field, gettext("The lowest level starts at risk score 1."))
            elif previous is not None and score <= previous:
                self.add_error(
                    field,
                    gettext(
                        "The lowest score must be higher than level %(previous)s's (%(score)s)."
                    )
                    % {"previous": number - 1, "score": previous},
                )
            elif not self.cell_map and score > highest:
                self.add_error(
                    field,
                    gettext(
                        "No cell reaches score %(score)s: the highest on this matrix is "
                        "%(highest)s."
                    )
                    % {"score": score, "highest": highest},
                )
            previous = score

    def document(self) -> dict[str, Any]:
        """The matrix as the exchange format writes it (call after is_valid())."""
        data = self.cleaned_data
        levels = [
            {
                "name": data[f"level_{n}_name"],
                "min_score": data[f"level_{n}_min_score"],
                "color": data[f"level_{n}_color"].lower(),
            }
            for n in range(1, self.level_total + 1)
        ]
        document: dict[str, Any] = {
            "probability": [data[f"probability_{n}"] for n in range(1, self.sizes[0] + 1)],
            "consequence": [data[f"consequence_{n}"] for n in range(1, self.sizes[1] + 1)],
            "levels": levels,
        }
        if self.cell_map:
            document["cells"] = [
                [levels[data[f"cell_{p}_{c}"]]["name"] for c in range(1, self.sizes[1] + 1)]
                for p in range(1, self.sizes[0] + 1)
            ]
        return document
