"""Validation of an exchange document (docs/exchange-format.md): its JSON Schema, then the
rules between its parts.

Pure Python, no database: the importer imports nothing unless `validate_document` returns [].
"""

import datetime
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

import jsonschema_rs
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from jsonschema import Draft202012Validator, ValidationError

from internkontroll.organisation.defaults import DEFAULT_PERIODS, DEFAULT_RISK_MATRIX
from internkontroll.organisation.matrices import integer as _integer
from internkontroll.organisation.matrices import is_blank as _is_blank
from internkontroll.organisation.matrices import matrix_findings
from internkontroll.organisation.matrices import objects as _objects
from internkontroll.organisation.models import PLAN_OWNER_KINDS, Unit

SUPPORTED_FORMAT = "internkontroll/1"
# Problems listed at most; beyond that one more says how many were left out.
MAX_PROBLEMS = 100
# Findings looked for per layer: enough to count the usual mistakes, few enough to stay quick.
_SEARCH_LIMIT = 1000
SCHEMA_PATH = Path(__file__).with_name("schema.json")

# The model's definitions: the document knows the same unit kinds as the database.
UNIT_KINDS = tuple(Unit.Kind.values)
PLAN_UNIT_KINDS = tuple(str(kind) for kind in PLAN_OWNER_KINDS)

# The schema's patterns; a value that matches one of them but is no real date is caught here.
_DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH_DAY_PATTERN = re.compile(r"^\d{2}-\d{2}$")
_COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
_ASCII_DATE = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})")
_ASCII_MONTH_DAY = re.compile(r"(?P<month>[0-9]{2})-(?P<day>[0-9]{2})")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LEAP_YEAR = 2000  # lets a period end on 02-29

JsonPath = tuple[str | int, ...]
JsonObject = dict[str, Any]


@dataclass(frozen=True)
class Problem:
    """An error in a document: its JSON path (`plans[0].risks[3].probability`) and what is wrong."""

    path: str
    message: str

    def __str__(self) -> str:
        root = pgettext("JSON path", "document")
        return f"{self.path or root}: {self.message}"


class _Finding(NamedTuple):
    path: JsonPath
    message: str


@dataclass(frozen=True)
class _Context:
    """What a document's parts refer to: units, goals, periods and the organisation's matrix."""

    # None where the list itself is malformed, so that references to it can't be checked.
    units: dict[str, JsonObject] | None
    goal_ids: frozenset[str] | None
    period_codes: tuple[str, ...] | None
    organisation_matrix: JsonObject | None


def validate_document(document: object) -> list[Problem]:
    """The document's problems: a wrong format first, the rest in document order.

    At most MAX_PROBLEMS of them, then one saying how many more there are.
    """
    if not isinstance(document, dict):
        message = _("The document must be a JSON object, not %(actual)s.") % {
            "actual": _type_name(_json_type(document))
        }
        return [Problem("", message)]
    findings = _Findings()
    whole = _Piece(document)
    findings.add_errors(
        [] if schema_accepts(document) else _validator().iter_errors(document), whole
    )
    findings.add(_semantic_findings(document), whole)
    return findings.problems()


def more_problems(count: int, *, counted: bool = True) -> Problem:
    """The last problem of a shortened list: how many more there are (or at least are)."""
    if counted:
        message = _(
            "%(count)s more problems were found but are not listed; "
            "correct the ones above and import again."
        ) % {"count": count}
    else:
        message = _(
            "At least %(count)s more problems were found but are not listed; "
            "correct the ones above and import again."
        ) % {"count": count}
    return Problem("", message)


# Paths and ordering


def _format_path(path: JsonPath) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _IDENTIFIER.fullmatch(part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part, ensure_ascii=False)}]"
    return text


_SortKey = tuple[bool, tuple[int, ...]]


@dataclass(frozen=True)
class _Piece:
    """What findings are looked for in: the whole document, or one of its parts (`value`, at
    `path` and `position` in the document), so that a document read in parts sorts alike."""

    value: object
    path: JsonPath = ()
    position: tuple[int, ...] = ()

    def sort_key(self, path: JsonPath) -> _SortKey:
        """A wrong format first, then the rest in document order."""
        inner = _position(self.value, path[len(self.path) :])
        return (path[:1] != ("format",), self.position + inner)


class _Findings:
    """A document's findings, gathered piece by piece in the order `validate_document` looks
    for them: of each layer the first _SEARCH_LIMIT, and whether there were more."""

    def __init__(self) -> None:
        self.schema: list[tuple[_SortKey, _Finding]] = []
        self.semantic: list[tuple[_SortKey, _Finding]] = []
        self.errors_seen = 0
        self.semantic_seen = 0

    def add_errors(self, errors: Iterable[ValidationError], piece: _Piece) -> None:
        """Schema errors (their paths relative to the piece), described once all are seen:
        an error's description depends on the others at the same path, all in one piece."""
        before = self.errors_seen
        found = list(islice(errors, _SEARCH_LIMIT + 1 - before))
        self.errors_seen += len(found)
        described = _schema_findings(found[: max(0, _SEARCH_LIMIT - before)], piece.path)
        self.schema.extend((piece.sort_key(finding.path), finding) for finding in described)

    def add(self, findings: Iterable[_Finding], piece: _Piece) -> None:
        """Semantic findings (their paths in the document)."""
        before = self.semantic_seen
        found = list(islice(findings, _SEARCH_LIMIT + 1 - before))
        self.semantic_seen += len(found)
        kept = found[: max(0, _SEARCH_LIMIT - before)]
        self.semantic.extend((piece.sort_key(finding.path), finding) for finding in kept)

    @property
    def full(self) -> bool:
        """Whether more pieces can change nothing: both layers found more than they list."""
        return min(self.errors_seen, self.semantic_seen) > _SEARCH_LIMIT

    def problems(self) -> list[Problem]:
        """At most MAX_PROBLEMS problems, then one saying how many more there are."""
        counted = self.errors_seen <= _SEARCH_LIMIT and self.semantic_seen <= _SEARCH_LIMIT
        # Stable: at the same place schema findings come first, each layer in its own order.
        findings = [finding for _key, finding in sorted([*self.schema, *self.semantic], key=_key)]
        problems = [
            Problem(_format_path(finding.path), finding.message)
            for finding in findings[:MAX_PROBLEMS]
        ]
        if len(findings) > MAX_PROBLEMS:
            problems.append(more_problems(len(findings) - MAX_PROBLEMS, counted=counted))
        return problems


