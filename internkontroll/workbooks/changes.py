"""What an uploaded workbook would change in its plan: new, changed and unchanged rows, and
every problem by sheet, row and column. Nothing is written here (see actions.py)."""

from __future__ import annotations

import copy
import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext

from internkontroll.accounts.queries import assignable_people
from internkontroll.controls.models import ControlActivity
from internkontroll.lib.dates import date_problem
from internkontroll.organisation.models import Unit
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Action, Handling, Risk, due_date_problem
from internkontroll.workbooks import current
from internkontroll.workbooks.layout import (
    ACTIONS,
    CONTROL_ACTIVITIES,
    FOLLOW_UPS,
    RISKS,
    Sheet,
    Vocabulary,
    as_written,
)
from internkontroll.workbooks.reader import Contents, Problem, Row

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
# Columns that say which row is which, not what it holds.
KEYS = ("id", "version", "number")


@dataclass
class Change:
    """One row of the workbook and what it does to the plan."""

    sheet: Sheet
    row: int
    status: str
    label: str
    values: dict[str, Any]
    existing: Any = None
    columns: list[str] = field(default_factory=list)  # the headers of the changed columns
    # For actions, control activities and follow-ups: the risk (stored, or new on the sheet),
    # and for follow-ups the action or control activity they report on.
    risk: Change | Risk | None = None
    item: Change | Action | ControlActivity | None = None

    @property
    def kind(self) -> str:
        return self.sheet.key


@dataclass
class Changeset:
    plan: ControlPlan
    words: Vocabulary
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    absent: Counter[str] = field(default_factory=Counter)

    def of(self, kind: str, status: str | None = None) -> list[Change]:
        return [
            change
            for change in self.changes
            if change.kind == kind and (status is None or change.status == status)
        ]

    @property
    def writes(self) -> list[Change]:
        return [change for change in self.changes if change.status != UNCHANGED]

    def fingerprint(self) -> str:
        """Names what applying would do, so that an apply after the plan changed is refused."""
        text = repr(
            [
                (change.kind, change.row, change.status, change.columns, _version(change.existing))
                for change in self.changes
            ]
        )
        return hashlib.sha256(text.encode()).hexdigest()


def _version(obj: Any) -> Any:
    return getattr(obj, "version", None) if obj is not None else None


def changes(plan: ControlPlan, contents: Contents, words: Vocabulary) -> Changeset:
    found = current.stored(plan)
    result = Changeset(plan=plan, words=words, problems=list(contents.problems))
    committee = as_written(plan.unit.name).strip()
    if (contents.committee and contents.committee.casefold() != committee.casefold()) or (
        contents.year and contents.year != str(plan.year)
    ):
        result.problems.insert(
            0,
            Problem(
                gettext(
                    "The workbook was made for %(committee)s %(year)s, not for this plan "
                    "(%(plan_committee)s %(plan_year)s). Download this plan's workbook, or "
                    "upload the workbook on its own plan's page."
                )
                % {
                    "committee": contents.committee,
                    "year": contents.year,
                    "plan_committee": plan.unit.name,
                    "plan_year": plan.year,
                }
            ),
        )
        return result
    _Comparison(plan, words, found, result).run(contents)
    return result


