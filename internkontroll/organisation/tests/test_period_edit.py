import datetime

import time_machine
from django.urls import reverse

from internkontroll.organisation.models import Period
from internkontroll.test import BaseTestCase


@time_machine.travel(datetime.date(2025, 3, 1), tick=False)
class PeriodEditTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.t1 = cls.organisation.periods.get(code="T1")

    def url(self) -> str:
        return reverse("organisation:period_edit", args=[self.t1.pk])

    def test_the_administrator_sets_a_deadline_and_the_settings_show_it(self) -> None:
        self.client.force_login(self.admin)
        answer = self.client.post(self.url(), {"deadline_days": 15, "version": 1})
        assert answer.status_code == 302
        period = Period.objects.get(pk=self.t1.pk)
        assert period.deadline_days == 15 and period.version == 2
        assert period.deadline(2025) == datetime.date(2025, 5, 15)
        assert period.history.first().history_user == self.admin
        page = self.client.get(reverse("organisation:settings")).content.decode()
        assert "15 maj (15 dagar efter periodens slut)" in page
        assert self.url() in page

    def test_a_deadline_may_fall_in_the_next_year(self) -> None:
        vb = self.organisation.periods.get(code="VB")
        vb.deadline_days = 31
        assert vb.deadline(2025) == datetime.date(2026, 1, 31)

    def test_an_unreasonable_deadline_is_refused_next_to_the_field(self) -> None:
        self.client.force_login(self.admin)
        answer = self.client.post(self.url(), {"deadline_days": 400, "version": 1})
        assert answer.status_code == 422
        assert "deadline_days" in answer.context["form"].errors
        assert Period.objects.get(pk=self.t1.pk).deadline_days == 0

    def test_a_stale_form_is_refused(self) -> None:
        Period.objects.filter(pk=self.t1.pk).update(version=3)
        self.client.force_login(self.admin)
        answer = self.client.post(self.url(), {"deadline_days": 5, "version": 1})
        assert answer.status_code == 422
        assert Period.objects.get(pk=self.t1.pk).deadline_days == 0

    def test_coordinators_see_the_deadlines_but_may_not_change_them(self) -> None:
        self.client.force_login(self.coordinator)
        page = self.client.get(reverse("organisation:settings")).content.decode()
        assert "Uppföljningsperioder" in page and self.url() not in page
        assert self.client.get(self.url()).status_code == 403
        assert self.client.post(self.url(), {"deadline_days": 5, "version": 1}).status_code == 403

    def test_another_organisations_period_is_not_found(self) -> None:
        self.client.force_login(self.outsider)
        assert self.client.get(self.url()).status_code == 404
