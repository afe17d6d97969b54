"""The keys of the yearly cycle: last year's versions, the plan's lifecycle, reporting
deadlines, occurrences, the action answering a deviation and reports made on someone's behalf.
Optional: documents without them import as before; with them they round-trip, both when the
import creates (in bulk) and when it updates (object by object)."""

from __future__ import annotations

import copy
import datetime
from typing import Any

import time_machine
from django.test import TestCase

from internkontroll.access.plans import WHOLE
from internkontroll.accounts.models import User
from internkontroll.controls.models import ControlActivity
from internkontroll.controls.occurrences import occurrences
from internkontroll.exchange.exporter import export_document
from internkontroll.exchange.importer import ImportFailed, import_document
from internkontroll.exchange.tests.documents import small_document
from internkontroll.exchange.validation import validate_document
from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import Organisation
from internkontroll.plans.models import AdoptedVersion, ControlPlan
from internkontroll.plans.versions import plan_document, record_version
from internkontroll.reports.frozen import frozen_snapshot
from internkontroll.risks.models import Action, Risk, RolloverDecision
from internkontroll.test import BaseTestCase

NOW = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)
STARTED = "2026-01-15T08:00:00+00:00"
CLOSED = "2026-03-01T12:00:00+00:00"


def two_years() -> dict[str, Any]:
    """The small document with its 2025 plan in follow-up and closed, and the committee's 2026
    plan (listed first) carrying r-1 and a-1 over; every new key in use."""
    document = small_document()
    document["organisation"]["periods"][0]["deadline_days"] = 10
    last_year = document["plans"][0]
    last_year.update(
        follow_up_started_at=STARTED,
        follow_up_started_by="anna",
        closed_at=CLOSED,
        closed_by="bertil",
    )
    result = last_year["risks"][0]["control_activities"][0]["follow_ups"][0]
    result.update(answered_by="a-1", reported_for="cecilia", occurrence="2025-08-31")
    carried = copy.deepcopy(last_year["risks"][0])
    carried["previous"] = "r-1"
    del carried["follow_ups"]
    carried["actions"] = [
        {
            "id": "a-1",
            "title": "Ny rutin, fortsättning",
            "due_date": "2026-06-30",
            "status": "not_started",
            "previous": "a-1",
        }
    ]
    carried["control_activities"] = [
        {
            "id": "k-1",
            "title": "Stickprov på besök per termin",
            "frequency": "per_term",
            "periods": ["T2", "VB"],
            "follow_ups": [
                {
                    "period": "T2",
                    "date": "2026-07-02",
                    "result": "deviation",
                    "occurrence": "2026-06-30",
                    "answered_by": "a-1",
                }
            ],
        }
    ]
    next_year = {
        "unit": "on",
        "year": 2026,
        "adopted_on": "2025-12-09",
        "reference": "ON-2025/91",
        "risks": [carried, {"id": "r-3", "title": "Ny risk", "previous": "r-2"}],
        "rollover": [
            {
                "risk": "r-1",
                "decision": "carry",
                "target": "r-1",
                "decided_at": "2025-11-20T10:00:00+00:00",
                "decided_by": "anna",
            },
            {
                "risk": "r-2",
                "decision": "carry",
                "reason": "Ny bedömning behövs.",
                "target": "r-3",
                "decided_at": "2025-11-20T10:05:00+00:00",
            },
        ],
    }
    document["plans"] = [next_year, last_year]
    document["people"] = [{"username": "anna"}, {"username": "bertil"}, {"username": "cecilia"}]
    return document


