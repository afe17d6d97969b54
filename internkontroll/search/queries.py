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
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Expression, Q, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from internkontroll.audits.models import Recommendation
from internkontroll.controls.models import ControlActivity
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
    queryset: Callable[[Any], QuerySet[Any]]
    # The first is the title and weighs the most. On PostgreSQL the stored vector holds the
    # same fields: change them in a migration that replaces the trigger functions too.
    fields: tuple[str, ...]
    hit: Callable[[Any], Hit]


def _recommendation_url(recommendation: Recommendation) -> str | None:
    try:
        url = reverse("audits:detail", args=[recommendation.report_id])
    except NoReverseMatch:
        return None
    return f"{url}#recommendation-{recommendation.pk}"


KINDS = (
    Kind(
        "risk",
        _("Risks"),
        lambda user: Risk.objects.for_user(user).select_related("plan__unit"),
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
    ),
    Kind(
        "action",
        _("Actions"),
        lambda user: Action.objects.for_user(user).select_related("risk__plan__unit"),
        ("title", "description", "responsible"),
        lambda action: Hit(
            action.title,
            action.description,
            action.risk.plan.unit.name,
            action.risk.plan.year,
            reverse("risks:detail", args=[action.risk_id]) + f"#action-{action.pk}",
        ),
    ),
    Kind(
        "control_activity",
        _("Control activities"),
        lambda user: ControlActivity.objects.for_user(user).select_related("risk__plan__unit"),
        ("title", "description", "working_method", "systematic_control", "sample", "responsible"),
        lambda activity: Hit(
            activity.title,
            activity.description,
            activity.risk.plan.unit.name,
            activity.risk.plan.year,
            reverse("risks:detail", args=[activity.risk_id]) + f"#activity-{activity.pk}",
        ),
    ),
    Kind(
        "recommendation",
        _("Audit recommendations"),
        lambda user: Recommendation.objects.for_user(user).select_related("report__unit"),
        ("text", "response", "report__title"),
        lambda recommendation: Hit(
            recommendation.text,
            recommendation.report.title,
            recommendation.report.unit.name if recommendation.report.unit else "",
            recommendation.report.date.year if recommendation.report.date else None,
            _recommendation_url(recommendation),
        ),
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


def matching(queryset: QuerySet[Any], fields: tuple[str, ...], text: str) -> QuerySet[Any]:
    """Rows matching the text, best first: ranked Swedish full-text search on the stored vector
    on PostgreSQL, elsewhere every word found, in any case, in one of the fields."""
    if connections[queryset.db].vendor == "postgresql":
        terms = prefix_query(text)
        if not terms:
            return queryset.none()
        query = SearchQuery(terms, config="swedish", search_type="raw")
        return (
            queryset.alias(document=StoredVector())
            .filter(document=query)
            .annotate(rank=SearchRank(StoredVector(), query))
            .order_by("-rank", "-pk")
        )
    words = text.split()
    if not words:
        return queryset.none()
    each_word = [reduce(or_, (Q(**{f"{f}__icontains": word}) for f in fields)) for word in words]
    return queryset.filter(reduce(and_, each_word)).order_by("-pk")


def search(user: Any, text: str, kind: str | None = None, page: int = 1) -> list[Group]:
    """A page of hits of each kind (or of one kind), one query per kind whatever the number of
    hits."""
    text = text.strip()[:MAX_QUERY_LENGTH]
    if not text:
        return []
    page = min(max(page, 1), MAX_PAGE)
    start = (page - 1) * LIMIT
    groups = []
    for each in KINDS:
        if kind not in (None, each.name):
            continue
        found = list(matching(each.queryset(user), each.fields, text)[start : start + LIMIT + 1])
        hits = [each.hit(o) for o in found[:LIMIT]]
        more = len(found) > LIMIT and page < MAX_PAGE
        groups.append(Group(each.name, str(each.label), hits, page, more))
    return groups
