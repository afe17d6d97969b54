"""The workbook's layout: its sheets, their columns, and the lists the columns take values from.

The writer and the reader share it, so what is written reads back as the same values: that is
what makes a downloaded workbook, uploaded unchanged, change nothing.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from internkontroll.accounts.models import User
from internkontroll.accounts.queries import ancestors_and_self, assignable_people
from internkontroll.audits.models import Recommendation
from internkontroll.controls.models import ControlActivity, Frequency, Method
from internkontroll.followups.models import FollowUp, Result
from internkontroll.lib.spreadsheet import FORMULA_TRIGGERS
from internkontroll.organisation.models import Goal, Period, Process, RiskArea, Unit
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.forms import RiskForm
from internkontroll.risks.models import Action, Handling, Progress, Risk

# Rows a sheet may have, the header included: larger plans are moved with `ik import`.
MAX_ROWS = 10_000


class CellProblem(Exception):
    """A cell's value cannot be read; the message says why, in Swedish."""


def _verbose(model: Any, name: str) -> Any:
    return capfirst(model._meta.get_field(name).verbose_name)


@dataclass(frozen=True)
class Column:
    key: str
    header: str | Promise
    width: int = 20
    # text, number, date, choice (one of a list), flag (yes or no), codes (several of a list)
    kind: str = "text"
    choices: str = ""  # the list on the lists sheet the column takes its values from
    strict: bool = True  # whether a value outside the list is refused (else a new name)
    max_length: int | None = None


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str | Promise
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    def letter(self, key: str) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter([column.key for column in self.columns].index(key) + 1)


def _identifier(width: int = 12) -> Column:
    return Column("id", _verbose(Risk, "external_id"), width, max_length=100)


def _version() -> Column:
    return Column("version", _verbose(Risk, "version"), 9, kind="number")


def _risk_reference() -> Column:
    return Column("risk", _verbose(Action, "risk"), 12, kind="choice", choices="risks")


def _assignee() -> Column:
    """The person the item is assigned to, by username (see `people` in vocabulary)."""
    return Column("assignee", _("Person responsible"), 18, kind="choice", choices="people")


RISKS = Sheet(
    "risks",
    _("Risks"),
    (
        _identifier(),
        _version(),
        Column("title", _verbose(Risk, "title"), 40, max_length=500),
        Column("unit", _verbose(Risk, "unit"), 25, kind="choice", choices="units"),
        Column("area", _verbose(Risk, "area"), 25, choices="areas", strict=False, max_length=300),
        Column(
            "process",
            _verbose(Risk, "process"),
            25,
            choices="processes",
            strict=False,
            max_length=300,
        ),
        Column("goal", _verbose(Risk, "goal"), 25, kind="choice", choices="goals"),
        Column("description", _verbose(Risk, "description"), 50),
        Column("consequence_description", _verbose(Risk, "consequence_description"), 50),
        Column("existing_controls", _verbose(Risk, "existing_controls"), 50),
        Column("probability", _verbose(Risk, "probability"), 18, "choice", "probability"),
        Column("consequence", _verbose(Risk, "consequence"), 18, "choice", "consequence"),
        Column(
            "target_probability", _verbose(Risk, "target_probability"), 18, "choice", "probability"
        ),
        Column(
            "target_consequence", _verbose(Risk, "target_consequence"), 18, "choice", "consequence"
        ),
        *(
            Column(f"handling_{code}", capfirst(label), 14, kind="flag", choices="yes_no")
            for code, label in zip(Handling.values, Handling.labels, strict=True)
        ),
        Column("planned_handling", _verbose(Risk, "planned_handling"), 50),
        # Several, by reference ("rev-2025-1 rek-2"), separated by commas.
        Column(
            "recommendations",
            _verbose(Risk, "recommendations"),
            30,
            kind="codes",
            choices="recommendations",
        ),
    ),
)

ACTIONS = Sheet(
    "actions",
    _("Actions"),
    (
        _risk_reference(),
        _identifier(),
        _version(),
        Column("title", _verbose(Action, "title"), 40, max_length=500),
        Column("description", _verbose(Action, "description"), 50),
        Column("responsible", _verbose(Action, "responsible"), 20, max_length=200),
        _assignee(),
        Column("due_date", _verbose(Action, "due_date"), 12, kind="date"),
        Column("status", _verbose(Action, "status"), 14, kind="choice", choices="progress"),
    ),
)

