"""Who recorded each follow-up, read from its history in one query for a whole list."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from internkontroll.followups.models import FollowUp

register = template.Library()


@register.filter
def with_recorders(follow_ups: Iterable[FollowUp]) -> list[FollowUp]:
    """The follow-ups, each with `recorded_by`: the person who appended it (None if unknown)."""
    rows = list(follow_ups)
    created = FollowUp.history.filter(
        id__in=[row.pk for row in rows], history_type="+"
    ).select_related("history_user")
    recorders = {record.id: record.history_user for record in created}
    for row in rows:
        row.recorded_by = recorders.get(row.pk)  # type: ignore[attr-defined]
    return rows