def _key(item: tuple[_SortKey, _Finding]) -> _SortKey:
    return item[0]


def _position(document: object, path: JsonPath) -> tuple[int, ...]:
    """Where a path lies in the document; a missing key sorts before the keys its object has."""
    node: object = document
    position: list[int] = []
    for part in path:
        if isinstance(node, dict):
            keys = list(node)
            position.append(keys.index(part) if part in node else -1)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int):
            position.append(part)
            node = node[part] if 0 <= part < len(node) else None
        else:
            position.append(0)
            node = None
    return tuple(position)


# Values


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _type_name(json_type: str) -> str:
    names = {
        "string": pgettext("JSON type", "text"),
        "integer": pgettext("JSON type", "integer"),
        "number": pgettext("JSON type", "number"),
        "boolean": pgettext("JSON type", "true/false"),
        "array": pgettext("JSON type", "list"),
        "object": pgettext("JSON type", "object"),
        "null": pgettext("JSON type", "null"),
    }
    return names.get(json_type, json_type)


def _alternatives(words: Sequence[str]) -> str:
    if len(words) == 1:
        return words[0]
    return _("%(alternatives)s or %(last)s") % {
        "alternatives": ", ".join(words[:-1]),
        "last": words[-1],
    }


def _show(value: object) -> str:
    """A value as it looks in JSON, shortened for a message."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _canonical(value: object) -> str:
    try:
        return json.dumps(value, sort_keys=True)
    except (TypeError, ValueError):
        return repr(value)


def _object(value: object) -> JsonObject | None:
    return value if isinstance(value, dict) else None


@lru_cache(maxsize=4096)  # a document's dates repeat: a plan's year has few days
def _is_real_date(value: str) -> bool:
    match = _ASCII_DATE.fullmatch(value)
    if match is None:
        return False
    try:
        datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return False
    return True


def _is_month_day(value: str) -> bool:
    match = _ASCII_MONTH_DAY.fullmatch(value)
    if match is None:
        return False
    try:
        datetime.date(_LEAP_YEAR, int(match["month"]), int(match["day"]))
    except ValueError:
        return False
    return True


# Schema layer


@cache
def _schema() -> JsonObject:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(_schema())


@cache
def _quick_validator() -> Any:
    return jsonschema_rs.validator_for(_schema())


def schema_accepts(document: object) -> bool:
    """Whether the schema accepts the document, answered fast (a compiled validator).

    Only a refusal needs the slower validator above, whose errors say what is wrong.
    """
    return _quick_accepts(_quick_validator(), document)


def _quick_accepts(validator: Any, value: object) -> bool:
    try:
        return bool(validator.is_valid(value))
    except (ValueError, OverflowError):  # a value JSON can't hold, say a huge integer
        return False


def _schema_findings(errors: list[ValidationError], prefix: JsonPath = ()) -> Iterator[_Finding]:
    """The errors' findings; `prefix` is the path of what was validated (a plan, say)."""
    # A value of the wrong type fails other keywords too; its type is the one thing worth saying.
    wrong_types = {tuple(error.absolute_path) for error in errors if error.validator == "type"}
    described_required: set[JsonPath] = set()
    for error in errors:
        relative: JsonPath = tuple(error.absolute_path)
        if error.validator != "type" and relative in wrong_types:
            continue
        path = (*prefix, *relative)
        if error.validator == "required":
            # jsonschema yields one error per missing key, all alike; describe them once per object.
            if path in described_required:
                continue
            described_required.add(path)
        yield from _describe_error(error, path)


def _describe_error(error: ValidationError, path: JsonPath) -> Iterator[_Finding]:
    keyword, instance = error.validator, error.instance
    if keyword == "additionalProperties" and isinstance(instance, dict):
        yield from _unknown_keys(instance, error.schema, path)
    elif keyword == "required" and isinstance(instance, dict):
        yield from _missing_keys(instance, error.validator_value, path)
    elif keyword == "uniqueItems" and isinstance(instance, list):
        yield from _repeated_items(instance, path)
    else:
        yield _Finding(path, _error_message(error, path))


def _unknown_keys(instance: JsonObject, schema: object, path: JsonPath) -> Iterator[_Finding]:
    properties = schema.get("properties", {}) if isinstance(schema, dict) else {}
    allowed = [str(key) for key in properties]
    for key in instance:
        if key not in allowed:
            message = _('Unknown key "%(key)s". Allowed keys here: %(allowed)s.') % {
                "key": key,
                "allowed": ", ".join(allowed),
            }
            yield _Finding((*path, str(key)), message)


def _missing_keys(instance: JsonObject, required: object, path: JsonPath) -> Iterator[_Finding]:
    for key in required if isinstance(required, list) else []:
        if key in instance:
            continue
        if path == () and key == "format":
            message = _('The key "format" is missing; it must be "%(supported)s".') % {
                "supported": SUPPORTED_FORMAT
            }
        else:
            message = _('The required key "%(key)s" is missing.') % {"key": key}
        yield _Finding((*path, key), message)


