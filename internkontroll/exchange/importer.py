"""Reading an exchange document into the database: all or nothing, updating by `id`."""

from __future__ import annotations

import datetime
import gc
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from internkontroll.access import descendants
from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.controls.models import TEXT_FIELDS, ControlActivity
from internkontroll.exchange import parsing, streaming
from internkontroll.exchange.creation import Creator, problems_at
from internkontroll.exchange.validation import (
    DocumentInParts,
    PlanChecker,
    Problem,
    plan_key,
    plan_outline,
    previous_action_missing,
    previous_risk_missing,
    validate_document,
)
from internkontroll.followups.models import FollowUp
from internkontroll.lib.collector import collection_paused
from internkontroll.lib.versioning import ANY_VERSION, bump_version, lock_current, save_versioned
from internkontroll.organisation.defaults import DEFAULT_PERIODS, DEFAULT_RISK_MATRIX
from internkontroll.organisation.models import (
    Goal,
    Organisation,
    Period,
    Process,
    RiskArea,
    RiskMatrix,
    Unit,
)
from internkontroll.plans.models import Assessment, ControlPlan
from internkontroll.risks.models import Action, Risk, RolloverDecision

FOLLOW_UP_FIELDS = ("status", "on_track", "result", "comment")

_M = TypeVar("_M", bound=models.Model)


# Models whose new rows are gathered and written in bulk; the organisation, its matrices and
# periods, few and referred to by everything, are saved one by one, as are all updates.
BULK_MODELS = frozenset(
    {Unit, Goal, RiskArea, Process, ControlPlan, Assessment, AuditReport, Recommendation}
)


class ImportFailed(Exception):
    """The document was refused; nothing was changed. `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass
class ImportSummary:
    organisation: str = ""
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)


def read_document(path: Path, max_bytes: int | None = None) -> streaming.DocumentFile:
    """A file to import, refused at once with a Swedish message if too large or unreadable.

    It is parsed as `import_document` imports it: part by part, the plans one at a time, so
    that a large document takes memory for one plan, not for all of them (see streaming.py).
    """
    limit, _start = _opened(path, max_bytes, whole=False)
    return streaming.DocumentFile(path, limit)


def _opened(path: Path, max_bytes: int | None, *, whole: bool) -> tuple[int, bytes]:
    """The size limit, and the file's bytes (up to one past the limit) or its first byte;
    ImportFailed if it is too large or cannot be read."""
    limit = settings.IK_IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    try:
        size = path.stat().st_size
        if size > limit:
            raise _too_large(size, limit)
        with path.open("rb") as file:
            # Whole, one byte past the limit: the file may have grown since stat.
            return limit, file.read(limit + 1 if whole else 1)
    except OSError as error:
        raise _unreadable(path, error) from None


def _unreadable(path: Path, error: OSError) -> ImportFailed:
    return ImportFailed(
        [
            Problem(
                "",
                _("The file %(file)s cannot be read: %(reason)s")
                % {"file": path, "reason": error.strerror or error},
            )
        ]
    )


def read_whole_document(path: Path, max_bytes: int | None = None) -> Any:
    """Parse a file as JSON, whole, refusing what is too large or not JSON with a Swedish
    message (parsing.py)."""
    limit, raw = _opened(path, max_bytes, whole=True)
    if len(raw) > limit:
        raise _too_large(len(raw), limit)
    try:
        text = parsing.decode(raw)
        del raw  # not held beside the text and the document while they are parsed
        with collection_paused():
            return parsing.parse_text(text, raw_surrogates=False)
    except parsing.MalformedDocument as error:
        raise ImportFailed(error.problems) from None


def _too_large(size: int, limit: int) -> ImportFailed:
    return ImportFailed(
        [
            Problem(
                "",
                _("The file is %(size)s MB; the largest document accepted is %(max)s MB.")
                % {"size": _megabytes(size), "max": _megabytes(limit)},
            )
        ]
    )


def parse_document(text: str) -> Any:
    """Parse JSON text, refusing what is malformed with Swedish messages (see parsing.py)."""
    try:
        with collection_paused():
            return parsing.parse_text(text)
    except parsing.MalformedDocument as error:
        raise ImportFailed(error.problems) from None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def import_document(document: Any, *, acting_user: Any = None) -> ImportSummary:
    """Validate the whole document, then write it in one transaction (or raise ImportFailed).

    A file from `read_document` is read, validated and written part by part, in the one
    transaction (see `_import_file`)."""
    if isinstance(document, streaming.DocumentFile):
        return _import_file(document, acting_user)
    with collection_paused():
        problems = validate_document(document)
        if problems:
            raise ImportFailed(problems)
        with _writing(document, acting_user) as importer:
            return importer.run()


@contextmanager
def _writing(document: Any, acting_user: Any) -> Iterator[_Importer]:
    """An importer inside the one transaction; its bulk writer ends with it, its rows
    discarded if anything fails."""
    with transaction.atomic():
        importer = _Importer(document, acting_user)
        try:
            yield importer
        except BaseException:
            importer.creator.close(discard=True)
            raise
        importer.creator.close()


class _Restart(Exception):
    """The document's parts are not in the order one pass needs: read it in two."""


