from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from internkontroll.plans.versions import Change, diff


def plan(*risks: dict[str, Any]) -> dict[str, Any]:
    return {"unit": "sn", "year": 2025, "risks": list(risks)}


def risk(id: str = "r-1", **fields: Any) -> dict[str, Any]:
    return {"id": id, "title": f"Risk {id}", **fields}


def activity(id: str = "k-1", **fields: Any) -> dict[str, Any]:
    return {"id": id, "title": f"Kontroll {id}", **fields}


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


class TestDiff:
    def test_it_finds_nothing_between_equal_plans(self) -> None:
        same = plan(risk(probability=3, control_activities=[activity()]))
        assert diff(same, same) == []

    def test_it_lists_an_added_and_a_removed_risk(self) -> None:
        changes = diff(plan(risk("r-1")), plan(risk("r-2")))
        assert changes == [
            Change("removed", "risk", "Risk r-1"),
            Change("added", "risk", "Risk r-2"),
        ]

    def test_it_names_the_field_of_a_changed_risk_with_old_and_new_value(self) -> None:
        [change] = diff(plan(risk(probability=2)), plan(risk(probability=4)))
        assert (change.how, change.what, change.title) == ("changed", "risk", "Risk r-1")
        assert (change.field, change.old, change.new) == ("probability", "2", "4")

    def test_it_shows_an_emptied_field_as_a_dash(self) -> None:
        [change] = diff(plan(risk(planned_handling="Attest")), plan(risk()))
        assert (change.old, change.new) == ("Attest", "–")

    def test_it_shortens_long_texts(self) -> None:
        [change] = diff(plan(risk(description="kort")), plan(risk(description="lång " * 100)))
        assert len(change.new) <= 80
        assert change.new.endswith("…")

    def test_it_shows_handling_by_its_labels(self) -> None:
        [change] = diff(plan(risk(handling=["accept"])), plan(risk(handling=["accept", "review"])))
        assert change.new == "accept, review in the internal control plan"

    def test_it_lists_added_and_removed_control_activities_under_their_risk(self) -> None:
        old = plan(risk(control_activities=[activity("k-1")]))
        new = plan(risk(control_activities=[activity("k-2")]))
        assert diff(old, new) == [
            Change("removed", "control_activity", "Kontroll k-1", "Risk r-1"),
            Change("added", "control_activity", "Kontroll k-2", "Risk r-1"),
        ]

    def test_it_lists_a_changed_control_activity_field_with_its_label(self) -> None:
        old = plan(risk(control_activities=[activity(method="sample", periods=["T1"])]))
        new = plan(risk(control_activities=[activity(method="interview", periods=["T1", "T2"])]))
        changes = diff(old, new)
        assert [(c.what, c.field) for c in changes] == [
            ("control_activity", "method"),
            ("control_activity", "reported in periods"),
        ]
        assert (changes[0].old, changes[0].new) == ("sample", "interview")
        assert changes[1].risk == "Risk r-1"
        assert (changes[1].old, changes[1].new) == ("T1", "T1, T2")

    def test_it_ignores_follow_ups_and_actions(self) -> None:
        old = plan(risk(follow_ups=[], actions=[{"title": "Åtgärd"}]))
        new = plan(risk(follow_ups=[{"date": "2025-05-01"}], actions=[]))
        assert diff(old, new) == []