class _Comparison:
    def __init__(
        self, plan: ControlPlan, words: Vocabulary, found: current.Stored, result: Changeset
    ) -> None:
        self.plan = plan
        self.words = words
        self.found = found
        self.result = result
        self.new_risks: dict[str, Change] = {}
        self.new_items: dict[tuple[str, str, str], Change] = {}
        self.risk_rows: dict[str, Change] = {}  # every risk row with an identifier
        self.assignable: dict[tuple[int, ...], set[int]] = {}  # units -> people, by pk
        self.matched: Counter[str] = Counter()

    def problem(self, message: str, sheet: Sheet, row: int, key: str = "") -> None:
        column = ""
        if key:
            column = f"{sheet.letter(key)} ({sheet.column(key).header})"
        self.result.problems.append(Problem(message, str(sheet.title), row, column))

    def add(self, change: Change) -> Change:
        self.result.changes.append(change)
        return change

    def run(self, contents: Contents) -> None:
        self._risks(contents.rows.get(RISKS.key, []))
        self._items(contents.rows.get(ACTIONS.key, []), ACTIONS, self.found.actions)
        self._items(
            contents.rows.get(CONTROL_ACTIVITIES.key, []),
            CONTROL_ACTIVITIES,
            self.found.activities,
        )
        self._follow_ups(contents.rows.get(FOLLOW_UPS.key, []))
        for sheet, stored in (
            (RISKS, self.found.risks),
            (ACTIONS, self.found.actions),
            (CONTROL_ACTIVITIES, self.found.activities),
            (FOLLOW_UPS, self.found.follow_ups),
        ):
            self.result.absent[sheet.key] = len(stored) - self.matched[sheet.key]

    # Rows that are stored or new -------------------------------------------------------

    def _compare(
        self, sheet: Sheet, row: Row, existing: Any, stored_values: dict[str, Any] | None
    ) -> Change:
        values = row.values
        label = " ".join(
            part for part in (values.get("id") or "", values.get("title") or "") if part
        )
        if existing is None or stored_values is None:
            return Change(sheet, row.number, NEW, label, values)
        self.matched[sheet.key] += 1
        columns = [
            str(column.header)
            for column in sheet.columns
            if column.key not in KEYS
            and as_written(stored_values[column.key]) != values[column.key]
        ]
        status = CHANGED if columns else UNCHANGED
        change = Change(sheet, row.number, status, label, values, existing, columns)
        if status == CHANGED and values.get("version") not in (None, existing.version):
            self.problem(
                gettext(
                    "The row was changed in the application after the workbook was "
                    "downloaded (version %(old)s, now %(new)s). Download the workbook again "
                    "and redo the change there."
                )
                % {"old": values["version"], "new": existing.version},
                sheet,
                row.number,
                "version",
            )
        return change

    def _risks(self, rows: list[Row]) -> None:
        seen: set[str] = set()
        for row in rows:
            identifier = row.values.get("id") or ""
            if identifier:
                if identifier in seen:
                    self._duplicate(RISKS, row)
                    continue
                seen.add(identifier)
            existing = self.found.risks.get(identifier) if identifier else None
            change = self._compare(
                RISKS,
                row,
                existing,
                current.risk_values(existing, self.words.labels["recommendations"])
                if existing
                else None,
            )
            self.add(change)
            if identifier:
                self.risk_rows[identifier] = change
            if change.status == NEW and identifier:
                self.new_risks[identifier] = change
            if change.status != UNCHANGED:
                self._check(RISKS, row.number, self.risk_instance(change), RISK_EXCLUDED)

    def _duplicate(self, sheet: Sheet, row: Row) -> None:
        self.problem(
            gettext(
                "The identifier %(id)s is used on an earlier row of the sheet; each row needs "
                "its own."
            )
            % {"id": row.values["id"]},
            sheet,
            row.number,
            "id",
        )

    def _risk_of(self, sheet: Sheet, row: Row) -> Change | Risk | None:
        reference = row.values.get("risk") or ""
        risk = self.found.risks.get(reference) or self.new_risks.get(reference)
        if not reference:
            self.problem(
                gettext("Name the risk by its identifier on the sheet Risks."),
                sheet,
                row.number,
                "risk",
            )
        elif risk is None:
            self.problem(
                gettext(
                    "There is no risk with the identifier %(id)s in the plan or on the sheet Risks."
                )
                % {"id": reference},
                sheet,
                row.number,
                "risk",
            )
        return risk

    def _items(self, rows: list[Row], sheet: Sheet, stored: dict[tuple[str, str], Any]) -> None:
        seen: set[tuple[str, str]] = set()
        as_values = current.action_values if sheet is ACTIONS else current.activity_values
        for row in rows:
            risk = self._risk_of(sheet, row)
            if risk is None:
                continue
            key = (row.values["risk"], row.values.get("id") or "")
            if key[1]:
                if key in seen:
                    self._duplicate(sheet, row)
                    continue
                seen.add(key)
            existing = stored.get(key) if key[1] and isinstance(risk, Risk) else None
            change = self._compare(sheet, row, existing, as_values(existing) if existing else None)
            change.risk = risk
            self.add(change)
            if change.status == NEW and key[1]:
                self.new_items[(sheet.key, *key)] = change
            if change.status != UNCHANGED:
                instance = self.item_instance(change)
                self._check(sheet, row.number, instance, ITEM_EXCLUDED)
                self._check_assignee(sheet, change)
                if not isinstance(risk, Risk):  # a new risk: the model cannot see the plan yet
                    problem = due_date_problem(row.values.get("due_date"), self.plan.year)
                    if problem:
                        self.problem(problem, sheet, row.number, "due_date")

    def _check_assignee(self, sheet: Sheet, change: Change) -> None:
        """A newly chosen person must be one the item's form offers: the rule of
        accounts.queries.assignable_people for the committee and the risk's unit (as the
        workbook leaves it). One query for each such set of units, however many rows."""
        chosen = change.values.get("assignee")
        if chosen is None or (
            change.existing is not None and chosen == change.existing.assignee_id
        ):
            return
        units = [self.plan.unit]
        unit = self._risk_unit(change)
        if unit is not None:
            units.append(unit)
        key = tuple(unit.pk for unit in units)
        if key not in self.assignable:
            people = assignable_people(units).values_list("pk", flat=True)
            self.assignable[key] = set(people)
        if chosen not in self.assignable[key]:
            self.problem(
                gettext(
                    "%(person)s cannot be made the person responsible here: only a person who is "
                    "responsible or coordinator for the risk's unit (%(unit)s), a unit above it "
                    "or the whole organisation can. Choose another person, or leave the cell "
                    "empty."
                )
                % {"person": self.words.label("people", chosen), "unit": units[-1].name},
                sheet,
                change.row,
                "assignee",
            )

    def _risk_unit(self, change: Change) -> Unit | None:
        """The unit of the item's risk: as its row on the sheet Risks has it, else as stored."""
        risk = change.risk
        row = risk if isinstance(risk, Change) else self.risk_rows.get(change.values["risk"])
        unit_id = row.values.get("unit") if row is not None else getattr(risk, "unit_id", None)
        return self.words.objects["units"].get(unit_id) if unit_id is not None else None

    def _check(self, sheet: Sheet, row: int, instance: models.Model, exclude: list[str]) -> None:
        """The model's own validation of the row's values, its refusals named by column."""
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                key = FIELD_COLUMNS.get(name, name)
                known = name != NON_FIELD_ERRORS and any(c.key == key for c in sheet.columns)
                for message in messages:
                    self.problem(message, sheet, row, key if known else "")

    # Model instances with the row's values, for validation and for writing ---------------

    def risk_instance(self, change: Change) -> Risk:
        risk = copy.copy(change.existing) if change.existing else Risk(plan=self.plan)
        risk.plan = self.plan
        for name, value in risk_data(change.values, self.words, risk.handling).items():
            if name not in ("area_name", "process_name"):
                setattr(risk, name, value)
        return risk

    def item_instance(self, change: Change) -> models.Model:
        model = Action if change.sheet is ACTIONS else ControlActivity
        instance = copy.copy(change.existing) if change.existing else model()
        risk = change.risk
        instance.risk = risk if isinstance(risk, Risk) else Risk(plan=self.plan)
        data = action_data(change.values) if model is Action else activity_data(change.values)
        for name, value in data.items():
            if name != "periods":
                setattr(instance, name, value)
        return instance

    # Follow-ups: appended, never changed ------------------------------------------------

    def _follow_ups(self, rows: list[Row]) -> None:
        seen: set[int] = set()
        for row in rows:
            number = row.values.get("number")
            if number is not None:
                self._recorded(row, number, seen)
                continue
            risk = self._risk_of(FOLLOW_UPS, row)
            if risk is None:
                continue
            change = Change(FOLLOW_UPS, row.number, NEW, "", row.values, risk=risk)
            change.item = self._subject(row, risk)
            change.label = _follow_up_label(change)
            self.add(change)
            self._check_follow_up(change)

    def _recorded(self, row: Row, number: int, seen: set[int]) -> None:
        existing = self.found.follow_ups.get(number)
        if existing is None or number in seen:
            self.problem(
                gettext(
                    "There is no recorded follow-up number %(number)s in the plan (or it is on "
                    "an earlier row). Leave the number empty on a new follow-up."
                )
                % {"number": number},
                FOLLOW_UPS,
                row.number,
                "number",
            )
            return
        seen.add(number)
        change = self._compare(FOLLOW_UPS, row, existing, current.follow_up_values(existing))
        change.label = _follow_up_label(change)
        if change.status == CHANGED:
            self.problem(
                gettext(
                    "A recorded follow-up cannot be changed (%(columns)s); it is part of the "
                    "item's history. Undo the change, and add a new row instead."
                )
                % {"columns": ", ".join(change.columns)},
                FOLLOW_UPS,
                row.number,
            )
        self.add(change)

    def _subject(self, row: Row, risk: Change | Risk) -> Change | Action | ControlActivity | None:
        values = row.values
        if values.get("action") and values.get("control_activity"):
            self.problem(
                gettext(
                    "A follow-up concerns one item: name an action or a control activity, not both."
                ),
                FOLLOW_UPS,
                row.number,
                "control_activity",
            )
            return None
        for key, stored, sheet in (
            ("action", self.found.actions, ACTIONS),
            ("control_activity", self.found.activities, CONTROL_ACTIVITIES),
        ):
            reference = values.get(key) or ""
            if not reference:
                continue
            found = (
                stored.get((values["risk"], reference)) if isinstance(risk, Risk) else None
            ) or self.new_items.get((sheet.key, values["risk"], reference))
            if found is None:
                self.problem(
                    gettext(
                        "The risk %(risk)s has no %(item)s with the identifier %(id)s, in the "
                        "plan or on the sheet %(sheet)s."
                    )
                    % {
                        "risk": values["risk"],
                        "item": _item_name(sheet),
                        "id": reference,
                        "sheet": sheet.title,
                    },
                    FOLLOW_UPS,
                    row.number,
                    key,
                )
            return found
        return None

    def _check_follow_up(self, change: Change) -> None:
        values, row = change.values, change.row
        kind = _subject_kind(change)
        wanted = {"action": ("status",), "control_activity": ("result",), "risk": ("on_track",)}
        allowed = {
            "action": ("status", "on_track"),
            "control_activity": ("result",),
            "risk": ("on_track",),
        }
        required = ("period", "date", "comment", *wanted[kind])
        for key in required:
            if values.get(key) in (None, ""):
                self.problem(gettext("This value is needed."), FOLLOW_UPS, row, key)
        for key in ("status", "on_track", "result"):
            if key not in allowed[kind] and values.get(key) is not None:
                self.problem(
                    gettext("Leave this empty: it does not apply to a follow-up of %(item)s.")
                    % {"item": _subject_name(kind)},
                    FOLLOW_UPS,
                    row,
                    key,
                )
        earliest = datetime.date(self.plan.year - 1, 1, 1)
        problem = date_problem(values.get("date"), earliest=earliest)
        if problem:
            self.problem(problem, FOLLOW_UPS, row, "date")


