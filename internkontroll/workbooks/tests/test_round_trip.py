"""A downloaded workbook, uploaded unchanged, changes nothing; edits become changes."""

from __future__ import annotations

import datetime

import time_machine

from internkontroll.followups.models import FollowUp
from internkontroll.risks.models import Risk
from internkontroll.test import BaseTestCase
from internkontroll.workbooks.tests.helpers import (
    appended,
    changeset,
    download,
    edited,
    problems,
    statuses,
)


@time_machine.travel(datetime.datetime(2025, 9, 10, 10, tzinfo=datetime.UTC), tick=False)
class RoundTripTests(BaseTestCase):
    def test_an_unchanged_workbook_changes_nothing(self) -> None:
        result = changeset(self.sn_plan, download(self.sn_plan))

        assert problems(result) == []
        assert result.writes == []
        assert statuses(result) == {
            "risks": {"unchanged": 1},
            "actions": {"unchanged": 1},
            "control_activities": {"unchanged": 1},
            "follow_ups": {"unchanged": 1},
        }

    def test_texts_that_begin_with_quotes_before_a_formula_sign_read_back_unchanged(
        self,
    ) -> None:
        Risk.objects.filter(pk=self.sn_risk.pk).update(
            title="'=SUMMA(A1)", description="''-ingen formel", planned_handling="'\rrad"
        )
        result = changeset(self.sn_plan, download(self.sn_plan))

        assert problems(result) == []
        assert result.writes == []

    def test_a_changed_title_is_a_change_of_that_column(self) -> None:
        content = edited(download(self.sn_plan), "Risker", {"C2": "Dubbla utbetalningar"})

        result = changeset(self.sn_plan, content)

        assert problems(result) == []
        (change,) = result.writes
        assert change.kind == "risks"
        assert change.columns == ["Rubrik"]

    def test_a_new_follow_up_row_is_new(self) -> None:
        content = appended(
            download(self.sn_plan),
            "Uppföljningar",
            ["", "r-1", "a-1", "", "T2", datetime.date(2025, 9, 1), "avslutad", "Ja", "", "Klart."],
        )

        result = changeset(self.sn_plan, content)

        assert problems(result) == []
        assert statuses(result)["follow_ups"] == {"unchanged": 1, "new": 1}
        assert FollowUp.objects.count() == 1
