from __future__ import annotations

import datetime

import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.accounts.models import Role
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.organisation.queries import CommitteeRow
from internkontroll.plans.models import Assessment
from internkontroll.risks.models import Action
from internkontroll.test import BaseTestCase, make_plan, make_risk, make_unit, make_user

URL = reverse("organisation:overview")
# In T2 (May–August) of 2025, the year the base plans are for.
SUMMER = datetime.datetime(2025, 7, 15, 12, tzinfo=datetime.UTC)


@time_machine.travel(SUMMER, tick=False)
class OverviewTests(BaseTestCase):
    """Socialnämnden 2025: four risks (låg, hög, kritisk, not assessed), two overdue actions,
    three control activities of which one is reported for T2."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_risk(cls.sn_plan, "r-2", probability=1, consequence=1)
        high = make_risk(cls.sn_plan, "r-3", probability=2, consequence=3)
        make_risk(cls.sn_plan, "r-4")
        for external_id, status, due in (
            ("a-2", "not_started", datetime.date(2025, 3, 1)),
            ("a-3", "done", datetime.date(2025, 1, 1)),
            ("a-4", "in_progress", datetime.date(2025, 12, 31)),
        ):
            Action.objects.create(
                risk=high, external_id=external_id, title=external_id, status=status, due_date=due
            )
        periods = {period.code: period for period in cls.organisation.periods.all()}
        for external_id, code in (("k-2", "T2"), ("k-3", "T1")):
            activity = ControlActivity.objects.create(
                risk=high, external_id=external_id, title=external_id
            )
            FollowUp.objects.create(
                control_activity=activity,
                period=periods[code],
                date=datetime.date(2025, 5, 1),
                result="no_remarks",
            )
        bn_2024 = make_plan(cls.bn, year=2024)
        Assessment.objects.create(plan=bn_2024, verdict="insufficient")
        cls.nobody = make_user("ingen", None)

    def setUp(self) -> None:
        # English, so the assertions on text hold before the Swedish catalogue is compiled.
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def rows(self, response: object) -> dict[str, CommitteeRow]:
        return {row.unit.name: row for row in response.context["overview"].rows}

    def test_it_counts_the_risks_of_each_level(self) -> None:
        self.client.force_login(self.reader)
        row = self.rows(self.client.get(URL))["Socialnämnden"]
        assert row.total == 4
        assert [(level.name, level.count) for level in row.levels] == [
            ("Låg", 1),
            ("Medel", 0),
            ("Hög", 1),
            ("Kritisk", 1),
        ]

    def test_it_counts_the_risks_at_the_highest_level_of_the_matrix_as_critical(self) -> None:
        self.client.force_login(self.reader)
        rows = self.rows(self.client.get(URL))
        assert rows["Socialnämnden"].critical == 1
        assert rows["Barn- och utbildningsnämnden"].critical == 0

    def test_it_counts_open_actions_past_their_due_date_as_overdue(self) -> None:
        self.client.force_login(self.reader)
        assert self.rows(self.client.get(URL))["Socialnämnden"].overdue == 2

    def test_an_action_becomes_overdue_the_day_after_its_due_date(self) -> None:
        with time_machine.travel(datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.UTC)):
            self.client.force_login(self.reader)
            response = self.client.get(URL, {"year": 2025})
        assert self.rows(response)["Socialnämnden"].overdue == 3

    def test_it_gives_the_share_of_control_activities_reported_for_the_current_period(
        self,
    ) -> None:
        self.client.force_login(self.reader)
        response = self.client.get(URL)
        row = self.rows(response)["Socialnämnden"]
        assert response.context["overview"].period.code == "T2"
        assert (row.reported, row.activities, row.reported_percent) == (1, 3, 33)
        assert "1 of 3 (33 %)" in response.content.decode()

    def test_a_past_year_is_measured_against_its_last_period(self) -> None:
        self.client.force_login(self.reader)
        response = self.client.get(URL, {"year": 2024})
        assert response.context["overview"].period.code == "VB"

    def test_it_shows_the_latest_assessment_verdict(self) -> None:
        self.client.force_login(self.reader)
        rows = self.rows(self.client.get(URL))
        assert rows["Socialnämnden"].assessment.verdict == "sufficient"
        assert rows["Barn- och utbildningsnämnden"].assessment.verdict == "insufficient"
        assert rows["Kommunstyrelsen"].assessment is None

    def test_every_committee_links_to_its_risk_picture_for_the_year(self) -> None:
        self.client.force_login(self.reader)
        html = self.client.get(URL).content.decode()
        assert f"{reverse('risks:overview')}?unit={self.sn.pk}&amp;year=2025" in html

    def test_it_writes_out_the_level_name_beside_its_colour(self) -> None:
        self.client.force_login(self.reader)
        html = self.client.get(URL).content.decode()
        matrix = self.sn_plan.risk_matrix
        assert f'level__swatch level-{matrix.pk}-3" aria-hidden="true"></span>Kritisk' in html

    def test_it_lists_a_committee_without_a_plan_that_year(self) -> None:
        self.client.force_login(self.reader)
        response = self.client.get(URL)
        assert self.rows(response)["Kommunstyrelsen"].plan is None
        assert "No plan for 2025" in response.content.decode()

    def test_it_shows_the_current_year_by_default(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.get(URL).context["overview"].year == 2025

    def test_it_shows_the_newest_year_when_this_year_has_no_plans(self) -> None:
        with time_machine.travel(datetime.datetime(2027, 3, 1, 12, tzinfo=datetime.UTC)):
            self.client.force_login(self.reader)
            assert self.client.get(URL).context["overview"].year == 2025

    def test_it_shows_the_year_chosen_in_the_url(self) -> None:
        self.client.force_login(self.reader)
        response = self.client.get(URL, {"year": 2024})
        assert response.context["overview"].year == 2024
        assert self.rows(response)["Barn- och utbildningsnämnden"].plan is not None
        assert self.rows(response)["Socialnämnden"].plan is None

    def test_a_coordinator_sees_only_the_committees_in_their_scope(self) -> None:
        self.client.force_login(self.coordinator)
        assert list(self.rows(self.client.get(URL))) == ["Socialnämnden"]

    def test_a_user_of_another_organisation_sees_none_of_it(self) -> None:
        self.client.force_login(self.outsider)
        response = self.client.get(URL)
        html = response.content.decode()
        assert list(self.rows(response)) == ["sn"]
        assert "Socialnämnden" not in html
        assert "Exempelstad" not in html
        assert response.context["overview"].rows[0].total == 1

    def test_someone_without_an_organisation_gets_404(self) -> None:
        self.client.force_login(self.nobody)
        assert self.client.get(URL).status_code == 404

    def test_an_htmx_request_gets_the_table_only(self) -> None:
        self.client.force_login(self.reader)
        response = self.client.get(URL, {"year": 2024}, headers={"HX-Request": "true"})
        html = response.content.decode()
        assert html.lstrip().startswith('<div id="results"')
        assert "<html" not in html

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.get(URL)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_it_rejects_post(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.post(URL).status_code == 405


def _fill_plan(plan: object, count: int, start: int = 0) -> None:
    periods = list(plan.unit.organisation.periods.all())
    for number in range(start, start + count):
        risk = make_risk(
            plan, f"q-{number}", probability=1 + number % 4, consequence=1 + number % 3
        )
        action = Action.objects.create(
            risk=risk, external_id="a", title="a", due_date=datetime.date(2025, 1, 1)
        )
        activity = ControlActivity.objects.create(risk=risk, external_id="k", title="k")
        FollowUp.objects.create(
            action=action, date=datetime.date(2025, 5, 1), status="in_progress", period=periods[1]
        )
        FollowUp.objects.create(
            control_activity=activity, date=datetime.date(2025, 5, 1), period=periods[1]
        )


@time_machine.travel(SUMMER, tick=False)
class OverviewQueryCountTests(BaseTestCase):
    def count_queries(self) -> int:
        # A request first: the scope is read once after a change to roles or units.
        self.client.get(URL)
        with CaptureQueriesContext(connection) as queries:
            assert self.client.get(URL).status_code == 200
        return len(queries)

    def test_the_number_of_queries_does_not_grow_with_the_risks(self) -> None:
        self.client.force_login(self.reader)
        _fill_plan(self.sn_plan, 4)
        with_five = self.count_queries()
        _fill_plan(self.sn_plan, 45, start=4)
        with self.assertNumQueries(with_five):
            self.client.get(URL)

    def test_the_number_of_queries_does_not_grow_with_the_committees(self) -> None:
        self.client.force_login(self.reader)
        with_two_plans = self.count_queries()
        for number in range(4):
            committee = make_unit(self.organisation, f"n-{number}", "committee")
            _fill_plan(make_plan(committee), 3)
        # A request first: the scope is read once after a change to roles or units.
        self.client.get(URL)
        with self.assertNumQueries(with_two_plans):
            response = self.client.get(URL)
        assert len(response.context["overview"].rows) == 7

    def test_a_coordinator_costs_no_more_queries_with_more_risks(self) -> None:
        coordinator = make_user("samordnare-2", self.organisation, [(Role.COORDINATOR, self.sn)])
        self.client.force_login(coordinator)
        _fill_plan(self.sn_plan, 4)
        with_five = self.count_queries()
        _fill_plan(self.sn_plan, 45, start=4)
        with self.assertNumQueries(with_five):
            self.client.get(URL)