def _repeated_items(items: list[Any], path: JsonPath) -> Iterator[_Finding]:
    seen: set[str] = set()
    found = False
    for index, item in enumerate(items):
        key = _canonical(item)
        if key in seen:
            found = True
            yield _Finding(
                (*path, index),
                _("%(value)s appears more than once in the list.") % {"value": _show(item)},
            )
        seen.add(key)
    if not found:  # equal only to JSON Schema, such as 1 and 1.0
        yield _Finding(path, _("The list contains the same value more than once."))


def _error_message(error: ValidationError, path: JsonPath) -> str:
    keyword = error.validator
    value = error.instance
    if keyword == "const" and path == ("format",):
        return _('Format %(given)s is not supported; this version reads "%(supported)s".') % {
            "given": _show(value),
            "supported": SUPPORTED_FORMAT,
        }
    if keyword == "type":
        return _type_message(error.validator_value, value)
    if keyword == "enum":
        return _("%(value)s is not an allowed code. Allowed codes: %(allowed)s.") % {
            "value": _show(value),
            "allowed": ", ".join(_codes(error.validator_value)),
        }
    if keyword == "pattern":
        return _pattern_message(error.validator_value, value)
    if keyword == "maximum":
        return _("%(value)s is too large; the highest allowed value is %(maximum)s.") % {
            "value": _show(value),
            "maximum": error.validator_value,
        }
    if keyword == "minimum":
        return _("%(value)s is too small; the lowest allowed value is %(minimum)s.") % {
            "value": _show(value),
            "minimum": error.validator_value,
        }
    if keyword == "maxLength" and isinstance(value, str):
        return _("The text is %(length)s characters long; at most %(limit)s are allowed here.") % {
            "length": len(value),
            "limit": error.validator_value,
        }
    if keyword == "const":
        return _("The value must be %(expected)s, not %(value)s.") % {
            "expected": _show(error.validator_value),
            "value": _show(value),
        }
    return _("Invalid value: %(detail)s") % {"detail": error.message}


def _codes(enum: object) -> list[str]:
    return [str(code) for code in enum] if isinstance(enum, list) else []


def _type_message(expected: object, value: object) -> str:
    expected_types = expected if isinstance(expected, list) else [expected]
    params = {
        "expected": _alternatives([_type_name(str(json_type)) for json_type in expected_types]),
        "actual": _type_name(_json_type(value)),
    }
    if isinstance(value, dict | list):
        return _("Expected %(expected)s, not %(actual)s.") % params
    return _("Expected %(expected)s, not %(actual)s (%(value)s).") % {
        **params,
        "value": _show(value),
    }


def _pattern_message(pattern: object, value: object) -> str:
    params = {"value": _show(value)}
    if pattern == _DATE_PATTERN.pattern:
        return _("%(value)s is not a date written YYYY-MM-DD.") % params
    if pattern == _MONTH_DAY_PATTERN.pattern:
        return _("%(value)s is not a month and day written MM-DD.") % params
    if pattern == _COLOR_PATTERN:
        return _("%(value)s is not a colour written #RRGGBB.") % params
    return _("%(value)s does not match the pattern %(pattern)s.") % {**params, "pattern": pattern}


# Semantic layer: rules between the parts that the schema can't express


def _semantic_findings(document: JsonObject) -> Iterator[_Finding]:
    context = _context(document)
    yield from _findings_before_the_plans(document, context)
    yield from _check_plans(_objects(document.get("plans")), context)
    yield from _findings_after_the_plans(document, context)


def _findings_before_the_plans(document: JsonObject, context: _Context) -> Iterator[_Finding]:
    yield from _check_organisation(_object(document.get("organisation")) or {})
    yield from _check_units(_objects(document.get("units")))
    yield from _check_goals(_objects(document.get("goals")), context)


def _findings_after_the_plans(document: JsonObject, context: _Context) -> Iterator[_Finding]:
    yield from _check_audit_reports(_objects(document.get("audit_reports")), context)


def _context(document: JsonObject) -> _Context:
    organisation = _object(document.get("organisation")) or {}
    units = _objects(document.get("units"))
    goals = _objects(document.get("goals"))
    return _Context(
        units=_first_by_id(units) if _is_list_or_absent(document, "units") else None,
        goal_ids=frozenset(_first_by_id(goals)) if _is_list_or_absent(document, "goals") else None,
        period_codes=_period_codes(organisation),
        organisation_matrix=_matrix_of(organisation, fallback=DEFAULT_RISK_MATRIX),
    )


def _is_list_or_absent(owner: JsonObject, key: str) -> bool:
    return isinstance(owner.get(key, []), list)


def _first_by_id(items: list[tuple[int, JsonObject]]) -> dict[str, JsonObject]:
    by_id: dict[str, JsonObject] = {}
    for _index, item in items:
        item_id = item.get("id")
        if isinstance(item_id, str):
            by_id.setdefault(item_id, item)
    return by_id


def _period_codes(organisation: JsonObject) -> tuple[str, ...] | None:
    if "periods" not in organisation:
        return tuple(period["code"] for period in DEFAULT_PERIODS)
    if not _is_list_or_absent(organisation, "periods"):
        return None
    return tuple(
        period["code"]
        for _index, period in _objects(organisation["periods"])
        if isinstance(period.get("code"), str)
    )


def _matrix_of(owner: JsonObject, fallback: JsonObject | None) -> JsonObject | None:
    """The owner's own risk matrix, else the fallback; None when the owner's matrix is malformed."""
    if "risk_matrix" not in owner:
        return fallback
    return _object(owner["risk_matrix"])


