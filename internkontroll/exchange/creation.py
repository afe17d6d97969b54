"""Writing what a document adds in bulk, table by table in the import's transaction, each new
row with its history (one entry, as the importing user with the reason "import", or the
versions the document carries), never one save at a time.

Risks and what they hold, the bulk of any document, go from the document's values straight to
rows: the document has passed validation (schema and the rules between its parts), and the
rules only the models know are checked on the values with the models' own rule functions and
words. Other new objects (units, goals, plans…) are model instances checked by their `clean`.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.controls.models import TEXT_FIELDS, ControlActivity
from internkontroll.exchange.validation import MAX_PROBLEMS, Problem, more_problems
from internkontroll.followups.models import FollowUp
from internkontroll.generate.bulk import BulkWriter, Table
from internkontroll.lib.dates import date_problem
from internkontroll.lib.versioning import check_write
from internkontroll.organisation.models import Goal, Period, Process, RiskArea, Unit
from internkontroll.plans.models import Assessment, ControlPlan
from internkontroll.risks.models import Action, Risk, due_date_problem

RISK_TEXTS = ("description", "consequence_description", "existing_controls")
RISK_SCALES = ("probability", "consequence", "target_probability", "target_consequence")
RISK_FIELDS = (
    "plan_id",
    "external_id",
    "title",
    "unit_id",
    "area_id",
    "process_id",
    "goal_id",
    *RISK_TEXTS,
    *RISK_SCALES,
    "handling",
    "planned_handling",
    "previous_id",
)
ACTION_FIELDS = (
    "risk_id",
    "external_id",
    "title",
    "description",
    "responsible",
    "due_date",
    "status",
    "previous_id",
)
ACTIVITY_FIELDS = ("risk_id", "external_id", *TEXT_FIELDS, "due_date")
FOLLOW_UP_FIELDS = (
    "action_id",
    "control_activity_id",
    "risk_id",
    "period_id",
    "date",
    "status",
    "on_track",
    "result",
    "comment",
    "occurrence",
    "answered_by_id",
    "reported_for_id",
)


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _moment(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


# Model fields whose key in the document has another name.
_DOCUMENT_KEYS = {"external_id": "id", "ends_month": "ends", "ends_day": "ends"}


def problems_at(error: ValidationError, path: str) -> list[Problem]:
    """A model's refusal as problems at the document's paths (plans[0].risks[2].unit)."""
    if not hasattr(error, "error_dict"):
        return [Problem(path, message) for message in error.messages]
    problems: list[Problem] = []
    for name, messages in error.message_dict.items():
        key = _DOCUMENT_KEYS.get(name, name)
        at = path if name == NON_FIELD_ERRORS else f"{path}.{key}"
        problems.extend(Problem(at, message) for message in messages)
    return problems


class _PlanRules:
    """What the models require of a plan's new rows, worked out once per plan."""

    def __init__(self, plan: ControlPlan, subtree: set[int]) -> None:
        self.plan = plan
        self.year = plan.year
        self.subtree = subtree
        self.earliest_follow_up = datetime.date(plan.year - 1, 1, 1)
        self.checked = False


# The links to last year's versions, to the action answering a deviation, to the person reported
# for and to the occurrence are not part of a history entry's values: every version written
# carries the row's current ones.


def _risk_row(
    plan: int, previous: int | None, data: dict[str, Any], references: tuple[Any, ...]
) -> tuple[Any, ...]:
    get = data.get
    return (
        plan,
        data["id"],
        data["title"],
        *references,
        *(get(name, "") for name in RISK_TEXTS),
        *(get(name) for name in RISK_SCALES),
        list(get("handling", [])),
        get("planned_handling", ""),
        previous,
    )


def _action_row(risk: int, previous: int | None, data: dict[str, Any]) -> tuple[Any, ...]:
    return (
        risk,
        data["id"],
        data["title"],
        data.get("description", ""),
        data.get("responsible", ""),
        _date(data.get("due_date")),
        data.get("status", "not_started"),
        previous,
    )


