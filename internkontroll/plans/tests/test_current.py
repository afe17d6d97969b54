from __future__ import annotations

from django.urls import reverse

from internkontroll.plans.selection import SESSION_KEY
from internkontroll.test import BaseTestCase, make_plan, make_user

URL = reverse("plans:current")


class CurrentPlanTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.sn_plan_2026 = make_plan(cls.sn, year=2026)
        cls.nobody = make_user("ingen", cls.organisation)

    def test_it_redirects_to_the_plan_named_by_committee_and_year(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(URL, {"unit": self.sn.pk, "year": 2026})
        assert response.status_code == 302
        assert response.url == reverse("plans:detail", args=[self.sn_plan_2026.pk])

    def test_it_redirects_to_the_remembered_plan(self) -> None:
        self.client.force_login(self.coordinator)
        session = self.client.session
        session[SESSION_KEY] = self.sn_plan_2026.pk
        session.save()
        response = self.client.get(URL)
        assert response.url == reverse("plans:detail", args=[self.sn_plan_2026.pk])

    def test_it_remembers_the_choice_for_the_next_visit(self) -> None:
        self.client.force_login(self.coordinator)
        self.client.get(URL, {"unit": self.sn.pk, "year": 2026})
        assert self.client.session[SESSION_KEY] == self.sn_plan_2026.pk

    def test_it_keeps_the_committee_when_it_has_no_plan_that_year(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(URL, {"unit": self.sn.pk, "year": 1999})
        assert response.url in {
            reverse("plans:detail", args=[plan.pk]) for plan in (self.sn_plan, self.sn_plan_2026)
        }

    def test_it_shows_an_empty_state_to_someone_who_sees_no_plan(self) -> None:
        self.client.force_login(self.nobody)
        response = self.client.get(URL)
        assert response.status_code == 200
        assert response.templates[0].name == "plans/current.html"

    def test_it_never_leads_to_another_organisations_plan(self) -> None:
        self.client.force_login(self.outsider)
        response = self.client.get(URL, {"unit": self.sn.pk, "year": 2025})
        assert response.url == reverse("plans:detail", args=[self.other_plan.pk])

    def test_it_ignores_a_remembered_plan_the_user_may_not_see(self) -> None:
        self.client.force_login(self.outsider)
        session = self.client.session
        session[SESSION_KEY] = self.sn_plan.pk
        session.save()
        response = self.client.get(URL)
        assert response.url == reverse("plans:detail", args=[self.other_plan.pk])

    def test_a_reader_of_the_whole_organisation_is_led_to_a_plan(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.get(URL).status_code == 302

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.get(URL)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_it_rejects_post(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.post(URL).status_code == 405