def _check_unique_ids(
    items: list[tuple[int, JsonObject]], list_path: JsonPath
) -> Iterator[_Finding]:
    list_name = _format_path(list_path[-1:])
    first_index: dict[str, int] = {}
    for index, item in items:
        item_id = item.get("id")
        if not isinstance(item_id, str):
            continue
        if item_id in first_index:
            message = _('Id "%(id)s" already appears in the same list (also in %(first)s).') % {
                "id": item_id,
                "first": f"{list_name}[{first_index[item_id]}]",
            }
            yield _Finding((*list_path, index, "id"), message)
        else:
            first_index[item_id] = index


def _check_unit_exists(owner: JsonObject, path: JsonPath, context: _Context) -> Iterator[_Finding]:
    unit_id = owner.get("unit")
    if context.units is not None and isinstance(unit_id, str) and unit_id not in context.units:
        yield _Finding((*path, "unit"), _unknown_unit_message(unit_id))


def _unknown_unit_message(unit_id: str) -> str:
    return _('The unit "%(id)s" does not exist in units.') % {"id": unit_id}


def _check_date(owner: JsonObject, key: str, path: JsonPath) -> Iterator[_Finding]:
    value = owner.get(key)
    if isinstance(value, str) and _DATE_PATTERN.search(value) and not _is_real_date(value):
        yield _Finding((*path, key), _('"%(value)s" is not a real date.') % {"value": value})


def _check_period_exists(code: object, path: JsonPath, context: _Context) -> Iterator[_Finding]:
    codes = context.period_codes
    if codes is not None and isinstance(code, str) and code not in codes:
        message = _(
            'The period "%(code)s" is not one of the organisation\'s periods (%(codes)s).'
        ) % {
            "code": code,
            "codes": ", ".join(codes) or "–",
        }
        yield _Finding(path, message)


# Organisation: risk matrix and periods


def _check_organisation(organisation: JsonObject) -> Iterator[_Finding]:
    matrix = organisation.get("risk_matrix")
    if isinstance(matrix, dict):
        yield from _check_risk_matrix(matrix, ("organisation", "risk_matrix"))
    yield from _check_periods(_objects(organisation.get("periods")))


def _check_risk_matrix(matrix: JsonObject, path: JsonPath) -> Iterator[_Finding]:
    for finding_path, message in matrix_findings(matrix, path):
        yield _Finding(finding_path, message)


def _check_periods(periods: list[tuple[int, JsonObject]]) -> Iterator[_Finding]:
    first_index: dict[str, int] = {}
    for index, period in periods:
        path: JsonPath = ("organisation", "periods", index)
        code = period.get("code")
        if "code" not in period or _is_blank(code):
            yield _Finding((*path, "code"), _("Each period needs a code."))
        elif isinstance(code, str) and code in first_index:
            message = _('The period code "%(code)s" is already used (also in %(first)s).') % {
                "code": code,
                "first": f"periods[{first_index[code]}]",
            }
            yield _Finding((*path, "code"), message)
        elif isinstance(code, str):
            first_index[code] = index
        if "name" not in period or _is_blank(period["name"]):
            yield _Finding((*path, "name"), _("Each period needs a name."))
        yield from _check_period_end(period, path)


def _check_period_end(period: JsonObject, path: JsonPath) -> Iterator[_Finding]:
    ends = period.get("ends")
    if "ends" not in period:
        yield _Finding((*path, "ends"), _("Each period needs the month and day it ends (ends)."))
    elif isinstance(ends, str) and _MONTH_DAY_PATTERN.search(ends) and not _is_month_day(ends):
        yield _Finding(
            (*path, "ends"), _('"%(value)s" is not a real day of the year.') % {"value": ends}
        )


# Units and goals


def _check_units(units: list[tuple[int, JsonObject]]) -> Iterator[_Finding]:
    yield from _check_unique_ids(units, ("units",))
    known = _first_by_id(units)
    for index, unit in units:
        yield from _check_history(unit, ("units", index))
        parent = unit.get("parent")
        if not isinstance(parent, str):
            continue
        if parent == unit.get("id"):
            yield _Finding(("units", index, "parent"), _("A unit cannot be its own parent."))
        elif parent not in known:
            yield _Finding(("units", index, "parent"), _unknown_unit_message(parent))
    yield from _check_parent_cycles(units)


def _check_parent_cycles(units: list[tuple[int, JsonObject]]) -> Iterator[_Finding]:
    """Each cycle once, at its first unit's parent; a unit that is its own parent is no cycle."""
    index_of: dict[str, int] = {}
    parent_of: dict[str, str] = {}
    for index, unit in units:
        unit_id, parent = unit.get("id"), unit.get("parent")
        if isinstance(unit_id, str) and unit_id not in index_of:
            index_of[unit_id] = index
            if isinstance(parent, str) and parent != unit_id:
                parent_of[unit_id] = parent
    done: set[str] = set()
    for start in index_of:
        trail: list[str] = []
        node: str | None = start
        while node is not None and node not in done and node not in trail:
            trail.append(node)
            node = parent_of.get(node)
        if node is not None and node in trail:
            yield _cycle_finding(trail[trail.index(node) :], index_of)
        done.update(trail)


def _cycle_finding(cycle: list[str], index_of: dict[str, int]) -> _Finding:
    first = min(range(len(cycle)), key=lambda position: index_of[cycle[position]])
    ordered = cycle[first:] + cycle[:first]
    message = _("The units' parents form a cycle: %(cycle)s.") % {
        "cycle": " → ".join([*ordered, ordered[0]])
    }
    return _Finding(("units", index_of[ordered[0]], "parent"), message)


def _check_goals(goals: list[tuple[int, JsonObject]], context: _Context) -> Iterator[_Finding]:
    for index, goal in goals:
        if "id" not in goal:
            yield _Finding(
                ("goals", index, "id"), _("Each goal needs an id, so that risks can refer to it.")
            )
        yield from _check_unit_exists(goal, ("goals", index), context)
        yield from _check_history(goal, ("goals", index))
    yield from _check_unique_ids(goals, ("goals",))


