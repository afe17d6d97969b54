"""The follow-ups shown under an item cost the same queries however many there are.

Every page that lists an item's follow-ups (a risk's actions and control activities, an audit
report's recommendations, the report forms) shows each one's period, the person it was reported
on behalf of and its evidence. A follow-up reported on behalf of someone once cost a query of
its own: a risk of the demo took 77 queries instead of 23.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.followups.models import Evidence, FollowUp
from internkontroll.organisation.models import Period
from internkontroll.test import BaseTestCase, make_user


class HistoryQueryTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.periods = list(Period.objects.filter(organisation=cls.organisation))
        cls.subjects = {
            "action": cls.sn_action,
            "control_activity": cls.sn_activity,
            "recommendation": cls.sn_recommendation,
        }

    def add_follow_ups(self, count: int) -> None:
        """`count` follow-ups on each subject, each for a period, on behalf of a person of its
        own and with a file of evidence."""
        for number in range(count):
            person = make_user(f"person-{number}-{FollowUp.objects.count()}", self.organisation)
            for field, subject in self.subjects.items():
                follow_up = FollowUp.objects.create(
                    **{field: subject},
                    period=self.periods[number % len(self.periods)],
                    date=datetime.date(2025, 1 + number % 12, 1),
                    comment=f"Rapport {number}",
                    reported_for=person,
                )
                Evidence.objects.create(
                    follow_up=follow_up,
                    file=f"underlag/{follow_up.pk}.pdf",
                    name=f"underlag-{follow_up.pk}.pdf",
                    content_type="application/pdf",
                    size=1000,
                    uploaded_by=self.coordinator,
                )

    def queries(self, url: str) -> int:
        self.client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url)
        assert response.status_code == 200, url
        assert "underlag-" in response.content.decode(), url  # the evidence is shown
        return len(captured)

    def pages(self) -> list[str]:
        return [
            reverse("risks:detail", args=[self.sn_risk.pk]),
            reverse("audits:detail", args=[self.sn_report.pk]),
            reverse("followups:report_action", args=[self.sn_action.pk]),
            reverse("followups:report_control_activity", args=[self.sn_activity.pk]),
            reverse("audits:recommendation_follow_up", args=[self.sn_recommendation.pk]),
        ]

    def test_six_follow_ups_on_behalf_of_six_people_cost_what_one_costs(self) -> None:
        self.client.force_login(self.coordinator)
        self.add_follow_ups(1)
        few = {url: self.queries(url) for url in self.pages()}
        self.add_follow_ups(6)
        many = {url: self.queries(url) for url in self.pages()}
        assert many == few
