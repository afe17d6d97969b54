"""A control activity's occurrences in its plan's year, and the periods it is due in."""

import datetime
from collections.abc import Sequence

from internkontroll.controls.models import ControlActivity
from internkontroll.controls.occurrences import (
    activity_due_periods,
    occurrences,
    schedule_of,
    suggested,
)
from internkontroll.test import BaseTestCase

D = datetime.date


class OccurrenceTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.periods = list(cls.organisation.periods.order_by("position", "pk"))
        cls.t1, cls.t2, cls.vb = cls.periods

    def schedule(self, frequency: str, named: Sequence[int] = (), due: D | None = None) -> list:
        return [
            (o.due, o.period.code) for o in occurrences(frequency, due, named, self.periods, 2025)
        ]

    def test_a_monthly_control_falls_due_at_each_months_end_in_the_tertial_holding_it(
        self,
    ) -> None:
        schedule = self.schedule("monthly")
        assert len(schedule) == 12
        assert schedule[0] == (D(2025, 1, 31), "T1")
        assert schedule[1] == (D(2025, 2, 28), "T1")
        assert schedule[4] == (D(2025, 5, 31), "T2")
        assert schedule[-1] == (D(2025, 12, 31), "VB")
        assert [code for _due, code in schedule].count("T1") == 4

    def test_a_quarterly_control_falls_due_at_each_quarters_end(self) -> None:
        assert self.schedule("quarterly") == [
            (D(2025, 3, 31), "T1"),
            (D(2025, 6, 30), "T2"),
            (D(2025, 9, 30), "VB"),
            (D(2025, 12, 31), "VB"),
        ]

    def test_named_periods_take_the_occurrences_up_to_their_end(self) -> None:
        # Reported at the half year (T2) and the year's end: the first half goes to T2.
        schedule = self.schedule("quarterly", [self.t2.pk, self.vb.pk])
        assert [code for _due, code in schedule] == ["T2", "T2", "VB", "VB"]

    def test_a_control_per_period_falls_due_at_the_end_of_each_of_its_periods(self) -> None:
        assert self.schedule("per_period") == [
            (D(2025, 4, 30), "T1"),
            (D(2025, 8, 31), "T2"),
            (D(2025, 12, 31), "VB"),
        ]
        assert self.schedule("continuous", [self.t1.pk]) == [(D(2025, 4, 30), "T1")]

    def test_a_yearly_or_single_control_falls_due_once(self) -> None:
        assert self.schedule("yearly") == [(D(2025, 12, 31), "VB")]
        assert self.schedule("once", due=D(2025, 6, 15)) == [(D(2025, 6, 15), "T2")]
        assert self.schedule("", [self.t1.pk]) == [(D(2025, 4, 30), "T1")]
        # A due date in another year: at the end of the year's last period.
        assert self.schedule("once", due=D(2026, 3, 1)) == [(D(2025, 12, 31), "VB")]

    def test_the_due_periods_are_the_named_ones_and_those_holding_occurrences(self) -> None:
        def due(frequency: str, named: Sequence[int] = (), due: D | None = None) -> list[str]:
            activity = ControlActivity(frequency=frequency, due_date=due)
            return [p.code for p in activity_due_periods(activity, named, self.periods, 2025)]

        assert due("monthly") == ["T1", "T2", "VB"]
        assert due("quarterly", [self.t2.pk, self.vb.pk]) == ["T2", "VB"]
        assert due("per_period", [self.t1.pk, self.vb.pk]) == ["T1", "VB"]
        assert due("yearly", [self.t1.pk]) == ["T1"]
        assert due("", due=D(2025, 6, 1)) == ["T2"]
        assert due("") == ["VB"]
        # Monthly but reported only in T1: the later months make the periods holding them due.
        assert due("monthly", [self.t1.pk]) == ["T1", "T2", "VB"]

    def test_an_organisation_without_periods_has_no_occurrences(self) -> None:
        assert occurrences("monthly", None, [], [], 2025) == []

    def test_a_saved_activity_knows_its_schedule(self) -> None:
        activity = self.sn_activity
        activity.frequency = "quarterly"
        activity.save()
        activity.periods.set([self.vb])
        with self.assertNumQueries(2):
            schedule = schedule_of(activity)
        assert (schedule[0].due, schedule[0].period.code) == (D(2025, 3, 31), "VB")

    def test_the_suggested_occurrence_is_the_earliest_one_waiting_past_its_due_date(self) -> None:
        schedule = occurrences("monthly", None, [], self.periods, 2025)
        today = D(2025, 3, 15)
        assert suggested(schedule, set(), today).due == D(2025, 1, 31)
        reported = {D(2025, 1, 31), D(2025, 2, 28)}
        assert suggested(schedule, reported, today).due == D(2025, 3, 31)
        # A period with an occurrence waiting past its due date is taken first.
        assert suggested(schedule, set(), D(2025, 9, 15), self.t2.pk).due == D(2025, 5, 31)
        assert suggested(schedule, set(), today, self.t2.pk).due == D(2025, 1, 31)
        everything = {o.due for o in schedule}
        assert suggested(schedule, everything, today).due == D(2025, 2, 28)