# Plans and what they contain


def _check_plans(plans: list[tuple[int, JsonObject]], context: _Context) -> Iterator[_Finding]:
    yield from _check_one_plan_per_unit_and_year([(index, plan_key(plan)) for index, plan in plans])
    by_key: dict[tuple[str, int], JsonObject] = {}
    for _index, plan in plans:
        key = plan_key(plan)
        if key is not None:
            by_key.setdefault(key, plan)
    for index, plan in plans:
        yield from _check_plan(plan, ("plans", index), context, _last_year(plan, by_key))


def _last_year(plan: JsonObject, plans: dict[tuple[str, int], JsonObject]) -> JsonObject | None:
    """The committee's plan for the year before (or its outline), from the document's plans by
    committee and year."""
    key = plan_key(plan)
    return plans.get((key[0], key[1] - 1)) if key and key[1] else None


def _check_plan(
    plan: JsonObject, path: JsonPath, context: _Context, last_year: JsonObject | None
) -> Iterator[_Finding]:
    """One plan's findings; `last_year` is the committee's plan for the year before (or its
    outline, see `plan_outline`), if the document has one."""
    yield from _check_plan_unit(plan, path, context)
    own_matrix = plan.get("risk_matrix")
    if isinstance(own_matrix, dict):
        yield from _check_risk_matrix(own_matrix, (*path, "risk_matrix"))
    yield from _check_date(plan, "adopted_on", path)
    yield from _check_lifecycle(plan, path)
    yield from _check_history(plan, path)
    assessment = _object(plan.get("assessment"))
    if assessment is not None:
        yield from _check_date(assessment, "decided_on", (*path, "assessment"))
        yield from _check_history(assessment, (*path, "assessment"))
    yield from _check_risks(plan, path, context, last_year)
    yield from _check_rollover(plan, path, last_year)


# A document read in parts (exchange/streaming.py): its plans checked one at a time


def plan_key(plan: object) -> tuple[str, int] | None:
    """The committee and year a plan is for, when the plan names them properly."""
    if not isinstance(plan, dict):
        return None
    unit_id, year = plan.get("unit"), _integer(plan.get("year"))
    return (unit_id, year) if isinstance(unit_id, str) and year is not None else None


def plan_outline(plan: JsonObject) -> JsonObject:
    """What the next year's plan is checked against: its risks' and their actions' ids."""
    return {
        "risks": [
            {
                "id": risk.get("id"),
                "actions": [
                    {"id": action.get("id")} for _i, action in _objects(risk.get("actions"))
                ],
            }
            for _index, risk in _objects(plan.get("risks"))
        ]
    }


