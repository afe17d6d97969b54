"""Applying an uploaded workbook: every change through the forms' own write functions, in one
transaction, so that the whole workbook is applied or nothing is."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from internkontroll.audits.models import Recommendation
from internkontroll.controls.actions import save_control_activity
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.actions import (
    report_on_action,
    report_on_control_activity,
    report_on_risk,
)
from internkontroll.lib.versioning import StaleEdit
from internkontroll.risks.actions import save_action, save_risk
from internkontroll.risks.models import Action, Risk
from internkontroll.workbooks.changes import (
    ACTIONS,
    CONTROL_ACTIVITIES,
    FOLLOW_UPS,
    NEW,
    RISKS,
    UNCHANGED,
    Change,
    Changeset,
    action_data,
    activity_data,
    risk_data,
)
from internkontroll.workbooks.reader import Problem


class ApplyFailed(Exception):
    """The workbook could not be applied; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def apply_changes(changeset: Changeset, *, acting_user: Any) -> dict[str, int]:
    """Write every new and changed row; the number of rows written, by sheet."""
    if changeset.problems:
        raise ApplyFailed(changeset.problems)
    written: dict[str, int] = {}
    try:
        with transaction.atomic():
            _Applier(changeset, acting_user).run()
    except StaleEdit as stale:
        raise ApplyFailed([Problem(str(stale))]) from None
    except IntegrityError:
        raise ApplyFailed(
            [
                Problem(
                    gettext(
                        "Someone else saved in the plan at the same moment. Nothing was "
                        "saved; upload the workbook again."
                    )
                )
            ]
        ) from None
    for change in changeset.writes:
        written[change.kind] = written.get(change.kind, 0) + 1
    return written


class _Applier:
    def __init__(self, changeset: Changeset, acting_user: Any) -> None:
        self.changeset = changeset
        self.acting_user = acting_user
        self.saved: dict[int, Any] = {}  # id(change) -> the object written for it
        self.replaced: dict[tuple[type, Any], Any] = {}  # stored object -> as written

    def run(self) -> None:
        for change in self.changeset.changes:
            if change.status == UNCHANGED and change.kind != FOLLOW_UPS.key:
                self.saved[id(change)] = change.existing
        for kind in (RISKS.key, ACTIONS.key, CONTROL_ACTIVITIES.key, FOLLOW_UPS.key):
            for change in self.changeset.of(kind):
                if change.status != UNCHANGED:
                    self._write(change)

    def _write(self, change: Change) -> None:
        try:
            if change.kind == RISKS.key:
                self.saved[id(change)] = self._risk(change)
            elif change.kind == FOLLOW_UPS.key:
                self._follow_up(change)
            else:
                self.saved[id(change)] = self._item(change)
            if change.existing is not None and change.kind != FOLLOW_UPS.key:
                key = (type(change.existing), change.existing.pk)
                self.replaced[key] = self.saved[id(change)]
        except ValidationError as error:
            raise ApplyFailed(
                [
                    Problem(message, str(change.sheet.title), change.row)
                    for message in error.messages
                ]
            ) from None

    def _object(self, reference: Any) -> Any:
        """What was written for a row referred to, or the stored object (as written, with its
        new version, if its own row changed it)."""
        if isinstance(reference, Change):
            return self.saved.get(id(reference), reference.existing)
        return self.replaced.get((type(reference), reference.pk), reference)

    def _risk(self, change: Change) -> Risk:
        plan = self.changeset.plan
        risk = change.existing or Risk(plan=plan, external_id=change.values.get("id") or "")
        words = self.changeset.words
        data = risk_data(change.values, words, list(risk.handling))
        offered = words.objects["recommendations"]
        # The links the workbook does not show (to recommendations not offered) are kept.
        unseen = (
            list(Recommendation.objects.filter(risks=risk).exclude(pk__in=list(offered)))
            if risk.pk
            else []
        )
        chosen = [offered[pk] for pk in change.values["recommendations"]]
        data["recommendations"] = unseen + chosen
        return save_risk(risk, data, version=_version_of(change), acting_user=self.acting_user)

    def _item(self, change: Change) -> Action | ControlActivity:
        risk = self._object(change.risk)
        identifier = change.values.get("id") or ""
        if change.sheet is ACTIONS:
            action = change.existing or Action(risk=risk, external_id=identifier)
            data = {**action_data(change.values), "assignee": self._assignee(change)}
            return save_action(
                action, data, version=_version_of(change), acting_user=self.acting_user
            )
        activity = change.existing or ControlActivity(risk=risk, external_id=identifier)
        periods = self.changeset.words.objects["periods"]
        data = {
            **activity_data(change.values),
            "assignee": self._assignee(change),
            "periods": [periods[pk] for pk in change.values["periods"]],
        }
        return save_control_activity(
            activity, data, version=_version_of(change), acting_user=self.acting_user
        )

    def _assignee(self, change: Change) -> Any:
        """The person the row names (checked against the form's rule in changes.py)."""
        return self.changeset.words.objects["people"].get(change.values["assignee"])

    def _follow_up(self, change: Change) -> None:
        values = change.values
        periods = self.changeset.words.objects["periods"]
        common = {
            "period": periods[values["period"]],
            "date": values["date"],
            "comment": values["comment"] or "",
        }
        subject = self._object(change.item) if change.item is not None else None
        if subject is None:
            risk = self._object(change.risk)
            report_on_risk(
                risk,
                acting_user=self.acting_user,
                version=risk.version,
                on_track=values["on_track"],
                **common,
            )
            risk.version += 1  # the follow-up raised the risk's version
        elif isinstance(subject, Action):
            report_on_action(
                subject,
                acting_user=self.acting_user,
                version=subject.version,
                status=values["status"],
                on_track=values["on_track"],
                **common,
            )
            subject.version += 1
        else:
            report_on_control_activity(
                subject,
                acting_user=self.acting_user,
                version=subject.version,
                result=values["result"],
                **common,
            )
            subject.version += 1


def _version_of(change: Change) -> int | None:
    """The version the comparison was made against: a later edit makes the write stale."""
    return change.existing.version if change.status != NEW else None
