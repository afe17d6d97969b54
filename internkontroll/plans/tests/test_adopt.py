from __future__ import annotations

import datetime
from typing import Any

import time_machine
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from internkontroll.accounts.models import User
from internkontroll.plans.models import ControlPlan
from internkontroll.test import BaseTestCase, make_plan

TODAY = datetime.datetime(2025, 9, 1, 12, tzinfo=datetime.UTC)


def url(plan: ControlPlan) -> str:
    return reverse("plans:adopt", args=[plan.pk])


@time_machine.travel(TODAY, tick=False)
class AdoptPlanTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.draft = make_plan(cls.sn, year=2026)

    def adopt(self, plan: ControlPlan, user: User | None = None, **data: Any) -> Any:
        self.client.force_login(user or self.coordinator)
        fields = {
            "adopted_on": "2025-08-28",
            "reference": "SN-2025/301",
            "version": plan.version,
        }
        return self.client.post(url(plan), {**fields, **data})

    def test_it_records_the_adoption_of_a_draft(self) -> None:
        response = self.adopt(self.draft)
        assert response.status_code == 302
        assert response.url == reverse("plans:detail", args=[self.draft.pk])
        self.draft.refresh_from_db()
        assert self.draft.adopted_on == datetime.date(2025, 8, 28)
        assert self.draft.reference == "SN-2025/301"
        assert self.draft.status == ControlPlan.Status.ADOPTED

    def test_its_history_records_who_adopted_the_plan(self) -> None:
        self.adopt(self.draft)
        latest = self.draft.history.latest()
        assert latest.history_user == self.coordinator
        assert latest.reference == "SN-2025/301"

    def test_it_changes_an_adoption_when_date_and_reference_are_changed(self) -> None:
        response = self.adopt(self.sn_plan, adopted_on="2025-01-15", reference="SN-2025/12")
        assert response.status_code == 302
        self.sn_plan.refresh_from_db()
        assert (self.sn_plan.adopted_on, self.sn_plan.reference) == (
            datetime.date(2025, 1, 15),
            "SN-2025/12",
        )

    def test_it_refuses_to_readopt_with_the_same_date_and_reference(self) -> None:
        response = self.adopt(self.sn_plan, adopted_on="2024-12-12", reference="SN-2024/259")
        assert response.status_code == 422
        assert response.context["adoption_form"].non_field_errors()
        assert self.sn_plan.history.count() == 1

    def someone_else_adopts(self, plan: ControlPlan) -> None:
        ControlPlan.objects.filter(pk=plan.pk).update(version=F("version") + 1)

    def test_it_refuses_an_adoption_someone_else_changed_meanwhile(self) -> None:
        self.someone_else_adopts(self.sn_plan)
        response = self.adopt(self.sn_plan)
        assert response.status_code == 422
        assert "Någon annan sparade detta" in str(
            response.context["adoption_form"].non_field_errors()
        )
        self.sn_plan.refresh_from_db()
        assert self.sn_plan.reference == "SN-2024/259"

    def test_after_refusing_a_stale_adoption_it_carries_the_newer_version(self) -> None:
        self.someone_else_adopts(self.sn_plan)
        response = self.adopt(self.sn_plan)
        content = response.content.decode()
        assert f'name="version" value="{self.sn_plan.version + 1}"' in content
        assert 'value="SN-2025/301"' in content  # what the user typed is kept
        resent = self.adopt(self.sn_plan, version=self.sn_plan.version + 1)
        assert resent.status_code == 302

    def test_it_refuses_an_adoption_without_the_plans_version(self) -> None:
        for version in ("", "abc"):
            with self.subTest(version=version):
                response = self.adopt(self.draft, version=version)
                assert response.status_code == 422
                assert "saknar versionen" in response.content.decode()
                self.draft.refresh_from_db()
                assert self.draft.adopted_on is None

    def test_it_refuses_a_date_in_the_future(self) -> None:
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        response = self.adopt(self.draft, adopted_on=tomorrow.isoformat())
        assert response.status_code == 422
        assert "adopted_on" in response.context["adoption_form"].errors
        self.draft.refresh_from_db()
        assert self.draft.adopted_on is None

    def test_it_refuses_an_adoption_outside_the_plans_year_and_the_year_before(self) -> None:
        response = self.adopt(self.draft, adopted_on="2024-12-30")
        assert response.status_code == 422
        errors = response.context["adoption_form"].errors["adopted_on"]
        assert errors == ["En plan för 2026 fastställs 2026 eller året före, inte 2024."]
        self.draft.refresh_from_db()
        assert self.draft.adopted_on is None

    def test_it_refuses_an_adoption_before_the_previous_one(self) -> None:
        assert self.adopt(self.draft, adopted_on="2025-08-28").status_code == 302
        self.draft.refresh_from_db()
        response = self.adopt(self.draft, adopted_on="2025-03-01", reference="SN-2025/9")
        assert response.status_code == 422
        assert response.context["adoption_form"].errors["adopted_on"] == [
            "Planen fastställdes redan 2025-08-28; en ny fastställelse kan inte vara tidigare."
        ]
        self.draft.refresh_from_db()
        assert self.draft.adopted_on == datetime.date(2025, 8, 28)

    def test_versions_are_listed_by_decision_date_not_by_registration(self) -> None:
        self.adopt(self.draft, adopted_on="2025-08-28")
        self.draft.refresh_from_db()
        self.adopt(self.draft, adopted_on="2025-08-30", reference="SN-2025/302")
        later_registered_first = list(self.draft.versions.values_list("decided_on", flat=True))
        assert later_registered_first == [datetime.date(2025, 8, 30), datetime.date(2025, 8, 28)]

    def test_it_accepts_an_adoption_today(self) -> None:
        response = self.adopt(self.draft, adopted_on=timezone.localdate().isoformat())
        assert response.status_code == 302

    def test_it_refuses_a_date_that_does_not_exist_and_keeps_what_was_typed(self) -> None:
        response = self.adopt(self.draft, adopted_on="2025-02-30", reference="SN-2025/77")
        assert response.status_code == 422
        content = response.content.decode()
        assert 'value="2025-02-30"' in content
        assert 'value="SN-2025/77"' in content
        assert 'id="id_adopted_on_error' in content

    def test_it_requires_a_date_and_a_reference(self) -> None:
        response = self.adopt(self.draft, adopted_on="", reference="  ")
        assert response.status_code == 422
        assert set(response.context["adoption_form"].errors) == {"adopted_on", "reference"}

    def test_it_refuses_a_reference_longer_than_100_characters(self) -> None:
        response = self.adopt(self.draft, reference="SN-" + "9" * 98)
        assert response.status_code == 422
        assert "reference" in response.context["adoption_form"].errors

    def test_it_shows_the_plan_page_around_the_errors(self) -> None:
        response = self.adopt(self.draft, adopted_on="")
        assert response.templates[0].name == "plans/detail.html"
        assert response.context["plan"] == self.draft

    def test_it_forbids_readers(self) -> None:
        response = self.adopt(self.sn_plan, user=self.reader, reference="SN-2025/9")
        assert response.status_code == 403
        self.sn_plan.refresh_from_db()
        assert self.sn_plan.reference == "SN-2024/259"

    def test_it_forbids_the_responsible_of_a_unit_and_the_auditor(self) -> None:
        assert self.adopt(self.sn_plan, user=self.responsible).status_code == 403
        assert self.adopt(self.sn_plan, user=self.auditor).status_code == 403

    def test_it_hides_another_organisations_plan_from_a_forged_post(self) -> None:
        response = self.adopt(self.sn_plan, user=self.outsider)
        assert response.status_code == 404
        self.sn_plan.refresh_from_db()
        assert self.sn_plan.reference == "SN-2024/259"

    def test_it_hides_another_committees_plan_from_its_coordinator(self) -> None:
        assert self.adopt(self.bn_plan).status_code == 404

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.post(url(self.draft), {"adopted_on": "2025-08-28"})
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
        self.draft.refresh_from_db()
        assert self.draft.adopted_on is None

    def test_it_rejects_get(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.get(url(self.draft)).status_code == 405
