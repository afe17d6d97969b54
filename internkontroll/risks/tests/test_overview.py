from django.urls import reverse

from internkontroll.plans.selection import SESSION_KEY
from internkontroll.risks.models import Action, Risk
from internkontroll.test import BaseTestCase, make_risk

URL = reverse("risks:overview")


class OverviewTests(BaseTestCase):
    def test_it_shows_the_committees_risks_on_the_matrix_and_in_the_list(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(URL, {"unit": self.sn.pk, "year": 2025})
        assert response.status_code == 200
        assert response.context["plan"] == self.sn_plan
        assert response.context["risks"] == [self.sn_risk]
        cells = {cell.key: cell.count for row in response.context["grid"] for cell in row.cells}
        assert cells["3-3"] == 1
        assert sum(cells.values()) == 1
        assert "Felaktiga utbetalningar" in response.content.decode()

    def test_it_remembers_the_chosen_committee_and_year(self) -> None:
        self.client.force_login(self.reader)
        self.client.get(URL, {"unit": self.bn.pk, "year": 2025})
        assert self.client.session[SESSION_KEY] == self.bn_plan.pk
        assert self.client.get(URL).context["plan"] == self.bn_plan

    def test_a_cell_filters_the_list_and_marks_the_cell(self) -> None:
        make_risk(self.sn_plan, "r-2", title="Låg risk", probability=1, consequence=1)
        self.client.force_login(self.coordinator)
        response = self.client.get(URL, {"unit": self.sn.pk, "year": 2025, "cell": "1-1"})
        assert [risk.title for risk in response.context["risks"]] == ["Låg risk"]
        selected = [c.key for row in response.context["grid"] for c in row.cells if c.selected]
        assert selected == ["1-1"]

    def test_filters_in_the_url_narrow_the_list(self) -> None:
        make_risk(
            self.sn_plan,
            "r-2",
            title="Annan risk",
            probability=1,
            consequence=1,
            handling=["accept"],
        )
        self.client.force_login(self.coordinator)
        base = {"unit": self.sn.pk, "year": 2025}
        assert self.client.get(URL, {**base, "level": "Kritisk"}).context["risks"] == [self.sn_risk]
        assert [
            r.title for r in self.client.get(URL, {**base, "handling": "accept"}).context["risks"]
        ] == ["Annan risk"]
        assert self.client.get(URL, {**base, "q": "UTBETALNINGAR"}).context["risks"] == [
            self.sn_risk
        ]
        assert self.client.get(URL, {**base, "action_status": "done"}).context["risks"] == []

    def test_the_counts_of_actions_by_status_include_overdue(self) -> None:
        self.client.force_login(self.coordinator)
        counts = {
            code: count
            for code, _label, count in self.client.get(
                URL, {"unit": self.sn.pk, "year": 2025}
            ).context["action_counts"]
        }
        assert counts["in_progress"] == 1
        assert counts["overdue"] == 1  # due 2025-06-30, still in progress

    def test_a_unit_user_sees_only_the_risks_it_identified(self) -> None:
        make_risk(self.sn_plan, "r-2", title="Inte min")
        self.client.force_login(self.responsible)
        response = self.client.get(URL, {"unit": self.sn.pk, "year": 2025})
        assert response.context["risks"] == [self.sn_risk]

    def test_another_organisations_plan_cannot_be_chosen(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(URL, {"unit": self.other_committee.pk, "year": 2025})
        assert response.context["plan"] != self.other_plan
        assert self.other_risk not in response.context["risks"]

    def test_htmx_gets_only_the_results(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(
            URL, {"unit": self.sn.pk, "year": 2025}, headers={"HX-Request": "true"}
        )
        body = response.content.decode()
        assert 'id="results"' in body
        assert "<html" not in body

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        response = self.client.get(URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_it_rejects_post(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.post(URL).status_code == 405

    def test_the_number_of_queries_does_not_grow_with_the_risks(self) -> None:
        self.client.force_login(self.coordinator)
        params = {"unit": self.sn.pk, "year": 2025}

        def count_for(total: int) -> int:
            existing = Risk.objects.filter(plan=self.sn_plan).count()
            for n in range(existing, total):
                risk = make_risk(self.sn_plan, f"q-{n}", probability=1 + n % 4, consequence=2)
                Action.objects.create(risk=risk, external_id="a", title="X")
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                assert self.client.get(URL, params).status_code == 200
            return len(queries)

        # The first visit remembers the plan in the session; the counted ones only read it.
        assert self.client.get(URL, params).status_code == 200
        assert count_for(5) == count_for(50)
