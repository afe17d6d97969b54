from __future__ import annotations

import datetime
import unittest

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.controls.models import ControlActivity
from internkontroll.risks.models import Action
from internkontroll.search.queries import KINDS, LIMIT
from internkontroll.test import BaseTestCase, make_risk

URL = reverse("search:results")


def _titles(response: object) -> dict[str, list[str]]:
    groups = response.context["groups"]
    return {group.kind: [hit.title for hit in group.hits] for group in groups}


class SearchTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_risk(cls.other_plan, "r-2", title="Felaktiga utbetalningar i grannkommunen")
        cls.sn_report.date = datetime.date(2025, 3, 1)
        cls.sn_report.save()

    def setUp(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def test_it_finds_risks_by_a_word_of_their_title(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(URL, {"q": "utbetalningar"})
        assert _titles(response)["risk"] == ["Felaktiga utbetalningar"]

    def test_it_finds_control_activities_and_links_to_them_on_the_risks_page(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(URL, {"q": "stickprov"})
        assert _titles(response)["control_activity"] == ["Stickprov på utbetalningar"]
        risk_url = reverse("risks:detail", args=[self.sn_risk.pk])
        assert f'href="{risk_url}#activity-{self.sn_activity.pk}"' in response.content.decode()

    def test_it_finds_actions_and_links_to_them_on_the_risks_page(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(URL, {"q": "attest"})
        assert _titles(response)["action"] == ["Inför attest i två steg"]
        risk_url = reverse("risks:detail", args=[self.sn_risk.pk])
        assert f'href="{risk_url}#action-{self.sn_action.pk}"' in response.content.decode()

    def test_it_finds_recommendations_and_links_to_their_audit_report(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(URL, {"q": "anvisning"})
        assert _titles(response)["recommendation"] == ["Upprätta en lokal anvisning."]
        report_url = reverse("audits:detail", args=[self.sn_report.pk])
        html = response.content.decode()
        assert f'href="{report_url}#recommendation-{self.sn_recommendation.pk}"' in html

    def test_a_hit_shows_its_committee_and_year(self) -> None:
        self.client.force_login(self.coordinator)
        html = self.client.get(URL, {"q": "anvisning"}).content.decode()
        assert "Socialnämnden, 2025" in html

    def test_every_word_must_be_found(self) -> None:
        self.client.force_login(self.reader)
        assert _titles(self.client.get(URL, {"q": "attest steg"}))["action"] == [
            "Inför attest i två steg"
        ]
        assert not any(_titles(self.client.get(URL, {"q": "attest skolskjutsar"})).values())

    def test_it_never_returns_items_outside_the_users_scope(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(URL, {"q": "skolskjutsar"})
        assert not any(_titles(response).values())
        html = response.content.decode()
        assert "Brister i skolskjutsar" not in html
        assert reverse("risks:detail", args=[self.bn_risk.pk]) not in html

    def test_a_reader_of_the_whole_organisation_finds_every_committee(self) -> None:
        self.client.force_login(self.reader)
        assert _titles(self.client.get(URL, {"q": "skolskjutsar"}))["risk"] == [
            "Brister i skolskjutsar"
        ]

    def test_a_user_of_another_organisation_finds_only_their_own(self) -> None:
        self.client.force_login(self.outsider)
        response = self.client.get(URL, {"q": "utbetalningar"})
        assert _titles(response) == {
            "risk": ["Felaktiga utbetalningar i grannkommunen"],
            "action": [],
            "control_activity": [],
            "recommendation": [],
            "plan": [],
            "audit_report": [],
            "person": [],
        }

    @unittest.skipUnless(
        connection.vendor == "postgresql",
        "Swedish stemming needs PostgreSQL's full-text search; SQLite matches text as typed.",
    )
    def test_it_finds_an_inflected_swedish_word_on_postgresql(self) -> None:
        make_risk(self.sn_plan, "r-9", title="Dubbel utbetalning av försörjningsstöd")
        self.client.force_login(self.coordinator)
        response = self.client.get(URL, {"q": "utbetalningar"})
        assert set(_titles(response)["risk"]) == {
            "Felaktiga utbetalningar",
            "Dubbel utbetalning av försörjningsstöd",
        }

    @unittest.skipUnless(
        connection.vendor == "postgresql", "Ranking is part of PostgreSQL's full-text search."
    )
    def test_a_hit_in_the_title_ranks_above_a_hit_in_the_description(self) -> None:
        make_risk(self.sn_plan, "r-8", title="Brister", description="Om utbetalningar")
        make_risk(self.sn_plan, "r-9", title="Utbetalningar utan attest")
        self.client.force_login(self.coordinator)
        titles = _titles(self.client.get(URL, {"q": "utbetalningar"}))["risk"]
        assert titles.index("Brister") == len(titles) - 1

    def test_it_finds_a_word_by_its_beginning_as_it_is_typed(self) -> None:
        self.client.force_login(self.coordinator)
        assert _titles(self.client.get(URL, {"q": "utbet"}))["risk"] == ["Felaktiga utbetalningar"]

    def test_it_finds_a_compound_word_by_its_first_part(self) -> None:
        make_risk(self.sn_plan, "r-9", title="Brister i delegationsordningen")
        self.client.force_login(self.coordinator)
        titles = _titles(self.client.get(URL, {"q": "delegation"}))["risk"]
        assert titles == ["Brister i delegationsordningen"]

    def test_it_shows_a_search_field_with_a_label(self) -> None:
        self.client.force_login(self.reader)
        html = self.client.get(URL).content.decode()
        assert '<label for="search-q">' in html
        assert 'type="search" id="search-q" name="q"' in html

    def test_an_empty_search_finds_nothing(self) -> None:
        self.client.force_login(self.reader)
        response = self.client.get(URL, {"q": "   "})
        assert response.status_code == 200
        assert response.context["groups"] == []

    def test_it_says_when_nothing_was_found(self) -> None:
        self.client.force_login(self.reader)
        html = self.client.get(URL, {"q": "zzzyx"}).content.decode()
        assert "Nothing found" in html

    def test_an_htmx_request_gets_the_results_only(self) -> None:
        self.client.force_login(self.reader)
        response = self.client.get(URL, {"q": "attest"}, headers={"HX-Request": "true"})
        html = response.content.decode()
        assert html.lstrip().startswith('<div id="results"')
        assert "<html" not in html
        assert "Inför attest i två steg" in html

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.get(URL, {"q": "attest"})
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_it_rejects_post(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.post(URL, {"q": "attest"}).status_code == 405


def _fill(case: BaseTestCase, count: int, start: int = 0) -> None:
    report = AuditReport.objects.create(
        organisation=case.organisation, external_id=f"rev-d{start}", unit=case.bn, title="R"
    )
    for number in range(start, start + count):
        risk = make_risk(case.bn_plan, f"d-{number}", title=f"Delegation {number}")
        Action.objects.create(risk=risk, external_id="a", title="Delegation ses över")
        ControlActivity.objects.create(risk=risk, external_id="k", title="Delegation granskas")
        Recommendation.objects.create(
            report=report, external_id=f"rek-{number}", text="Delegation ska följas"
        )


class SearchQueryCountTests(BaseTestCase):
    def test_the_number_of_queries_does_not_grow_with_the_hits(self) -> None:
        self.client.force_login(self.reader)
        _fill(self, 5)
        # A request first: the scope is read once after a change to roles or units.
        self.client.get(URL, {"q": "delegation"})
        with CaptureQueriesContext(connection) as five:
            response = self.client.get(URL, {"q": "delegation"})
        assert len(_titles(response)["recommendation"]) == 5
        _fill(self, 45, start=5)
        with self.assertNumQueries(len(five)):
            response = self.client.get(URL, {"q": "delegation"})
        assert len(_titles(response)["risk"]) == 50


class SearchPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        _fill(cls, LIMIT + 1)

    def setUp(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.client.force_login(self.reader)

    def test_the_first_page_shows_a_page_of_each_kind_and_links_to_the_next(self) -> None:
        response = self.client.get(URL, {"q": "delegation"})
        assert {kind: len(titles) for kind, titles in _titles(response).items()} == {
            "risk": LIMIT,
            "action": LIMIT,
            "control_activity": LIMIT,
            "recommendation": LIMIT,
            "plan": 0,
            "audit_report": 0,
            "person": 0,
        }
        html = response.content.decode()
        assert 'href="?q=delegation&amp;kind=risk&amp;page=2"' in html
        assert "Next page of risks" in html

    def test_the_next_page_shows_the_rest_of_one_kind(self) -> None:
        first = _titles(self.client.get(URL, {"q": "delegation"}))["risk"]
        response = self.client.get(URL, {"q": "delegation", "kind": "risk", "page": 2})
        rest = _titles(response)
        assert list(rest) == ["risk"]
        assert len(rest["risk"]) == 1
        assert set(first + rest["risk"]) == {f"Delegation {n}" for n in range(LIMIT + 1)}
        html = response.content.decode()
        assert 'href="?q=delegation&amp;kind=risk&amp;page=1"' in html
        assert "Next page of risks" not in html
        assert 'href="?q=delegation"' in html  # back to every kind

    def test_a_page_beyond_the_hits_finds_nothing(self) -> None:
        response = self.client.get(URL, {"q": "delegation", "kind": "action", "page": 9})
        assert _titles(response) == {"action": []}
        assert "Nothing found" in response.content.decode()

    def test_an_unknown_kind_or_page_shows_every_kinds_first_page(self) -> None:
        response = self.client.get(URL, {"q": "delegation", "kind": "user", "page": "x"})
        assert {kind: len(titles) for kind, titles in _titles(response).items()} == {
            "risk": LIMIT,
            "action": LIMIT,
            "control_activity": LIMIT,
            "recommendation": LIMIT,
            "plan": 0,
            "audit_report": 0,
            "person": 0,
        }

    def test_a_page_of_one_kind_takes_one_query_for_its_hits(self) -> None:
        self.client.get(URL, {"q": "delegation"})  # the reader's scope computed, for both below
        with CaptureQueriesContext(connection) as every_kind:
            self.client.get(URL, {"q": "delegation"})
        with self.assertNumQueries(len(every_kind) - len(KINDS) + 1):
            self.client.get(URL, {"q": "delegation", "kind": "risk", "page": 2})
