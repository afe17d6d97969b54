"""Search across what the user may see: Swedish full-text search on PostgreSQL, else a match.

On PostgreSQL each searched table has a stored, GIN-indexed `search_vector` column kept
current by triggers (search/migrations/0001); SQLite has none and matches the text instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, Exists, Expression, OuterRef, Prefetch, Q, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from internkontroll.access import ScopeShape, scope_for, scope_slots
from internkontroll.access.accounts import manageable_users
from internkontroll.accounts.models import RoleAssignment, User
from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.controls.models import ControlActivity
from internkontroll.lib.prepared import PreparedQuery, Slot
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Action, Risk

LIMIT = 50  # hits of each kind on a page
MAX_PAGE = 200
MAX_QUERY_LENGTH = 200
MIN_PREFIX = 3  # shorter words match whole words only: a prefix of one letter matches everything


@dataclass(frozen=True)
class Hit:
    title: str
    text: str
    committee: str
    year: int | None
    url: str | None


@dataclass(frozen=True)
class Group:
    kind: str
    label: str
    hits: list[Hit]
    page: int
    more: bool  # there is a next page


@dataclass(frozen=True)
class Kind:
    """One kind of item: where it is found, which fields are searched, how a hit looks."""

    name: str
    label: Any
    # A kind read through the user's scope gives how its rows are read (`related`, applied to
    # the scoped rows) and is searched by prepared queries; another gives its rows for a user.
    related: Callable[[QuerySet[Any]], QuerySet[Any]] | None
    # The first is the title and weighs the most. On PostgreSQL the stored vector holds the
    # same fields: change them in a migration that replaces the trigger functions too.
    fields: tuple[str, ...]
    hit: Callable[[Any], Hit]
    # Kinds without a stored vector match the text as written: reference numbers such as
    # "SN-2024/259" and names are found whole, which full-text search would split and stem.
    full_text: bool = True
    model: type[Any] | None = None
    for_user: Callable[[Any], QuerySet[Any]] | None = None

    def queryset(self, user: Any) -> QuerySet[Any]:
        """The rows of this kind the user may read, with what a hit shows of them."""
        if self.for_user is not None:
            return self.for_user(user)
        if self.model is None:
            raise TypeError(f"The kind {self.name} names no model.")
        return self.scoped(self.model.objects.for_user(user))

    def scoped(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        """The kind's rows as the scope leaves them, with what a hit shows of them."""
        if self.related is None:
            raise TypeError(f"The kind {self.name} is not read through a scope.")
        return self.related(rows)


def _recommendation_url(recommendation: Recommendation) -> str | None:
    try:
        url = reverse("audits:detail", args=[recommendation.report_id])
    except NoReverseMatch:
        return None
    return f"{url}#recommendation-{recommendation.pk}"


def _plan_hit(plan: ControlPlan) -> Hit:
    references = [plan.reference, *(version.reference for version in plan.versions.all())]
    return Hit(
        gettext("Internal control plan %(unit)s %(year)s")
        % {"unit": plan.unit.name, "year": plan.year},
        ", ".join(dict.fromkeys(reference for reference in references if reference)),
        plan.unit.name,
        plan.year,
        reverse("plans:detail", args=[plan.pk]),
    )


def _report_hit(report: AuditReport) -> Hit:
    return Hit(
        report.title,
        ", ".join(part for part in (report.external_id, report.auditor) if part),
        report.unit.name if report.unit else "",
        report.date.year if report.date else None,
        reverse("audits:detail", args=[report.pk]),
    )


def people_in_scope(user: Any) -> QuerySet[User]:
    """Active people with a role where the reader reads: on a unit the reader may read, or on
    the whole of an organisation the reader reads as a whole."""
    scope = scope_for(user)
    people = User.objects.filter(is_active=True)
    if not scope.everything:
        people = people.filter(
            Exists(
                RoleAssignment.objects.filter(user=OuterRef("pk")).filter(
                    Q(unit_id__in_ids=scope.readable_units)
                    | Q(unit__isnull=True, organisation_id__in=scope.organisation_wide_read)
                )
            )
        )
    return people.annotate(
        manageable=Exists(manageable_users(user).filter(pk=OuterRef("pk")))
    ).prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("unit"))
    )


def _person_hit(person: User) -> Hit:
    roles = [
        gettext("%(role)s, %(where)s")
        % {
            "role": assignment.get_role_display(),
            "where": assignment.unit.name if assignment.unit else gettext("whole organisation"),
        }
        for assignment in person.role_assignments.all()
    ]
    return Hit(
        person.get_full_name() or person.username,
        "; ".join(roles),
        "",
        None,
        reverse("accounts:user_edit", args=[person.pk]) if person.manageable else None,  # type: ignore[attr-defined]
    )


