"""My proposals, the plan's queue, and the links to them from the plan's and the risk's pages."""

from __future__ import annotations

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.nominations.models import Nomination
from internkontroll.nominations.tests.helpers import TODAY, NominationTestCase, nominate
from internkontroll.test import make_risk

MINE = reverse("nominations:mine")


def queue(plan: object) -> str:
    return reverse("nominations:queue", args=[plan.pk])  # type: ignore[attr-defined]


@time_machine.travel(TODAY, tick=False)
class MineTests(NominationTestCase):
    def test_it_lists_the_persons_own_proposals_only(self) -> None:
        nominate(self.sf_vux, self.responsible, self.sn_next, title="Vuxnas förslag")
        nominate(self.sf_barn, self.barn, self.sn_next, title="Barnenhetens förslag")
        self.client.force_login(self.responsible)
        response = self.client.get(MINE)
        assert response.status_code == 200
        assert [n.title for n in response.context["nominations"]] == ["Vuxnas förslag"]
        assert "Väntar på beslut" in response.content.decode()

    def test_a_reader_has_none_and_may_not_propose(self) -> None:
        self.client.force_login(self.reader)
        response = self.client.get(MINE)
        assert response.context["nominations"] == []
        assert not response.context["may_propose"]

    def test_its_queries_do_not_grow_with_the_proposals(self) -> None:
        nominate(self.sf_vux, self.responsible, self.sn_next)
        self.client.force_login(self.responsible)
        self.client.get(MINE)
        with CaptureQueriesContext(connection) as few:
            self.client.get(MINE)
        for number in range(10):
            nominate(self.sf_vux, self.responsible, self.sn_next, title=f"Förslag {number}")
        with self.assertNumQueries(len(few.captured_queries)):
            response = self.client.get(MINE)
        assert len(response.context["nominations"]) == 11

    def test_it_rejects_post(self) -> None:
        self.client.force_login(self.responsible)
        assert self.client.post(MINE).status_code == 405


@time_machine.travel(TODAY, tick=False)
class QueueTests(NominationTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.vux = nominate(cls.sf_vux, cls.responsible, cls.sn_plan, title="Vuxnas förslag")
        cls.children = nominate(cls.sf_barn, cls.barn, cls.sn_plan, title="Barnenhetens förslag")

    def titles(self, user: object, key: str = "pending") -> list[str]:
        self.client.force_login(user)  # type: ignore[arg-type]
        response = self.client.get(queue(self.sn_plan))
        assert response.status_code == 200
        return sorted(n.title for n in response.context[key])

    def test_the_coordinator_sees_every_proposal_for_the_plan(self) -> None:
        assert self.titles(self.coordinator) == ["Barnenhetens förslag", "Vuxnas förslag"]

    def test_a_person_below_the_committee_sees_their_units_proposals_only(self) -> None:
        assert self.titles(self.responsible) == ["Vuxnas förslag"]

    def test_readers_of_the_whole_plan_see_every_proposal(self) -> None:
        assert self.titles(self.reader) == ["Barnenhetens förslag", "Vuxnas förslag"]
        assert self.titles(self.auditor) == ["Barnenhetens förslag", "Vuxnas förslag"]

    def test_decided_proposals_are_listed_apart(self) -> None:
        Nomination.objects.filter(pk=self.children.pk).update(status="withdrawn")
        assert self.titles(self.coordinator) == ["Vuxnas förslag"]
        assert self.titles(self.coordinator, "decided") == ["Barnenhetens förslag"]

    def test_another_organisation_gets_404(self) -> None:
        self.client.force_login(self.outsider)
        assert self.client.get(queue(self.sn_plan)).status_code == 404

    def test_its_queries_do_not_grow_with_the_proposals(self) -> None:
        nominate(self.sf_vux, self.responsible, self.sn_plan, status="withdrawn")
        self.client.force_login(self.coordinator)
        self.client.get(queue(self.sn_plan))
        with CaptureQueriesContext(connection) as few:
            self.client.get(queue(self.sn_plan))
        for number in range(10):
            nominate(self.sf_vux, self.responsible, self.sn_plan, title=f"Förslag {number}")
            nominate(self.sf_vux, self.responsible, self.sn_plan, status="withdrawn")
        with self.assertNumQueries(len(few.captured_queries)):
            response = self.client.get(queue(self.sn_plan))
        assert len(response.context["pending"]) == 12


@time_machine.travel(TODAY, tick=False)
class LinkTests(NominationTestCase):
    def plan_page(self, user: object, plan: object) -> str:
        self.client.force_login(user)  # type: ignore[arg-type]
        url = reverse("plans:detail", args=[plan.pk])  # type: ignore[attr-defined]
        return self.client.get(url).content.decode()

    def test_the_plan_page_counts_the_proposals_awaiting_the_coordinator(self) -> None:
        nominate(self.sf_vux, self.responsible, self.sn_plan)
        nominate(self.sf_barn, self.barn, self.sn_plan)
        page = self.plan_page(self.coordinator, self.sn_plan)
        assert queue(self.sn_plan) in page
        assert "2 väntar på ditt beslut" in page

    def test_the_plan_page_counts_only_the_proposals_still_awaiting_a_decision(self) -> None:
        nominate(self.sf_vux, self.responsible, self.sn_plan)
        returned = nominate(self.sf_vux, self.responsible, self.sn_plan)
        Nomination.objects.filter(pk=returned.pk).update(status=Nomination.Status.RETURNED)
        assert "1 väntar på ditt beslut" in self.plan_page(self.coordinator, self.sn_plan)
        assert "Förslag till samlad riskbild (2)" in self.plan_page(self.responsible, self.sn_plan)

    def test_the_plan_page_offers_the_unit_to_propose(self) -> None:
        page = self.plan_page(self.responsible, self.sn_plan)
        assert f"{reverse('nominations:create')}?plan={self.sn_plan.pk}" in page
        assert MINE in page

    def test_the_plan_page_offers_a_reader_nothing(self) -> None:
        page = self.plan_page(self.reader, self.sn_plan)
        assert reverse("nominations:create") not in page
        assert queue(self.sn_plan) not in page

    def test_the_risk_page_lets_the_unit_propose_its_risk_for_next_year(self) -> None:
        nomination = nominate(self.sf_vux, self.responsible, self.sn_next, source_risk=self.sn_risk)
        self.client.force_login(self.responsible)
        page = self.client.get(reverse("risks:detail", args=[self.sn_risk.pk])).content.decode()
        assert f"{reverse('nominations:create')}?risk={self.sn_risk.pk}" in page
        assert reverse("nominations:detail", args=[nomination.pk]) in page

    def test_the_risk_page_offers_nothing_to_another_units_risk(self) -> None:
        risk = make_risk(self.sn_plan, "r-2", unit=self.sf_barn)
        self.client.force_login(self.coordinator)
        page = self.client.get(reverse("risks:detail", args=[risk.pk])).content.decode()
        # The coordinator covers the unit and may propose for it; the reader may not.
        assert f"?risk={risk.pk}" in page
        self.client.force_login(self.reader)
        page = self.client.get(reverse("risks:detail", args=[risk.pk])).content.decode()
        assert f"?risk={risk.pk}" not in page
