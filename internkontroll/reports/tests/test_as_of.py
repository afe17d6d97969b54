"""A report as of a date shows the statuses and comments that existed at the end of that day."""

import datetime
import zoneinfo

import time_machine
from django.test import TestCase

from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import Period
from internkontroll.plans.models import ControlPlan
from internkontroll.reports.kinds import KINDS, build
from internkontroll.reports.kinds.base import context_for
from internkontroll.reports.tests.helpers import import_fixture
from internkontroll.risks.models import Action

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


class AsOfTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        with time_machine.travel(datetime.datetime(2024, 2, 5, 9, tzinfo=STOCKHOLM)):
            import_fixture("care_follow_up.json")
        cls.plan = ControlPlan.objects.select_related("unit").get(unit__external_id="on")
        cls.period = Period.objects.get(organisation__name="Provstad", code="VB")
        with time_machine.travel(datetime.datetime(2024, 3, 10, 14, tzinfo=STOCKHOLM)):
            action = Action.objects.get(external_id="a-1")
            action.status = "done"
            action.save(update_fields=["status"])
            comment = FollowUp.objects.get(action=action)
            comment.comment = "Utredningen är klar och redovisad för nämnden."
            comment.status = "done"
            comment.save(update_fields=["comment", "status"])
            Action.objects.get(external_id="a-11").delete()

    def risks(self, kind: str, as_of: datetime.date | None = None):
        period = self.period if KINDS[kind].takes_period else None
        return context_for(KINDS[kind], self.plan, period, as_of).assembler.risks

    def first_action(self, as_of: datetime.date | None = None):
        return self.risks("follow-up", as_of)[0].actions[0]

    def test_today_shows_the_new_status_and_comment(self) -> None:
        action = self.first_action()
        assert action.status == "Avslutad"
        assert action.follow_up.comment == "Utredningen är klar och redovisad för nämnden."

    def test_as_of_the_day_before_shows_the_old_status_and_comment(self) -> None:
        day = datetime.date(2024, 3, 9)
        action = self.first_action(day)
        assert action.status == "Pågående"
        assert action.follow_up.comment.startswith("Utredningen har ett beslutat uppdrag")
        document = build("follow-up", self.plan, self.period, as_of=day)
        assert ("Läget per", "2024-03-09") in document.meta
        assert "Åtta av dem pågår. Tre av dem har avslutats." in " ".join(document.summary)

    def test_as_of_brings_back_a_deleted_action(self) -> None:
        titles = lambda risks: [a.title for r in risks for a in r.actions]  # noqa: E731
        before = titles(self.risks("risk-picture", datetime.date(2024, 3, 9)))
        assert "Kartlägga placeringsavtal med privata utförare" in before
        assert "Kartlägga placeringsavtal med privata utförare" not in titles(
            self.risks("risk-picture")
        )

    def test_the_end_of_the_day_counts_in_stockholm_time(self) -> None:
        assert self.first_action(datetime.date(2024, 3, 10)).status == "Avslutad"
