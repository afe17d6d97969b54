from __future__ import annotations

import datetime

import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internkontroll.accounts.models import Role
from internkontroll.risks.models import Action
from internkontroll.test import BaseTestCase, make_user

URL = reverse("trail:log")


def texts(response: object) -> list[str]:
    return [entry.sentence for entry in response.context["entries"]]  # type: ignore[attr-defined]


class LogTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.bn_auditor = make_user("bn-revisor", cls.organisation, [(Role.AUDITOR, cls.bn)])
        cls.outside_auditor = make_user(
            "grannrevisor", cls.other_organisation, [(Role.AUDITOR, None)]
        )
        with time_machine.travel(datetime.datetime(2027, 3, 10, 9, tzinfo=datetime.UTC)):
            cls.edit(cls.sn_action, cls.coordinator, status="done")
        with time_machine.travel(datetime.datetime(2027, 4, 10, 9, tzinfo=datetime.UTC)):
            cls.edit(cls.bn_risk, cls.admin, title="Brister i skolskjutsar och resor")
            cls.edit(cls.other_risk, cls.outsider, title="Grannens ändrade risk")

    @staticmethod
    def edit(obj: object, user: object, **values: object) -> None:
        obj = type(obj).objects.get(pk=obj.pk)  # type: ignore[attr-defined]
        for name, value in values.items():
            setattr(obj, name, value)
        obj._history_user = user  # type: ignore[attr-defined]
        obj.save()  # type: ignore[attr-defined]

    def setUp(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def test_an_auditor_reads_the_changes_in_their_scope(self) -> None:
        self.client.force_login(self.auditor)
        response = self.client.get(URL)
        assert response.status_code == 200
        assert (
            texts(response)[0]
            == "Samordnare changed status from In progress to Done 2027-03-10 10:00"
        )

    def test_an_auditor_never_sees_another_committees_changes(self) -> None:
        self.client.force_login(self.auditor)
        html = self.client.get(URL).content.decode()
        assert "skolskjutsar" not in html

    def test_an_administrator_of_the_organisation_reads_every_committee(self) -> None:
        self.client.force_login(self.admin)
        sentences = texts(self.client.get(URL))
        assert any("skolskjutsar och resor" in text for text in sentences)
        assert any("In progress to Done" in text for text in sentences)

    def test_a_coordinator_reads_the_log_of_their_committee(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.get(URL).status_code == 200

    def test_another_organisation_sees_nothing_of_this_one(self) -> None:
        self.client.force_login(self.outside_auditor)
        response = self.client.get(URL)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Grannens ändrade risk" in html
        assert "Inför attest" not in html and "Felaktiga utbetalningar" not in html
        assert "samordnare" not in html.lower()

    def test_the_deleted_objects_history_stays_in_scope(self) -> None:
        action = Action.objects.get(pk=self.sn_action.pk)
        action._history_user = self.coordinator  # type: ignore[attr-defined]
        with time_machine.travel(datetime.datetime(2027, 5, 1, tzinfo=datetime.UTC)):
            action.delete()
        self.client.force_login(self.auditor)
        sentences = texts(self.client.get(URL))
        assert (
            "Samordnare deleted the action “Inför attest i två steg” 2027-05-01 02:00" in sentences
        )
        self.client.force_login(self.bn_auditor)
        assert not any("Inför attest" in text for text in texts(self.client.get(URL)))

    def test_it_filters_by_person(self) -> None:
        self.client.force_login(self.admin)
        sentences = texts(self.client.get(URL, {"person": self.admin.pk}))
        assert sentences and all(text.startswith("Admin ") for text in sentences)

    def test_it_filters_by_a_persons_name(self) -> None:
        self.client.force_login(self.admin)
        sentences = texts(self.client.get(URL, {"person": " ADM "}))
        assert sentences and all(text.startswith("Admin ") for text in sentences)

    def test_a_name_from_another_organisation_finds_nothing(self) -> None:
        self.client.force_login(self.admin)
        assert texts(self.client.get(URL, {"person": self.outsider.username})) == []

    def test_the_person_filter_is_typed_and_suggests_who_made_the_changes_shown(self) -> None:
        self.client.force_login(self.admin)
        html = self.client.get(URL).content.decode()
        assert '<select name="person"' not in html
        assert 'list="log-people"' in html
        assert '<option value="samordnare"></option>' in html
        assert 'value="utomstaende"' not in html

    def test_it_filters_by_kind_of_item(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.get(URL, {"kind": "action"})
        assert {entry.kind for entry in response.context["entries"]} == {"action"}

    def test_it_filters_by_dates_in_stockholm_time(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.get(URL, {"date_from": "2027-03-10", "date_to": "2027-03-10"})
        assert texts(response) == [
            "Samordnare changed status from In progress to Done 2027-03-10 10:00"
        ]

    def test_it_searches_the_text_of_the_items(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.get(URL, {"text": "skolskjuts", "kind": "risk"})
        assert len(texts(response)) == 2  # the creation and the change

    def test_a_filter_value_that_is_not_valid_is_left_out(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.get(URL, {"date_from": "igår", "kind": "nothing"})
        assert response.status_code == 200
        assert len(response.context["page"].rows) > 2

    def test_every_filter_has_a_label(self) -> None:
        self.client.force_login(self.auditor)
        html = self.client.get(URL).content.decode()
        for name in ("text", "person", "kind", "date_from", "date_to"):
            assert f'<label for="id_{name}">' in html

    def test_a_reader_is_refused(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.get(URL).status_code == 403

    def test_a_responsible_person_is_refused(self) -> None:
        self.client.force_login(self.responsible)
        assert self.client.get(URL).status_code == 403

    def test_an_htmx_request_gets_the_results_only(self) -> None:
        self.client.force_login(self.auditor)
        response = self.client.get(URL, headers={"HX-Request": "true"})
        html = response.content.decode()
        assert html.lstrip().startswith('<div id="results"')
        assert "<html" not in html

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.get(URL)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_it_rejects_post(self) -> None:
        self.client.force_login(self.auditor)
        assert self.client.post(URL).status_code == 405


def _fill(case: BaseTestCase, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        action = Action(risk=case.sn_risk, external_id=f"p-{number}", title=f"Åtgärd {number}")
        action._history_user = case.coordinator  # type: ignore[attr-defined]
        action.save()


class LogPagesTests(BaseTestCase):
    def setUp(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.client.force_login(self.auditor)

    def test_the_number_of_queries_does_not_grow_with_the_entries(self) -> None:
        _fill(self, 5)
        with CaptureQueriesContext(connection) as five:
            response = self.client.get(URL, {"kind": "action"})
        assert len(response.context["entries"]) == 6
        _fill(self, 45, start=5)
        with self.assertNumQueries(len(five)):
            response = self.client.get(URL, {"kind": "action"})
        assert len(response.context["entries"]) == 50

    def test_it_shows_fifty_entries_a_page_and_links_to_the_next(self) -> None:
        _fill(self, 60)
        response = self.client.get(URL, {"kind": "action"})
        assert len(response.context["entries"]) == 50
        assert response.context["page"].newer is None
        older = str(response.context["page"].older)
        assert f'href="?kind=action&amp;older={older}"' in response.content.decode()
        second = self.client.get(URL, {"kind": "action", "older": older})
        assert len(second.context["entries"]) == 11
        assert second.context["page"].older is None
        shown = {row[1] for row in response.context["page"].rows}
        assert shown.isdisjoint(row[1] for row in second.context["page"].rows)

    def test_the_newer_link_leads_back_to_the_first_page(self) -> None:
        _fill(self, 60)
        first = self.client.get(URL, {"kind": "action"}).context["page"]
        second = self.client.get(URL, {"kind": "action", "older": str(first.older)})
        newer = str(second.context["page"].newer)
        assert f'newer={newer}"' in second.content.decode()
        back = self.client.get(URL, {"kind": "action", "newer": newer}).context["page"]
        assert back.rows == first.rows

    def test_it_pages_through_every_kind_in_order_without_gaps(self) -> None:
        _fill(self, 30)
        with time_machine.travel(datetime.datetime(2027, 5, 1, 9, tzinfo=datetime.UTC)):
            LogTests.edit(self.sn_risk, self.coordinator, title="Samma tid")
            LogTests.edit(self.sn_action, self.coordinator, title="Samma tid")
        everything = self.client.get(URL).context["page"].rows
        seen: list[tuple[str, int, datetime.datetime]] = []
        query: dict[str, str] = {}
        for _ in range(20):
            response = self.client.get(URL, query)
            page = response.context["page"]
            seen += page.rows
            if page.older is None:
                break
            query = {"older": str(page.older)}
        assert seen[:50] == everything
        assert len(seen) == len(set(seen))
        assert [row[2] for row in seen] == sorted((row[2] for row in seen), reverse=True)

    def test_the_pages_hold_only_the_persons_scope(self) -> None:
        _fill(self, 60)
        self.client.force_login(
            make_user("grannrevisor", self.other_organisation, [(Role.AUDITOR, None)])
        )
        response = self.client.get(URL, {"kind": "action"})
        assert response.context["entries"] == []
        assert response.context["page"].older is None
        assert "Åtgärd" not in response.content.decode()

    def test_a_cursor_that_is_not_valid_shows_the_first_page(self) -> None:
        _fill(self, 5)
        first = self.client.get(URL).context["page"].rows
        assert self.client.get(URL, {"older": "x.risk.1"}).context["page"].rows == first
