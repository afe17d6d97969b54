from __future__ import annotations

import datetime
from typing import Any

import time_machine
from django.urls import reverse

from internkontroll.accounts.models import User
from internkontroll.plans.models import Assessment, ControlPlan
from internkontroll.test import BaseTestCase, make_plan

TODAY = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)


def url(plan: ControlPlan) -> str:
    return reverse("plans:assessment", args=[plan.pk])


@time_machine.travel(TODAY, tick=False)
class AssessmentTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.unassessed = make_plan(cls.sn, year=2024)

    def assess(self, plan: ControlPlan, user: User | None = None, **data: Any) -> Any:
        self.client.force_login(user or self.coordinator)
        fields = {
            "verdict": "partly_sufficient",
            "decided_on": "2026-02-19",
            "analysis": "Två kontroller visade avvikelser.",
        }
        assessment = Assessment.objects.filter(plan=plan).first()
        if assessment is not None:
            fields["version"] = assessment.version
        return self.client.post(url(plan), {**fields, **data})

    def test_it_shows_the_form_to_a_coordinator(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(url(self.sn_plan))
        assert response.status_code == 200
        assert response.context["form"].initial["verdict"] == "sufficient"

    def test_it_records_a_first_assessment(self) -> None:
        response = self.assess(self.unassessed)
        assert response.status_code == 302
        assert response.url == reverse("plans:detail", args=[self.unassessed.pk])
        assessment = Assessment.objects.get(plan=self.unassessed)
        assert assessment.verdict == "partly_sufficient"
        assert assessment.decided_on == datetime.date(2026, 2, 19)
        assert assessment.analysis == "Två kontroller visade avvikelser."

    def test_it_updates_the_existing_assessment(self) -> None:
        self.assess(self.sn_plan, verdict="insufficient")
        assert Assessment.objects.filter(plan=self.sn_plan).count() == 1
        self.sn_assessment.refresh_from_db()
        assert self.sn_assessment.verdict == "insufficient"

    def test_its_history_records_who_assessed(self) -> None:
        self.assess(self.sn_plan)
        assert self.sn_assessment.history.latest().history_user == self.coordinator

    def test_it_refuses_an_edit_without_the_assessments_version(self) -> None:
        response = self.assess(self.sn_plan, verdict="insufficient", version="")
        assert response.status_code == 422
        assert "saknar versionen" in response.content.decode()
        self.sn_assessment.refresh_from_db()
        assert self.sn_assessment.verdict == "sufficient"

    def test_it_refuses_a_stale_edit_and_keeps_what_was_typed(self) -> None:
        stale = self.sn_assessment.version
        Assessment.objects.filter(pk=self.sn_assessment.pk).update(version=stale + 1)
        response = self.assess(
            self.sn_plan, verdict="insufficient", analysis="Min analys.", version=stale
        )
        assert response.status_code == 422
        assert "Min analys." in response.content.decode()
        assert response.context["form"]["version"].value() == stale + 1
        self.sn_assessment.refresh_from_db()
        assert self.sn_assessment.verdict == "sufficient"

    def test_it_accepts_an_assessment_not_yet_decided(self) -> None:
        assert self.assess(self.unassessed, decided_on="").status_code == 302
        assert Assessment.objects.get(plan=self.unassessed).decided_on is None

    def test_it_refuses_a_decision_in_the_future(self) -> None:
        response = self.assess(self.unassessed, decided_on="2026-03-02")
        assert response.status_code == 422
        assert "decided_on" in response.context["form"].errors
        assert not Assessment.objects.filter(plan=self.unassessed).exists()

    def test_it_refuses_a_decision_before_the_year_it_assesses(self) -> None:
        response = self.assess(self.sn_plan, decided_on="2024-12-31")
        assert response.status_code == 422
        assert "decided_on" in response.context["form"].errors

    def test_it_refuses_a_date_that_does_not_exist_and_keeps_what_was_typed(self) -> None:
        response = self.assess(self.unassessed, decided_on="2026-02-30")
        assert response.status_code == 422
        content = response.content.decode()
        assert 'value="2026-02-30"' in content
        assert "Två kontroller visade avvikelser." in content
        assert 'id="id_decided_on_error' in content

    def test_it_requires_a_verdict_and_an_analysis(self) -> None:
        response = self.assess(self.unassessed, verdict="", analysis="")
        assert response.status_code == 422
        assert set(response.context["form"].errors) == {"verdict", "analysis"}

    def test_it_refuses_an_unknown_verdict(self) -> None:
        response = self.assess(self.sn_plan, verdict="excellent")
        assert response.status_code == 422
        self.sn_assessment.refresh_from_db()
        assert self.sn_assessment.verdict == "sufficient"

    def test_it_forbids_readers_to_open_the_form(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.get(url(self.sn_plan)).status_code == 403

    def test_it_forbids_readers_to_post(self) -> None:
        assert self.assess(self.sn_plan, user=self.reader).status_code == 403
        self.sn_assessment.refresh_from_db()
        assert self.sn_assessment.verdict == "sufficient"

    def test_it_hides_another_organisations_plan_from_a_forged_post(self) -> None:
        assert self.assess(self.sn_plan, user=self.outsider).status_code == 404
        assert self.sn_assessment.history.count() == 1

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.get(url(self.sn_plan))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_it_rejects_other_methods(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.put(url(self.sn_plan)).status_code == 405
