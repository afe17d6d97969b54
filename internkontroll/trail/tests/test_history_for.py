from __future__ import annotations

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import Period
from internkontroll.risks.models import Action, Risk
from internkontroll.test import BaseTestCase
from internkontroll.trail.queries import history_for

# 12:02 UTC is 14:02 in Stockholm in summer.
SEPTEMBER = datetime.datetime(2027, 9, 6, 12, 2, tzinfo=datetime.UTC)


def sentences(obj: object) -> list[str]:
    with translation.override("en"):
        return [entry.sentence for entry in history_for(obj)]  # type: ignore[arg-type]


class HistoryForTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.coordinator.first_name, cls.coordinator.last_name = "Sara", "Samordnare"
        cls.coordinator.save()

    def change(self, obj: object, **values: object) -> None:
        obj = type(obj).objects.get(pk=obj.pk)  # type: ignore[attr-defined]
        for name, value in values.items():
            setattr(obj, name, value)
        obj._history_user = self.coordinator  # type: ignore[attr-defined]
        obj.save()  # type: ignore[attr-defined]

    @time_machine.travel(SEPTEMBER, tick=False)
    def test_a_status_change_reads_as_a_sentence_in_stockholm_time(self) -> None:
        self.change(self.sn_action, status="done")
        assert sentences(self.sn_risk)[0] == (
            "Sara Samordnare changed status from In progress to Done 2027-09-06 14:02"
        )

    @time_machine.travel(SEPTEMBER, tick=False)
    def test_a_change_names_the_object_it_was_made_on(self) -> None:
        self.change(self.sn_action, status="done")
        with translation.override("en"):
            entry = history_for(self.sn_risk)[0]
        assert entry.subject == "the action “Inför attest i två steg”"
        assert not entry.names_subject

    def test_several_changes_are_listed_in_one_entry(self) -> None:
        self.change(self.sn_action, status="done", due_date=datetime.date(2025, 12, 31))
        assert (
            "changed due date from 2025-06-30 to 2025-12-31 and status from In progress to "
            in (sentences(self.sn_risk)[0])
        )

    def test_a_foreign_key_is_shown_by_its_name(self) -> None:
        self.change(self.sn_action, assignee=self.responsible)
        assert "changed assigned to to ansvarig" in sentences(self.sn_risk)[0]

    def test_a_long_text_is_shortened_with_an_ellipsis(self) -> None:
        self.change(self.sn_risk, description="Ett mycket långt stycke text. " * 10)
        sentence = sentences(self.sn_risk)[0]
        assert "changed risk description to Ett mycket långt stycke text. Ett mycket långt" in (
            sentence
        )
        assert "…" in sentence
        assert len(sentence) < 200

    def test_the_handling_codes_are_shown_by_their_labels(self) -> None:
        self.change(self.sn_risk, handling=["accept"])
        assert (
            "changed handling from mitigate with actions, review in the internal control plan "
            "to accept"
        ) in sentences(self.sn_risk)[0]

    def test_creation_and_deletion_are_entries_of_their_own(self) -> None:
        action = Action(risk=self.sn_risk, external_id="a-9", title="Ny rutin")
        action._history_user = self.coordinator  # type: ignore[attr-defined]
        action.save()
        action._history_user = self.coordinator  # type: ignore[attr-defined]
        action.delete()
        newest, created = sentences(self.sn_risk)[:2]
        assert newest.startswith("Sara Samordnare deleted the action “Ny rutin”")
        assert created.startswith("Sara Samordnare created the action “Ny rutin”")

    def test_a_change_without_a_person_is_the_systems(self) -> None:
        risk = Risk.objects.get(pk=self.sn_risk.pk)
        risk.title = "Nytt namn"
        risk.save()
        assert sentences(self.sn_risk)[0].startswith(
            "The system changed title from Felaktiga utbetalningar to Nytt namn"
        )

    def test_a_change_by_an_import_without_a_person_says_import(self) -> None:
        risk = Risk.objects.get(pk=self.sn_risk.pk)
        risk.title = "Importerad"
        risk._change_reason = "import"  # type: ignore[attr-defined]
        risk.save()
        assert sentences(self.sn_risk)[0].startswith("Import changed title")

    def test_a_change_of_the_version_number_only_is_not_shown(self) -> None:
        before = sentences(self.sn_risk)
        self.change(self.sn_action, version=5)
        assert sentences(self.sn_risk) == before

    def test_a_follow_up_and_a_control_activity_belong_to_the_risks_history(self) -> None:
        texts = sentences(self.sn_risk)
        assert any("created the follow-up “2025-05-02”" in text for text in texts)
        assert any("created the control activity “Stickprov" in text for text in texts)

    def test_a_change_of_reporting_periods_is_recorded(self) -> None:
        activity = ControlActivity.objects.get(pk=self.sn_activity.pk)
        activity._history_user = self.coordinator  # type: ignore[attr-defined]
        activity.periods.set(Period.objects.filter(organisation=self.organisation, code="T1"))
        assert "changed reported in periods from – to T1 " in sentences(self.sn_risk)[0]

    def test_the_plans_history_holds_its_assessment(self) -> None:
        self.change(self.sn_assessment, verdict="insufficient")
        assert "changed verdict from Sufficient to Insufficient" in sentences(self.sn_plan)[0]

    def test_it_is_newest_first(self) -> None:
        with time_machine.travel(SEPTEMBER):
            self.change(self.sn_risk, title="Senare")
        with translation.override("en"):
            dates = [entry.when for entry in history_for(self.sn_risk)]
        assert dates == sorted(dates, reverse=True)

    def test_the_number_of_queries_does_not_grow_with_the_history(self) -> None:
        self._grow(2)
        with CaptureQueriesContext(connection) as few:
            history_for(self.sn_risk)
        self._grow(20)
        with self.assertNumQueries(len(few)):
            assert len(history_for(self.sn_risk)) > 40

    def _grow(self, count: int) -> None:
        for number in range(count):
            action = Action(risk=self.sn_risk, external_id=f"g-{count}-{number}", title="X")
            action._history_user = self.coordinator  # type: ignore[attr-defined]
            action.save()
            self.change(action, status="done", assignee=self.responsible)
            FollowUp.objects.create(action=action, date=datetime.date(2025, 5, 2), comment="Ok")


