"""Proposals, rollover decisions and a plan's lifecycle in the auditors' log, in plain words."""

from __future__ import annotations

import datetime
from typing import Any

import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.accounts.models import Role
from internkontroll.nominations import actions as nominations
from internkontroll.nominations.models import Nomination
from internkontroll.plans.lifecycle import Step, take_step
from internkontroll.plans.models import ControlPlan
from internkontroll.plans.rollover import Choice, roll_over
from internkontroll.test import BaseTestCase, make_risk, make_user

URL = reverse("trail:log")
PROPOSED = datetime.datetime(2027, 3, 10, 9, tzinfo=datetime.UTC)  # 10:00 in Stockholm
DECIDED = datetime.datetime(2027, 3, 11, 9, tzinfo=datetime.UTC)
ROLLED = datetime.datetime(2027, 3, 12, 9, tzinfo=datetime.UTC)


def propose(user: Any, unit: Any, plan: Any, title: str) -> Nomination:
    data = {"unit": unit, "title": title, "motivation": "Tre incidenter i år."}
    return nominations.propose(Nomination(plan=plan), data, version=None, acting_user=user)


def sentences(response: Any) -> list[str]:
    return [entry.sentence for entry in response.context["entries"]]


class LogEventsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for user, first, last in (
            (cls.coordinator, "Sara", "Samordnare"),
            (cls.responsible, "Ali", "Ansvarig"),
            (cls.admin, "Alva", "Systemsson"),
        ):
            user.first_name, user.last_name = first, last
            user.save()
        cls.bn_auditor = make_user("bn-revisor", cls.organisation, [(Role.AUDITOR, cls.bn)])
        # An auditor of the administration below the committee: its units' proposals only.
        cls.sf_auditor = make_user("sf-revisor", cls.organisation, [(Role.AUDITOR, cls.sf)])
        cls.outside_auditor = make_user(
            "grannrevisor", cls.other_organisation, [(Role.AUDITOR, None)]
        )
        with time_machine.travel(PROPOSED, tick=False):
            accepted = propose(cls.responsible, cls.sf_vux, cls.sn_plan, "Hot vid hembesök")
            returned = propose(cls.responsible, cls.sf_vux, cls.sn_plan, "Brist på tolkar")
            withdrawn = propose(cls.responsible, cls.sf_vux, cls.sn_plan, "Sjukfrånvaro")
        with time_machine.travel(DECIDED, tick=False):
            nominations.accept(
                accepted, comment="", version=accepted.version, acting_user=cls.coordinator
            )
            nominations.send_back(
                returned,
                reason="Hör till  Barn- och utbildningsnämnden.",
                version=returned.version,
                acting_user=cls.coordinator,
            )
            nominations.withdraw(withdrawn, version=withdrawn.version, acting_user=cls.responsible)
        cls.closed_risk = make_risk(cls.sn_plan, "r-9", title="Inaktuell rutin")
        with time_machine.travel(ROLLED, tick=False):
            roll_over(
                cls.sn_plan,
                {
                    cls.sn_risk.pk: Choice("carry"),
                    cls.closed_risk.pk: Choice("close", reason="Verksamheten är nedlagd."),
                },
                acting_user=cls.coordinator,
            )

    def setUp(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def read(self, user: Any, **filters: Any) -> list[str]:
        self.client.force_login(user)
        response = self.client.get(URL, filters)
        assert response.status_code == 200
        return sentences(response)

    def test_the_committees_auditor_reads_each_step_of_the_proposals(self) -> None:
        log = self.read(self.auditor, kind="nomination")
        assert log == [
            "Ali Ansvarig withdrew the proposed risk “Sjukfrånvaro” 2027-03-11 10:00",
            "Sara Samordnare returned the proposed risk “Brist på tolkar” with the reason: "
            "Hör till Barn- och utbildningsnämnden. 2027-03-11 10:00",
            "Sara Samordnare accepted the proposed risk “Hot vid hembesök” into the plan "
            "Socialnämnden 2025 2027-03-11 10:00",
            "Ali Ansvarig proposed the risk “Sjukfrånvaro” for the plan Socialnämnden 2025 "
            "2027-03-10 10:00",
            "Ali Ansvarig proposed the risk “Brist på tolkar” for the plan Socialnämnden 2025 "
            "2027-03-10 10:00",
            "Ali Ansvarig proposed the risk “Hot vid hembesök” for the plan Socialnämnden 2025 "
            "2027-03-10 10:00",
        ]

    def test_the_committees_auditor_reads_the_rollover_decisions(self) -> None:
        log = self.read(self.auditor, kind="rollover_decision")
        assert sorted(log) == [
            "Sara Samordnare decided that the risk “Felaktiga utbetalningar” is carried over "
            "to the plan Socialnämnden 2026 2027-03-12 10:00",
            "Sara Samordnare decided that the risk “Inaktuell rutin” is closed, with the "
            "reason: Verksamheten är nedlagd. 2027-03-12 10:00",
        ]

    def test_a_merge_names_the_risk_it_joins(self) -> None:
        merged = make_risk(self.bn_plan, "r-10", title="Skolskjutsar i glesbygd")
        with time_machine.travel(ROLLED, tick=False):
            roll_over(
                self.bn_plan,
                {
                    self.bn_risk.pk: Choice("carry"),
                    merged.pk: Choice("merge", into=self.bn_risk),
                },
                acting_user=self.admin,
            )
        log = self.read(self.bn_auditor, kind="rollover_decision")
        assert (
            "Alva Systemsson decided that the risk “Skolskjutsar i glesbygd” is merged into "
            f"“{self.bn_risk.title}” in the plan Barn- och utbildningsnämnden 2026 "
            "2027-03-12 10:00"
        ) in log

    def test_the_plans_lifecycle_reads_as_steps(self) -> None:
        assert self.sn_plan.adopted_on is not None
        for hour, step, user in (
            (9, Step.START_FOLLOW_UP, self.coordinator),
            (10, Step.CLOSE, self.coordinator),
            (11, Step.REOPEN, self.admin),
        ):
            plan = ControlPlan.objects.get(pk=self.sn_plan.pk)
            with time_machine.travel(datetime.datetime(2027, 4, 1, hour, tzinfo=datetime.UTC)):
                take_step(plan, step, acting_user=user, version=plan.version)
        log = self.read(self.auditor, kind="plan", date_from="2027-04-01")
        assert log == [
            "Alva Systemsson reopened the internal control plan “Socialnämnden 2025” "
            "2027-04-01 13:00",
            "Sara Samordnare closed the internal control plan “Socialnämnden 2025” "
            "2027-04-01 12:00",
            "Sara Samordnare started the follow-up of the internal control plan "
            "“Socialnämnden 2025” 2027-04-01 11:00",
        ]
        self.client.force_login(self.auditor)
        html = self.client.get(URL, {"kind": "plan", "date_from": "2027-04-01"}).content.decode()
        assert "follow-up started by" not in html  # the author says who, once

    def test_an_auditor_below_the_committee_reads_the_proposals_of_their_units_only(
        self,
    ) -> None:
        log = " ".join(self.read(self.sf_auditor))
        assert "proposed the risk “Hot vid hembesök”" in log
        assert "accepted the proposed risk “Hot vid hembesök”" in log
        # Their unit's risk, and what became of it; not the committee's other risks.
        assert "the risk “Felaktiga utbetalningar” is carried over" in log
        assert "Inaktuell rutin" not in log
        assert "Socialnämnden 2026”" not in log  # nor the committee's new plan

    def test_another_committee_and_another_organisation_read_none_of_it(self) -> None:
        for user in (self.bn_auditor, self.outside_auditor):
            with self.subTest(user=user.username):
                log = " ".join(self.read(user))
                assert "Hot vid hembesök" not in log
                assert "Felaktiga utbetalningar" not in log
                assert "Inaktuell rutin" not in log

    def test_those_without_the_log_are_refused(self) -> None:
        for user in (self.responsible, self.reader):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                assert self.client.get(URL, {"kind": "nomination"}).status_code == 403

    def test_the_kinds_can_be_chosen_and_searched(self) -> None:
        self.client.force_login(self.auditor)
        page = self.client.get(URL).content.decode()
        assert '<option value="nomination">Risk nominations</option>' in page
        assert '<option value="rollover_decision">Rollover decisions</option>' in page
        log = self.read(self.auditor, kind="nomination", text="tolkar")
        assert len(log) == 2 and all("Brist på tolkar" in text for text in log)

    def test_it_reads_in_swedish(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
        log = self.read(self.auditor)
        assert (
            "Sara Samordnare godtog förslaget ”Hot vid hembesök” och lade till risken i planen "
            "Socialnämnden 2025 2027-03-11 10:00"
        ) in log
        assert (
            "Ali Ansvarig föreslog risken ”Sjukfrånvaro” till planen Socialnämnden 2025 "
            "2027-03-10 10:00"
        ) in log
        assert (
            "Sara Samordnare beslutade att risken ”Felaktiga utbetalningar” förs över till "
            "planen Socialnämnden 2026 2027-03-12 10:00"
        ) in log

    def test_the_number_of_queries_does_not_grow_with_the_proposals(self) -> None:
        self.client.force_login(self.auditor)
        # A request first: the scope is read once after a change to roles or units.
        self.client.get(URL, {"kind": "nomination"})
        with CaptureQueriesContext(connection) as few:
            self.client.get(URL, {"kind": "nomination"})
        with time_machine.travel(PROPOSED, tick=False):
            for number in range(10):
                propose(self.responsible, self.sf_vux, self.sn_plan, f"Förslag {number}")
        with self.assertNumQueries(len(few)):
            response = self.client.get(URL, {"kind": "nomination"})
        assert len(response.context["entries"]) == 16
