import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.accounts.models import Role
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.risks.models import Action
from internkontroll.test import BaseTestCase, make_risk, make_user

URL = reverse("followups:board")


@time_machine.travel(datetime.date(2025, 9, 10), tick=False)
class BoardTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.t2 = cls.organisation.periods.get(code="T2")
        Action.objects.filter(pk=cls.sn_action.pk).update(assignee=cls.responsible)
        cls.sn_activity.periods.set([cls.t2])
        cls.reported = ControlActivity.objects.create(
            risk=cls.sn_risk, external_id="k-2", title="Registerkontroll av behörigheter"
        )
        cls.reported.periods.set([cls.t2])
        FollowUp.objects.create(
            control_activity=cls.reported,
            period=cls.t2,
            date=datetime.date(2025, 8, 30),
            result="deviation",
            comment="Två konton utan beslut.",
        )
        # A risk no unit below the committee identified: only the committee's roles see it.
        cls.committee_risk = make_risk(cls.sn_plan, "r-2", title="Bristande diarieföring")
        cls.committee_action = Action.objects.create(
            risk=cls.committee_risk, external_id="a-9", title="Ny rutin för diarieföring"
        )
        cls.below = make_user("forvaltningssamordnare", cls.organisation)
        cls.below.role_assignments.create(
            organisation=cls.organisation, unit=cls.sf, role=Role.COORDINATOR
        )

    def board(self, user: object, **params: object) -> object:
        self.client.force_login(user)  # type: ignore[arg-type]
        query = {"plan": self.sn_plan.pk, "period": self.t2.pk, **params}
        return self.client.get(URL, query)

    def titles(self, response: object) -> list[str]:
        return [duty.item.title for duty in response.context["rows"]]  # type: ignore[attr-defined]

    def test_it_lists_every_item_due_in_the_period_with_who_is_responsible(self) -> None:
        response = self.board(self.coordinator)
        assert sorted(self.titles(response)) == [
            "Inför attest i två steg",
            "Ny rutin för diarieföring",
            "Registerkontroll av behörigheter",
            "Stickprov på utbetalningar",
        ]
        body = response.content.decode()
        assert "ansvarig" in body  # the assigned person's name
        assert "Ej rapporterad, sista dag passerad" in body
        assert "2025-08-30" in body

    def test_a_closed_plans_board_is_read_only(self) -> None:
        self.sn_plan.follow_up_started_at = datetime.datetime(2025, 1, 20, tzinfo=datetime.UTC)
        self.sn_plan.closed_at = datetime.datetime(2025, 9, 1, tzinfo=datetime.UTC)
        self.sn_plan.save()
        response = self.board(self.coordinator)
        body = response.content.decode()
        assert len(self.titles(response)) == 4
        assert "Planen är avslutad: den kan läsas men inte längre ändras." in body
        for item in (self.sn_action, self.committee_action):
            assert reverse("followups:report_action", args=[item.pk]) not in body
        assert reverse("followups:report_control_activity", args=[self.sn_activity.pk]) not in body

    def test_the_counts_are_links_to_the_filtered_lists(self) -> None:
        response = self.board(self.coordinator)
        counts = response.context["counts"]
        assert counts["reported"][0] == 1
        assert counts["missing"][0] == 3
        assert counts["late"][0] == 3
        assert counts["deviation"][0] == 1
        body = response.content.decode()
        assert "av 4 rapporterade" in body
        missing = self.client.get(counts["missing"][1])
        assert "Registerkontroll av behörigheter" not in self.titles(missing)
        assert len(self.titles(missing)) == 3
        deviations = self.client.get(counts["deviation"][1])
        assert self.titles(deviations) == ["Registerkontroll av behörigheter"]

    def test_it_filters_by_kind(self) -> None:
        response = self.board(self.coordinator, kind="action")
        assert sorted(self.titles(response)) == [
            "Inför attest i två steg",
            "Ny rutin för diarieföring",
        ]

    def test_the_default_period_is_the_one_being_reported_on(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(URL, {"plan": self.sn_plan.pk})
        assert response.context["period"].code == "VB"
        self.organisation.periods.filter(pk=self.t2.pk).update(deadline_days=15)
        response = self.client.get(URL, {"plan": self.sn_plan.pk})
        assert response.context["period"].code == "T2"
        assert response.context["deadline"] == datetime.date(2025, 9, 15)

    def test_a_coordinator_below_the_committee_sees_only_their_units_items(self) -> None:
        titles = self.titles(self.board(self.below))
        assert "Ny rutin för diarieföring" not in titles
        assert "Inför attest i två steg" in titles

    def test_a_coordinator_may_report_on_someones_behalf_and_it_is_recorded(self) -> None:
        response = self.board(self.coordinator)
        assert "Rapportera åt ansvarig" in response.content.decode()
        back = URL + f"?plan={self.sn_plan.pk}&period={self.t2.pk}"
        form = reverse("followups:report_action", args=[self.sn_action.pk])
        page = self.client.get(form, {"period": self.t2.pk, "next": back})
        assert page.context["form"].initial["period"] == self.t2
        assert "Du rapporterar på uppdrag av hen" in page.content.decode()
        answer = self.client.post(
            form,
            {
                "period": self.t2.pk,
                "date": "2025-09-10",
                "status": "in_progress",
                "comment": "Rapporterat efter samtal med ansvarig.",
                "version": 1,
                "next": back,
            },
        )
        assert answer.status_code == 302 and answer["Location"] == back
        follow_up = FollowUp.objects.filter(action=self.sn_action).latest("id")
        assert follow_up.reported_for == self.responsible
        assert follow_up.history.first().history_user == self.coordinator
        history = self.client.get(form).content.decode()
        assert "rapporterad på uppdrag av ansvarig" in history
        assert "Inför attest i två steg" not in self.titles(
            self.board(self.coordinator, show="missing")
        )

    def test_the_responsible_person_reporting_is_not_on_anyones_behalf(self) -> None:
        self.client.force_login(self.responsible)
        self.client.post(
            reverse("followups:report_action", args=[self.sn_action.pk]),
            {
                "period": self.t2.pk,
                "date": "2025-09-10",
                "status": "in_progress",
                "comment": "Pågår.",
                "version": 1,
                "next": "https://example.com/",
            },
        )
        assert FollowUp.objects.filter(action=self.sn_action).latest("id").reported_for is None

    def test_a_redirect_elsewhere_is_not_followed(self) -> None:
        self.client.force_login(self.responsible)
        answer = self.client.post(
            reverse("followups:report_action", args=[self.sn_action.pk]),
            {
                "period": self.t2.pk,
                "date": "2025-09-10",
                "status": "in_progress",
                "comment": "Pågår.",
                "version": 1,
                "next": "https://example.com/",
            },
        )
        assert answer["Location"] == reverse("followups:mine")

    def test_the_board_costs_the_same_queries_however_many_items(self) -> None:
        self.client.force_login(self.coordinator)

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.client.get(URL, {"plan": self.sn_plan.pk, "period": self.t2.pk})
            return len(queries)

        before = count()
        for number in range(30):
            risk = make_risk(self.sn_plan, f"x-{number}", unit=self.sf_barn)
            Action.objects.create(
                risk=risk,
                external_id=f"x-{number}",
                title=f"Åtgärd {number}",
                assignee=self.responsible,
            )
            activity = ControlActivity.objects.create(
                risk=risk,
                external_id=f"x-{number}",
                title=f"Kontroll {number}",
                frequency="quarterly",
            )
            FollowUp.objects.create(
                control_activity=activity, period=self.t2, date="2025-08-20", result="no_remarks"
            )
        assert count() == before

    def test_people_who_report_only_their_own_items_may_not_see_it(self) -> None:
        self.client.force_login(self.responsible)
        assert self.client.get(URL).status_code == 403
        self.client.force_login(self.reader)
        assert self.client.get(URL).status_code == 403

    def test_another_organisations_plan_is_not_found(self) -> None:
        response = self.board(self.outsider)
        assert response.status_code == 404

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        assert self.client.get(URL).status_code == 302

    def test_it_rejects_post(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.post(URL).status_code == 405
