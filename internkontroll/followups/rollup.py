"""A control activity's result for a period, rolled up from the results of its occurrences.

Each occurrence's result is its latest follow-up; a follow-up for the period that names no
occurrence (made before occurrences existed, or for one the frequency no longer has) stands for
every occurrence of the period without its own. The period's result is:

- *deviation* if any of those results is a deviation;
- else *not done* if any is "not done" or an occurrence due by the cut-off has no result;
- else *no remarks* (or no result, when the follow-ups named none);
- nothing at all (not reported) when the period has no follow-up.

The year's result combines its periods' the same way; a period that ended by the cut-off
without any follow-up makes it *not done*, once anything at all is reported.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from internkontroll.controls.occurrences import Occurrence
from internkontroll.followups.models import FollowUp, Result


@dataclass(frozen=True)
class OccurrenceResult:
    occurrence: Occurrence
    follow_up: FollowUp | None  # its own latest follow-up, else the period's general one


@dataclass(frozen=True)
class RolledUp:
    result: str  # a Result code, or "" when the follow-ups named none
    follow_ups: list[FollowUp]  # the ones it rests on, oldest first
    occurrences: list[OccurrenceResult]
    missing: list[Occurrence]  # due by the cut-off without a result


def _verdict(codes: set[str], missing: bool) -> str:
    if Result.DEVIATION in codes:
        return Result.DEVIATION
    if Result.NOT_DONE in codes or missing:
        return Result.NOT_DONE
    return Result.NO_REMARKS if Result.NO_REMARKS in codes else ""


def roll_up(
    occurrences: list[Occurrence], follow_ups: list[FollowUp], on: datetime.date
) -> RolledUp | None:
    """The result of a period's `occurrences` from its `follow_ups` (oldest first), as of `on`."""
    if not follow_ups:
        return None
    dues = {occurrence.due for occurrence in occurrences}
    own: dict[datetime.date, FollowUp] = {}
    general: FollowUp | None = None
    for follow_up in follow_ups:
        if follow_up.occurrence in dues:
            own[follow_up.occurrence] = follow_up
        else:
            general = follow_up
    results = [OccurrenceResult(o, own.get(o.due, general)) for o in occurrences]
    resting = sorted(
        [*own.values(), *([general] if general else [])], key=lambda f: (f.date, f.pk or 0)
    )
    missing = [r.occurrence for r in results if r.follow_up is None and r.occurrence.due <= on]
    return RolledUp(_verdict({f.result for f in resting}, bool(missing)), resting, results, missing)


def combine(
    periods: list[tuple[datetime.date, RolledUp | None]], on: datetime.date
) -> RolledUp | None:
    """The year's result from its due periods' (each with the day it ends), as of `on`."""
    reported = [rolled for _end, rolled in periods if rolled is not None]
    if not reported:
        return None
    unreported = any(rolled is None and end <= on for end, rolled in periods)
    missing = [occurrence for rolled in reported for occurrence in rolled.missing]
    return RolledUp(
        _verdict({rolled.result for rolled in reported}, unreported or bool(missing)),
        sorted(
            (f for rolled in reported for f in rolled.follow_ups),
            key=lambda f: (f.date, f.pk or 0),
        ),
        [result for rolled in reported for result in rolled.occurrences],
        missing,
    )
