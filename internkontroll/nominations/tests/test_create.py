from __future__ import annotations

from typing import Any

import time_machine
from django.urls import reverse

from internkontroll.nominations.models import Nomination
from internkontroll.nominations.tests.helpers import TODAY, NominationTestCase, nominate
from internkontroll.organisation.models import RiskArea
from internkontroll.test import make_risk

URL = reverse("nominations:create")

PROPOSAL = {
    "title": "Hot mot personal vid hembesök",
    "description": "Handläggare gör hembesök ensamma.",
    "consequence_description": "Personal skadas; sjukskrivningar.",
    "existing_controls": "Rutin för hembesök finns men följs inte alltid.",
    "cell": "3-4",
    "motivation": "Tre incidenter i år, varav en polisanmäld.",
}


@time_machine.travel(TODAY, tick=False)
class ProposeTests(NominationTestCase):
    def propose(self, plan: Any, user: Any = None, **data: Any) -> Any:
        self.client.force_login(user or self.responsible)
        fields = {"unit": self.sf_vux.pk, **PROPOSAL, **data}
        return self.client.post(f"{URL}?plan={plan.pk}", fields)

    def test_a_responsible_person_below_the_committee_proposes_a_risk(self) -> None:
        area = RiskArea.objects.create(organisation=self.organisation, name="Arbetsmiljö")
        response = self.propose(self.sn_next, area=area.pk)
        nomination = Nomination.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("nominations:detail", args=[nomination.pk])
        assert nomination.plan == self.sn_next
        assert nomination.unit == self.sf_vux
        assert nomination.proposed_by == self.responsible
        assert nomination.status == "proposed"
        assert (nomination.probability, nomination.consequence) == (3, 4)
        assert nomination.area == area
        assert nomination.motivation == PROPOSAL["motivation"]
        assert nomination.history.get().history_user == self.responsible  # type: ignore[attr-defined]

    def test_the_form_offers_only_the_persons_own_units(self) -> None:
        self.client.force_login(self.responsible)
        response = self.client.get(f"{URL}?plan={self.sn_next.pk}")
        assert response.status_code == 200
        units = list(response.context["form"].fields["unit"].queryset)
        assert units == [self.sf_vux]
        assert "Socialnämnden 2026" in response.content.decode()

    def test_it_refuses_a_unit_the_person_has_no_role_in(self) -> None:
        response = self.propose(self.sn_next, unit=self.sf_barn.pk)
        assert response.status_code == 422
        assert "unit" in response.context["form"].errors
        assert not Nomination.objects.exists()

    def test_it_says_what_is_missing(self) -> None:
        response = self.propose(self.sn_next, title="", motivation="")
        assert response.status_code == 422
        errors = response.context["form"].errors
        assert set(errors) == {"title", "motivation"}
        assert "Kontrollera de markerade fälten" in response.content.decode()

    def test_it_refuses_a_cell_outside_the_matrix(self) -> None:
        response = self.propose(self.sn_next, cell="9-9")
        assert response.status_code == 422
        assert "cell" in response.context["form"].errors

    def test_a_coordinator_of_the_committee_may_propose_too(self) -> None:
        response = self.propose(self.sn_next, user=self.coordinator)
        assert response.status_code == 302
        assert Nomination.objects.get().proposed_by == self.coordinator

    def test_a_reader_and_an_auditor_may_not_propose(self) -> None:
        for user in (self.reader, self.auditor):
            self.client.force_login(user)
            assert self.client.get(f"{URL}?plan={self.sn_next.pk}").status_code == 403
            assert self.propose(self.sn_next, user=user).status_code == 403
        assert not Nomination.objects.exists()

    def test_another_organisation_does_not_learn_of_the_plan(self) -> None:
        self.client.force_login(self.outsider)
        assert self.client.get(f"{URL}?plan={self.sn_next.pk}").status_code == 404

    def test_a_past_years_plan_takes_no_proposals(self) -> None:
        make_risk(self.sn_old, "r-1", unit=self.sf_vux)  # so that the unit reads the plan
        self.client.force_login(self.responsible)
        assert self.client.get(f"{URL}?plan={self.sn_old.pk}").status_code == 403

    def test_a_plan_of_another_committee_takes_no_proposals_from_the_unit(self) -> None:
        self.client.force_login(self.responsible)
        assert self.client.get(f"{URL}?plan={self.bn_plan.pk}").status_code == 404

    def test_without_a_plan_it_lists_the_plans_open_for_proposals(self) -> None:
        self.client.force_login(self.responsible)
        response = self.client.get(URL)
        assert response.status_code == 200
        assert response.context["plans"] == [self.sn_next, self.sn_plan]

    def test_a_malformed_or_huge_id_is_not_found(self) -> None:
        self.client.force_login(self.responsible)
        for query in ("plan=abc", "plan=99999999999999999999", "risk=99999999999999999999"):
            assert self.client.get(f"{URL}?{query}").status_code == 404, query

    def test_anonymous_is_sent_to_log_in(self) -> None:
        response = self.client.get(URL)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


@time_machine.travel(TODAY, tick=False)
class MarkRiskTests(NominationTestCase):
    """A unit marks one of the risks it identified for another year's risk picture."""

    def url(self, plan: Any = None) -> str:
        query = f"?risk={self.sn_risk.pk}"
        return f"{URL}{query}&plan={plan.pk}" if plan else f"{URL}{query}"

    def test_the_form_starts_from_the_marked_risk(self) -> None:
        self.client.force_login(self.responsible)
        response = self.client.get(self.url())
        assert response.status_code == 200  # the only other plan of the year or later: 2026
        form = response.context["form"]
        assert form.instance.plan == self.sn_next
        assert form.initial["title"] == "Felaktiga utbetalningar"
        assert form.initial["cell"] == "3-3"
        assert form.fields["unit"].disabled

    def test_it_records_the_marked_risk(self) -> None:
        self.client.force_login(self.responsible)
        response = self.client.post(
            self.url(self.sn_next),
            {"title": "Felaktiga utbetalningar", "cell": "3-3", "motivation": "Ökar."},
        )
        assert response.status_code == 302
        nomination = Nomination.objects.get()
        assert nomination.source_risk == self.sn_risk
        assert nomination.unit == self.sf_vux

    def test_the_risks_own_plan_is_not_offered(self) -> None:
        self.client.force_login(self.responsible)
        assert self.client.get(self.url(self.sn_plan)).status_code == 403

    def test_a_risk_is_proposed_for_a_plan_once_at_a_time(self) -> None:
        nominate(self.sf_vux, self.responsible, self.sn_next, source_risk=self.sn_risk)
        self.client.force_login(self.responsible)
        response = self.client.post(
            self.url(self.sn_next), {"title": "Igen", "motivation": "Igen."}
        )
        assert response.status_code == 422
        assert "redan föreslagits" in response.content.decode()

    def test_another_units_person_may_not_mark_the_risk(self) -> None:
        self.client.force_login(self.barn)
        # They may not even read it: it is the adults' unit's risk.
        assert self.client.get(self.url()).status_code == 404
        self.client.force_login(self.reader)
        assert self.client.get(self.url()).status_code == 403