def by_year(document: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(document["plans"], key=lambda plan: plan["year"])


def paths(error: ImportFailed) -> dict[str, str]:
    return {problem.path: problem.message for problem in error.problems}


@time_machine.travel(NOW, tick=False)
class CycleKeysTests(TestCase):
    def imported(self, document: dict[str, Any]) -> dict[str, Any]:
        summary = import_document(document)
        return export_document(Organisation.objects.get(name=summary.organisation))

    def test_the_keys_come_back_unchanged_from_a_new_import(self) -> None:
        document = two_years()
        assert validate_document(document) == []
        assert self.imported(document) == document
        risk = Risk.objects.get(plan__year=2026, external_id="r-1")
        assert risk.previous == Risk.objects.get(plan__year=2025, external_id="r-1")
        action = Action.objects.get(risk=risk)
        assert action.previous is not None and action.previous.risk_id == risk.previous_id
        result = FollowUp.objects.get(control_activity__risk=risk)
        assert result.answered_by == action
        assert result.occurrence == datetime.date(2026, 6, 30)
        plan = ControlPlan.objects.get(year=2025)
        assert plan.status == ControlPlan.Status.CLOSED
        assert plan.closed_by is not None and plan.closed_by.username == "bertil"
        # The people named are made for the organisation: inactive, without roles.
        assert not User.objects.get(username="cecilia").is_active

    def test_importing_again_changes_nothing(self) -> None:
        document = two_years()
        import_document(document)
        summary = import_document(document)
        assert not summary.created and not summary.updated

    def test_the_update_path_sets_and_clears_the_keys(self) -> None:
        document = small_document()
        self.imported(document)
        # The stored plan gains a follow-up, a closing, a deviation's action, a report for
        # someone; a later plan refers to the stored risks.
        changed = two_years()
        assert by_year(self.imported(changed)) == by_year(changed)
        assert ControlPlan.objects.get(year=2025).is_closed
        # Reopened and the links taken away, object by object.
        reopened = two_years()
        del reopened["plans"][1]["closed_at"], reopened["plans"][1]["closed_by"]
        del reopened["plans"][1]["risks"][0]["control_activities"][0]["follow_ups"][0][
            "answered_by"
        ]
        del reopened["plans"][0]["risks"][1]["previous"]
        assert by_year(self.imported(reopened)) == by_year(reopened)
        assert not ControlPlan.objects.get(year=2025).is_closed

    def test_documents_without_the_keys_still_import(self) -> None:
        document = small_document()
        assert self.imported(document) == document

    def test_a_closed_plan_refuses_changes_to_its_risks(self) -> None:
        import_document(two_years())
        document = two_years()
        document["plans"][1]["risks"][1]["title"] = "Ändrad titel"
        with self.assertRaises(ImportFailed) as caught:
            import_document(document)
        assert "plans[1].risks[1]" in paths(caught.exception)
        assert "är avslutad" in paths(caught.exception)["plans[1].risks[1]"]

    def test_a_previous_risk_must_be_in_last_years_plan(self) -> None:
        document = two_years()
        risks = document["plans"][0]["risks"]
        risks[0]["actions"][0]["previous"] = "a-9"
        risks[1]["previous"] = "r-1"
        risks.append({"id": "r-4", "title": "Ännu en", "previous": "r-9"})
        assert [(p.path, p.message) for p in validate_document(document)] == [
            (
                "plans[0].risks[0].actions[0].previous",
                'Åtgärden "a-9" finns inte bland åtgärderna för fjolårets risk "r-1".',
            ),
            (
                "plans[0].risks[1].previous",
                'Fjolårets risk "r-1" är redan tidigare version av risks[0].',
            ),
            (
                "plans[0].risks[2].previous",
                'Risken "r-9" finns inte i planen för "on" 2025, året före.',
            ),
        ]

    def test_a_previous_risk_is_looked_for_among_the_stored_ones(self) -> None:
        document = two_years()
        last_year = document["plans"].pop()
        import_document({**document, "plans": [last_year]})
        assert self.imported(document)["plans"][1] == document["plans"][0]
        document["plans"][0]["risks"][1]["previous"] = "r-7"
        document["plans"][0]["risks"][0]["actions"][0]["previous"] = "a-7"
        document["plans"][0]["risks"].append({"id": "r-8", "title": "Ny", "previous": "r-6"})
        with self.assertRaises(ImportFailed) as caught:
            import_document(document)
        assert paths(caught.exception) == {
            "plans[0].risks[0].actions[0].previous": (
                'Åtgärden "a-7" finns inte bland åtgärderna för fjolårets risk "r-1".'
            ),
            "plans[0].risks[1].previous": (
                'Risken "r-7" finns inte i planen för "on" 2025, året före.'
            ),
            "plans[0].risks[2].previous": (
                'Risken "r-6" finns inte i planen för "on" 2025, året före.'
            ),
        }

    def test_last_years_risk_taken_by_a_stored_risk_is_refused(self) -> None:
        import_document(two_years())
        document = two_years()
        next_year = document["plans"][0]
        next_year["risks"] = [{"id": "r-5", "title": "Dubblett", "previous": "r-2"}]
        next_year["risks"][0]["actions"] = [{"id": "a-5", "title": "Ny", "previous": "a-1"}]
        del next_year["rollover"]
        next_year["risks"][0]["previous"] = "r-1"
        with self.assertRaises(ImportFailed) as caught:
            import_document(document)
        assert paths(caught.exception) == {
            "plans[0].risks[0].previous": (
                'Fjolårets "r-1" är redan tidigare version av "r-1" i den sparade planen.'
            ),
            "plans[0].risks[0].actions[0].previous": (
                'Fjolårets "r-1 / a-1" är redan tidigare version av "r-1 / a-1" i den sparade '
                "planen."
            ),
        }

    def test_the_follow_up_keys_are_checked_where_they_stand(self) -> None:
        document = two_years()
        risk = document["plans"][1]["risks"][0]
        risk["actions"][0]["follow_ups"][0]["occurrence"] = "2025-05-01"
        result = risk["control_activities"][0]["follow_ups"][0]
        result.update(result="no_remarks")
        document["plans"][0]["risks"][0]["control_activities"][0]["follow_ups"][0].update(
            answered_by="a-5", occurrence="2025-12-31"
        )
        document["plans"][1]["follow_up_started_at"] = "2026-01-15"
        del document["plans"][1]["adopted_on"]
        problems = {p.path: p.message for p in validate_document(document)}
        activity = "plans[0].risks[0].control_activities[0].follow_ups[0]"
        assert problems.pop("plans[1].follow_up_started_at") == (
            'Uppföljningen kan bara ha startat i en antagen plan; "adopted_on" saknas.'
        )
        assert problems == {
            f"{activity}.occurrence": "Tillfället 2025-12-31 ligger inte i planens år 2026.",
            f"{activity}.answered_by": 'Åtgärden "a-5" finns inte bland riskens åtgärder.',
            "plans[1].risks[0].actions[0].follow_ups[0].occurrence": (
                "Bara en kontrollaktivitets resultat kan gälla ett tillfälle."
            ),
            "plans[1].risks[0].control_activities[0].follow_ups[0].answered_by": (
                'Bara ett resultat som är en avvikelse ("result": "deviation") kan ange '
                "åtgärden som hanterar avvikelsen."
            ),
        }

    def test_the_lifecycle_goes_in_order(self) -> None:
        document = small_document()
        plan = document["plans"][0]
        plan.update(closed_at=CLOSED, closed_by="bertil")
        problems = {p.path: p.message for p in validate_document(document)}
        assert problems == {
            "plans[0].closed_at": (
                'Bara en plan under uppföljning kan avslutas; "follow_up_started_at" saknas.'
            )
        }
        plan.update(follow_up_started_at=CLOSED, closed_at=STARTED)
        del plan["closed_by"]
        plan["follow_up_started_by"] = "anna"
        del plan["follow_up_started_at"]
        problems = {p.path: p.message for p in validate_document(document)}
        assert set(problems) == {"plans[0].closed_at", "plans[0].follow_up_started_by"}

    def test_a_control_per_term_falls_due_in_june_and_december(self) -> None:
        import_document(two_years())
        activity = ControlActivity.objects.get(risk__plan__year=2026)
        assert activity.frequency == "per_term"
        periods = list(Organisation.objects.get().periods.order_by("position"))
        schedule = occurrences("per_term", None, [], periods, 2026)
        assert [(o.due, o.period.code) for o in schedule] == [
            (datetime.date(2026, 6, 30), "T2"),
            (datetime.date(2026, 12, 31), "VB"),
        ]
        assert periods[0].deadline_days == 10

    def test_an_unknown_frequency_names_per_term_among_the_codes(self) -> None:
        document = small_document()
        document["plans"][0]["risks"][0]["control_activities"][0]["frequency"] = "termly"
        [problem] = validate_document(document)
        assert "per_term" in problem.message


class FrozenAnswerTests(BaseTestCase):
    def test_an_adopted_version_keeps_the_action_answering_a_deviation(self) -> None:
        activity = ControlActivity.objects.create(
            risk=self.sn_risk, external_id="k-9", title="Stickprov"
        )
        FollowUp.objects.create(
            control_activity=activity,
            date=datetime.date(2025, 4, 28),
            result="deviation",
            answered_by=self.sn_action,
        )
        version = record_version(
            self.sn_plan,
            kind=AdoptedVersion.Kind.PLAN,
            decided_on=datetime.date(2024, 12, 12),
            reference="SN-2024/259",
            acting_user=self.coordinator,
        )
        [risk] = [r for r in version.snapshot["plans"][0]["risks"] if r["id"] == "r-1"]
        [stored] = [a for a in risk["control_activities"] if a["id"] == "k-9"]
        assert stored["follow_ups"][0]["answered_by"] == self.sn_action.external_id
        loaded = AdoptedVersion.objects.select_related("plan__unit").get(pk=version.pk)
        snapshot, _plan = frozen_snapshot(loaded, WHOLE)
        [thawed] = [f for f in snapshot.follow_ups if f.result == "deviation"]
        [action] = [a for a in snapshot.actions if a.pk == thawed.answered_by_id]
        assert action.title == self.sn_action.title


@time_machine.travel(NOW, tick=False)
class RolloverKeysTests(TestCase):
    def test_the_decisions_are_stored_as_written(self) -> None:
        import_document(two_years())
        decisions = RolloverDecision.objects.order_by("id")
        assert [
            (d.risk.external_id, d.decision, d.target and d.target.external_id) for d in decisions
        ] == [
            ("r-1", "carry", "r-1"),
            ("r-2", "carry", "r-3"),
        ]
        assert decisions[0].decided_by is not None and decisions[0].decided_by.username == "anna"
        assert decisions[0].risk.plan.year == 2025 and decisions[0].plan.year == 2026

    def test_a_decision_is_checked_against_both_plans(self) -> None:
        document = two_years()
        document["plans"][0]["rollover"] = [
            {"risk": "r-1", "decision": "close"},
            {"risk": "r-1", "decision": "merge", "target": "r-9"},
            {"risk": "r-8", "decision": "carry"},
        ]
        assert [(p.path, p.message) for p in validate_document(document)] == [
            ("plans[0].rollover[0].reason", "Ange varför risken avslutas."),
            (
                "plans[0].rollover[1].risk",
                'Fjolårets risk "r-1" har redan ett beslut i rollover[0].',
            ),
            ("plans[0].rollover[1].target", 'Risken "r-9" finns inte bland planens risker.'),
            (
                "plans[0].rollover[2].target",
                "Ange vilken risk i planen som risken förs över till eller slås samman med.",
            ),
            (
                "plans[0].rollover[2].risk",
                'Risken "r-8" finns inte i planen för "on" 2025, året före.',
            ),
        ]

    def test_an_adopted_version_leaves_the_decisions_out(self) -> None:
        import_document(two_years())
        plan = ControlPlan.objects.get(year=2026)
        assert "rollover" in export_document(plan.unit.organisation, year=2026)["plans"][0]
        assert "rollover" not in plan_document(plan)["plans"][0]