CONTROL_ACTIVITIES = Sheet(
    "control_activities",
    _("Control activities"),
    (
        _risk_reference(),
        _identifier(),
        _version(),
        Column("title", _verbose(ControlActivity, "title"), 40, max_length=500),
        Column("working_method", _verbose(ControlActivity, "working_method"), 40),
        Column("systematic_control", _verbose(ControlActivity, "systematic_control"), 40),
        Column("description", _verbose(ControlActivity, "description"), 40),
        Column("method", _verbose(ControlActivity, "method"), 18, "choice", "methods"),
        Column("sample", _verbose(ControlActivity, "sample"), 20, max_length=500),
        Column("responsible", _verbose(ControlActivity, "responsible"), 20, max_length=200),
        _assignee(),
        Column("frequency", _verbose(ControlActivity, "frequency"), 18, "choice", "frequencies"),
        Column(
            "periods", _verbose(ControlActivity, "periods"), 16, kind="codes", choices="periods"
        ),
        Column("due_date", _verbose(ControlActivity, "due_date"), 12, kind="date"),
    ),
)

FOLLOW_UPS = Sheet(
    "follow_ups",
    _("Follow-ups"),
    (
        Column("number", _("Follow-up number"), 12, kind="number"),
        _risk_reference(),
        Column("action", _verbose(FollowUp, "action"), 12),
        Column("control_activity", _verbose(FollowUp, "control_activity"), 14),
        Column("period", _verbose(FollowUp, "period"), 10, kind="choice", choices="periods"),
        Column("date", _verbose(FollowUp, "date"), 12, kind="date"),
        Column("status", _verbose(FollowUp, "status"), 14, kind="choice", choices="progress"),
        Column("on_track", _verbose(FollowUp, "on_track"), 12, kind="choice", choices="yes_no"),
        Column("result", _verbose(FollowUp, "result"), 18, kind="choice", choices="results"),
        Column("comment", _verbose(FollowUp, "comment"), 60),
    ),
)

SHEETS = (RISKS, ACTIONS, CONTROL_ACTIVITIES, FOLLOW_UPS)


@dataclass
class Vocabulary:
    """The plan's lists: for each, the labels shown (in order) and the value of each label."""

    labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    objects: dict[str, dict[Any, Any]] = field(default_factory=dict)

    def add(self, name: str, items: Iterable[tuple[Any, str]]) -> None:
        self.labels[name] = dict(items)

    def label(self, name: str, value: Any) -> str:
        return self.labels[name].get(value, "") if value is not None else ""

    def value(self, name: str, text: str) -> Any:
        """The value a cell's text names: by its label as written, by its label ignoring case
        and spacing, or by its code; None if unknown."""
        labels = self.labels[name]
        for value, label in labels.items():
            if as_written(label) == text:
                return value
        wanted = _folded(text)
        for value, label in labels.items():
            if _folded(as_written(label)) == wanted:
                return value
        for value in labels:
            if isinstance(value, str) and _folded(value) == wanted:
                return value
        return None

    def codes(self, name: str, text: str) -> list[Any]:
        """The values of a list of labels ("T1, T2"), each read as `value` reads one; a label
        that holds the separator itself is taken whole where it matches."""
        labels = sorted(
            ((as_written(label), value) for value, label in self.labels[name].items()),
            key=lambda item: -len(item[0]),
        )
        found: list[Any] = []
        rest = text.strip()
        while rest:
            match = next(
                (
                    (label, value)
                    for label, value in labels
                    if label
                    and rest.startswith(label)
                    and (len(rest) == len(label) or rest[len(label) :].lstrip()[:1] in ",;")
                ),
                None,
            )
            if match is None:
                part, _, rest = _split_once(rest)
                found.append(_choice(self, name, part))
            else:
                found.append(match[1])
                rest = rest[len(match[0]) :].lstrip()
                rest = rest[1:] if rest[:1] in (",", ";") else rest
            rest = rest.strip()
        return found