class HistoryOnPagesTests(BaseTestCase):
    def setUp(self) -> None:
        self.client.cookies["django_language"] = "en"

    def test_the_risks_page_shows_its_history(self) -> None:
        action = Action.objects.get(pk=self.sn_action.pk)
        action.status = "done"
        action._history_user = self.coordinator  # type: ignore[attr-defined]
        action.save()
        self.client.force_login(self.reader)
        url = reverse("risks:detail", args=[self.sn_risk.pk])
        change = "<strong>Samordnare</strong> changed status from In progress to Done"
        # The page comes without it: htmx asks for it as the section comes into view.
        html = self.client.get(url).content.decode()
        assert 'id="history-heading"' in html and change not in html
        assert f'hx-get="{url}?history=1" hx-trigger="revealed"' in html
        assert 'href="?history=1#history-heading">Show the history</a>' in html
        # What htmx gets: the section's entries alone.
        part = self.client.get(f"{url}?history=1", HTTP_HX_REQUEST="true").content.decode()
        assert part.strip().startswith('<div id="history">') and change in part
        assert "<html" not in part and "About the risk" not in part
        # Without JavaScript the link gives the whole page with the history.
        html = self.client.get(f"{url}?history=1").content.decode()
        assert "About the risk" in html and change in html and "Show the history" not in html

    def test_the_history_of_a_risk_one_may_not_read_is_not_found(self) -> None:
        self.client.force_login(self.responsible)
        url = reverse("risks:detail", args=[self.sn_risk.pk])
        assert self.client.get(url).status_code == 200
        outside = reverse("risks:detail", args=[self.bn_risk.pk])
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            assert self.client.get(f"{outside}?history=1", **headers).status_code == 404

    def test_the_plans_page_shows_its_history(self) -> None:
        self.client.force_login(self.reader)
        url = reverse("plans:detail", args=[self.sn_plan.pk])
        created = "created the internal control plan “Socialnämnden 2025”"
        html = self.client.get(url).content.decode()
        assert f'hx-get="{url}?history=1" hx-trigger="revealed"' in html and created not in html
        part = self.client.get(f"{url}?history=1", HTTP_HX_REQUEST="true").content.decode()
        assert created in part and "created the assessment" in part and "<html" not in part
        html = self.client.get(f"{url}?history=1").content.decode()
        assert created in html and "created the assessment" in html

    def test_a_reader_of_a_part_of_the_plan_reads_none_of_its_history(self) -> None:
        self.client.force_login(self.responsible)  # below the committee: their units' risks
        url = reverse("plans:detail", args=[self.sn_plan.pk])
        for response in (
            self.client.get(url),
            self.client.get(f"{url}?history=1"),
            self.client.get(f"{url}?history=1", HTTP_HX_REQUEST="true"),
        ):
            assert response.status_code == 200
            html = response.content.decode()
            assert "Socialnämnden 2025”" not in html and "created the assessment" not in html
            assert 'hx-target="#history"' not in html  # nothing to ask for
