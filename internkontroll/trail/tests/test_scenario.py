"""A scripted day of work through the pages and an import leaves exactly those entries."""

from __future__ import annotations

import datetime
from typing import Any

import time_machine
from django.conf import settings
from django.urls import reverse

from internkontroll.exchange.exporter import export_document
from internkontroll.exchange.importer import import_document
from internkontroll.test import BaseTestCase, make_plan

DAY = datetime.datetime(2027, 6, 1, 8, 30, tzinfo=datetime.UTC)  # 10:30 in Stockholm


def form_data(response: Any) -> dict[str, Any]:
    """What the form on the page would send back unchanged."""
    data = {}
    for field in response.context["form"]:
        value = field.value()
        data[field.html_name] = "" if value is None else value
    return data


class ScenarioTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.sn_action.assignee = cls.responsible
        cls.sn_action._history_user = cls.coordinator  # type: ignore[attr-defined]
        cls.sn_action.save()
        cls.draft = make_plan(cls.sn, year=2026)
        for user, first, last in (
            (cls.coordinator, "Sara", "Samordnare"),
            (cls.responsible, "Ali", "Ansvarig"),
            (cls.admin, "Alva", "Systemsson"),
        ):
            user.first_name, user.last_name = first, last
            user.save()

    def setUp(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    @time_machine.travel(DAY, tick=False)
    def test_the_log_holds_exactly_the_days_changes_with_the_right_people(self) -> None:
        self.edit_the_risk_as_the_coordinator()
        self.report_on_the_action_as_the_responsible_person()
        self.adopt_the_draft_as_the_coordinator()
        self.import_a_new_title_as_the_administrator()

        self.client.force_login(self.admin)
        response = self.client.get(reverse("trail:log"), {"date_from": "2027-06-01"})
        assert sorted(entry.sentence for entry in response.context["entries"]) == sorted(
            [
                "Sara Samordnare changed title from Felaktiga utbetalningar to Felaktiga "
                "utbetalningar av bistånd 2027-06-01 10:30",
                "Ali Ansvarig created the follow-up “2025-09-05” 2027-06-01 10:30",
                "Ali Ansvarig changed status from In progress to Done 2027-06-01 10:30",
                "Sara Samordnare recorded that the internal control plan “Socialnämnden 2026” "
                "was adopted on 2026-05-28 and changed reference to SN-2026/12 2027-06-01 10:30",
                "Alva Systemsson changed title from Brister i skolskjutsar to Brister i "
                "skolskjutsar och färdtjänst 2027-06-01 10:30",
            ]
        )

    def edit_the_risk_as_the_coordinator(self) -> None:
        self.client.force_login(self.coordinator)
        url = reverse("risks:edit", args=[self.sn_risk.pk])
        data = form_data(self.client.get(url))
        data["title"] = "Felaktiga utbetalningar av bistånd"
        assert self.client.post(url, data).status_code == 302

    def report_on_the_action_as_the_responsible_person(self) -> None:
        self.client.force_login(self.responsible)
        url = reverse("followups:report_action", args=[self.sn_action.pk])
        data = {
            "period": self.organisation.periods.get(code="T2").pk,
            "date": "2025-09-05",
            "status": "done",
            "on_track": "yes",
            "comment": "Attest i två steg är införd.",
            "version": 1,
        }
        assert self.client.post(url, data).status_code == 302

    def adopt_the_draft_as_the_coordinator(self) -> None:
        self.client.force_login(self.coordinator)
        url = reverse("plans:adopt", args=[self.draft.pk])
        data = {
            "adopted_on": "2026-05-28",
            "reference": "SN-2026/12",
            "version": self.draft.version,
        }
        assert self.client.post(url, data).status_code == 302

    def import_a_new_title_as_the_administrator(self) -> None:
        document = export_document(self.organisation)
        for plan in document["plans"]:
            for risk in plan.get("risks", []):
                if risk["title"] == "Brister i skolskjutsar":
                    risk["title"] = "Brister i skolskjutsar och färdtjänst"
        import_document(document, acting_user=self.admin)
