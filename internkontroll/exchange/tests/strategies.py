"""Hypothesis strategies for valid exchange documents, already in the exporter's canonical form.

Canonical form (exporter.py): lists in stored order; optional keys left out when they are empty
(None, "" or []); a unit always has `parent` (null at the top); the organisation always has its
`risk_matrix` and `periods`; actions and recommendations always have a `status`; a plan has a
`risk_matrix` only when it differs from the organisation's. Keys are written in the exporter's
order so that a failing example reads like an export.

Texts are drawn from an alphabet without NUL (PostgreSQL cannot store it) and without surrogates
(not UTF-8), weighted towards Swedish letters and whitespace, including newlines. Nothing is
stripped: whatever is generated must come back byte for byte. Each bounded text sometimes has
exactly the model field's max_length.
"""

from __future__ import annotations

import calendar
import copy as copy_module
import datetime
import unicodedata
from collections.abc import Callable
from itertools import accumulate
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from internkontroll.access import descendants
from internkontroll.organisation.defaults import MAX_SCALE, MIN_SCALE
from internkontroll.organisation.models import PLAN_OWNER_KINDS, Unit

Document = dict[str, Any]

# Model field limits (the schema's maxLength mirrors them).
ID_MAX = 100
TITLE_MAX = 500
NAME_MAX = 200  # organisation and unit names
AREA_MAX = 300  # risk area and process names
REFERENCE_MAX = 100
SAMPLE_MAX = 500
RESPONSIBLE_MAX = 200  # also an audit report's auditor
PERIOD_CODE_MAX = 20
PERIOD_NAME_MAX = 100

UNIT_KINDS = tuple(Unit.Kind.values)
PLAN_UNIT_KINDS = tuple(str(kind) for kind in PLAN_OWNER_KINDS)
HANDLING = ("accept", "mitigate", "review", "improve")
STATUSES = ("not_started", "in_progress", "done", "cancelled")
METHODS = (
    "sample",
    "interview",
    "survey",
    "register_check",
    "log_check",
    "document_review",
    "case_review",
    "other",
)
FREQUENCIES = ("once", "monthly", "quarterly", "per_period", "yearly", "continuous")
RESULTS = ("no_remarks", "deviation", "not_done")
VERDICTS = ("sufficient", "partly_sufficient", "insufficient")

_SWEDISH = "åäöÅÄÖéÉü\u030a\u0308"  # with combining ring and diaeresis (NFD å, ä)
_WHITESPACE = " \n\r\t\u00a0"
_ANY_CHARACTER = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
CHARACTERS = st.one_of(
    st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.,"),
    st.sampled_from(_SWEDISH),
    st.sampled_from(_WHITESPACE),
    _ANY_CHARACTER,
)
_ID_CHARACTERS = st.sampled_from(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./åäöÅÄÖ"
)


# Texts ----------------------------------------------------------------------------------


def _at_length(characters: st.SearchStrategy[str], length: int) -> st.SearchStrategy[str]:
    """A text of exactly `length` characters, cheap in entropy: a short head, then one repeated."""
    return st.builds(
        lambda head, filler: (head + filler * length)[:length],
        st.text(characters, max_size=8),
        characters,
    )


def texts(
    max_length: int | None = None,
    *,
    min_size: int = 0,
    characters: st.SearchStrategy[str] = CHARACTERS,
) -> st.SearchStrategy[str]:
    """Free text, usually short; sometimes at the field's limit (or long, when unlimited)."""
    short = st.text(characters, min_size=min_size, max_size=min(max_length or 30, 30))
    at_limit = _at_length(characters, max_length or 3000)
    return st.one_of(short, short, short, short, short, short, short, at_limit)


def non_blank(max_length: int | None = None) -> st.SearchStrategy[str]:
    """Text with at least one character that is not whitespace (names, labels, codes)."""
    return texts(max_length, min_size=1).filter(lambda text: text.strip() != "")


