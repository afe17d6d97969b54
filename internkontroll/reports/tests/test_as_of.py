"""A report as of a date shows the statuses and comments that existed at the end of that day."""

import datetime
import zoneinfo

import time_machine
from django.test import TestCase

from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import Period
from internkontroll.plans.models import ControlPlan
from internkontroll.reports.queries import follow_up, risk_picture
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

    def first_action(self, report):
        return report.areas[0].risks[0].actions[0]

    def test_today_shows_the_new_status_and_comment(self) -> None:
        action = self.first_action(follow_up(self.plan, self.period))
        assert action.status == "avslutad"
        assert action.follow_up.comment == "Utredningen är klar och redovisad för nämnden."

    def test_as_of_the_day_before_shows_the_old_status_and_comment(self) -> None:
        report = follow_up(self.plan, self.period, as_of=datetime.date(2024, 3, 9))
        action = self.first_action(report)
        assert action.status == "pågående"
        assert action.follow_up.comment.startswith("Utredningen har ett beslutat uppdrag")
        assert report.header.as_of == datetime.date(2024, 3, 9)
        assert "åtta åtgärder pågår och att tre har avslutats" in " ".join(report.summary)

    def test_as_of_brings_back_a_deleted_action(self) -> None:
        before = risk_picture(self.plan, as_of=datetime.date(2024, 3, 9))
        now = risk_picture(self.plan)
        titles = lambda report: [a.title for r in report.areas[0].risks for a in r.actions]  # noqa: E731
        assert "Kartlägga placeringsavtal med privata utförare" in titles(before)
        assert "Kartlägga placeringsavtal med privata utförare" not in titles(now)

    def test_the_end_of_the_day_counts_in_stockholm_time(self) -> None:
        report = follow_up(self.plan, self.period, as_of=datetime.date(2024, 3, 10))
        assert self.first_action(report).status == "avslutad"