@cache
def _plan_schema() -> JsonObject:
    schema = _schema()
    return {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/plan"}


@cache
def _quick_plan_validator() -> Any:
    return jsonschema_rs.validator_for(_plan_schema())


@cache
def _plan_validator() -> Draft202012Validator:
    """Its errors are those of the whole document's validator in a plan, their paths relative to
    the plan: both validators take the same definition."""
    return Draft202012Validator(_plan_schema())


def _after_the_plans(error: ValidationError) -> bool:
    """Whether the whole document's validator meets an error after its plans' errors: it checks
    the top level's other keywords first, then its properties in the schema's order."""
    properties = list(_schema()["properties"])
    path = error.absolute_path
    return (
        bool(path)
        and path[0] in properties
        and (properties.index(path[0]) > properties.index("plans"))
    )


class PlanChecker:
    """The checks `validate_document` makes of a document's plans, made one plan at a time.

    It is built from the document's other parts; `last_years` holds the outlines of the plans
    a plan's rollover may refer to (see `plan_outline`), the first of each committee and year.
    """

    def __init__(self, parts: JsonObject, last_years: dict[tuple[str, int], JsonObject]) -> None:
        self.context = _context(parts)
        self.last_years = last_years

    def accepts(self, plan: object, index: int) -> bool:
        if not _quick_accepts(_quick_plan_validator(), plan):
            return False
        assert isinstance(plan, dict)  # noqa: S101 (the schema says so)
        return next(self.findings(plan, index), None) is None

    def schema_errors(self, plan: object) -> Iterator[ValidationError]:
        """The schema's errors in the plan, their paths relative to it (looked for only when the
        quick validator refuses it, as `validate_document` does)."""
        if not _quick_accepts(_quick_plan_validator(), plan):
            yield from _plan_validator().iter_errors(plan)

    def findings(self, plan: JsonObject, index: int) -> Iterator[_Finding]:
        """The plan's findings beyond the schema's, at their paths in the document."""
        return _check_plan(plan, ("plans", index), self.context, _last_year(plan, self.last_years))


class DocumentInParts:
    """What `validate_document` says of a document read in parts (importer.py): given its parts
    but the plans, then its plans one at a time, in order; no more than one plan held.

    `parts` has the document's keys in its order, the plans' place held by "plans": [];
    `plan_keys` is each plan's `plan_key`; `last_years` the outlines of the plans that a plan
    before them looks back at: the others are kept as the plans come, while a plan after them
    looks back (one a committee, for plans year by year).
    """

    def __init__(
        self,
        parts: JsonObject,
        plan_keys: Sequence[tuple[str, int] | None],
        last_years: dict[tuple[str, int], JsonObject],
    ) -> None:
        self.checker = PlanChecker(parts, dict(last_years))
        self.plan_keys = plan_keys
        self.last_index = {key: index for index, key in enumerate(plan_keys) if key is not None}
        self.parts = parts
        self.top_level = _Piece(parts)
        self.plans_position = _position(parts, ("plans",))
        self.findings = _Findings()
        errors = (
            []
            if schema_accepts(parts)
            else list(islice(_validator().iter_errors(parts), _SEARCH_LIMIT + 1))
        )
        self.errors_after = [error for error in errors if _after_the_plans(error)]
        self.findings.add_errors(
            [error for error in errors if not _after_the_plans(error)], self.top_level
        )
        self.findings.add(_findings_before_the_plans(parts, self.checker.context), self.top_level)
        self.findings.add(_check_one_plan_per_unit_and_year(enumerate(plan_keys)), self.top_level)

    def add_plan(self, index: int, plan: object) -> None:
        if not self.findings.full:
            piece = _Piece(plan, ("plans", index), (*self.plans_position, index))
            self.findings.add_errors(self.checker.schema_errors(plan), piece)
            if isinstance(plan, dict):
                self.findings.add(self.checker.findings(plan, index), piece)
        key = self.plan_keys[index]
        if key is not None and isinstance(plan, dict):
            self._keep_outline(index, key, plan)

    def _keep_outline(self, index: int, key: tuple[str, int], plan: JsonObject) -> None:
        """Keep the plan's outline while a plan after it looks back at it; let last year's go
        once the last plan that looks back at it is checked."""
        unit_id, year = key
        last_years = self.checker.last_years
        if key not in last_years and self.last_index.get((unit_id, year + 1), -1) > index:
            last_years[key] = plan_outline(plan)
        if self.last_index[key] == index:
            last_years.pop((unit_id, year - 1), None)

    def problems(self) -> list[Problem]:
        """The document's problems, once all its plans are added."""
        self.findings.add_errors(self.errors_after, self.top_level)
        after = _findings_after_the_plans(self.parts, self.checker.context)
        self.findings.add(after, self.top_level)
        return self.findings.problems()


def _check_rollover(
    plan: JsonObject, plan_path: JsonPath, last_year: JsonObject | None
) -> Iterator[_Finding]:
    """Each of last year's risks decided once; a target in this plan unless the risk is closed,
    and a reason when it is."""
    risks = _first_by_id(_objects(plan.get("risks")))
    earlier = _first_by_id(_objects(last_year.get("risks"))) if last_year is not None else None
    decided: dict[str, int] = {}
    for index, decision in _objects(plan.get("rollover")):
        path = (*plan_path, "rollover", index)
        message = _moment_problem(decision.get("decided_at"))
        if message:
            yield _Finding((*path, "decided_at"), message)
        risk_id, target = decision.get("risk"), decision.get("target")
        if isinstance(risk_id, str):
            if risk_id in decided:
                yield _Finding(
                    (*path, "risk"),
                    _('Last year\'s risk "%(id)s" is already decided on in rollover[%(first)s].')
                    % {"id": risk_id, "first": decided[risk_id]},
                )
            decided.setdefault(risk_id, index)
            if earlier is not None and risk_id not in earlier:
                yield _Finding((*path, "risk"), previous_risk_missing(plan, risk_id))
        if decision.get("decision") == "close":
            if target is not None:
                yield _Finding(
                    (*path, "target"), _("A closed risk goes into no risk of the new plan.")
                )
            if decision.get("reason") is None or _is_blank(decision["reason"]):
                yield _Finding((*path, "reason"), _("Say why the risk is closed."))
        elif decision.get("decision") in ("carry", "merge"):
            if target is None:
                yield _Finding(
                    (*path, "target"),
                    _("Name the risk of this plan it is carried over as or merged into."),
                )
            elif isinstance(target, str) and target not in risks:
                yield _Finding(
                    (*path, "target"),
                    _('The risk "%(id)s" is not among this plan\'s risks.') % {"id": target},
                )


def _check_lifecycle(plan: JsonObject, path: JsonPath) -> Iterator[_Finding]:
    """Adopted, then in follow-up, then closed: each step needs the one before; a person with
    a moment."""
    for key in ("follow_up_started_at", "closed_at"):
        message = _moment_problem(plan.get(key))
        if message:
            yield _Finding((*path, key), message)
    if "follow_up_started_at" in plan and "adopted_on" not in plan:
        yield _Finding(
            (*path, "follow_up_started_at"),
            _('The follow-up can only have started in an adopted plan; "adopted_on" is missing.'),
        )
    if "closed_at" in plan and "follow_up_started_at" not in plan:
        yield _Finding(
            (*path, "closed_at"),
            _('Only a plan in follow-up can be closed; "follow_up_started_at" is missing.'),
        )
    started, closed = _moment(plan.get("follow_up_started_at")), _moment(plan.get("closed_at"))
    if started is not None and closed is not None and closed < started:
        yield _Finding(
            (*path, "closed_at"),
            _("The plan cannot be closed before its follow-up started."),
        )
    for person, moment in (
        ("follow_up_started_by", "follow_up_started_at"),
        ("closed_by", "closed_at"),
    ):
        if person in plan and moment not in plan:
            yield _Finding(
                (*path, person),
                _('"%(person)s" is given without "%(moment)s", when it happened.')
                % {"person": person, "moment": moment},
            )


def _check_one_plan_per_unit_and_year(
    keys: Iterable[tuple[int, tuple[str, int] | None]],
) -> Iterator[_Finding]:
    """No two plans for a committee and year; `keys` are the plans' indexes and `plan_key`s."""
    first_index: dict[tuple[str, int], int] = {}
    for index, key in keys:
        if key is None:
            continue
        unit_id, year = key
        if key in first_index:
            message = _(
                'There is already a plan for "%(unit)s" and %(year)s (plans[%(first)s]).'
            ) % {
                "unit": unit_id,
                "year": year,
                "first": first_index[(unit_id, year)],
            }
            yield _Finding(("plans", index), message)
        else:
            first_index[(unit_id, year)] = index


def _check_plan_unit(plan: JsonObject, path: JsonPath, context: _Context) -> Iterator[_Finding]:
    unit_id = plan.get("unit")
    if context.units is None or not isinstance(unit_id, str):
        return
    unit = context.units.get(unit_id)
    if unit is None:
        yield _Finding((*path, "unit"), _unknown_unit_message(unit_id))
        return
    kind = unit.get("kind")
    if isinstance(kind, str) and kind in UNIT_KINDS and kind not in PLAN_UNIT_KINDS:
        message = _(
            'The unit "%(id)s" is of kind %(kind)s; a plan belongs to a committee or a company.'
        ) % {
            "id": unit_id,
            "kind": _unit_kind_name(kind),
        }
        yield _Finding((*path, "unit"), message)


def _unit_kind_name(kind: str) -> str:
    return str(Unit.Kind(kind).label) if kind in UNIT_KINDS else kind


def _check_risks(
    plan: JsonObject, plan_path: JsonPath, context: _Context, last_year: JsonObject | None
) -> Iterator[_Finding]:
    risks = _objects(plan.get("risks"))
    yield from _check_unique_ids(risks, (*plan_path, "risks"))
    matrix = _matrix_of(plan, fallback=context.organisation_matrix)
    earlier = _first_by_id(_objects(last_year.get("risks"))) if last_year is not None else None
    claimed: dict[str, int] = {}
    for index, risk in risks:
        path = (*plan_path, "risks", index)
        yield from _check_unit_exists(risk, path, context)
        yield from _check_goal_exists(risk, path, context)
        yield from _check_assessment_pair(risk, path, ("probability", "consequence"), matrix)
        yield from _check_assessment_pair(
            risk, path, ("target_probability", "target_consequence"), matrix
        )
        yield from _check_previous_risk(risk, path, plan, earlier, claimed, index)
        yield from _check_history(risk, path)
        yield from _check_actions(risk, path, context, earlier)
        yield from _check_control_activities(risk, path, context, _integer(plan.get("year")))
        yield from _check_follow_ups(risk, path, context)


def _check_previous_risk(
    risk: JsonObject,
    path: JsonPath,
    plan: JsonObject,
    earlier: dict[str, JsonObject] | None,
    claimed: dict[str, int],
    index: int,
) -> Iterator[_Finding]:
    """Last year's version is a risk of the committee's plan for the year before; when that plan
    is in the document it must hold the risk (else the importer looks among the stored ones)."""
    previous = risk.get("previous")
    if not isinstance(previous, str):
        return
    if previous in claimed:
        yield _Finding(
            (*path, "previous"),
            _('Last year\'s risk "%(id)s" is already the previous version of risks[%(first)s].')
            % {"id": previous, "first": claimed[previous]},
        )
    else:
        claimed[previous] = index
    if earlier is not None and previous not in earlier:
        yield _Finding((*path, "previous"), previous_risk_missing(plan, previous))


def previous_risk_missing(plan: JsonObject, previous: str) -> str:
    """Why `previous` names no risk: the committee's plan for the year before does not hold it."""
    year = _integer(plan.get("year"))
    return _(
        'The risk "%(id)s" is not in the plan of "%(unit)s" for %(year)s, the year before.'
    ) % {"id": previous, "unit": plan.get("unit"), "year": year - 1 if year else "?"}


def _check_goal_exists(risk: JsonObject, path: JsonPath, context: _Context) -> Iterator[_Finding]:
    goal_id = risk.get("goal")
    if (
        context.goal_ids is not None
        and isinstance(goal_id, str)
        and goal_id not in context.goal_ids
    ):
        yield _Finding(
            (*path, "goal"), _('The goal "%(id)s" does not exist in goals.') % {"id": goal_id}
        )


def _check_assessment_pair(
    risk: JsonObject, path: JsonPath, keys: tuple[str, str], matrix: JsonObject | None
) -> Iterator[_Finding]:
    """Probability and consequence (or the target pair) come together, within the scales."""
    probability_key, consequence_key = keys
    yield from _check_given_together(risk, path, probability_key, consequence_key)
    yield from _check_given_together(risk, path, consequence_key, probability_key)
    if matrix is not None:
        yield from _check_within_scale(risk, path, probability_key, matrix.get("probability"))
        yield from _check_within_scale(risk, path, consequence_key, matrix.get("consequence"))


def _check_given_together(
    risk: JsonObject, path: JsonPath, present: str, missing: str
) -> Iterator[_Finding]:
    if risk.get(present) is not None and risk.get(missing) is None:
        message = _(
            '"%(missing)s" is missing; "%(present)s" and "%(missing)s" are given together.'
        ) % {"missing": missing, "present": present}
        yield _Finding((*path, missing), message)


def _check_within_scale(
    risk: JsonObject, path: JsonPath, key: str, scale: object
) -> Iterator[_Finding]:
    value = _integer(risk.get(key))
    if value is None or value < 1 or not isinstance(scale, list) or not scale:
        return  # below 1 is the schema's to report; a broken scale is reported on the matrix
    if value > len(scale):
        yield _Finding((*path, key), _out_of_scale_message(key, value, len(scale)))


def _out_of_scale_message(key: str, value: int, maximum: int) -> str:
    params = {"value": value, "max": maximum}
    if key == "probability":
        return _("Probability %(value)s is outside the risk matrix's scale 1–%(max)s.") % params
    if key == "consequence":
        return _("Consequence %(value)s is outside the risk matrix's scale 1–%(max)s.") % params
    if key == "target_probability":
        return (
            _("Target probability %(value)s is outside the risk matrix's scale 1–%(max)s.") % params
        )
    return _("Target consequence %(value)s is outside the risk matrix's scale 1–%(max)s.") % params


def _check_actions(
    risk: JsonObject,
    risk_path: JsonPath,
    context: _Context,
    earlier: dict[str, JsonObject] | None,
) -> Iterator[_Finding]:
    actions = _objects(risk.get("actions"))
    yield from _check_unique_ids(actions, (*risk_path, "actions"))
    previous_risk = risk.get("previous")
    last_year = earlier.get(previous_risk) if earlier and isinstance(previous_risk, str) else None
    claimed: set[str] = set()
    for index, action in actions:
        path = (*risk_path, "actions", index)
        yield from _check_date(action, "due_date", path)
        previous = action.get("previous")
        if isinstance(previous, str):
            if not isinstance(previous_risk, str):
                yield _Finding(
                    (*path, "previous"),
                    _('An action has a previous version only when its risk has one ("previous").'),
                )
            elif previous in claimed:
                yield _Finding(
                    (*path, "previous"),
                    _(
                        'Last year\'s action "%(id)s" is already the previous version of another '
                        "action of the risk."
                    )
                    % {"id": previous},
                )
            elif last_year is not None and previous not in _first_by_id(
                _objects(last_year.get("actions"))
            ):
                yield _Finding(
                    (*path, "previous"), previous_action_missing(previous_risk, previous)
                )
            claimed.add(previous)
        yield from _check_history(action, path)
        yield from _check_follow_ups(action, path, context)


def previous_action_missing(previous_risk: str, previous: str) -> str:
    return _('The action "%(id)s" is not among the actions of last year\'s risk "%(risk)s".') % {
        "id": previous,
        "risk": previous_risk,
    }


def _check_control_activities(
    risk: JsonObject, risk_path: JsonPath, context: _Context, year: int | None
) -> Iterator[_Finding]:
    activities = _objects(risk.get("control_activities"))
    yield from _check_unique_ids(activities, (*risk_path, "control_activities"))
    for index, activity in activities:
        path = (*risk_path, "control_activities", index)
        periods = activity.get("periods")
        if isinstance(periods, list):
            for period_index, code in enumerate(periods):
                yield from _check_period_exists(code, (*path, "periods", period_index), context)
        yield from _check_date(activity, "due_date", path)
        yield from _check_history(activity, path)
        yield from _check_follow_ups(activity, path, context)
        yield from _check_results(activity, path, risk, year)


def _check_results(
    activity: JsonObject, activity_path: JsonPath, risk: JsonObject, year: int | None
) -> Iterator[_Finding]:
    """A control activity's result may name its occurrence, and a deviation the action that
    answers it."""
    actions = _first_by_id(_objects(risk.get("actions")))
    for index, follow_up in _objects(activity.get("follow_ups")):
        path = (*activity_path, "follow_ups", index)
        occurrence = follow_up.get("occurrence")
        if (
            year is not None
            and isinstance(occurrence, str)
            and _is_real_date(occurrence)
            and not occurrence.startswith(f"{year:04d}-")
        ):
            yield _Finding(
                (*path, "occurrence"),
                _("The occurrence %(date)s is not in the plan's year %(year)s.")
                % {"date": occurrence, "year": year},
            )
        answered_by = follow_up.get("answered_by")
        if not isinstance(answered_by, str):
            continue
        if follow_up.get("result") != "deviation":
            yield _Finding(
                (*path, "answered_by"),
                _(
                    'Only a result that is a deviation ("result": "deviation") can name the action '
                    "that answers it."
                ),
            )
        elif answered_by not in actions:
            yield _Finding(
                (*path, "answered_by"),
                _('The action "%(id)s" is not among the actions of the same risk.')
                % {"id": answered_by},
            )


def _check_follow_ups(
    owner: JsonObject, owner_path: JsonPath, context: _Context
) -> Iterator[_Finding]:
    for index, follow_up in _objects(owner.get("follow_ups")):
        path = (*owner_path, "follow_ups", index)
        yield from _check_date(follow_up, "date", path)
        yield from _check_date(follow_up, "occurrence", path)
        if owner_path[-2:-1] != ("control_activities",):
            # The messages are translated only when needed: most follow-ups have neither key.
            if "occurrence" in follow_up:
                yield _Finding(
                    (*path, "occurrence"),
                    _("Only a control activity's result is for an occurrence."),
                )
            if "answered_by" in follow_up:
                yield _Finding(
                    (*path, "answered_by"),
                    _("Only a deviation a control activity found can name an action."),
                )
        yield from _check_period_exists(follow_up.get("period"), (*path, "period"), context)
        yield from _check_history(follow_up, path)


def _check_history(owner: JsonObject, owner_path: JsonPath) -> Iterator[_Finding]:
    """Each version's moment must be a real date and time with its offset from UTC."""
    for index, entry in _objects(owner.get("history")):
        message = _moment_problem(entry.get("at"))
        if message:
            yield _Finding((*owner_path, "history", index, "at"), message)


def _moment(value: object) -> datetime.datetime | None:
    """A moment of the document (a date and time with its offset from UTC), else None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _moment_problem(value: object) -> str | None:
    if not isinstance(value, str) or _moment(value) is not None:
        return None
    return _(
        '"%(value)s" is not a date and time with its offset from UTC, '
        "such as 2025-03-04T10:15:00+01:00."
    ) % {"value": value}


# Audit reports


def _check_audit_reports(
    reports: list[tuple[int, JsonObject]], context: _Context
) -> Iterator[_Finding]:
    yield from _check_unique_ids(reports, ("audit_reports",))
    for index, report in reports:
        path: JsonPath = ("audit_reports", index)
        yield from _check_unit_exists(report, path, context)
        yield from _check_date(report, "date", path)
        yield from _check_history(report, path)
        recommendations = _objects(report.get("recommendations"))
        yield from _check_unique_ids(recommendations, (*path, "recommendations"))
        for recommendation_index, recommendation in recommendations:
            recommendation_path = (*path, "recommendations", recommendation_index)
            yield from _check_history(recommendation, recommendation_path)
            yield from _check_follow_ups(recommendation, recommendation_path, context)
