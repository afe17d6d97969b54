"""`ik rollover`: an imported plan carried into next year, once, whatever the number of runs."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import translation

from internkontroll.controls.models import ControlActivity
from internkontroll.exchange.importer import import_document
from internkontroll.followups.models import FollowUp
from internkontroll.organisation.defaults import DEFAULT_PERIODS, DEFAULT_RISK_MATRIX
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Action, Risk, RolloverDecision


def risk(number: int, **fields: Any) -> dict[str, Any]:
    return {"id": f"r-{number}", "title": f"Risk nummer {number}", **fields}


def action(number: int, status: str) -> dict[str, Any]:
    return {
        "id": f"a-{number}",
        "title": f"Åtgärd {number}",
        "responsible": "Enhetschef",
        "due_date": "2025-10-31",
        "status": status,
        "follow_ups": [{"period": "T1", "date": "2025-05-05", "status": status, "comment": "…"}],
    }


def activity(number: int, frequency: str | None) -> dict[str, Any]:
    return {
        "id": f"k-{number}",
        "title": f"Kontroll {number}",
        "method": "sample",
        **({"frequency": frequency} if frequency else {}),
        "periods": ["T1", "VB"],
        "due_date": "2025-12-31",
        "follow_ups": [{"period": "T1", "date": "2025-05-02", "result": "no_remarks"}],
    }


DOCUMENT: dict[str, Any] = {
    "format": "internkontroll/1",
    "organisation": {
        "name": "Överföringskommun",
        "risk_matrix": DEFAULT_RISK_MATRIX,
        "periods": DEFAULT_PERIODS,
    },
    "units": [
        {"id": "on", "name": "Omsorgsnämnden", "kind": "committee", "parent": None},
        {"id": "of", "name": "Omsorgsförvaltningen", "kind": "administration", "parent": "on"},
    ],
    "plans": [
        {
            "unit": "on",
            "year": 2025,
            "adopted_on": "2024-12-10",
            "reference": "ON-2024/88",
            "risks": [
                risk(
                    1,
                    unit="of",
                    area="Oegentligheter",
                    process="Hemtjänst",
                    probability=3,
                    consequence=4,
                    handling=["mitigate", "review"],
                    actions=[action(1, "in_progress"), action(2, "done"), action(3, "not_started")],
                    control_activities=[activity(1, "quarterly"), activity(2, "once")],
                ),
                risk(2, probability=2, consequence=2, actions=[action(1, "cancelled")]),
                risk(3, actions=[action(1, "in_progress")], control_activities=[activity(1, None)]),
                risk(4, probability=1, consequence=4),
            ],
        }
    ],
    "audit_reports": [
        {
            "id": "rev-1",
            "unit": "on",
            "title": "Granskning av hemtjänsten",
            "date": "2025-03-01",
            "recommendations": [
                {"id": "rek-1", "text": "Följ upp registreringarna.", "status": "in_progress"},
                {"id": "rek-2", "text": "Skriv en rutin.", "status": "done"},
            ],
        }
    ],
}


def rollover(*args: str) -> str:
    out = StringIO()
    with translation.override("sv"):
        call_command("rollover", "--unit", "on", "--year", "2025", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (ControlPlan, Risk, Action, ControlActivity, FollowUp, RolloverDecision)
    counted = {model.__name__: model.objects.count() for model in models}
    counted.update(
        {
            f"history {model.__name__}": model.history.count()  # type: ignore[attr-defined]
            for model in models
        }
    )
    return counted


@time_machine.travel(datetime.datetime(2025, 10, 1, 9, tzinfo=datetime.UTC), tick=False)
class RolloverCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        import_document(DOCUMENT)
        cls.plan = ControlPlan.objects.get(year=2025)
        risk_1 = Risk.objects.get(plan=cls.plan, external_id="r-1")
        risk_1.recommendations.set(
            risk_1.plan.unit.audit_reports.get().recommendations.all()  # the open and the done
        )

    def next_year(self) -> ControlPlan:
        return ControlPlan.objects.get(unit=self.plan.unit, year=2026)

    def test_it_carries_every_risk_and_every_open_action_once(self) -> None:
        output = rollover()

        plan = self.next_year()
        assert plan.status == ControlPlan.Status.DRAFT
        carried = list(plan.risks.order_by("external_id"))
        assert [(r.external_id, r.previous.external_id) for r in carried] == [  # type: ignore[union-attr]
            ("r-1", "r-1"),
            ("r-2", "r-2"),
            ("r-3", "r-3"),
            ("r-4", "r-4"),
        ]
        assert all(r.previous.plan == self.plan for r in carried)  # type: ignore[union-attr]
        open_before = Action.objects.filter(
            risk__plan=self.plan, status__in=["not_started", "in_progress"]
        )
        copies = Action.objects.filter(risk__plan=plan)
        assert sorted(copies.values_list("previous_id", flat=True)) == sorted(
            open_before.values_list("pk", flat=True)
        )
        assert "Överförde 4 risker med 3 öppna åtgärder och 2 återkommande kontrollaktiviteter" in (
            output
        )
        assert "Gjorde utkastet till plan Omsorgsnämnden 2026." in output

    def test_the_copies_keep_what_was_written_and_start_the_year_without_follow_ups(self) -> None:
        rollover()
        first = self.next_year().risks.get(external_id="r-1")
        assert (first.title, first.unit.external_id, first.area.name, first.process.name) == (  # type: ignore[union-attr]
            "Risk nummer 1",
            "of",
            "Oegentligheter",
            "Hemtjänst",
        )
        assert (first.probability, first.consequence, first.handling) == (
            3,
            4,
            ["mitigate", "review"],
        )
        assert [a.title for a in first.actions.order_by("external_id")] == ["Åtgärd 1", "Åtgärd 3"]
        assert [a.status for a in first.actions.order_by("external_id")] == [
            "in_progress",
            "not_started",
        ]
        activity = first.control_activities.get()  # the yearly one; the one-off stays behind
        assert (activity.title, activity.due_date) == ("Kontroll 1", datetime.date(2026, 12, 31))
        assert sorted(p.code for p in activity.periods.all()) == ["T1", "VB"]
        assert [r.external_id for r in first.recommendations.all()] == ["rek-1"]
        assert not FollowUp.objects.filter(action__risk__plan__year=2026).exists()
        assert first.history.latest().history_change_reason == "Överföring från 2025"

    def test_a_second_run_changes_nothing_and_says_it_skipped_every_risk(self) -> None:
        rollover()
        before = counts()

        output = rollover()

        assert counts() == before
        assert "Överförde 0 risker med 0 öppna åtgärder" in output
        assert "Hoppades över, beslutade tidigare: 4" in output

    def test_it_closes_and_merges_as_asked_and_prints_them(self) -> None:
        output = rollover(
            "--close", "r-4=Risken är borta med det nya systemet.", "--merge", "r-3=r-1"
        )

        plan = self.next_year()
        assert sorted(plan.risks.values_list("external_id", flat=True)) == ["r-1", "r-2"]
        merged_into = plan.risks.get(external_id="r-1")
        # r-3's open action and activity followed it into the risk it was merged into.
        assert sorted(merged_into.actions.values_list("title", flat=True)) == [
            "Åtgärd 1",
            "Åtgärd 1",
            "Åtgärd 3",
        ]
        assert len(set(merged_into.actions.values_list("external_id", flat=True))) == 3
        assert merged_into.control_activities.count() == 2
        closed = RolloverDecision.objects.get(risk__external_id="r-4", risk__plan=self.plan)
        assert (closed.decision, closed.reason) == (
            "close",
            "Risken är borta med det nya systemet.",
        )
        assert "Avslutade: 1\n  r-4 Risk nummer 4: Risken är borta med det nya systemet." in output
        assert "Sammanslagna: 1\n  r-3 Risk nummer 3 → r-1 Risk nummer 1" in output

    def test_it_refuses_a_close_without_a_reason_and_changes_nothing(self) -> None:
        before = counts()
        with pytest.raises(CommandError, match="Inget ändrades"):
            rollover("--close", "r-4=")
        assert counts() == before

    def test_it_refuses_a_merge_into_a_risk_that_is_not_carried_over(self) -> None:
        with pytest.raises(CommandError):
            rollover("--close", "r-1=Borta.", "--merge", "r-3=r-1")
        assert not ControlPlan.objects.filter(year=2026).exists()

    def test_it_names_a_risk_the_plan_does_not_have(self) -> None:
        with pytest.raises(CommandError, match="r-99"):
            rollover("--close", "r-99=Borta.")

    def test_undo_removes_what_the_rollover_made_and_the_empty_plan(self) -> None:
        before = {k: v for k, v in counts().items() if not k.startswith("history")}
        rollover("--close", "r-4=Borta.")

        output = rollover("--undo")

        assert {k: v for k, v in counts().items() if not k.startswith("history")} == before
        assert "Ångrade överföringen" in output
        deleted = Risk.history.filter(history_type="-", plan_id=self.next_year_id_from_history())
        assert deleted.count() == 3

    def next_year_id_from_history(self) -> int:
        return ControlPlan.history.filter(year=2026).values_list("id", flat=True).first()  # type: ignore[attr-defined,return-value]

    def test_the_rollover_can_no_longer_be_undone_once_next_years_plan_is_adopted(self) -> None:
        rollover()
        ControlPlan.objects.filter(year=2026).update(adopted_on=datetime.date(2025, 9, 30))
        with pytest.raises(CommandError):
            rollover("--undo")
        assert self.next_year().risks.count() == 4

    def test_it_says_when_there_is_no_such_plan(self) -> None:
        with pytest.raises(CommandError, match="2024"):
            call_command("rollover", "--unit", "on", "--year", "2024", stdout=StringIO())