def _add_people(words: Vocabulary, plan: ControlPlan, units: list[Unit]) -> None:
    """Those an action or control activity of the plan may be given to: the form's people
    (accounts.queries.assignable_people) for the committee and its units together, and those
    items are given to now. Whether a person fits a row's own risk is checked on upload."""
    by_pk = {unit.pk: unit for unit in [plan.unit, *units]}
    for unit in units:  # the parents at hand, so walking up them takes no queries
        if unit.parent_id in by_pk:
            unit.parent = by_pk[unit.parent_id]
    people = User.objects.filter(
        Q(pk__in=assignable_people([plan.unit, *units]).values("pk"))
        | Q(pk__in=Action.objects.filter(risk__plan=plan).values("assignee_id"))
        | Q(pk__in=ControlActivity.objects.filter(risk__plan=plan).values("assignee_id"))
    )
    found = list(people.order_by("username"))
    words.objects["people"] = {person.pk: person for person in found}
    words.add("people", [(person.pk, person.username) for person in found])


def _split_once(text: str) -> tuple[str, str, str]:
    found = CODE_SEPARATORS.search(text)
    if found is None:
        return text.strip(), "", ""
    return text[: found.start()].strip(), found.group(), text[found.end() :]


def as_written(value: Any) -> Any:
    """A stored value as a workbook can hold it: text without the characters the file format
    forbids (they are dropped when the workbook is written)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _distinct(items: list[tuple[Any, str, str]]) -> list[tuple[Any, str]]:
    """Labels a workbook can hold, made unique by adding an identifier where two things have
    the same name (or a name of characters a workbook cannot hold)."""
    shown = [(value, as_written(label), identifier) for value, label, identifier in items]
    counts = Counter(_folded(label) for _, label, _ in shown)
    return [
        (
            value,
            label if label.strip() and counts[_folded(label)] == 1 else f"{label} ({identifier})",
        )
        for value, label, identifier in shown
    ]


def vocabulary(plan: ControlPlan, *, user: Any = None, for_template: bool = False) -> Vocabulary:
    """The plan's lists, read in a fixed number of queries; the audit recommendations are those
    the risk form offers `user` (none without one)."""
    organisation_id = plan.unit.organisation_id
    matrix = plan.risk_matrix
    words = Vocabulary()
    subtree = plan.unit.subtree_ids()
    # The committee's units, and any unit a risk already names (kept as it is).
    used = Risk.objects.filter(plan=plan).values("unit_id")
    units = list(Unit.objects.filter(Q(pk__in=subtree) | Q(pk__in=used)).order_by("name", "pk"))
    words.objects["units"] = {unit.pk: unit for unit in units}
    _add_people(words, plan, units)
    words.add("units", _distinct([(unit.pk, unit.name, unit.external_id) for unit in units]))
    line = ancestors_and_self([plan.unit]) | subtree
    goal_rows = (
        Goal.objects.filter(organisation_id=organisation_id)
        .filter(Q(unit__isnull=True) | Q(unit_id__in=line))
        .filter(Q(year=plan.year) | Q(year__isnull=True))
        | Goal.objects.filter(pk__in=Risk.objects.filter(plan=plan).values("goal_id"))
    ).order_by("external_id", "pk")
    goals = list(goal_rows)
    words.objects["goals"] = {goal.pk: goal for goal in goals}
    words.add("goals", _distinct([(g.pk, str(g), g.external_id) for g in goals]))
    words.add(
        "areas",
        ((name, name) for name in RiskArea.objects.filter(organisation_id=organisation_id)
         .values_list("name", flat=True)),
    )  # fmt: skip
    words.add(
        "processes",
        ((name, name) for name in Process.objects.filter(organisation_id=organisation_id)
         .values_list("name", flat=True)),
    )  # fmt: skip
    for name, labels in (
        ("probability", matrix.probability_labels),
        ("consequence", matrix.consequence_labels),
    ):
        words.add(name, _distinct([(n, label, str(n)) for n, label in enumerate(labels, 1)]))
    words.add("yes_no", [(True, gettext("Yes")), (False, gettext("No"))])
    words.add("progress", [(code, str(label)) for code, label in Progress.choices])
    words.add("methods", [(code, str(label)) for code, label in Method.choices])
    words.add("frequencies", [(code, str(label)) for code, label in Frequency.choices])
    words.add("results", [(code, str(label)) for code, label in Result.choices])
    periods = list(Period.objects.filter(organisation_id=organisation_id))
    words.objects["periods"] = {period.pk: period for period in periods}
    words.add(
        "periods",
        _distinct([(p.pk, p.code, str(n)) for n, p in enumerate(periods, start=1)]),
    )
    _add_recommendations(words, plan, user)
    return words


def _add_recommendations(words: Vocabulary, plan: ControlPlan, user: Any) -> None:
    """The recommendations a new risk of the plan may be linked to: the risk form's own choices
    for the user. A link to one not offered stays as it is, unseen (see current.risk_values)."""
    offered = RiskForm(plan=plan, user=user).fields["recommendations"]
    found = sorted(
        cast(Any, offered).queryset,
        key=lambda item: (item.report.external_id, item.external_id, item.pk),
    )
    words.objects["recommendations"] = {item.pk: item for item in found}
    words.add(
        "recommendations",
        _distinct([(item.pk, recommendation_reference(item), str(item.pk)) for item in found]),
    )


def recommendation_reference(recommendation: Recommendation) -> str:
    """A recommendation as the workbook names it: its report's identifier and its own."""
    return f"{recommendation.report.external_id} {recommendation.external_id}"


