"""Search finds reference numbers (diarienummer) and people, each only within the reader's scope."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.accounts.models import Role, User
from internkontroll.plans.models import AdoptedVersion
from internkontroll.test import BaseTestCase, make_user

URL = reverse("search:results")
HISTORY_RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


def hits(response: object, kind: str) -> list[str]:
    groups = {group.kind: group for group in response.context["groups"]}  # type: ignore[attr-defined]
    return [hit.title for hit in groups[kind].hits]


class ReferenceSearchTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.bn_plan.reference = "BUN-2024/77"
        cls.bn_plan.save()
        cls.assessment_decision = AdoptedVersion.objects.create(
            plan=cls.sn_plan,
            kind=AdoptedVersion.Kind.ASSESSMENT,
            decided_on=datetime.date(2026, 2, 18),
            reference="SN-2026/31",
            snapshot={},
        )

    def test_a_plans_diarienummer_finds_the_plan(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(URL, {"q": "SN-2024/259"})
        assert hits(response, "plan") == ["Internkontrollplan Socialnämnden 2025"]
        html = response.content.decode()
        assert f'href="{reverse("plans:detail", args=[self.sn_plan.pk])}"' in html
        assert "SN-2024/259" in html

    def test_part_of_a_number_and_a_decisions_number_find_it_too(self) -> None:
        self.client.force_login(self.coordinator)
        assert hits(self.client.get(URL, {"q": "2024/259"}), "plan") == [
            "Internkontrollplan Socialnämnden 2025"
        ]
        response = self.client.get(URL, {"q": "sn-2026/31"})
        assert hits(response, "plan") == ["Internkontrollplan Socialnämnden 2025"]
        assert "SN-2024/259, SN-2026/31" in response.content.decode()

    def test_another_committees_number_is_not_found_outside_its_scope(self) -> None:
        self.client.force_login(self.coordinator)
        assert hits(self.client.get(URL, {"q": "BUN-2024/77"}), "plan") == []
        self.client.force_login(self.reader)
        assert hits(self.client.get(URL, {"q": "BUN-2024/77"}), "plan") == [
            "Internkontrollplan Barn- och utbildningsnämnden 2025"
        ]
        self.client.force_login(self.outsider)
        assert hits(self.client.get(URL, {"q": "SN-2024/259"}), "plan") == []

    def test_a_person_below_the_committee_finds_the_plan_they_read_an_excerpt_of(self) -> None:
        self.client.force_login(self.responsible)
        assert hits(self.client.get(URL, {"q": "SN-2024/259"}), "plan") == [
            "Internkontrollplan Socialnämnden 2025"
        ]

    def test_audit_reports_are_found_by_title_and_identifier(self) -> None:
        self.client.force_login(self.coordinator)
        assert hits(self.client.get(URL, {"q": "rev-1"}), "audit_report") == ["Granskning av resor"]
        self.client.force_login(self.outsider)
        assert hits(self.client.get(URL, {"q": "resor"}), "audit_report") == []


class PeopleSearchTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for user, first, last in (
            (cls.coordinator, "Sara", "Lind"),
            (cls.responsible, "Erik", "Holm"),
            (cls.reader, "Leila", "Berg"),
            (cls.admin, "Alva", "Systemsson"),
        ):
            user.first_name, user.last_name = first, last
            user.save()
        cls.bn_person = make_user("bnansvarig", cls.organisation, [(Role.RESPONSIBLE, cls.bf)])
        cls.bn_person.first_name, cls.bn_person.last_name = "Erik", "Bergström"
        cls.bn_person.save()

    def test_a_coordinator_finds_the_people_of_their_committee_by_name(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(URL, {"q": "erik"})
        assert hits(response, "person") == ["Erik Holm"]
        html = response.content.decode()
        assert "ansvarig, Vuxenenheten" in html
        assert reverse("accounts:user_edit", args=[self.responsible.pk]) not in html

    def test_a_reader_of_the_whole_organisation_finds_everyone_in_it(self) -> None:
        self.client.force_login(self.reader)
        assert sorted(hits(self.client.get(URL, {"q": "erik"}), "person")) == [
            "Erik Bergström",
            "Erik Holm",
        ]
        assert hits(self.client.get(URL, {"q": "Alva Systemsson"}), "person") == ["Alva Systemsson"]

    def test_a_person_below_the_committee_does_not_find_the_committees_coordinator(self) -> None:
        self.client.force_login(self.responsible)
        assert hits(self.client.get(URL, {"q": "Sara Lind"}), "person") == []
        assert hits(self.client.get(URL, {"q": "Holm"}), "person") == ["Erik Holm"]

    def test_the_administrator_gets_a_link_to_change_the_person(self) -> None:
        self.client.force_login(self.admin)
        html = self.client.get(URL, {"q": "Holm"}).content.decode()
        assert f'href="{reverse("accounts:user_edit", args=[self.responsible.pk])}"' in html

    def test_nobody_of_another_organisation_and_no_inactive_person_is_found(self) -> None:
        self.client.force_login(self.outsider)
        assert hits(self.client.get(URL, {"q": "Erik"}), "person") == []
        User.objects.filter(pk=self.responsible.pk).update(is_active=False)
        self.client.force_login(self.reader)
        assert hits(self.client.get(URL, {"q": "Holm"}), "person") == []

    def test_the_queries_do_not_grow_with_the_people_found(self) -> None:
        self.client.force_login(self.reader)
        # A request first: the scope is read once after a change to roles or units.
        self.client.get(URL, {"q": "erik"})
        with CaptureQueriesContext(connection) as two:
            response = self.client.get(URL, {"q": "erik"})
        assert len(hits(response, "person")) == 2
        with_two = len(two)  # counted now: the next request empties the log
        for number in range(5):
            person = make_user(f"erik{number}", self.organisation, [(Role.READER, self.sf)])
            person.first_name = "Erik"
            person.save()
        self.client.get(URL, {"q": "erik"})  # the new roles: the scope is read once
        with self.assertNumQueries(with_two):
            response = self.client.get(URL, {"q": "erik"})
        assert len(hits(response, "person")) == 7


class StateInTheAddressTests(BaseTestCase):
    def test_going_back_to_a_search_gets_the_whole_page_from_the_address(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(URL, {"q": "utbetalningar"}, headers=HISTORY_RESTORE)
        html = response.content.decode()
        assert "<html" in html and 'value="utbetalningar"' in html
        assert "Felaktiga utbetalningar" in html

    def test_an_htmx_search_still_gets_only_the_results(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(URL, {"q": "utbetalningar"}, headers={"HX-Request": "true"})
        assert "<html" not in response.content.decode()

    def test_going_back_to_a_chosen_cell_gets_the_whole_page_with_the_cell(self) -> None:
        self.client.force_login(self.coordinator)
        query = {"unit": self.sn.pk, "year": 2025, "cell": "3-3"}
        response = self.client.get(reverse("risks:overview"), query, headers=HISTORY_RESTORE)
        html = response.content.decode()
        assert "<html" in html and 'id="risk-filters"' in html
        assert 'name="cell" value="3-3" form="risk-filters"' in html

    def test_the_chosen_cell_comes_with_the_matrix_it_was_chosen_on(self) -> None:
        # The filters send the cell from the results, so changing a filter keeps the cell.
        self.client.force_login(self.responsible)
        query = {"unit": self.sn.pk, "year": 2025, "cell": "3-3"}
        response = self.client.get(reverse("risks:overview"), query, headers={"HX-Request": "true"})
        html = response.content.decode()
        assert 'id="risk-filters"' not in html
        assert 'name="cell" value="3-3" form="risk-filters"' in html
        assert "Felaktiga utbetalningar" in html
