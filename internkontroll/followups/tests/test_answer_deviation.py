"""Deviation → action: a deviation a control found is answered by an action on the same risk."""

import datetime
import zoneinfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.followups.models import FollowUp
from internkontroll.reports.requests import make
from internkontroll.reports.tests.helpers import bare, docx_text, pdf_text, xlsx_text
from internkontroll.risks.models import Action
from internkontroll.test import BaseTestCase, make_risk

D = datetime.date
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


@time_machine.travel(datetime.datetime(2025, 5, 20, 10, tzinfo=STOCKHOLM), tick=False)
class AnswerDeviationTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.t1 = cls.organisation.periods.get(code="T1")
        cls.deviation = FollowUp.objects.create(
            control_activity=cls.sn_activity, period=cls.t1, date=D(2025, 5, 5),
            result="deviation", comment="Två utbetalningar saknade attest.",
        )  # fmt: skip
        cls.other_risk = make_risk(cls.sn_plan, "r-2", title="Bristande dokumentation")
        cls.other_action = Action.objects.create(
            risk=cls.other_risk, external_id="a-1", title="Ny mall för journaler"
        )

    def url(self, follow_up: FollowUp | None = None) -> str:
        return reverse("followups:answer_deviation", args=[(follow_up or self.deviation).pk])

    def post(self, **data: object) -> object:
        return self.client.post(self.url(), {"version": 1, **data})

    def test_the_form_shows_the_deviation_and_offers_the_risks_actions(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(self.url())
        assert response.status_code == 200
        page = response.content.decode()
        assert "Två utbetalningar saknade attest." in page
        choices = dict(response.context["form"].fields["action"].choices)
        assert choices["new"] == "Skapa en ny åtgärd"
        assert choices[str(self.sn_action.pk)] == "Inför attest i två steg (pågående)"
        assert str(self.other_action.pk) not in choices
        # The new action starts from what the deviation says.
        assert response.context["action_form"]["description"].value() == (
            "Två utbetalningar saknade attest."
        )

    def test_a_coordinator_creates_the_action_that_answers_the_deviation(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.post(
            action="new",
            **{
                "new-title": "Påminn attestanterna",
                "new-description": "Utskick till alla attestanter.",
                "new-responsible": "Enhetschef",
                "new-assignee": self.responsible.pk,
                "new-due_date": "2025-06-30",
                "new-status": "not_started",
            },
        )
        assert response.status_code == 302
        assert response["Location"].endswith(f"#activity-{self.sn_activity.pk}")
        action = Action.objects.get(title="Påminn attestanterna")
        assert (action.risk, action.external_id, action.assignee) == (
            self.sn_risk,
            "a-2",
            self.responsible,
        )
        follow_up = FollowUp.objects.get(pk=self.deviation.pk)
        assert (follow_up.answered_by, follow_up.version) == (action, 2)
        record = follow_up.history.latest("history_id")  # type: ignore[attr-defined]
        assert record.history_user == self.coordinator
        assert record.history_change_reason == "Åtgärden som hanterar avvikelsen registrerades."
        assert action.history.get().history_user == self.coordinator  # type: ignore[attr-defined]

    def test_an_existing_action_is_linked_and_the_link_can_be_removed(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.post(action=str(self.sn_action.pk)).status_code == 302
        assert FollowUp.objects.get(pk=self.deviation.pk).answered_by == self.sn_action
        assert Action.objects.filter(risk=self.sn_risk).count() == 1
        assert self.post(action="", version=2).status_code == 302
        assert FollowUp.objects.get(pk=self.deviation.pk).answered_by is None

    def test_an_action_of_another_risk_or_an_incomplete_new_one_is_refused(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.post(action=str(self.other_action.pk))
        assert response.status_code == 422
        response = self.post(action="new", **{"new-title": "", "new-status": "not_started"})
        assert response.status_code == 422
        assert "new-title" in response.content.decode()
        assert response.context["action_form"].errors["title"]
        assert FollowUp.objects.get(pk=self.deviation.pk).answered_by is None
        assert Action.objects.filter(risk=self.sn_risk).count() == 1

    def test_a_stale_form_writes_nothing(self) -> None:
        FollowUp.objects.filter(pk=self.deviation.pk).update(version=3)
        self.client.force_login(self.coordinator)
        response = self.post(
            action="new", **{"new-title": "Påminn attestanterna", "new-status": "not_started"}
        )
        assert response.status_code == 422
        assert "Någon annan" in response.content.decode()
        assert not Action.objects.filter(title="Påminn attestanterna").exists()

    def test_only_the_risks_writers_may_answer_a_deviation(self) -> None:
        data = {"action": str(self.sn_action.pk)}
        assert self.client.get(self.url()).status_code == 302  # to the login page
        self.client.force_login(self.responsible)  # in a unit below the committee
        assert self.post(**data).status_code == 403
        self.client.force_login(self.reader)
        assert self.client.get(self.url()).status_code == 403
        self.client.force_login(self.outsider)
        assert self.post(**data).status_code == 404
        self.client.force_login(self.coordinator)
        assert self.client.delete(self.url()).status_code == 405
        assert FollowUp.objects.get(pk=self.deviation.pk).answered_by is None

    def test_a_follow_up_that_is_no_deviation_has_no_such_page(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.get(self.url(self.sn_follow_up)).status_code == 404
        fine = FollowUp.objects.create(
            control_activity=self.sn_activity, date=D(2025, 5, 5), result="no_remarks"
        )
        assert self.client.get(self.url(fine)).status_code == 404

    def test_the_risk_page_links_each_deviation_to_its_action_in_a_fixed_number_of_queries(
        self,
    ) -> None:
        page = reverse("risks:detail", args=[self.sn_risk.pk])
        self.client.force_login(self.coordinator)
        with CaptureQueriesContext(connection) as one:
            content = self.client.get(page).content.decode()
        assert "Skapa eller koppla en åtgärd" in content
        FollowUp.objects.filter(pk=self.deviation.pk).update(answered_by=self.sn_action)
        for day in (6, 7, 8):
            FollowUp.objects.create(
                control_activity=self.sn_activity, date=D(2025, 5, day), result="deviation",
                answered_by=self.sn_action,
            )  # fmt: skip
        with CaptureQueriesContext(connection) as four:
            content = self.client.get(page).content.decode()
        assert content.count(f"#action-{self.sn_action.pk}") == 4
        assert "Byt åtgärd" in content
        assert len(four) == len(one)
        self.client.force_login(self.reader)
        content = self.client.get(page).content.decode()
        assert "Åtgärden som hanterar avvikelsen" in content
        assert "Byt åtgärd" not in content


@time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=STOCKHOLM), tick=False)
class DeviationsInReportsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.t1 = cls.organisation.periods.get(code="T1")
        cls.sn_activity.frequency = "monthly"
        cls.sn_activity.save()
        cls.answer = Action.objects.create(
            risk=cls.sn_risk, external_id="a-2", title="Påminn attestanterna", status="done"
        )
        FollowUp.objects.create(
            control_activity=cls.sn_activity, period=cls.t1, occurrence=D(2025, 2, 28),
            date=D(2025, 3, 3), result="deviation", comment="Två utbetalningar saknade attest.",
            answered_by=cls.answer,
        )  # fmt: skip
        FollowUp.objects.create(
            control_activity=cls.sn_activity, period=cls.t1, occurrence=D(2025, 3, 31),
            date=D(2025, 4, 2), result="deviation", comment="En faktura var betald två gånger.",
        )  # fmt: skip

    def test_each_deviation_is_shown_with_the_action_that_answers_it_in_every_format(
        self,
    ) -> None:
        readers = {"docx": docx_text, "pdf": pdf_text, "xlsx": xlsx_text}
        for kind, period in (("follow-up", "T1"), ("assessment", None)):
            for fmt, read in readers.items():
                text = bare(read(make(kind, self.sn_plan, fmt=fmt, period_code=period).content))
                for words in (
                    "Vidtagen åtgärd",
                    "Två utbetalningar saknade attest.",
                    "Påminn attestanterna (avslutad)",
                    "En faktura var betald två gånger.",
                    "Ingen åtgärd ännu.",
                ):
                    assert bare(words) in text, (kind, fmt, words)
                # The risk's other action answers neither deviation.
                assert bare("Inför attest i två steg (pågående)") not in text, (kind, fmt)