def ids(max_length: int = ID_MAX) -> st.SearchStrategy[str]:
    """A short identifier, sometimes one of the longest allowed."""
    short = st.text(_ID_CHARACTERS, min_size=1, max_size=4)
    return st.one_of(
        short, short, short, short, short, short, _at_length(_ID_CHARACTERS, max_length)
    )


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# Ways to make a value that differs from another only a little: a different value all the same.
ID_VARIANTS: tuple[Callable[[str], str], ...] = (
    str.upper,
    str.lower,
    str.swapcase,
    _nfd,
    _nfc,
    lambda text: text + "-",
)
NAME_VARIANTS = (
    *ID_VARIANTS,
    lambda text: text + " ",
    lambda text: " " + text,
    lambda text: text + "\n",
    lambda text: text + "\u00a0",
)


@st.composite
def distinct(
    draw: st.DrawFn,
    element: st.SearchStrategy[str],
    *,
    max_size: int,
    min_size: int = 0,
    max_length: int = ID_MAX,
    variants: tuple[Callable[[str], str], ...] = ID_VARIANTS,
    key: Callable[[str], str] = lambda text: text,
) -> list[str]:
    """Distinct values (by `key`), often near-duplicates of each other: "a", "A", "a ", NFD "å"."""
    target = draw(st.integers(min_size, max_size))
    result: list[str] = []
    keys: set[str] = set()
    for _attempt in range(4 * target + 8):
        if len(result) == target:
            break
        if result and draw(st.integers(0, 2)) == 0:
            candidate = draw(st.sampled_from(variants))(draw(st.sampled_from(result)))
        else:
            candidate = draw(element)
        if len(candidate) > max_length or key(candidate) in keys or not candidate.strip():
            continue
        result.append(candidate)
        keys.add(key(candidate))
    assume(len(result) >= min_size)
    return result


def optional(
    draw: st.DrawFn, document: Document, key: str, strategy: st.SearchStrategy[Any]
) -> None:
    """Sometimes set key; never to an empty value, which canonical form leaves out."""
    if draw(st.booleans()):
        value = draw(strategy)
        if value not in (None, "", []):
            document[key] = value


def dates(
    first: datetime.date = datetime.date.min, last: datetime.date = datetime.date.max
) -> st.SearchStrategy[str]:
    return st.dates(first, last).map(datetime.date.isoformat)


# Plans are of past years and recorded dates lie before this day, which has passed: the model
# refuses a follow-up, decision or report dated in the future.
LAST_YEAR = 2020
LAST_RECORDED = datetime.date(2025, 12, 31)


def years_from(first: int, last: int) -> st.SearchStrategy[str]:
    return dates(datetime.date(first, 1, 1), datetime.date(last, 12, 31))


@st.composite
def month_days(draw: st.DrawFn) -> str:
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, calendar.monthrange(2000, month)[1]))  # 2000: 02-29 is allowed
    return f"{month:02d}-{day:02d}"


colors = st.builds(
    lambda digits: "#" + "".join(digits),
    st.lists(st.sampled_from("0123456789abcdefABCDEF"), min_size=6, max_size=6),
)


# Organisation ---------------------------------------------------------------------------


@st.composite
def risk_matrices(draw: st.DrawFn) -> Document:
    """Scales of 3–6 steps (not necessarily square), 1–5 levels, sometimes a cell map."""
    rows = draw(st.integers(MIN_SCALE, MAX_SCALE))
    columns = draw(st.integers(MIN_SCALE, MAX_SCALE))
    label = non_blank(40)
    # Labels must differ once stripped; level names must differ exactly.
    probability = draw(
        distinct(label, min_size=rows, max_size=rows, variants=NAME_VARIANTS, key=str.strip)
    )
    consequence = draw(
        distinct(label, min_size=columns, max_size=columns, variants=NAME_VARIANTS, key=str.strip)
    )
    count = draw(st.integers(1, 5))
    names = draw(distinct(non_blank(40), min_size=count, max_size=count, variants=NAME_VARIANTS))
    steps = draw(st.lists(st.integers(1, 10), min_size=count - 1, max_size=count - 1))
    scores = list(accumulate([1, *steps]))
    matrix: Document = {
        "probability": probability,
        "consequence": consequence,
        "levels": [
            {"name": name, "min_score": score, "color": draw(colors)}
            for name, score in zip(names, scores, strict=True)
        ],
    }
    if draw(st.booleans()):
        level_name = st.sampled_from(names)
        matrix["cells"] = draw(
            st.lists(
                st.lists(level_name, min_size=columns, max_size=columns),
                min_size=rows,
                max_size=rows,
            )
        )
    return matrix


