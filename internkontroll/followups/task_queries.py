"""The queries of "My tasks", prepared (internkontroll.lib.prepared): the page is read by
every responsible person, often, and building its queries was a third of its CPU."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, QuerySet

from internkontroll.access import ScopeShape
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.lib.prepared import IdsSlot, PreparedQuery, Slot, prepared
from internkontroll.risks.models import OPEN_PROGRESS, Action

ID = models.BigIntegerField()
YEAR = models.IntegerField()


@prepared(Action)
def open_actions(scope: ScopeShape) -> QuerySet[Any]:
    """The open actions assigned to `user` of plans still open: id, end date, plan's year."""
    return (
        Action.objects.in_prepared_scope(scope)
        .filter(
            assignee_id=Slot("user", ID),
            status__in=OPEN_PROGRESS,
            risk__plan__closed_at__isnull=True,
        )
        .order_by(F("due_date").asc(nulls_last=True), "id")
        .values_list("pk", "due_date", "risk__plan__year")
    )


@prepared(FollowUp)
def actions_reported() -> QuerySet[Any]:
    """Which of the `actions` have a follow-up for the `period`."""
    return (
        FollowUp.objects.filter(action_id__in_ids=IdsSlot("actions"), period_id=Slot("period", ID))
        .values_list("action_id", flat=True)
        .distinct()
    )


@prepared(ControlActivity)
def open_activities(scope: ScopeShape) -> QuerySet[Any]:
    """The control activities assigned to `user` of open plans from `from_year` on."""
    return (
        ControlActivity.objects.in_prepared_scope(scope)
        .filter(
            assignee_id=Slot("user", ID),
            risk__plan__year__gte=Slot("from_year", YEAR),
            risk__plan__closed_at__isnull=True,
        )
        .order_by("risk__plan__year", "id")
        .values_list(
            "pk", "risk__plan__year", "risk__plan__unit__organisation_id", "frequency", "due_date"
        )
    )


@prepared(ControlActivity.periods.through)
def named_periods() -> QuerySet[Any]:
    """The periods named on the `activities`: (activity id, period id)."""
    return ControlActivity.periods.through.objects.filter(
        controlactivity_id__in_ids=IdsSlot("activities")
    ).values_list("controlactivity_id", "period_id")


@prepared(FollowUp)
def activities_reported() -> QuerySet[Any]:
    """The (activity, period) pairs of the `activities` with a follow-up."""
    return (
        FollowUp.objects.filter(
            control_activity_id__in_ids=IdsSlot("activities"), period__isnull=False
        )
        .order_by()
        .values_list("control_activity_id", "period_id")
        .distinct()
    )


def _items(model: type[Any], kind: str) -> PreparedQuery[Any]:
    def build(scope: ScopeShape) -> QuerySet[Any]:
        return (
            model.objects.in_prepared_scope(scope)
            .filter(pk__in_ids=IdsSlot("ids"))
            .select_related("risk__plan__unit")
            .annotate(latest_id=FollowUp.objects.latest_id(kind))
            .order_by()  # looked up by key
        )

    return PreparedQuery(model, build)


# A page's items of each kind, with the id of each one's latest follow-up.
ITEMS = {
    "action": _items(Action, "action"),
    "control_activity": _items(ControlActivity, "control_activity"),
}


@prepared(FollowUp)
def follow_ups_with_period() -> QuerySet[FollowUp]:
    """The follow-ups of the `ids`, with their periods."""
    return FollowUp.objects.filter(pk__in_ids=IdsSlot("ids")).select_related("period")
