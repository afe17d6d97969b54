from __future__ import annotations

from typing import Any

import time_machine
from django.urls import reverse

from internkontroll.accounts.models import Role
from internkontroll.nominations.models import Nomination
from internkontroll.nominations.tests.helpers import TODAY, NominationTestCase, nominate
from internkontroll.organisation.models import Process
from internkontroll.risks.models import Risk
from internkontroll.test import make_user


def url(name: str, nomination: Nomination) -> str:
    return reverse(f"nominations:{name}", args=[nomination.pk])


@time_machine.travel(TODAY, tick=False)
class DecideTests(NominationTestCase):
    def setUp(self) -> None:
        self.process = Process.objects.create(organisation=self.organisation, name="Hembesök")
        self.nomination = nominate(
            self.sf_vux,
            self.responsible,
            self.sn_next,
            probability=2,
            consequence=4,
            description="Handläggare gör hembesök ensamma.",
            process=self.process,
        )

    def post(self, name: str, user: Any = None, **data: Any) -> Any:
        self.client.force_login(user or self.coordinator)
        return self.client.post(url(name, self.nomination), {"version": 1, **data})

    def test_the_coordinator_accepts_it_into_the_plan(self) -> None:
        response = self.post("accept", comment="Tas med i samlad riskbild.")
        assert response.status_code == 302
        assert response.url == reverse("nominations:queue", args=[self.sn_next.pk])
        self.nomination.refresh_from_db()
        risk = Risk.objects.get(plan=self.sn_next)
        assert self.nomination.status == "accepted"
        assert self.nomination.risk == risk
        assert self.nomination.decided_by == self.coordinator
        assert self.nomination.decision_comment == "Tas med i samlad riskbild."
        assert risk.title == "Hot mot personal vid hembesök"
        assert risk.unit == self.sf_vux
        assert (risk.probability, risk.consequence) == (2, 4)
        assert risk.description == "Handläggare gör hembesök ensamma."
        assert risk.process == self.process
        assert risk.external_id == "r-1"
        assert risk.history.get().history_user == self.coordinator  # type: ignore[attr-defined]

    def test_the_acceptance_is_in_the_proposals_history(self) -> None:
        self.post("accept")
        rows = self.nomination.history.order_by("history_date", "history_id")  # type: ignore[attr-defined]
        assert [(row.status, row.history_user) for row in rows] == [
            ("proposed", self.responsible),
            ("accepted", self.coordinator),
        ]

    def test_the_proposer_sees_the_acceptance_and_the_risk(self) -> None:
        self.post("accept", comment="Tas med.")
        self.client.force_login(self.responsible)
        page = self.client.get(url("detail", self.nomination)).content.decode()
        risk = Risk.objects.get(plan=self.sn_next)
        assert "Godtaget" in page
        assert "Tas med." in page
        assert "Ansvarig</strong> föreslog risken" in page
        assert "Samordnare</strong> godtog förslaget" in page
        assert reverse("risks:detail", args=[risk.pk]) in page
        mine = self.client.get(reverse("nominations:mine")).content.decode()
        assert "Godtaget" in mine
        assert reverse("risks:detail", args=[risk.pk]) in mine

    def test_the_coordinator_returns_it_with_a_reason(self) -> None:
        response = self.post("send_back", reason="Hanteras i arbetsmiljöarbetet.")
        assert response.status_code == 302
        self.nomination.refresh_from_db()
        assert self.nomination.status == "returned"
        assert self.nomination.decision_comment == "Hanteras i arbetsmiljöarbetet."
        assert not Risk.objects.filter(plan=self.sn_next).exists()
        self.client.force_login(self.responsible)
        mine = self.client.get(reverse("nominations:mine")).content.decode()
        assert "Returnerat" in mine
        assert "Hanteras i arbetsmiljöarbetet." in mine

    def test_a_return_needs_a_reason(self) -> None:
        response = self.post("send_back", reason="  ")
        assert response.status_code == 422
        assert "Ange varför förslaget returneras" in response.content.decode()
        self.nomination.refresh_from_db()
        assert self.nomination.status == "proposed"

    def test_a_decision_from_an_outdated_page_is_refused(self) -> None:
        self.post("send_back", reason="Nej.")
        response = self.post("accept")
        assert response.status_code == 422
        assert not Risk.objects.filter(plan=self.sn_next).exists()
        self.nomination.refresh_from_db()
        assert self.nomination.status == "returned"

    def test_a_decided_proposal_is_not_decided_again(self) -> None:
        self.post("send_back", reason="Nej.")
        response = self.post("accept", version=2)
        assert response.status_code == 422
        assert "väntar inte längre på beslut" in response.content.decode()
        assert not Risk.objects.filter(plan=self.sn_next).exists()

    def test_only_those_who_write_the_plan_decide(self) -> None:
        for user in (self.responsible, self.barn, self.reader, self.auditor):
            for name in ("accept", "send_back"):
                response = self.post(name, user=user, reason="Nej.")
                assert response.status_code in (403, 404), (user, name)
        self.client.force_login(self.outsider)
        assert self.post("accept", user=self.outsider).status_code == 404
        self.nomination.refresh_from_db()
        assert self.nomination.status == "proposed"

    def test_an_administrator_may_decide(self) -> None:
        assert self.post("accept", user=self.admin).status_code == 302

    def test_deciding_rejects_get(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.get(url("accept", self.nomination)).status_code == 405

    def test_the_proposer_withdraws_it(self) -> None:
        response = self.post("withdraw", user=self.responsible)
        assert response.status_code == 302
        self.nomination.refresh_from_db()
        assert self.nomination.status == "withdrawn"

    def test_no_one_else_withdraws_it(self) -> None:
        assert self.post("withdraw", user=self.coordinator).status_code == 403
        self.nomination.refresh_from_db()
        assert self.nomination.status == "proposed"

    def test_the_coordinator_sees_the_decision_forms_and_the_proposer_does_not(self) -> None:
        self.client.force_login(self.coordinator)
        page = self.client.get(url("detail", self.nomination)).content.decode()
        assert url("accept", self.nomination) in page
        assert url("withdraw", self.nomination) not in page
        self.client.force_login(self.responsible)
        page = self.client.get(url("detail", self.nomination)).content.decode()
        assert url("accept", self.nomination) not in page
        assert url("withdraw", self.nomination) in page
        assert "Handläggare gör hembesök ensamma." in page

    def test_who_reads_the_proposal(self) -> None:
        expected = {
            self.coordinator: 200,
            self.responsible: 200,
            self.reader: 200,
            self.auditor: 200,
            self.admin: 200,
            self.barn: 404,  # another unit below the same committee
            self.outsider: 404,
        }
        for user, status in expected.items():
            self.client.force_login(user)
            assert self.client.get(url("detail", self.nomination)).status_code == status, user


@time_machine.travel(TODAY, tick=False)
class AnotherCommitteeTests(NominationTestCase):
    """Socialnämnden's people do not reach a proposal for barn- och utbildningsnämnden."""

    def test_its_proposals_are_not_found(self) -> None:
        head = make_user("rektor", self.organisation, [(Role.RESPONSIBLE, self.bf)])
        nomination = nominate(self.bf, head, self.bn_plan, title="Brister i skolskjutsar")
        for user in (self.coordinator, self.responsible, self.auditor):
            self.client.force_login(user)
            assert self.client.get(url("detail", nomination)).status_code == 404
            assert self.client.post(url("accept", nomination), {"version": 1}).status_code == 404
            queue = reverse("nominations:queue", args=[self.bn_plan.pk])
            assert self.client.get(queue).status_code == 404
        nomination.refresh_from_db()
        assert nomination.status == "proposed"
