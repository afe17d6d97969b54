"""Who recorded each follow-up, read from its history in one query for a whole list."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.db.models import QuerySet

from internkontroll.followups.models import FollowUp
from internkontroll.lib.prepared import IdsSlot, prepared

register = template.Library()
# Looked up once: simple_history's `FollowUp.history` builds a new manager class on each use.
FOLLOW_UP_HISTORY = FollowUp.history.model


@register.filter
def with_recorders(follow_ups: Iterable[FollowUp]) -> list[FollowUp]:
    """The follow-ups, each with `recorded_by`: the person who appended it (None if unknown)."""
    rows = list(follow_ups)
    if not rows:
        return rows
    created = _created.rows(ids=[row.pk for row in rows])
    recorders = {record.id: record.history_user for record in created}
    for row in rows:
        row.recorded_by = recorders.get(row.pk)  # type: ignore[attr-defined]
    return rows


@prepared(FOLLOW_UP_HISTORY)
def _created() -> QuerySet[Any]:
    """The history records that created the follow-ups of the `ids`, with their authors."""
    return FOLLOW_UP_HISTORY.objects.filter(
        id__in_ids=IdsSlot("ids"), history_type="+"
    ).select_related("history_user")