# Reading and writing one cell ---------------------------------------------------------------


def cell_value(column: Column, value: Any, words: Vocabulary) -> Any:
    """What the writer puts in the cell for a value."""
    if column.kind == "choice":
        return quoted(
            words.label(column.choices, value) if column.choices != "risks" else value or ""
        )
    if column.kind == "flag":
        return gettext("Yes") if value else ""
    if column.kind == "codes":
        order = list(words.labels[column.choices])
        chosen = (
            sorted_periods(value, words)
            if column.choices == "periods"
            else sorted(value, key=order.index)
        )
        return quoted(", ".join(words.label(column.choices, pk) for pk in chosen))
    return "" if value is None else quoted(value)


def quoted(value: Any) -> Any:
    """Text as the cell keeps it: a text that begins with quotes before a formula's first
    character gets one quote more, as lib.spreadsheet.safe_cell gives one to a text that
    begins with that character, so that reading takes exactly one away (see text_of)."""
    if not isinstance(value, str):
        return value
    value = as_written(value)
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def sorted_periods(pks: Iterable[int], words: Vocabulary) -> list[int]:
    order = words.objects["periods"]
    return sorted(pks, key=lambda pk: (order[pk].position, pk))


def text_of(raw: Any) -> str:
    """A cell's content as the text it shows, without the quote that kept it from being a
    formula (see lib.spreadsheet.safe_cell and quoted)."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return gettext("Yes") if raw else gettext("No")
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime):
        raw = raw.date() if raw.time() == datetime.time() else raw
    if isinstance(raw, datetime.date | datetime.datetime):
        return raw.isoformat()
    text = str(raw)
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


CODE_SEPARATORS = re.compile(r"[,;]")


def read_cell(column: Column, raw: Any, words: Vocabulary) -> Any:
    """The value of a cell, or CellProblem saying in Swedish what is wrong with it."""
    if column.kind == "date":
        return _date(raw)
    text = text_of(raw)
    if column.kind == "number":
        if not text.strip():
            return None
        if not text.strip().isdecimal():
            raise CellProblem(gettext("“%(value)s” is not a whole number.") % {"value": text})
        return int(text)
    if column.kind == "text":
        if column.max_length and len(text) > column.max_length:
            raise CellProblem(
                gettext("The text is %(length)s characters long; at most %(max)s are allowed.")
                % {"length": len(text), "max": column.max_length}
            )
        return text
    if column.kind == "flag":
        return _choice(words, "yes_no", text) or False
    if column.kind == "codes":
        return frozenset(words.codes(column.choices, text))
    if column.choices == "risks":
        return text
    return _choice(words, column.choices, text)


def _choice(words: Vocabulary, name: str, text: str) -> Any:
    if not text.strip():
        return None
    value = words.value(name, text)
    if value is None:
        allowed = list(words.labels[name].values())
        listed = ", ".join(f"“{label}”" for label in allowed[:12])
        if len(allowed) > 12:
            listed += ", …"
        raise CellProblem(
            gettext("“%(value)s” is not one of the choices: %(choices)s.")
            % {"value": text, "choices": listed or gettext("(none)")}
        )
    return value


def _date(raw: Any) -> datetime.date | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = text_of(raw).strip()
    try:
        return datetime.date.fromisoformat(text[:10]) if len(text) >= 10 else _bad_date(text)
    except ValueError:
        return _bad_date(text)


def _bad_date(text: str) -> datetime.date:
    raise CellProblem(
        gettext("“%(value)s” is not a date; write it as 2025-06-30.") % {"value": text}
    )
