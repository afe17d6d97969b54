"""Search across what the user may see: Swedish full-text search on PostgreSQL, else a match."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Q, QuerySet
from django.db.models.expressions import CombinedExpression
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from internkontroll.audits.models import Recommendation
from internkontroll.controls.models import ControlActivity
from internkontroll.risks.models import Action, Risk

LIMIT = 50
MAX_QUERY_LENGTH = 200


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
    more: bool  # there were more than LIMIT hits


@dataclass(frozen=True)
class Kind:
    """One kind of item: where it is found, which fields are searched, how a hit looks."""

    name: str
    label: Any
    queryset: Callable[[Any], QuerySet[Any]]
    fields: tuple[str, ...]  # the first is the title and weighs the most
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


def matching(queryset: QuerySet[Any], fields: tuple[str, ...], text: str) -> QuerySet[Any]:
    """Rows matching the text, best first: ranked Swedish full-text search on PostgreSQL,
    elsewhere every word found, in any case, in one of the fields."""
    if connections[queryset.db].vendor == "postgresql":
        title, *rest = fields
        vector: SearchVector | CombinedExpression = SearchVector(
            title, config="swedish", weight="A"
        )
        if rest:
            vector = vector + SearchVector(*rest, config="swedish", weight="B")
        query = SearchQuery(text, config="swedish", search_type="websearch")
        return (
            queryset.annotate(document=vector, rank=SearchRank(vector, query))
            .filter(document=query)
            .order_by("-rank", "-pk")
        )
    words = text.split()
    if not words:
        return queryset.none()
    each_word = [reduce(or_, (Q(**{f"{f}__icontains": word}) for f in fields)) for word in words]
    return queryset.filter(reduce(and_, each_word)).order_by("-pk")


def search(user: Any, text: str) -> list[Group]:
    """Up to LIMIT hits of each kind, one query per kind whatever the number of hits."""
    text = text.strip()[:MAX_QUERY_LENGTH]
    if not text:
        return []
    groups = []
    for kind in KINDS:
        found = list(matching(kind.queryset(user), kind.fields, text)[: LIMIT + 1])
        groups.append(
            Group(
                kind.name, str(kind.label), [kind.hit(o) for o in found[:LIMIT]], len(found) > LIMIT
            )
        )
    return groups