@st.composite
def tweaked(draw: st.DrawFn, matrix: Document) -> Document:
    """A copy of matrix that differs from it a little (or, rarely, not at all)."""
    copy = copy_module.deepcopy(matrix)
    change = draw(st.sampled_from(("colour", "cells", "label", "min_score", "nothing")))
    levels = copy["levels"]
    if change == "colour":
        level = draw(st.sampled_from(levels))
        level["color"] = (
            level["color"].swapcase() if level["color"] != level["color"].swapcase() else "#abcdef"
        )
    elif change == "cells":
        if "cells" in copy:
            del copy["cells"]
        else:
            names = [level["name"] for level in levels]
            copy["cells"] = [
                [draw(st.sampled_from(names)) for _ in copy["consequence"]]
                for _ in copy["probability"]
            ]
    elif change == "label":
        copy["probability"][draw(st.integers(0, len(copy["probability"]) - 1))] += " "
    elif change == "min_score" and len(levels) > 1:  # the first level starts at 1 always
        levels[-1]["min_score"] += 1
    return copy


@st.composite
def periods(draw: st.DrawFn) -> list[Document]:
    codes = draw(distinct(ids(PERIOD_CODE_MAX), min_size=1, max_size=4, max_length=PERIOD_CODE_MAX))
    return [
        {"code": code, "name": draw(non_blank(PERIOD_NAME_MAX)), "ends": draw(month_days())}
        for code in codes
    ]


@st.composite
def units(draw: st.DrawFn, parents_first: bool = True) -> list[Document]:
    """1–8 units forming a tree (no cycle), at least one of them a committee.

    Each parent is an earlier unit in the list, as in canonical form (the exporter writes
    parents first). With parents_first=False the list is then shuffled, so a unit may come
    before its parent: valid, but not canonical (its export puts the parents first).
    """
    unit_ids = draw(distinct(ids(), min_size=1, max_size=8))
    committee = draw(st.integers(0, len(unit_ids) - 1))
    result = []
    for index, unit_id in enumerate(unit_ids):
        kind = "committee" if index == committee else draw(st.sampled_from(UNIT_KINDS))
        parent = None
        if index and draw(st.booleans()):
            parent = draw(st.sampled_from(unit_ids[:index]))
        result.append(
            {"id": unit_id, "name": draw(non_blank(NAME_MAX)), "kind": kind, "parent": parent}
        )
    return result if parents_first else draw(st.permutations(result))


# Follow-ups and what they follow up -----------------------------------------------------


@st.composite
def follow_ups(
    draw: st.DrawFn, period_codes: list[str], fields: tuple[str, ...], earliest: datetime.date
) -> list[Document]:
    """0–2 follow-ups; `fields` are those that belong to the subject (docs/exchange-format.md)."""
    items = []
    for _ in range(draw(st.integers(0, 2))):
        item: Document = {}
        optional(draw, item, "period", st.sampled_from(period_codes))
        item["date"] = draw(dates(earliest, LAST_RECORDED))
        if "status" in fields:
            optional(draw, item, "status", st.sampled_from(STATUSES))
        if "on_track" in fields:
            optional(draw, item, "on_track", st.booleans())
        if "result" in fields:
            optional(draw, item, "result", st.sampled_from(RESULTS))
        optional(draw, item, "comment", texts())
        items.append(item)
    if items and draw(st.integers(0, 4)) == 0:
        items.append(dict(items[-1]))  # the same period and date twice: matched in order
    return items


@st.composite
def actions(draw: st.DrawFn, period_codes: list[str], year: int) -> list[Document]:
    result = []
    for action_id in draw(distinct(ids(), max_size=2)):
        action: Document = {"id": action_id, "title": draw(non_blank(TITLE_MAX))}
        optional(draw, action, "description", texts())
        optional(draw, action, "responsible", texts(RESPONSIBLE_MAX))
        optional(draw, action, "due_date", years_from(year - 1, year + 5))
        action["status"] = draw(st.sampled_from(STATUSES))
        items = draw(follow_ups(period_codes, ("status", "on_track"), _from_year_before(year)))
        if items:
            action["follow_ups"] = items
        result.append(action)
    return result


