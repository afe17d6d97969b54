"""The text each report opens with ("Inledning"): the committee's own, or a default.

A plan's reports take their introduction from the plan; the organisation-wide overview takes
it from the organisation. Texts are plain text, paragraphs separated by a blank line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from internkontroll.access import scope_for
from internkontroll.lib.versioning import Version, lock_current, save_versioned
from internkontroll.plans.models import ControlPlan
from internkontroll.reports.models import ReportIntroduction, ReportKind


def _duty() -> str:
    """The duty every committee's documents rest on."""
    return _(
        "According to the Local Government Act (2017:725), chapter 6, section 6, the committee "
        "shall ensure that its internal control is sufficient and that its activities are "
        "otherwise conducted in a satisfactory manner."
    )


DEFAULTS: dict[str, Callable[[], list[str]]] = {
    "risk-picture": lambda: [
        _duty(),
        _(
            "The risk picture shows the risks the administration has identified and assessed "
            "for the year in its analysis of materiality and risk. Each risk is assessed by "
            "its probability and its consequence, which together place it in the risk matrix. "
            "For each risk the committee decides how it is handled: accepted, handled through "
            "actions, reviewed in the internal control plan or taken care of in the systematic "
            "improvement work."
        ),
    ],
    "control-plan": lambda: [
        _duty(),
        _(
            "The internal control plan is the committee's decision on how the internal control "
            "is to be followed up during the year. It builds on the committee's risk analysis "
            "and names the risks to be reviewed, and for each of them the control activities: "
            "what is checked, how and by whom, how often, and when the result is reported to "
            "the committee."
        ),
    ],
    "follow-up": lambda: [
        _duty(),
        _(
            "The committee therefore follows up its internal control plan and risk picture "
            "during the year. The follow-up shows the state at the end of the period: how the "
            "actions are progressing, what the control activities have shown, which deviations "
            "were found and what is done about them, and how the auditors' recommendations are "
            "followed up."
        ),
    ],
    "critical-risks": lambda: [
        _duty(),
        _(
            "The risks assessed as critical call for the committee's particular attention. "
            "This follow-up shows for the period whether the handling of each critical risk "
            "follows the plan, which actions are under way, and which of the risks are also "
            "reviewed in the internal control plan."
        ),
    ],
    "assessment": lambda: [
        _duty(),
        _(
            "In its assessment the committee takes a position on whether the internal control "
            "during the year has been sufficient, partly sufficient or not sufficient. The "
            "assessment rests on the follow-up of the internal control plan, the deviations "
            "found and the actions taken, and it names the areas that need to improve."
        ),
    ],
    "recommendations": lambda: [
        _(
            "According to the Local Government Act (2017:725), chapter 12, section 1, the "
            "auditors examine whether the control exercised within the committees is "
            "sufficient. The committee, which under chapter 6, section 6 is responsible for "
            "its internal control being sufficient, answers the auditors' recommendations and "
            "follows them up."
        ),
        _(
            "This follow-up shows the auditors' recommendations to the committee, the "
            "committee's response and how the work on each recommendation is progressing."
        ),
    ],
    "overview": lambda: [
        _(
            "According to the Local Government Act (2017:725), chapter 6, section 1, the "
            "executive board oversees the activities of the other committees. Each committee "
            "is responsible, under chapter 6, section 6, for the internal control within its "
            "area being sufficient."
        ),
        _(
            "The overview places the committees' risk pictures and internal control plans "
            "side by side for the year: the number of risks at each level, the critical risks, "
            "overdue actions, the control activities reported and each committee's latest "
            "assessment of its internal control."
        ),
    ],
}

KINDS = tuple(ReportKind.values)


def default_text(kind: str) -> str:
    """The introduction a report of this kind opens with until the committee writes its own."""
    return "\n\n".join(DEFAULTS[str(kind)]())


def paragraphs(text: str) -> list[str]:
    """The paragraphs of an introduction: split at blank lines, line breaks within kept out."""
    return [
        " ".join(line.strip() for line in block.splitlines() if line.strip())
        for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
        if block.strip()
    ]


def owner(plan: ControlPlan, kind: str) -> dict[str, Any]:
    """The lookups of the row holding the text: the plan's, or the organisation's (overview)."""
    if kind == ReportKind.OVERVIEW:
        return {"organisation_id": plan.unit.organisation_id, "plan": None, "kind": kind}
    return {"plan": plan, "kind": kind}


def stored(plan: ControlPlan, kind: str) -> ReportIntroduction | None:
    return ReportIntroduction.objects.filter(**owner(plan, kind)).first()


def introduction(plan: ControlPlan, kind: str) -> str:
    """The text a report of this kind on the plan opens with: the stored one, or the default."""
    row = stored(plan, kind)
    return row.text if row is not None else default_text(kind)


def may_edit(user: Any, plan: ControlPlan, kind: str) -> bool:
    """Whether the user may edit this kind's text, given that they may write the plan.

    The overview's text is the whole organisation's: it needs a writing role on all of it.
    """
    if kind != ReportKind.OVERVIEW:
        return True
    scope = scope_for(user)
    return scope.everything or plan.unit.organisation_id in scope.organisation_wide_write


def _same(first: str, second: str) -> bool:
    return paragraphs(first) == paragraphs(second)


@transaction.atomic
def save_introduction(
    plan: ControlPlan, kind: str, *, text: str, version: Version, acting_user: Any
) -> ReportIntroduction | None:
    """Store the committee's text; a text that is the default is not stored (see `reset`).

    Returns the stored row, or None when the report now opens with the default.
    """
    row = stored(plan, kind)
    if _same(text, default_text(kind)):
        if row is not None:
            reset_introduction(plan, kind, version=version, acting_user=acting_user)
        return None
    if row is None:
        row = ReportIntroduction(
            organisation_id=plan.unit.organisation_id,
            plan=None if kind == ReportKind.OVERVIEW else plan,
            kind=kind,
        )
    return save_versioned(row, {"text": text}, version=version, acting_user=acting_user)


@transaction.atomic
def reset_introduction(plan: ControlPlan, kind: str, *, version: Version, acting_user: Any) -> None:
    """Go back to the default text: the stored one is removed (its history keeps it)."""
    row = stored(plan, kind)
    if row is None:
        return
    row = lock_current(ReportIntroduction, row.pk, version)
    row._history_user = acting_user  # type: ignore[attr-defined]
    row.delete()