KINDS = (
    Kind(
        "risk",
        _("Risks"),
        lambda risks: risks.select_related("plan__unit"),
        (
            "title",
            "description",
            "consequence_description",
            "existing_controls",
            "planned_handling",
        ),
        lambda risk: Hit(
            risk.title,
            risk.description,
            risk.plan.unit.name,
            risk.plan.year,
            reverse("risks:detail", args=[risk.pk]),
        ),
        model=Risk,
    ),
    Kind(
        "action",
        _("Actions"),
        lambda actions: actions.select_related("risk__plan__unit"),
        ("title", "description", "responsible"),
        lambda action: Hit(
            action.title,
            action.description,
            action.risk.plan.unit.name,
            action.risk.plan.year,
            reverse("risks:detail", args=[action.risk_id]) + f"#action-{action.pk}",
        ),
        model=Action,
    ),
    Kind(
        "control_activity",
        _("Control activities"),
        lambda activities: activities.select_related("risk__plan__unit"),
        ("title", "description", "working_method", "systematic_control", "sample", "responsible"),
        lambda activity: Hit(
            activity.title,
            activity.description,
            activity.risk.plan.unit.name,
            activity.risk.plan.year,
            reverse("risks:detail", args=[activity.risk_id]) + f"#activity-{activity.pk}",
        ),
        model=ControlActivity,
    ),
    Kind(
        "recommendation",
        _("Audit recommendations"),
        lambda recommendations: recommendations.select_related("report__unit"),
        ("text", "response", "report__title"),
        lambda recommendation: Hit(
            recommendation.text,
            recommendation.report.title,
            recommendation.report.unit.name if recommendation.report.unit else "",
            recommendation.report.date.year if recommendation.report.date else None,
            _recommendation_url(recommendation),
        ),
        model=Recommendation,
    ),
    Kind(
        "plan",
        _("Plans and decisions"),
        lambda plans: plans.select_related("unit").prefetch_related("versions").distinct(),
        ("reference", "versions__reference"),
        _plan_hit,
        full_text=False,
        model=ControlPlan,
    ),
    Kind(
        "audit_report",
        _("Audit reports"),
        lambda reports: reports.select_related("unit"),
        ("title", "external_id", "auditor"),
        _report_hit,
        full_text=False,
        model=AuditReport,
    ),
    Kind(
        "person",
        _("People"),
        None,
        ("first_name", "last_name", "username"),
        _person_hit,
        full_text=False,
        for_user=people_in_scope,
    ),
)


class StoredVector(Expression):
    """The row's stored `search_vector` column, which only PostgreSQL has."""

    output_field = SearchVectorField()

    # A list, not the stubs' tuple: lookups add their sides' parameters as lists.
    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"{table}.search_vector", []


def prefix_query(text: str) -> str:
    """A `to_tsquery` text in which every word must be found, longer ones also as a beginning
    (type-ahead, and Swedish compounds: "delegation" finds "delegationsordning")."""
    words = re.findall(r"[^\W_]+", text)
    return " & ".join(f"{word}:*" if len(word) >= MIN_PREFIX else word for word in words)


def matching(
    queryset: QuerySet[Any], fields: tuple[str, ...], text: str, *, full_text: bool = True
) -> QuerySet[Any]:
    """Rows matching the text, best first: ranked Swedish full-text search on the stored vector
    on PostgreSQL, elsewhere (or without `full_text`) every word found, in any case, in one of
    the fields."""
    ranked = full_text and connections[queryset.db].vendor == "postgresql"
    values = _search_values(text)
    if not _searches(ranked, values):
        return queryset.none()
    return _matched(queryset, fields, ranked, len(values) - 1, values.__getitem__)


def _search_values(text: str) -> dict[str, str]:
    """What is looked for: the full-text query ("terms") and each word ("word0", …)."""
    words = text.split()
    return {"terms": prefix_query(text), **{f"word{n}": word for n, word in enumerate(words)}}


def _searches(ranked: bool, values: dict[str, str]) -> bool:
    return bool(values["terms"]) if ranked else len(values) > 1


def _matched(
    queryset: QuerySet[Any],
    fields: tuple[str, ...],
    ranked: bool,
    words: int,
    term: Callable[[str], Any],
) -> QuerySet[Any]:
    """`matching`'s query, the text's parts given by `term` (their values, or slots)."""
    if ranked:
        query = SearchQuery(term("terms"), config="swedish", search_type="raw")
        return (
            queryset.alias(document=StoredVector())
            .filter(document=query)
            .annotate(rank=SearchRank(StoredVector(), query))
            .order_by("-rank", "-pk")
        )
    each_word = [
        reduce(or_, (Q(**{f"{f}__icontains": term(f"word{n}")}) for f in fields))
        for n in range(words)
    ]
    return queryset.filter(reduce(and_, each_word)).order_by("-pk")


def _prepared_kind(kind: Kind) -> PreparedQuery[Any]:
    """The kind's search as a prepared query of (scope, ranked, number of words, page)."""
    model = kind.model
    if model is None:
        raise TypeError(f"The kind {kind.name} names no model.")

    def build(scope: ScopeShape, ranked: bool, words: int, page: int) -> QuerySet[Any]:
        rows = kind.scoped(model.objects.in_prepared_scope(scope))
        found = _matched(rows, kind.fields, ranked, words, lambda name: Slot(name, CharField()))
        start = (page - 1) * LIMIT
        return found[start : start + LIMIT + 1]

    return PreparedQuery(model, build)


PREPARED = {kind.name: _prepared_kind(kind) for kind in KINDS if kind.for_user is None}


def search(user: Any, text: str, kind: str | None = None, page: int = 1) -> list[Group]:
    """A page of hits of each kind (or of one kind), one query per kind whatever the number of
    hits."""
    text = text.strip()[:MAX_QUERY_LENGTH]
    if not text:
        return []
    page = min(max(page, 1), MAX_PAGE)
    start = (page - 1) * LIMIT
    values = _search_values(text)
    scope, scope_values = scope_slots(user)
    groups = []
    for each in KINDS:
        if kind not in (None, each.name):
            continue
        if each.name in PREPARED:
            query = PREPARED[each.name]
            ranked = each.full_text and connections[router.db_for_read(query.model)].vendor == (
                "postgresql"
            )
            found = (
                query.rows(scope, ranked, len(values) - 1, page, **values, **scope_values)
                if _searches(ranked, values)
                else []
            )
        else:
            matches = matching(each.queryset(user), each.fields, text, full_text=each.full_text)
            found = list(matches[start : start + LIMIT + 1])
        hits = [each.hit(o) for o in found[:LIMIT]]
        more = len(found) > LIMIT and page < MAX_PAGE
        groups.append(Group(each.name, str(each.label), hits, page, more))
    return groups
