"""Reads through the API: cursor pages, the pages' filters, ETags and constant query counts."""

from __future__ import annotations

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from internkontroll.api.tests.helpers import ApiTestCase
from internkontroll.risks.models import Action, Risk
from internkontroll.test import make_risk


@time_machine.travel(datetime.datetime(2025, 9, 10, 10, tzinfo=datetime.UTC), tick=False)
class ReadTests(ApiTestCase):
    def add_risks(self, count: int) -> None:
        for number in range(count):
            risk = make_risk(
                self.sn_plan,
                f"r-x{number}",
                title=f"Risk {number}",
                unit=self.sf_barn,
                probability=1 + number % 4,
                consequence=4,
            )
            Action.objects.create(risk=risk, external_id="a-1", title="Åtgärd", status="done")

    def test_a_list_comes_a_page_at_a_time_by_cursor(self) -> None:
        self.add_risks(4)
        first = self.call("reader", "GET", "/risks?limit=2").json()
        assert len(first["items"]) == 2
        second = self.call("reader", "GET", f"/risks?limit=2&cursor={first['next_cursor']}")
        third = self.call("reader", "GET", f"/risks?limit=2&cursor={second.json()['next_cursor']}")
        pages = [first["items"], second.json()["items"], third.json()["items"]]
        seen = [risk["id"] for items in pages for risk in items]
        assert len(seen) == len(set(seen)) == 6
        assert third.json()["next_cursor"] is None

    def test_an_unknown_cursor_is_a_problem(self) -> None:
        response = self.call("reader", "GET", "/risks?cursor=skrap")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "query.cursor"

    def test_the_risk_lists_filters_apply_within_a_plan_as_on_the_page(self) -> None:
        self.add_risks(4)
        plan = self.sn_plan.pk
        critical = self.call("reader", "GET", f"/risks?plan={plan}&level=Kritisk").json()
        wanted = {r.title for r in Risk.objects.filter(plan=plan) if r.level.name == "Kritisk"}
        assert wanted
        assert Risk.objects.filter(plan=plan).count() > len(wanted)
        assert {risk["title"] for risk in critical["items"]} == wanted
        in_cell = self.call("reader", "GET", f"/risks?plan={plan}&cell=3-3").json()
        assert [risk["title"] for risk in in_cell["items"]] == ["Felaktiga utbetalningar"]
        by_unit = self.call("reader", "GET", f"/risks?plan={plan}&identified_by={self.sf_barn.pk}")
        assert len(by_unit.json()["items"]) == 4
        overdue = self.call("reader", "GET", f"/risks?plan={plan}&action_status=overdue").json()
        assert [risk["title"] for risk in overdue["items"]] == ["Felaktiga utbetalningar"]

    def test_the_pages_filters_without_a_plan_or_with_an_unknown_value_are_problems(self) -> None:
        without_plan = self.call("reader", "GET", "/risks?level=Kritisk")
        assert without_plan.status_code == 400
        unknown = self.call("reader", "GET", f"/risks?plan={self.sn_plan.pk}&level=Okänd")
        assert unknown.status_code == 400
        assert unknown.json()["errors"][0]["field"] == "query.level"

    def test_the_person_below_the_committee_filters_only_their_risks(self) -> None:
        self.add_risks(2)  # identified by Barnenheten, not the responsible person's unit
        titles = self.call("responsible", "GET", f"/risks?plan={self.sn_plan.pk}&q=risk").json()
        assert [risk["title"] for risk in titles["items"]] == []
        mine = self.call("responsible", "GET", f"/risks?plan={self.sn_plan.pk}&q=utbetal").json()
        assert [risk["title"] for risk in mine["items"]] == ["Felaktiga utbetalningar"]

    def test_an_item_carries_its_version_as_etag(self) -> None:
        response = self.call("reader", "GET", f"/risks/{self.sn_risk.pk}")
        assert response["ETag"] == '"v1"'
        matrix = self.call("reader", "GET", f"/matrices/{self.sn_plan.risk_matrix_id}")
        assert matrix["ETag"].startswith('"h')

    def test_a_list_page_unchanged_since_its_etag_is_304(self) -> None:
        first = self.call("reader", "GET", "/risks?limit=1")
        etag = first["ETag"]
        assert etag.startswith('W/"')
        again = self.call("reader", "GET", "/risks?limit=1", **{"If-None-Match": etag})
        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == etag
        # Another page, or the same page after a change, is sent whole.
        other = self.call("reader", "GET", "/risks?limit=2", **{"If-None-Match": etag})
        assert other.status_code == 200
        assert other["ETag"] != etag
        Risk.objects.filter(pk=first.json()["items"][0]["id"]).update(title="Ändrad")
        changed = self.call("reader", "GET", "/risks?limit=1", **{"If-None-Match": etag})
        assert changed.status_code == 200
        assert changed.json()["items"][0]["title"] == "Ändrad"

    def test_a_list_page_differs_by_reader_when_its_content_does(self) -> None:
        etag = self.call("reader", "GET", "/risks")["ETag"]
        assert (
            self.call("coordinator", "GET", "/risks", **{"If-None-Match": etag}).status_code == 200
        )

    def test_an_item_is_sent_whole_whatever_if_none_match_says(self) -> None:
        path = f"/risks/{self.sn_risk.pk}"
        etag = self.call("reader", "GET", path)["ETag"]
        assert self.call("reader", "GET", path, **{"If-None-Match": etag}).status_code == 200

    def test_other_lists_filter_as_their_pages(self) -> None:
        overdue = self.call("reader", "GET", "/actions?status=overdue").json()["items"]
        assert [action["id"] for action in overdue] == [self.sn_action.pk]
        assert self.call("reader", "GET", "/actions?status=done").json()["items"] == []
        assert self.call("reader", "GET", "/actions?status=okänd").status_code == 400
        open_reports = self.call("reader", "GET", "/audit-reports?status=open").json()["items"]
        assert [report["id"] for report in open_reports] == [self.sn_report.pk]
        assert self.call("reader", "GET", "/audit-reports?status=done").json()["items"] == []

    def test_the_risk_list_costs_the_same_queries_for_one_risk_or_many(self) -> None:
        self.call("reader", "GET", "/risks")  # the token's first use in the hour counts once more

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert self.call("reader", "GET", "/risks").status_code == 200
            return len(queries)

        few = count()
        self.add_risks(8)
        assert count() == few

    def test_every_list_costs_the_same_queries_for_one_row_or_many(self) -> None:
        paths = ["/actions", "/control-activities", "/follow-ups", "/plans", "/units"]
        self.call("reader", "GET", "/risks")  # the token's first use in the hour counts once more

        def counts() -> list[int]:
            result = []
            for path in paths:
                with CaptureQueriesContext(connection) as queries:
                    assert self.call("reader", "GET", path).status_code == 200
                result.append(len(queries))
            return result

        few = counts()
        self.add_risks(5)
        assert counts() == few