class _PlanRefused(_Restart):
    """A plan has problems in one pass; unless a part that follows is what it lacks."""


class _Invalid(Exception):
    """The document has problems validation finds: `problems`, else read again to find them."""

    def __init__(self, problems: list[Problem] | None = None) -> None:
        super().__init__()
        self.problems = problems


# Top-level parts that writing a plan needs (`format` and the organisation's to be checked).
_NEEDED_BEFORE_THE_PLANS = frozenset({"format", "organisation", "units", "goals", "people"})
# Keys of a plan the second pass reads again: the rest is kept from the first (small).
_PLAN_CONTENTS = ("risks", "rollover", "assessment")


def _import_file(source: streaming.DocumentFile, acting_user: Any) -> ImportSummary:
    """Import a file part by part, in memory that does not grow with its plans.

    The plans are parsed, validated and written one at a time, inside the one transaction:
    a problem anywhere still leaves nothing written. In one pass when the document's other
    parts come before its plans (audit reports may follow them) and each committee's plans
    come year by year, as exported; else in two, the first collecting the other parts and
    each plan's committee, year and ids, the second (in as many passes over the file as the
    years need) writing the plans. A document with problems is read in parts once more to
    describe them as `validate_document` does; one this way of reading is unsure of is read
    whole as it always was, to be refused (or imported) just as before.
    """
    with collection_paused():
        try:
            try:
                return _import_parts_in_order(source, acting_user)
            except _Invalid as invalid:
                found, database_problems = invalid.problems, []
            except ImportFailed as failure:
                found, database_problems = None, failure.problems
            # Out of the except clause, what the import held is let go (see _let_go). The
            # document's problems come before the database's, as when it is validated whole.
            if found is None:
                _let_go()
                found = _problems(source)
            problems = found or database_problems
            if not problems:
                raise streaming.Unsure  # not expected: the whole reading decides
            raise ImportFailed(problems)
        except streaming.Unsure:
            pass
        except OSError as error:
            raise _unreadable(source.path, error) from None
    return import_document(
        read_whole_document(source.path, source.max_bytes), acting_user=acting_user
    )


def _import_parts_in_order(source: streaming.DocumentFile, acting_user: Any) -> ImportSummary:
    """In one pass if the document's parts allow, else in two; but not when a plan refused in
    one pass shows the document's problems."""
    try:
        if source.keys_near_the_end() & _NEEDED_BEFORE_THE_PLANS:
            raise _Restart  # as a backup's people: not worth a first try
        return _import_parts(source, acting_user, one_pass=True)
    except _Restart as restart:
        plan_refused = isinstance(restart, _PlanRefused)
    if plan_refused:
        _let_go()
        problems = _problems(source)
        if problems:
            raise _Invalid(problems)
    return _import_parts(source, acting_user, one_pass=False)


def _let_go() -> None:
    """Collect what a failed attempt left in cycles (an importer, through its creator's
    callbacks) before the file is read again: the cycle collector is paused meanwhile, so all
    of it is still in the youngest generation."""
    gc.collect(0)


def _problems(source: streaming.DocumentFile) -> list[Problem]:
    """The problems `validate_document` finds in the document, read in parts: the others,
    then the plans one at a time. Read as thoroughly as the whole reading, which would refuse
    a document with problems as too deeply nested, say (see DocumentFile.parts)."""
    first = _first_pass(source, describing=True)
    validation = DocumentInParts(first.parts, first.keys, first.outlines)
    count = 0
    for kind, index, plan in source.parts(thorough=True):
        if kind != streaming.PLAN:
            continue
        if index >= len(first.keys) or plan_key(plan) != first.keys[index]:
            raise streaming.Unsure  # the file changed since the first pass
        validation.add_plan(index, plan)
        count += 1
    if count != len(first.keys):
        raise streaming.Unsure
    return validation.problems()


class _FirstPass(NamedTuple):
    """What a first pass over a document keeps (small beside its plans)."""

    # The document's parts but its plans, in its order, the plans' place held by "plans": [].
    parts: dict[str, Any]
    # Each plan's committee and year (`plan_key`).
    keys: list[tuple[str, int] | None]
    # The outline (`plan_outline`) of the first plan for each committee and year.
    outlines: dict[tuple[str, int], Any]
    # Each plan's index, committee and year, and what it holds but its contents.
    headers: list[tuple[int, tuple[str, int], Any]]


def _first_pass(source: streaming.DocumentFile, *, describing: bool = False) -> _FirstPass:
    """What the second pass needs; to describe problems only the outlines of the plans that a
    plan before them looks back at (DocumentInParts keeps the others as they come), and no
    headers."""
    first = _FirstPass({}, [], {}, [])
    seen: set[tuple[str, int] | None] = set()
    for kind, key, value in source.parts():
        if kind == streaming.PART:
            first.parts[key] = value
        elif kind == streaming.PLANS:
            first.parts["plans"] = []
        elif kind == streaming.PLAN:
            plan_id = plan_key(value)
            looked_back_at = plan_id is not None and (plan_id[0], plan_id[1] + 1) in seen
            if plan_id is not None and plan_id not in seen and (looked_back_at or not describing):
                first.outlines[plan_id] = plan_outline(value)
            seen.add(plan_id)
            first.keys.append(plan_id)
            if plan_id is not None and not describing:
                header = {name: item for name, item in value.items() if name not in _PLAN_CONTENTS}
                first.headers.append((key, plan_id, header))
    return first