@st.composite
def control_activities(draw: st.DrawFn, period_codes: list[str], year: int) -> list[Document]:
    result = []
    for activity_id in draw(distinct(ids(), max_size=2)):
        activity: Document = {"id": activity_id, "title": draw(non_blank(TITLE_MAX))}
        optional(draw, activity, "working_method", texts())
        optional(draw, activity, "systematic_control", texts())
        optional(draw, activity, "description", texts())
        optional(draw, activity, "method", st.sampled_from(METHODS))
        optional(draw, activity, "sample", texts(SAMPLE_MAX))
        optional(draw, activity, "responsible", texts(RESPONSIBLE_MAX))
        optional(draw, activity, "frequency", st.sampled_from(FREQUENCIES))
        # A subset of the organisation's periods, written in the organisation's order.
        chosen = draw(st.sets(st.sampled_from(period_codes)))
        optional(draw, activity, "periods", st.just([c for c in period_codes if c in chosen]))
        optional(draw, activity, "due_date", years_from(year - 1, year + 5))
        items = draw(follow_ups(period_codes, ("result",), _from_year_before(year)))
        if items:
            activity["follow_ups"] = items
        result.append(activity)
    return result


@st.composite
def risks(
    draw: st.DrawFn,
    matrix: Document,
    unit_ids: list[str],
    goal_ids: list[str],
    area_names: list[str],
    process_names: list[str],
    period_codes: list[str],
    year: int,
) -> list[Document]:
    rows, columns = len(matrix["probability"]), len(matrix["consequence"])
    result = []
    for risk_id in draw(distinct(ids(), max_size=3)):
        risk: Document = {"id": risk_id, "title": draw(non_blank(TITLE_MAX))}
        optional(draw, risk, "unit", st.sampled_from(unit_ids))
        if area_names:
            optional(draw, risk, "area", st.sampled_from(area_names))
        if process_names:
            optional(draw, risk, "process", st.sampled_from(process_names))
        if goal_ids:
            optional(draw, risk, "goal", st.sampled_from(goal_ids))
        optional(draw, risk, "description", texts())
        optional(draw, risk, "consequence_description", texts())
        optional(draw, risk, "existing_controls", texts())
        if draw(st.booleans()):
            risk["probability"] = draw(st.integers(1, rows))
            risk["consequence"] = draw(st.integers(1, columns))
        if draw(st.booleans()):
            risk["target_probability"] = draw(st.integers(1, rows))
            risk["target_consequence"] = draw(st.integers(1, columns))
        optional(draw, risk, "handling", st.lists(st.sampled_from(HANDLING), unique=True))
        optional(draw, risk, "planned_handling", texts())
        for key, strategy in (
            ("actions", actions(period_codes, year)),
            ("control_activities", control_activities(period_codes, year)),
            ("follow_ups", follow_ups(period_codes, ("on_track",), _from_year_before(year))),
        ):
            items = draw(strategy)
            if items:
                risk[key] = items
        result.append(risk)
    return result


# Plans and audits -----------------------------------------------------------------------


def _from_year_before(year: int) -> datetime.date:
    return datetime.date(year - 1, 1, 1)


def _subtree(unit_list: list[Document], root: str) -> list[str]:
    children: dict[Any, list[Any]] = {}
    for unit in unit_list:
        children.setdefault(unit["parent"], []).append(unit["id"])
    return sorted(descendants(children, root))  # type: ignore[arg-type]