def _activity_row(risk: int, data: dict[str, Any]) -> tuple[Any, ...]:
    return (
        risk,
        data["id"],
        *(data.get(name, "") for name in TEXT_FIELDS),
        _date(data.get("due_date")),
    )


def _follow_up_row(
    subjects: tuple[int | None, int | None, int | None],
    periods: dict[str, Period],
    links: tuple[datetime.date | None, int | None, int | None],
    data: dict[str, Any],
) -> tuple[Any, ...]:
    period = data.get("period")
    return (
        *subjects,
        periods[period].pk if period in periods else None,
        _date(data["date"]),
        data.get("status", ""),
        data.get("on_track"),
        data.get("result", ""),
        data.get("comment", ""),
        *links,
    )


def follow_up_links(
    data: dict[str, Any],
    actions: dict[str, int],
    person: Callable[[str | None, str], int | None],
    path: str,
) -> tuple[datetime.date | None, int | None, int | None]:
    """A follow-up's occurrence, the action answering it and the person it was reported for."""
    answered_by = data.get("answered_by")
    return (
        _date(data.get("occurrence")),
        actions.get(answered_by) if answered_by else None,
        person(data.get("reported_for"), f"{path}.reported_for"),
    )


class Creator:
    """Rows of new risks and what they hold, gathered and written per table."""

    def __init__(
        self,
        acting_user: Any,
        periods: dict[str, Period],
        subtree: Callable[[Unit], set[int]],
        references: Callable[[dict[str, Any]], tuple[int | None, ...]],
        person: Callable[[str | None, str], int | None],
    ) -> None:
        self.references = references  # a past version's unit, area, process and goal
        self.person = person  # the user a history entry names
        self.writer = BulkWriter(reason="import")
        self.subtree = subtree
        self.tables: dict[type[models.Model], tuple[Table, tuple[str, ...]]] = {}
        self.now = timezone.now()
        self.by = acting_user.pk if acting_user is not None else None
        self.periods = periods
        self.risks = self.writer.table(Risk, RISK_FIELDS)
        self.actions = self.writer.table(Action, ACTION_FIELDS)
        self.activities = self.writer.table(ControlActivity, ACTIVITY_FIELDS)
        self.follow_ups = self.writer.table(FollowUp, FOLLOW_UP_FIELDS)
        self.rules: dict[int, _PlanRules] = {}
        self.created: Counter[str] = Counter()
        self.problems: list[Problem] = []
        # Plans this import makes: none is closed, so the write gate has nothing to ask of them.
        self.new_plans: set[int] = set()
        self.today = timezone.localdate()

    def risk(
        self,
        plan: ControlPlan,
        data: dict[str, Any],
        path: str,
        *,
        unit: Unit | None,
        area: RiskArea | None,
        process: Process | None,
        goal: Goal | None,
        previous: int | None = None,
        previous_actions: Callable[[dict[str, Any], str], int | None] | None = None,
    ) -> tuple[int, dict[str, int]]:
        """Gather the risk and all it holds; its primary key and its actions' (by id).

        `previous_actions` finds an action's last year's version (its path for a problem)."""
        rules = self.rules.get(plan.pk)
        if rules is None:
            rules = self.rules[plan.pk] = _PlanRules(plan, self.subtree(plan.unit))
        if not rules.checked and plan.pk not in self.new_plans:
            # The write gate's rules concern the plan (a closed plan takes no new risk).
            rules.checked = True
            self._check_write(Risk(plan=plan, external_id=data["id"], title=data["title"]), path)
        if unit is not None and unit.pk not in rules.subtree:
            self.problems.append(
                Problem(
                    f"{path}.unit",
                    _("The unit %(unit)s is not part of %(committee)s, which owns the plan.")
                    % {"unit": unit, "committee": plan.unit},
                )
            )
        references = (
            unit.pk if unit else None,
            area.pk if area else None,
            process.pk if process else None,
            goal.pk if goal else None,
        )
        risk = self._add(
            self.risks,
            _risk_row(plan.pk, previous, data, references),
            data,
            path,
            lambda values: _risk_row(plan.pk, previous, values, self.references(values)),
        )
        self.created["Risk"] += 1
        actions: dict[str, int] = {}
        for index, item in enumerate(data.get("actions", [])):
            item_path = f"{path}.actions[{index}]"
            self._due_date(_date(item.get("due_date")), rules, item_path)
            last_year = (
                previous_actions(item, f"{item_path}.previous")
                if previous_actions is not None and item.get("previous")
                else None
            )
            row_of = partial(_action_row, risk, last_year)
            action = self._add(self.actions, row_of(item), item, item_path, row_of)
            actions[item["id"]] = action
            self.created["Action"] += 1
            self._follow_ups(item, item_path, rules, (action, None, None))
        for index, item in enumerate(data.get("control_activities", [])):
            item_path = f"{path}.control_activities[{index}]"
            self._due_date(_date(item.get("due_date")), rules, item_path)
            activity = self._add(
                self.activities,
                _activity_row(risk, item),
                item,
                item_path,
                partial(_activity_row, risk),
                links={"periods": [self.periods[code].pk for code in item.get("periods", [])]},
            )
            self.created["ControlActivity"] += 1
            self._follow_ups(item, item_path, rules, (None, activity, None), actions)
        self._follow_ups(data, path, rules, (None, None, risk))
        return risk, actions

    def _add(
        self,
        table: Table,
        row: tuple[Any, ...],
        data: dict[str, Any],
        path: str,
        row_of: Callable[[dict[str, Any]], tuple[Any, ...]],
        links: dict[str, Sequence[int]] | None = None,
    ) -> int:
        """Write the row, with its history: the document's versions if it has them (and a
        last one by this import if the row differs from the last of them), else one by it.

        A version keeps the reason it names; one that names none (a document older than the
        key) gets the import's."""
        history = data.get("history")
        if not history:
            return table.add(row, at=self.now, by=self.by, links=links)
        states = [
            (
                row_of(entry["values"]),
                datetime.datetime.fromisoformat(entry["at"]),
                self.person(entry.get("by"), f"{path}.history[{index}].by"),
            )
            for index, entry in enumerate(history)
        ]
        reasons = [entry.get("reason", self.writer.reason) for entry in history]
        if states[-1][0] != row:
            states.append((row, self.now, self.by))
            reasons.append(self.writer.reason)
        first, at, by = states[0]
        return table.add(first, at=at, by=by, links=links, changes=states[1:], reasons=reasons)

    def _follow_ups(
        self,
        owner: dict[str, Any],
        owner_path: str,
        rules: _PlanRules,
        subjects: tuple[int | None, int | None, int | None],
        actions: dict[str, int] | None = None,
    ) -> None:
        items = owner.get("follow_ups")
        if not items:
            return
        for index, item in enumerate(items):
            item_path = f"{owner_path}.follow_ups[{index}]"
            date = _date(item["date"])
            assert date is not None  # noqa: S101 (the schema requires it)
            if not rules.earliest_follow_up <= date <= self.today:
                problem = date_problem(date, earliest=rules.earliest_follow_up)
                if problem:
                    self.problems.append(Problem(f"{item_path}.date", problem))
            links = follow_up_links(item, actions or {}, self.person, item_path)
            row_of = partial(_follow_up_row, subjects, self.periods, links)
            self._add(self.follow_ups, row_of(item), item, item_path, row_of)
            self.created["FollowUp"] += 1

    def _due_date(self, due_date: datetime.date | None, rules: _PlanRules, path: str) -> None:
        problem = due_date_problem(due_date, rules.year)
        if problem:
            self.problems.append(Problem(f"{path}.due_date", problem))

    def _check_write(self, obj: Risk, path: str) -> None:
        try:
            check_write(obj, RISK_FIELDS)
        except ValidationError as error:
            self.problems.extend(problems_at(error, path))

    def add(self, obj: models.Model, path: str, data: dict[str, Any] | None = None) -> None:
        """A new row of any other model, checked by its own rules (the database's references
        excepted: they point at rows of this import or found in the database), then given its
        primary key and gathered for writing, with the history `data` carries."""
        model = type(obj)
        if model not in self.tables:
            fields = tuple(
                field.attname
                for field in model._meta.concrete_fields
                if not field.primary_key and not isinstance(field, models.GeneratedField)
            )
            self.tables[model] = (self.writer.table(model, fields), fields)
        table, fields = self.tables[model]
        relations = [field.name for field in model._meta.concrete_fields if field.is_relation]
        in_new_plan = isinstance(obj, ControlPlan) or getattr(obj, "plan_id", 0) in self.new_plans
        try:
            obj.clean_fields(exclude=[*relations, "version"])
            obj.clean()
            if not in_new_plan:
                check_write(obj, fields)
        except ValidationError as error:
            self.problems.extend(problems_at(error, path))
        row = tuple(getattr(obj, name) for name in fields)
        current = dict(zip(fields, row, strict=True))

        def row_of(values: dict[str, Any]) -> tuple[Any, ...]:
            version = self._version_fields(model, values, f"{path}.history")
            return tuple(version.get(name, current[name]) for name in fields)

        obj.pk = self._add(table, row, data or {}, path, row_of)
        if isinstance(obj, ControlPlan):
            self.new_plans.add(obj.pk)
        obj._state.adding = False
        obj._state.db = self.writer.connection.alias

    def _version_fields(
        self, model: type[models.Model], values: dict[str, Any], path: str
    ) -> dict[str, Any]:
        """A past version's values as the model's fields; those it leaves out (a plan's unit,
        year and matrix, a recommendation's report) are the row's current ones."""
        get = values.get

        def unit(key: str) -> int | None:
            return self.references({"unit": get(key)})[0] if get(key) else None

        if model is Unit:
            return {
                "external_id": get("id"),
                "name": get("name"),
                "kind": get("kind"),
                "parent_id": unit("parent"),
            }
        if model is Goal:
            fields = {"external_id": get("id"), "year": get("year"), "title": get("title", "")}
            return {**fields, "unit_id": unit("unit")}
        if model is ControlPlan:
            return {
                "adopted_on": _date(get("adopted_on")),
                "reference": get("reference", ""),
                "follow_up_started_at": _moment(get("follow_up_started_at")),
                "follow_up_started_by_id": self.person(get("follow_up_started_by"), path),
                "closed_at": _moment(get("closed_at")),
                "closed_by_id": self.person(get("closed_by"), path),
            }
        if model is Assessment:
            return {
                "verdict": get("verdict", ""),
                "decided_on": _date(get("decided_on")),
                "analysis": get("analysis", ""),
            }
        if model is AuditReport:
            return {
                "external_id": get("id"),
                "title": get("title"),
                "unit_id": unit("unit"),
                "auditor": get("auditor", ""),
                "date": _date(get("date")),
            }
        if model is Recommendation:
            return {
                "external_id": get("id"),
                "text": get("text"),
                "response": get("response", ""),
                "status": get("status", "not_started"),
            }
        return {}

    def flush(self) -> None:
        """Send what is gathered, so that the database's own lookups find it."""
        self.writer.flush()

    def close(self, *, discard: bool = False) -> None:
        """Before the transaction ends: see `BulkWriter.close`."""
        self.writer.close(discard=discard)

    def finish(self) -> list[Problem]:
        """Send what is gathered, unless a row was refused: then the problems, nothing sent."""
        if not self.problems:
            self.writer.flush()
        if len(self.problems) > MAX_PROBLEMS:
            return [
                *self.problems[:MAX_PROBLEMS],
                more_problems(len(self.problems) - MAX_PROBLEMS),
            ]
        return self.problems