def _import_parts(
    source: streaming.DocumentFile, acting_user: Any, *, one_pass: bool
) -> ImportSummary:
    headers: list[tuple[int, tuple[str, int], Any]] = []
    if one_pass:
        parts: dict[str, Any] = {}
        events = source.parts()
        for kind, key, value in events:
            if kind == streaming.PLANS:
                break
            parts[key] = value
        else:  # no plans: a small document, read whole
            return import_document(parts, acting_user=acting_user)
        if "units" not in parts or validate_document({**parts, "plans": []}):
            raise _Restart  # a part may follow the plans; the first of two passes tells
        outlines: dict[tuple[str, int], Any] = {}
    else:
        first = _first_pass(source)
        # The plans themselves are written before any plan's contents: they, and the parts,
        # are checked first; a plan's contents as they come (a problem there rolls all back).
        if None in first.keys or validate_document(
            {**first.parts, "plans": [header for _index, _key, header in first.headers]}
        ):
            raise _Invalid
        parts, outlines, headers = first.parts, first.outlines, first.headers
    checker = PlanChecker(parts, outlines)
    with _writing(parts, acting_user) as importer:
        importer.begin()
        if one_pass:
            _one_pass(events, parts, checker, importer)
            if validate_document({**parts, "plans": []}):
                raise _Invalid
        else:
            for index, _key, header in headers:
                importer.plan_itself(index, header)
            for index, plan in _year_by_year(source, headers):
                if not checker.accepts(plan, index):
                    raise _Invalid
                importer.plan_contents(index, plan)
        return importer.end()


def _one_pass(
    events: Iterator[tuple[str, Any, Any]],
    parts: dict[str, Any],
    checker: PlanChecker,
    importer: _Importer,
) -> None:
    """The plans as they come, then the audit reports; _Restart if a committee's plans are
    not year by year, or a part other than the audit reports follows the plans, or a plan has
    a problem (a part that follows may be what it lacks)."""
    latest: dict[str, int] = {}
    for kind, key, value in events:
        if kind == streaming.PART:
            if key != "audit_reports":
                raise _Restart
            parts[key] = value
            continue
        plan_id = plan_key(value)
        if plan_id is None or plan_id[1] <= latest.get(plan_id[0], plan_id[1] - 1):
            raise _Restart
        if not checker.accepts(value, key):
            raise _PlanRefused
        latest[plan_id[0]] = plan_id[1]
        # Only the committee's next plan may look back at this one.
        checker.last_years.pop((plan_id[0], plan_id[1] - 1), None)
        checker.last_years[plan_id] = plan_outline(value)
        importer.plan_itself(key, value)
        importer.plan_contents(key, value)