def _item_name(sheet: Sheet) -> str:
    return gettext("action") if sheet is ACTIONS else gettext("control activity")


def _subject_kind(change: Change) -> str:
    item = change.item
    if item is None:
        return "risk"
    if isinstance(item, Action) or (isinstance(item, Change) and item.sheet is ACTIONS):
        return "action"
    return "control_activity"


def _subject_name(kind: str) -> str:
    return {
        "action": gettext("an action"),
        "control_activity": gettext("a control activity"),
        "risk": gettext("a risk"),
    }[kind]


def _follow_up_label(change: Change) -> str:
    values = change.values
    parts = [
        values.get("risk") or "",
        values.get("action") or values.get("control_activity") or "",
        values["date"].isoformat() if values.get("date") else "",
    ]
    return " ".join(part for part in parts if part)


# The row's values as the action functions take them ------------------------------------

RISK_EXCLUDED = ["version", "plan", "external_id", "unit", "goal", "area", "process"]
ITEM_EXCLUDED = ["version", "risk", "external_id", "assignee"]
FIELD_COLUMNS = {"external_id": "id", "handling": f"handling_{Handling.values[0]}"}


def risk_data(values: dict[str, Any], words: Vocabulary, stored: list[str]) -> dict[str, Any]:
    """The row as save_risk's data (the recommendations are the caller's to add)."""
    chosen = {code for code in Handling.values if values.get(f"handling_{code}")}
    handling = stored if set(stored) == chosen else [c for c in Handling.values if c in chosen]
    return {
        **{name: values[name] or "" for name in (*current.RISK_TEXTS, "planned_handling")},
        **{name: values[name] for name in current.ASSESSMENT},
        "unit": words.objects["units"].get(values["unit"]),
        "goal": words.objects["goals"].get(values["goal"]),
        "handling": handling,
        "area_name": values["area"],
        "process_name": values["process"],
    }


def action_data(values: dict[str, Any]) -> dict[str, Any]:
    return {
        **{name: values[name] or "" for name in current.ACTION_TEXTS},
        "due_date": values["due_date"],
        "status": values["status"] or "",
    }


def activity_data(values: dict[str, Any]) -> dict[str, Any]:
    return {
        **{name: values[name] or "" for name in current.ACTIVITY_TEXTS},
        "method": values["method"] or "",
        "frequency": values["frequency"] or "",
        "due_date": values["due_date"],
        "periods": values["periods"],
    }