@st.composite
def plans(
    draw: st.DrawFn,
    organisation_matrix: Document,
    unit_list: list[Document],
    goal_ids: list[str],
    area_names: list[str],
    process_names: list[str],
    period_codes: list[str],
) -> list[Document]:
    owners = [unit["id"] for unit in unit_list if unit["kind"] in PLAN_UNIT_KINDS]
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(owners), st.integers(1901, LAST_YEAR)),
            max_size=3,
            unique=True,
        )
    )
    result = []
    for unit_id, year in keys:
        # A risk is identified by the committee or a unit below it.
        unit_ids = _subtree(unit_list, unit_id)
        plan: Document = {"unit": unit_id, "year": year}
        optional(draw, plan, "adopted_on", years_from(year - 1, year))
        optional(draw, plan, "reference", texts(REFERENCE_MAX))
        matrix = organisation_matrix
        choice = draw(st.integers(0, 5))
        if choice <= 1:
            own = draw(risk_matrices()) if choice == 0 else draw(tweaked(organisation_matrix))
            if own != organisation_matrix:  # canonical form: only a matrix that differs
                plan["risk_matrix"] = matrix = own
        risk_list = draw(
            risks(matrix, unit_ids, goal_ids, area_names, process_names, period_codes, year)
        )
        if risk_list:
            plan["risks"] = risk_list
        if draw(st.booleans()):
            assessment: Document = {}  # an assessment with nothing decided yet is kept as {}
            optional(draw, assessment, "verdict", st.sampled_from(VERDICTS))
            optional(
                draw, assessment, "decided_on", dates(datetime.date(year, 1, 1), LAST_RECORDED)
            )
            optional(draw, assessment, "analysis", texts())
            plan["assessment"] = assessment
        result.append(plan)
    return result


@st.composite
def audit_reports(draw: st.DrawFn, unit_ids: list[str], period_codes: list[str]) -> list[Document]:
    result = []
    for report_id in draw(distinct(ids(), max_size=2)):
        report: Document = {"id": report_id}
        optional(draw, report, "unit", st.sampled_from(unit_ids))
        report["title"] = draw(non_blank(TITLE_MAX))
        optional(draw, report, "auditor", texts(RESPONSIBLE_MAX))
        optional(draw, report, "date", dates(last=LAST_RECORDED))
        # A recommendation is followed up after its report.
        earliest = datetime.date.fromisoformat(report.get("date", "0001-01-01"))
        recommendations = []
        for recommendation_id in draw(distinct(ids(), max_size=2)):
            recommendation: Document = {"id": recommendation_id, "text": draw(non_blank())}
            optional(draw, recommendation, "response", texts())
            recommendation["status"] = draw(st.sampled_from(STATUSES))
            items = draw(follow_ups(period_codes, ("status",), earliest))
            if items:
                recommendation["follow_ups"] = items
            recommendations.append(recommendation)
        if recommendations:
            report["recommendations"] = recommendations
        result.append(report)
    return result


# The whole document ---------------------------------------------------------------------


@st.composite
def documents(draw: st.DrawFn, parents_first: bool = True) -> Document:
    """A valid exchange document in canonical form, covering every part of the format.

    parents_first=False lets a unit come before its parent in `units`, which makes the
    document valid but not canonical (see `units`).
    """
    organisation_matrix = draw(risk_matrices())
    period_list = draw(periods())
    period_codes = [period["code"] for period in period_list]
    unit_list = draw(units(parents_first))
    unit_ids = [unit["id"] for unit in unit_list]

    goals = []
    for goal_id in draw(distinct(ids(), max_size=3)):
        goal: Document = {"id": goal_id}
        optional(draw, goal, "unit", st.sampled_from(unit_ids))
        optional(draw, goal, "year", st.integers(1900, 2200))
        optional(draw, goal, "title", texts(TITLE_MAX))
        goals.append(goal)
    goal_ids = [goal["id"] for goal in goals]

    # A small pool of names per document: the same name is the same area (or process).
    area_names = draw(
        distinct(non_blank(AREA_MAX), max_size=3, max_length=AREA_MAX, variants=NAME_VARIANTS)
    )
    process_names = draw(
        distinct(non_blank(AREA_MAX), max_size=3, max_length=AREA_MAX, variants=NAME_VARIANTS)
    )

    document: Document = {
        "format": "internkontroll/1",
        "organisation": {
            "name": draw(non_blank(NAME_MAX)),
            "risk_matrix": organisation_matrix,
            "periods": period_list,
        },
        "units": unit_list,
    }
    if goals:
        document["goals"] = goals
    plan_list = draw(
        plans(organisation_matrix, unit_list, goal_ids, area_names, process_names, period_codes)
    )
    if plan_list:
        document["plans"] = plan_list
    report_list = draw(audit_reports(unit_ids, period_codes))
    if report_list:
        document["audit_reports"] = report_list
    return document
