"""A new plan for a committee that has none for the year, without the Django admin."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.accounts.models import Role, User
from internkontroll.organisation.models import RiskMatrix
from internkontroll.plans.forms import PlanCreationForm
from internkontroll.plans.models import ControlPlan
from internkontroll.test import BaseTestCase, make_plan, make_unit, make_user

TODAY = datetime.datetime(2025, 10, 1, 9, tzinfo=datetime.UTC)
URL = reverse("plans:create")


def options(response: Any) -> list[str]:
    """The committees offered, by name."""
    return [unit.name for unit in response.context["form"].fields["unit"].queryset]


@time_machine.travel(TODAY, tick=False)
class CreatePlanTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # A coordinator of the administration, below the committee.
        cls.below = make_user("forvaltning", cls.organisation, [(Role.COORDINATOR, cls.sf)])
        cls.ks_coordinator = make_user(
            "ks-samordnare", cls.organisation, [(Role.COORDINATOR, cls.ks)]
        )

    def post(self, user: User | None = None, **data: Any) -> Any:
        self.client.force_login(user or self.coordinator)
        return self.client.post(URL, {"unit": self.sn.pk, "year": 2026, **data})

    def test_the_coordinator_is_offered_their_committee_and_its_next_free_year(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(URL)
        body = response.content.decode()
        assert response.status_code == 200
        assert "Ny internkontrollplan" in body
        assert options(response) == ["Socialnämnden"]
        # Socialnämnden has its plan for 2025: the next year is proposed.
        assert f'<option value="{self.sn.pk}" selected>Socialnämnden</option>' in body
        assert 'value="2026"' in body

    def test_a_committee_without_a_plan_this_year_is_proposed_this_year(self) -> None:
        self.client.force_login(self.ks_coordinator)
        response = self.client.get(URL)
        assert response.context["form"].initial["year"] == 2025

    def test_only_committees_are_offered_not_administrations_or_units(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.get(f"{URL}?unit={self.bn.pk}&year=2026")
        assert options(response) == [
            "Barn- och utbildningsnämnden",
            "Kommunstyrelsen",
            "Socialnämnden",
        ]
        assert response.context["form"].initial == {"unit": self.bn, "year": 2026}

    def test_it_makes_the_plan_with_the_current_matrix_and_history_and_opens_it(self) -> None:
        newer = RiskMatrix.objects.get(pk=self.sn_plan.risk_matrix_id)
        newer.pk = None
        newer.save()
        self.organisation.risk_matrix = newer
        self.organisation.save(update_fields=["risk_matrix"])

        response = self.post(reference=" SN-2025/301 ")

        plan = ControlPlan.objects.get(unit=self.sn, year=2026)
        assert response.status_code == 302
        assert response["Location"] == reverse("plans:detail", args=[plan.pk])
        assert plan.risk_matrix == newer != self.sn_plan.risk_matrix
        assert (plan.reference, plan.status, plan.adopted_on) == ("SN-2025/301", "draft", None)
        record = plan.history.get()
        assert (record.history_type, record.history_user) == ("+", self.coordinator)
        assert record.history_change_reason == "Ny plan"
        page = self.client.get(response["Location"]).content.decode()
        assert "Planen för 2026 har skapats som utkast." in page
        assert "Internkontrollplan: Socialnämnden 2026" in page

    def test_a_year_the_committee_already_has_a_plan_for_is_refused_on_the_year(self) -> None:
        response = self.post(year=2025)
        assert response.status_code == 422
        assert response.context["form"].errors == {
            "year": ["Socialnämnden har redan en plan för 2025. Välj ett annat år."]
        }
        assert ControlPlan.objects.filter(unit=self.sn).count() == 1

    def test_a_plan_made_by_someone_else_at_the_same_moment_is_a_form_error(self) -> None:
        checked = PlanCreationForm.clean

        def someone_else_first(form: PlanCreationForm) -> Any:
            cleaned = checked(form)
            make_plan(self.sn, 2026)  # after the form found the year free
            return cleaned

        with mock.patch.object(PlanCreationForm, "clean", someone_else_first):
            response = self.post()
        assert response.status_code == 422
        assert response.context["form"].errors == {
            "year": ["Socialnämnden har redan en plan för 2026. Välj ett annat år."]
        }

    def test_the_databases_unique_constraint_also_becomes_a_form_error(self) -> None:
        checked = PlanCreationForm.clean

        def someone_else_first(form: PlanCreationForm) -> Any:
            cleaned = checked(form)
            make_plan(self.sn, 2026)  # after the form found the year free
            return cleaned

        # As if both requests passed validation before either wrote its row.
        with (
            mock.patch.object(PlanCreationForm, "clean", someone_else_first),
            mock.patch.object(ControlPlan, "validate_constraints", lambda *a, **k: None),
        ):
            response = self.post()
        assert response.status_code == 422
        assert "Socialnämnden har redan en plan för 2026." in response.content.decode()
        assert ControlPlan.objects.filter(unit=self.sn, year=2026).count() == 1

    def test_years_out_of_range_are_refused(self) -> None:
        for year in (2023, 2028):
            response = self.post(year=year)
            assert response.status_code == 422
            assert response.context["form"].errors == {
                "year": [f"En ny plan kan göras för åren 2024–2027, inte för {year}."]
            }
        response = self.post(year="tjugo")
        assert response.context["form"].errors == {
            "year": ["Ange året med siffror, till exempel 2026."]
        }
        assert not ControlPlan.objects.filter(unit=self.sn).exclude(year=2025).exists()

    def test_a_unit_that_is_not_a_committee_is_refused(self) -> None:
        response = self.post(self.admin, unit=self.sf.pk)
        assert response.status_code == 422
        assert response.context["form"].errors == {
            "unit": ["Välj en av de nämnder vars planer du ansvarar för."]
        }

    def test_another_organisations_coordinator_cannot_choose_our_committee(self) -> None:
        self.client.force_login(self.outsider)
        assert options(self.client.get(URL)) == [self.other_committee.name]
        response = self.post(self.outsider)
        assert response.status_code == 422
        assert "unit" in response.context["form"].errors
        assert not ControlPlan.objects.filter(year=2026).exists()

    def test_a_committee_another_coordinator_holds_is_refused(self) -> None:
        response = self.post(unit=self.ks.pk)
        assert response.status_code == 422
        assert not ControlPlan.objects.filter(unit=self.ks).exists()

    def test_people_who_hold_no_committee_may_not_make_plans(self) -> None:
        for user in (self.below, self.responsible, self.reader, self.auditor):
            self.client.force_login(user)
            assert self.client.get(URL).status_code == 403, user
            assert self.post(user).status_code == 403, user
        assert not ControlPlan.objects.filter(year=2026).exists()

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        response = self.client.get(URL)
        assert response.status_code == 302
        assert "/login/" in response["Location"] or "logga-in" in response["Location"]

    def test_odd_addresses_only_lose_their_proposal(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(f"{URL}?unit={'9' * 5000}&year={'1' * 5000}")
        assert response.status_code == 200
        assert response.context["form"].initial == {"unit": self.sn, "year": 2026}

    def test_it_rejects_put(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.put(URL).status_code == 405

    def test_the_page_costs_the_same_queries_for_3_committees_and_10(self) -> None:
        self.client.force_login(self.admin)

        def count() -> int:
            # A request first: the scope is read once after a change to roles or units.
            self.client.get(URL)
            with CaptureQueriesContext(connection) as queries:
                assert self.client.get(URL).status_code == 200
            return len(queries)

        with_three = count()
        for number in range(7):
            make_unit(self.organisation, f"n-{number}", "committee", name=f"Nämnd {number}")
        assert count() == with_three


@time_machine.travel(TODAY, tick=False)
class LinksToNewPlanTests(BaseTestCase):
    def test_a_coordinator_with_no_plan_to_see_is_offered_a_new_one(self) -> None:
        ks_coordinator = make_user(
            "ks-samordnare", self.organisation, [(Role.COORDINATOR, self.ks)]
        )
        self.client.force_login(ks_coordinator)
        body = self.client.get(reverse("plans:current")).content.decode()
        assert f'href="{URL}"' in body

    def test_a_person_with_nothing_to_write_is_not_offered_a_new_plan(self) -> None:
        nobody = make_user("ingen", self.organisation, [(Role.READER, self.sf_barn)])
        self.client.force_login(nobody)
        body = self.client.get(reverse("plans:current")).content.decode()
        assert URL not in body

    def test_the_plan_page_offers_a_new_plan_to_writers_only(self) -> None:
        link = f'href="{URL}?unit={self.sn.pk}"'
        self.client.force_login(self.coordinator)
        page = self.client.get(reverse("plans:detail", args=[self.sn_plan.pk])).content.decode()
        assert link in page and "Ny plan för ett annat år" in page
        self.client.force_login(self.reader)
        page = self.client.get(reverse("plans:detail", args=[self.sn_plan.pk])).content.decode()
        assert link not in page

    def test_the_overview_offers_a_plan_for_committees_without_one_to_writers_only(self) -> None:
        link = f'href="{URL}?unit={self.ks.pk}&amp;year=2025"'
        self.client.force_login(self.admin)
        page = self.client.get(reverse("organisation:overview")).content.decode()
        assert link in page
        # Socialnämnden has its plan for 2025.
        assert f"{URL}?unit={self.sn.pk}" not in page
        self.client.force_login(self.reader)
        page = self.client.get(reverse("organisation:overview")).content.decode()
        assert URL not in page