def _year_by_year(
    source: streaming.DocumentFile, headers: list[tuple[int, tuple[str, int], Any]]
) -> Iterator[tuple[int, Any]]:
    """The plans, each committee's year by year (a risk's previous version is then written
    before it): in one pass over the file if the document has them so, else in more."""
    years: dict[str, list[int]] = defaultdict(list)
    for _index, (unit_id, year), _header in headers:
        years[unit_id].append(year)
    for unit_years in years.values():
        unit_years.sort(reverse=True)  # the next one last
    key_of = {index: key for index, key, _header in headers}
    left = set(key_of)
    while left:
        for kind, index, plan in source.parts():
            if kind != streaming.PLAN or index not in left:
                continue
            if plan_key(plan) != key_of[index]:
                raise streaming.Unsure  # the file changed since the first pass
            unit_id, year = key_of[index]
            if years[unit_id][-1] == year:
                years[unit_id].pop()
                left.discard(index)
                yield index, plan


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _moment(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


class _Importer:
    def __init__(self, document: dict[str, Any], acting_user: Any) -> None:
        self.document = document
        self.acting_user = acting_user
        self.summary = ImportSummary()
        self.units: dict[str, Unit] = {}
        self.goals: dict[str, Goal] = {}
        self.periods: dict[str, Period] = {}
        self.areas: dict[str, RiskArea] = {}
        self.processes: dict[str, Process] = {}
        self.creator = Creator(
            acting_user, self.periods, self._subtree, self._references, self._person
        )
        self.people: dict[str, dict[str, Any]] = {}
        self.users: dict[str, int] = {}
        # Plans stored before this import: only their risks can be absent from the document.
        self.stored_plans: list[tuple[int, ControlPlan]] = []
        # Risks and actions by (committee, year, risk id[, action id]): where `previous` points.
        self.risk_pks: dict[tuple[int, int, str], int] = {}
        self.action_pks: dict[tuple[int, int, str, str], int] = {}
        self.loaded_years: set[tuple[int, int]] = set()
        # Last year's risks and actions already named as previous: by whom (risk id [/ action]).
        self.claimed: dict[tuple[str, int], str] = {}
        self.user_objects: dict[int, Any] = {}

    def run(self) -> ImportSummary:
        self.begin()
        # The plans in the document's order, then their contents year by year, so that a risk's
        # previous version is known when it is written.
        for index, data in enumerate(self.document.get("plans", [])):
            self.plan_itself(index, data)
        for index, data in sorted(
            enumerate(self.document.get("plans", [])), key=lambda item: item[1]["year"]
        ):
            self.plan_contents(index, data)
        return self.end()

    def begin(self) -> None:
        """The organisation and its settings, people, units and goals."""
        self.organisation = self._organisation(self.document["organisation"])
        self.summary.organisation = self.organisation.name
        self._periods(self.document["organisation"].get("periods", DEFAULT_PERIODS))
        self.subtrees: dict[int, set[int]] = {}
        self.stored_goals = {goal.external_id: goal for goal in self.organisation.goals.all()}
        self.plans_by_key = {
            (plan.unit_id, plan.year): plan
            for plan in ControlPlan.objects.filter(
                unit__organisation=self.organisation
            ).select_related("risk_matrix")
        }
        self.areas = {
            area.name: area for area in RiskArea.objects.filter(organisation=self.organisation)
        }
        self.processes = {
            process.name: process
            for process in Process.objects.filter(organisation=self.organisation)
        }
        # Before the units: their history names people.
        self.people = {
            person["username"]: {**person, "path": f"people[{index}]"}
            for index, person in enumerate(self.document.get("people", []))
        }
        self._units(self.document.get("units", []))
        for index, goal in enumerate(self.document.get("goals", [])):
            self._goal(goal, f"goals[{index}]")
        self.written_plans: dict[int, tuple[ControlPlan, bool, dict[str, Any]]] = {}

    def plan_itself(self, index: int, data: dict[str, Any]) -> None:
        """A plan without its contents (`data` may lack them), written before them."""
        self.written_plans[index] = self._plan(data, f"plans[{index}]", index)

    def plan_contents(self, index: int, data: dict[str, Any]) -> None:
        """A plan's contents, once last year's plan of the committee has its own."""
        plan, stored, lifecycle = self.written_plans.pop(index)
        self._plan_contents(plan, stored, data, f"plans[{index}]", lifecycle)

    def end(self) -> ImportSummary:
        """The audit reports; then the checks that need all of it written."""
        for index, report in enumerate(self.document.get("audit_reports", [])):
            self._audit_report(report, f"audit_reports[{index}]")
        problems = self.creator.finish()
        if problems:
            raise ImportFailed(problems)
        self.summary.created.update(self.creator.created)
        self._check_plans_fit_their_matrix()
        return self.summary

    # Writing helpers ------------------------------------------------------------------

    def _save(
        self, obj: _M, values: dict[str, Any], path: str, data: dict[str, Any] | None = None
    ) -> _M:
        """Create or update obj through the forms' write helper: validated, locked, versioned.

        An unchanged object is not saved (no history); a model's refusal names the JSON path.
        A new one gets the versions its document `data` carries (a backup's history).
        """
        kind = type(obj).__name__
        created = obj.pk is None
        if created and type(obj) in BULK_MODELS:
            for name, value in values.items():
                setattr(obj, name, value)
            self.creator.add(obj, path, data)
            self.summary.created[kind] += 1
            return obj
        # The database's checks below must find the rows gathered so far.
        self.creator.flush()
        if not created:
            values = {
                name: value for name, value in values.items() if _field_value(obj, name) != value
            }
            if not values:
                self.summary.unchanged[kind] += 1
                return obj
        try:
            obj = save_versioned(
                obj, values, version=ANY_VERSION, acting_user=self.acting_user, reason="import"
            )
        except ValidationError as error:
            raise ImportFailed(problems_at(error, path)) from error
        (self.summary.created if created else self.summary.updated)[kind] += 1
        return obj

    def _matrix(
        self, matrix: dict[str, Any], reuse: Iterable[RiskMatrix | None], path: str
    ) -> RiskMatrix:
        """An existing matrix with equal content, else a new one: matrices in use never change."""
        fields = RiskMatrix.fields_from_document(matrix)
        for candidate in reuse:
            if (
                candidate is not None
                and candidate.as_document() == RiskMatrix(**fields).as_document()
            ):
                return candidate
        return self._save(RiskMatrix(organisation=self.organisation), fields, path)

    # Organisation and its settings ----------------------------------------------------

    def _organisation(self, data: dict[str, Any]) -> Organisation:
        organisation = Organisation.objects.filter(name=data["name"]).first()
        if organisation is None:
            organisation = self._save(Organisation(), {"name": data["name"]}, "organisation")
        self.organisation = organisation
        matrix = self._matrix(
            data.get("risk_matrix", DEFAULT_RISK_MATRIX),
            [organisation.risk_matrix] if organisation.risk_matrix else [],
            "organisation.risk_matrix",
        )
        self.organisation = self._save(organisation, {"risk_matrix": matrix}, "organisation")
        return self.organisation

    def _periods(self, periods: list[dict[str, Any]]) -> None:
        existing = {period.code: period for period in self.organisation.periods.all()}
        for position, data in enumerate(periods):
            month, day = (int(part) for part in data["ends"].split("-"))
            period = existing.get(data["code"]) or Period(organisation=self.organisation)
            self.periods[data["code"]] = self._save(
                period,
                {
                    "code": data["code"],
                    "name": data["name"],
                    "ends_month": month,
                    "ends_day": day,
                    "position": position,
                    "deadline_days": data.get("deadline_days", 0),
                },
                f"organisation.periods[{position}]",
            )
        for code, period in existing.items():
            self.periods.setdefault(code, period)

    def _units(self, units: list[dict[str, Any]]) -> None:
        existing = {unit.external_id: unit for unit in self.organisation.units.all()}
        by_id = {data["id"]: data for data in units}
        index_of = {data["id"]: index for index, data in enumerate(units)}
        done: set[str] = set()

        def place(unit_id: str) -> None:
            # Parents first, so every parent exists when its children are saved.
            if unit_id in done:
                return
            data = by_id[unit_id]
            if data.get("parent"):
                place(data["parent"])
            unit = existing.get(unit_id) or Unit(organisation=self.organisation)
            self.units[unit_id] = self._save(
                unit,
                {
                    "external_id": unit_id,
                    "name": data["name"],
                    "kind": data["kind"],
                    "parent": self.units[data["parent"]] if data.get("parent") else None,
                },
                f"units[{index_of[unit_id]}]",
                data,
            )
            done.add(unit_id)

        for data in units:
            place(data["id"])

    def _goal(self, data: dict[str, Any], path: str) -> None:
        goal = self.stored_goals.get(data["id"]) or Goal(organisation=self.organisation)
        self.goals[data["id"]] = self._save(
            goal,
            {
                "external_id": data["id"],
                "unit": self._unit(data.get("unit")),
                "year": data.get("year"),
                "title": data.get("title", ""),
            },
            path,
            data,
        )

    def _unit(self, unit_id: str | None) -> Unit | None:
        return self.units[unit_id] if unit_id else None

    def _references(self, values: dict[str, Any]) -> tuple[int | None, ...]:
        """A past version's unit, area, process and goal, where this organisation has them."""
        unit, goal = self.units.get(values.get("unit", "")), self.goals.get(values.get("goal", ""))
        area = self.areas.get(values.get("area", ""))
        process = self.processes.get(values.get("process", ""))
        return tuple(known.pk if known else None for known in (unit, area, process, goal))

    def _person(self, username: str | None, path: str) -> int | None:
        """The user a history entry names: this organisation's, or made for it, inactive and
        without roles (a restore brings back who did what, not their access)."""
        if username is None:
            return None
        if username not in self.users:
            user_model = get_user_model()
            user = user_model.objects.filter(username=username).first()
            if user is not None and user.organisation_id != self.organisation.pk:
                self.creator.problems.append(
                    Problem(
                        path,
                        _(
                            'The person "%(username)s" is a user of another organisation '
                            "here; the history cannot name them."
                        )
                        % {"username": username},
                    )
                )
                return None
            if user is None:
                person = self.people.get(username, {})
                new = user_model(organisation=self.organisation, is_active=False)
                new.set_unusable_password()
                user = self._save(
                    new,
                    {
                        "username": username,
                        "first_name": person.get("first_name", ""),
                        "last_name": person.get("last_name", ""),
                    },
                    f"{person['path']}.username" if person else path,
                )
            self.users[username] = user.pk
        return self.users[username]

    def _user(self, username: str | None, path: str) -> Any:
        """The user a document names (see _person), as a model instance."""
        pk = self._person(username, path)
        if pk is None:
            return None
        if pk not in self.user_objects:
            self.user_objects[pk] = get_user_model().objects.get(pk=pk)
        return self.user_objects[pk]

    def _subtree(self, unit: Unit) -> set[int]:
        """The unit and those below it, the ones this import gathers included."""
        if not self.subtrees:
            parents: dict[int, int | None] = dict(
                self.organisation.units.values_list("pk", "parent_id")
            )
            parents.update((known.pk, known.parent_id) for known in self.units.values())
            children: dict[int | None, list[int]] = defaultdict(list)
            for pk, parent in parents.items():
                children[parent].append(pk)
            self.subtrees = {pk: descendants(children, pk) for pk in parents}
        return self.subtrees[unit.pk]

    def _named(
        self, model: type[_M], known: dict[str, _M], name: str | None, path: str
    ) -> _M | None:
        """A risk area or process by name, made when the organisation has none by that name."""
        if not name:
            return None
        if name not in known:  # known holds all the organisation has
            known[name] = self._save(model(organisation=self.organisation), {"name": name}, path)
        return known[name]

    # Plans and what they hold ---------------------------------------------------------

    def _plan(
        self, data: dict[str, Any], path: str, index: int
    ) -> tuple[ControlPlan, bool, dict[str, Any]]:
        """The plan itself; and the lifecycle still to write once its contents are (see below)."""
        unit = self.units[data["unit"]]
        plan = self.plans_by_key.get((unit.pk, data["year"])) or ControlPlan(
            unit=unit, year=data["year"]
        )
        stored = plan.pk is not None
        current = self.organisation.risk_matrix
        if "risk_matrix" in data:
            matrix = self._matrix(
                data["risk_matrix"],
                [plan.risk_matrix if plan.pk else None, current],
                f"{path}.risk_matrix",
            )
        else:
            assert current is not None  # noqa: S101 (narrows the type)
            matrix = current
        lifecycle = {
            "follow_up_started_at": _moment(data.get("follow_up_started_at")),
            "follow_up_started_by": self._user(
                data.get("follow_up_started_by"), f"{path}.follow_up_started_by"
            ),
            "closed_at": _moment(data.get("closed_at")),
            "closed_by": self._user(data.get("closed_by"), f"{path}.closed_by"),
        }
        # A closed plan takes no change but its lifecycle: it closes after its contents are
        # written, and reopens before.
        closes = lifecycle["closed_at"] is not None and stored
        plan = self._save(
            plan,
            {
                "adopted_on": _date(data.get("adopted_on")),
                "reference": data.get("reference", ""),
                "risk_matrix": matrix,
                **({} if closes else lifecycle),
            },
            path,
            data,
        )
        if stored:
            self.stored_plans.append((index, plan))
        return plan, stored, lifecycle if closes else {}

    def _plan_contents(
        self,
        plan: ControlPlan,
        stored: bool,
        data: dict[str, Any],
        path: str,
        lifecycle: dict[str, Any],
    ) -> None:
        existing = {risk.external_id: risk for risk in plan.risks.all()} if stored else {}
        for position, risk in enumerate(data.get("risks", [])):
            risk_path = f"{path}.risks[{position}]"
            previous = self._previous_risk(
                plan, risk.get("previous"), f"{risk_path}.previous", risk["id"]
            )
            if risk["id"] in existing:
                self._risk(plan, existing[risk["id"]], risk, risk_path, previous)
            else:
                self._create_risk(plan, risk, risk_path, previous)
        if "assessment" in data:
            assessment_data = data["assessment"]
            stored_assessment = Assessment.objects.filter(plan=plan).first() if stored else None
            assessment = stored_assessment or Assessment(plan=plan)
            self._save(
                assessment,
                {
                    "verdict": assessment_data.get("verdict", ""),
                    "decided_on": _date(assessment_data.get("decided_on")),
                    "analysis": assessment_data.get("analysis", ""),
                },
                f"{path}.assessment",
                assessment_data,
            )
        self._rollover(plan, stored, data.get("rollover", []), path)
        if lifecycle:
            self._save(plan, lifecycle, path)

    def _rollover(
        self, plan: ControlPlan, stored: bool, decisions: list[dict[str, Any]], path: str
    ) -> None:
        """What became of last year's risks; matched by the risk they decide on."""
        existing = (
            {decision.risk_id: decision for decision in plan.rollover_decisions.all()}
            if stored and decisions
            else {}
        )
        for index, data in enumerate(decisions):
            at = f"{path}.rollover[{index}]"
            risk = self._previous_risk(plan, data["risk"], f"{at}.risk")
            target = self.risk_pks.get((plan.unit_id, plan.year, data.get("target", "")))
            if risk is None:
                continue
            decision = existing.get(risk) or RolloverDecision(plan=plan, risk_id=risk)
            # Without a moment, a stored decision keeps its own, a new one is made now.
            decided_at = _moment(data.get("decided_at")) or decision.decided_at
            self._save(
                decision,
                {
                    "decision": data["decision"],
                    "reason": data.get("reason", ""),
                    "target": Risk(pk=target, plan_id=plan.pk) if target else None,
                    "decided_at": decided_at,
                    "decided_by": self._user(data.get("decided_by"), f"{at}.decided_by"),
                },
                at,
            )

    def _previous_risk(
        self, plan: ControlPlan, risk_id: str | None, path: str, claimant: str | None = None
    ) -> int | None:
        """Last year's version of a risk: in the committee's plan for the year before, written
        by this import (plans are imported year by year) or stored. `claimant`, the risk that
        names it, may not find it taken by another stored risk of the plan."""
        if not risk_id:
            return None
        key = (plan.unit_id, plan.year - 1)
        self._load_year(*key)
        pk = self.risk_pks.get((*key, risk_id))
        if pk is None:
            self.creator.problems.append(
                Problem(
                    path,
                    previous_risk_missing(
                        {"unit": plan.unit.external_id, "year": plan.year}, risk_id
                    ),
                )
            )
        elif claimant is not None and self.claimed.get(("risk", pk), claimant) != claimant:
            self._taken(path, risk_id, self.claimed[("risk", pk)])
            return None  # the import fails; rows sent before the end must not clash meanwhile
        return pk

    def _previous_action(
        self, plan: ControlPlan, risk: dict[str, Any], action: dict[str, Any], path: str
    ) -> int | None:
        risk_id, action_id = risk.get("previous", ""), action["previous"]
        pk = self.action_pks.get((plan.unit_id, plan.year - 1, risk_id, action_id))
        claimant = f"{risk['id']} / {action['id']}"
        if pk is None:
            self.creator.problems.append(Problem(path, previous_action_missing(risk_id, action_id)))
        elif self.claimed.get(("action", pk), claimant) != claimant:
            self._taken(path, f"{risk_id} / {action_id}", self.claimed[("action", pk)])
            return None
        return pk

    def _taken(self, path: str, last_year: str, other: str) -> None:
        self.creator.problems.append(
            Problem(
                path,
                _(
                    'Last year\'s "%(id)s" is already the previous version of "%(other)s", '
                    "stored in this plan."
                )
                % {"id": last_year, "other": other},
            )
        )

    def _load_year(self, unit_id: int, year: int) -> None:
        """The stored risks and actions of a committee's plan, once, where `previous` may find
        them (those this import writes are added as they are written)."""
        if (unit_id, year) in self.loaded_years:
            return
        self.loaded_years.add((unit_id, year))
        stored = self.plans_by_key.get((unit_id, year))
        if stored is None:
            return
        for external_id, pk in Risk.objects.filter(plan=stored).values_list("external_id", "pk"):
            self.risk_pks.setdefault((unit_id, year, external_id), pk)
        for risk_id, external_id, pk in Action.objects.filter(risk__plan=stored).values_list(
            "risk__external_id", "external_id", "pk"
        ):
            self.action_pks.setdefault((unit_id, year, risk_id, external_id), pk)
        # Who already names them, in the stored plan for the year after.
        for previous, external_id in Risk.objects.filter(previous__plan=stored).values_list(
            "previous_id", "external_id"
        ):
            self.claimed[("risk", previous)] = external_id
        for previous, risk_id, external_id in Action.objects.filter(
            previous__risk__plan=stored
        ).values_list("previous_id", "risk__external_id", "external_id"):
            self.claimed[("action", previous)] = f"{risk_id} / {external_id}"

    def _remember(self, plan: ControlPlan, risk_id: str, pk: int, actions: dict[str, int]) -> None:
        self.risk_pks[(plan.unit_id, plan.year, risk_id)] = pk
        for action_id, action_pk in actions.items():
            self.action_pks[(plan.unit_id, plan.year, risk_id, action_id)] = action_pk

    def _create_risk(
        self, plan: ControlPlan, data: dict[str, Any], path: str, previous: int | None
    ) -> None:
        """A risk new to the database, and all it holds, gathered for writing in bulk."""
        pk, actions = self.creator.risk(
            plan,
            data,
            path,
            unit=self._unit(data.get("unit")),
            area=self._named(RiskArea, self.areas, data.get("area"), f"{path}.area"),
            process=self._named(Process, self.processes, data.get("process"), f"{path}.process"),
            goal=self.goals[data["goal"]] if data.get("goal") else None,
            previous=previous,
            previous_actions=partial(self._previous_action, plan, data),
        )
        self._remember(plan, data["id"], pk, actions)

    def _risk(
        self, plan: ControlPlan, risk: Risk, data: dict[str, Any], path: str, previous: int | None
    ) -> None:
        risk = self._save(
            risk,
            {
                "external_id": data["id"],
                "title": data["title"],
                "unit": self._unit(data.get("unit")),
                "area": self._named(RiskArea, self.areas, data.get("area"), f"{path}.area"),
                "process": self._named(
                    Process, self.processes, data.get("process"), f"{path}.process"
                ),
                "goal": self.goals[data["goal"]] if data.get("goal") else None,
                "description": data.get("description", ""),
                "consequence_description": data.get("consequence_description", ""),
                "existing_controls": data.get("existing_controls", ""),
                "probability": data.get("probability"),
                "consequence": data.get("consequence"),
                "target_probability": data.get("target_probability"),
                "target_consequence": data.get("target_consequence"),
                "handling": list(data.get("handling", [])),
                "planned_handling": data.get("planned_handling", ""),
                "previous": Risk(pk=previous) if previous else None,
            },
            path,
        )
        actions = {action.external_id: action for action in risk.actions.all()}
        written: dict[str, Action] = {}
        for index, action_data in enumerate(data.get("actions", [])):
            action_path = f"{path}.actions[{index}]"
            last_year = (
                self._previous_action(plan, data, action_data, f"{action_path}.previous")
                if action_data.get("previous") and data.get("previous")
                else None
            )
            action = self._save(
                actions.get(action_data["id"]) or Action(risk=risk),
                {
                    "external_id": action_data["id"],
                    "title": action_data["title"],
                    "description": action_data.get("description", ""),
                    "responsible": action_data.get("responsible", ""),
                    "due_date": _date(action_data.get("due_date")),
                    "status": action_data.get("status", "not_started"),
                    "previous": Action(pk=last_year) if last_year else None,
                },
                action_path,
            )
            written[action_data["id"]] = action
            self._follow_ups(action_data.get("follow_ups", []), action_path, action=action)
        self._remember(plan, data["id"], risk.pk, {key: a.pk for key, a in written.items()})
        answering = {**actions, **written}
        activities = {activity.external_id: activity for activity in risk.control_activities.all()}
        for index, activity_data in enumerate(data.get("control_activities", [])):
            activity_path = f"{path}.control_activities[{index}]"
            activity = self._save(
                activities.get(activity_data["id"]) or ControlActivity(risk=risk),
                {
                    "external_id": activity_data["id"],
                    **{name: activity_data.get(name, "") for name in TEXT_FIELDS},
                    "due_date": _date(activity_data.get("due_date")),
                },
                activity_path,
            )
            self._activity_periods(
                activity,
                activity_data.get("periods", []),
                existed=activity_data["id"] in activities,
            )
            self._follow_ups(
                activity_data.get("follow_ups", []),
                activity_path,
                answering,
                control_activity=activity,
            )
        self._follow_ups(data.get("follow_ups", []), path, risk=risk)

    def _activity_periods(
        self, activity: ControlActivity, codes: list[str], *, existed: bool
    ) -> None:
        """Set the reporting periods; a stored activity whose periods change gets a new version,
        so a form opened before the import is refused as stale."""
        wanted = [self.periods[code] for code in codes]
        if {period.pk for period in activity.periods.all()} == {period.pk for period in wanted}:
            return
        if existed:
            activity = lock_current(ControlActivity, activity.pk, ANY_VERSION)
            activity._change_reason = "import"  # type: ignore[attr-defined]
            bump_version(activity, self.acting_user)
        activity._history_user = self.acting_user  # type: ignore[attr-defined]
        activity._change_reason = "import"  # type: ignore[attr-defined]
        activity.periods.set(wanted)

    def _follow_ups(
        self,
        items: list[dict[str, Any]],
        owner_path: str,
        actions: dict[str, Action] | None = None,
        **subject: models.Model,
    ) -> None:
        """Follow-ups have no ids: they are matched by period and date, in order."""
        ((name, owner),) = subject.items()
        existing: dict[tuple[str | None, datetime.date], list[FollowUp]] = defaultdict(list)
        for follow_up in FollowUp.objects.filter(**subject).select_related("period").order_by("id"):
            key = (follow_up.period.code if follow_up.period else None, follow_up.date)
            existing[key].append(follow_up)
        for index, data in enumerate(items):
            date = _date(data["date"])
            assert date is not None  # noqa: S101 (narrows the type)
            key = (data.get("period"), date)
            follow_up = existing[key].pop(0) if existing[key] else FollowUp(**{name: owner})
            path = f"{owner_path}.follow_ups[{index}]"
            answered_by = (
                (actions or {}).get(data["answered_by"]) if "answered_by" in data else None
            )
            self._save(
                follow_up,
                {
                    "period": self.periods[data["period"]] if data.get("period") else None,
                    "date": date,
                    "status": data.get("status", ""),
                    "on_track": data.get("on_track"),
                    "result": data.get("result", ""),
                    "comment": data.get("comment", ""),
                    "occurrence": _date(data.get("occurrence")),
                    "answered_by": answered_by,
                    "reported_for": self._user(data.get("reported_for"), f"{path}.reported_for"),
                },
                path,
            )

    # Audits ---------------------------------------------------------------------------

    def _audit_report(self, data: dict[str, Any], path: str) -> None:
        report = AuditReport.objects.filter(
            organisation=self.organisation, external_id=data["id"]
        ).first() or AuditReport(organisation=self.organisation)
        report = self._save(
            report,
            {
                "external_id": data["id"],
                "title": data["title"],
                "unit": self._unit(data.get("unit")),
                "auditor": data.get("auditor", ""),
                "date": _date(data.get("date")),
            },
            path,
            data,
        )
        existing = {item.external_id: item for item in report.recommendations.all()}
        for index, item in enumerate(data.get("recommendations", [])):
            item_path = f"{path}.recommendations[{index}]"
            recommendation = self._save(
                existing.get(item["id"]) or Recommendation(report=report),
                {
                    "external_id": item["id"],
                    "text": item["text"],
                    "response": item.get("response", ""),
                    "status": item.get("status", "not_started"),
                },
                item_path,
                item,
            )
            self._follow_ups(item.get("follow_ups", []), item_path, recommendation=recommendation)

    # Checks that need the database ----------------------------------------------------

    def _check_plans_fit_their_matrix(self) -> None:
        """Risks already stored but absent from the document must still fit a changed matrix."""
        problems = []
        for index, plan in self.stored_plans:
            matrix = plan.risk_matrix
            for risk in plan.risks.all():
                for p, c in (
                    (risk.probability, risk.consequence),
                    (risk.target_probability, risk.target_consequence),
                ):
                    if p is not None and c is not None and not matrix.contains(p, c):
                        problems.append(
                            Problem(
                                f"plans[{index}]",
                                _(
                                    'The stored risk "%(risk)s" (%(id)s) is assessed %(p)s×%(c)s, '
                                    "outside this plan's %(rows)s×%(columns)s matrix."
                                )
                                % {
                                    "risk": risk.title,
                                    "id": risk.external_id,
                                    "p": p,
                                    "c": c,
                                    "rows": matrix.probability_size,
                                    "columns": matrix.consequence_size,
                                },
                            )
                        )
        if problems:
            raise ImportFailed(problems)


def _field_value(obj: models.Model, name: str) -> Any:
    field_object = obj._meta.get_field(name)
    if isinstance(field_object, models.ForeignObject) and field_object.many_to_one:
        related_id = getattr(obj, field_object.attname)
        return _RelatedId(related_id)
    return getattr(obj, name)


class _RelatedId:
    """Compares equal to a model instance (or None) with the same primary key."""

    def __init__(self, pk: Any) -> None:
        self.pk = pk

    def __eq__(self, other: object) -> bool:
        if other is None:
            return self.pk is None
        return isinstance(other, models.Model) and other.pk == self.pk

    def __hash__(self) -> int:
        return hash(self.pk)
