from typing import Any

from django.urls import reverse
from django.utils import translation

from internkontroll.reports import introductions
from internkontroll.reports.intro_views import MAX_LENGTH
from internkontroll.reports.models import ReportIntroduction
from internkontroll.test import BaseTestCase

OWN = "Socialnämnden har i år sett över rutinerna för utbetalningar."


class IntroductionViewTests(BaseTestCase):
    def setUp(self) -> None:
        translation.activate("sv")
        self.addCleanup(translation.deactivate)

    def index_url(self) -> str:
        return reverse("reports:introductions", args=[self.sn_plan.pk])

    def edit_url(self, kind: str = "follow-up") -> str:
        return reverse("reports:introduction", args=[self.sn_plan.pk, kind])

    def reset_url(self, kind: str = "follow-up") -> str:
        return reverse("reports:introduction_reset", args=[self.sn_plan.pk, kind])

    def store(self, kind: str = "follow-up", text: str = OWN) -> ReportIntroduction:
        row = introductions.save_introduction(
            self.sn_plan, kind, text=text, version=None, acting_user=self.coordinator
        )
        assert row is not None
        return row

    def get(self, url: str) -> Any:
        return self.client.get(url, HTTP_ACCEPT_LANGUAGE="sv")

    def post(self, url: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.post(url, data or {}, HTTP_ACCEPT_LANGUAGE="sv")


class IndexTests(IntroductionViewTests):
    def test_the_coordinator_sees_every_plan_reports_text(self) -> None:
        self.store("assessment")
        self.client.force_login(self.coordinator)
        response = self.get(self.index_url())
        assert response.status_code == 200
        page = response.content.decode()
        assert "Rapporternas inledningar: Socialnämnden 2025" in page
        for title in (
            "Samlad riskbild",
            "Internkontrollplan",
            "Uppföljning av kritiska risker",
            "Bedömning av nämndens interna kontroll",
        ):
            assert title in page
        assert OWN in page
        assert "Nämndens egen text." in page
        assert "ska nämnden se till att den interna kontrollen är tillräcklig" in page
        assert page.count("Återställ standardtext") == 1
        assert self.edit_url("critical-risks") in page

    def test_the_overviews_text_is_offered_only_to_organisation_wide_writers(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.edit_url("overview") not in self.get(self.index_url()).content.decode()
        self.client.force_login(self.admin)
        page = self.get(self.index_url()).content.decode()
        assert self.edit_url("overview") in page
        assert "Texten gäller hela organisationen" in page

    def test_the_plan_page_links_to_it_for_those_who_write_the_plan(self) -> None:
        plan_url = reverse("plans:detail", args=[self.sn_plan.pk])
        self.client.force_login(self.coordinator)
        page = self.get(plan_url).content.decode()
        assert self.index_url() in page
        assert "Ändra rapporternas inledningar" in page
        self.client.force_login(self.reader)
        assert self.index_url() not in self.get(plan_url).content.decode()

    def test_readers_and_the_responsible_may_not_and_outsiders_get_not_found(self) -> None:
        for user in (self.reader, self.responsible, self.auditor):
            self.client.force_login(user)
            assert self.get(self.index_url()).status_code == 403, user
        self.client.force_login(self.outsider)
        assert self.get(self.index_url()).status_code == 404

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        response = self.get(self.index_url())
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]

    def test_it_rejects_post(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.post(self.index_url()).status_code == 405


class EditTests(IntroductionViewTests):
    def test_the_form_starts_from_the_default_shown_beside_it(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.get(self.edit_url())
        assert response.status_code == 200
        form = response.context["form"]
        assert form["text"].value() == introductions.default_text("follow-up")
        assert "version" not in form.fields
        page = response.content.decode()
        assert "Inledning: Uppföljning av internkontrollplan och samlad riskbild" in page
        assert "Standardtext" in page
        assert "Återställ standardtext" not in page

    def test_the_coordinator_saves_the_committees_text(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.post(self.edit_url(), {"text": OWN})
        assert response.status_code == 302
        assert response["Location"].endswith("#introduction-follow-up")
        row = ReportIntroduction.objects.get(plan=self.sn_plan, kind="follow-up")
        assert row.text == OWN
        assert row.history.get().history_user == self.coordinator

    def test_an_own_text_is_edited_from_its_version(self) -> None:
        row = self.store()
        self.client.force_login(self.coordinator)
        response = self.get(self.edit_url())
        assert response.context["form"]["text"].value() == OWN
        assert "Återställ standardtext" in response.content.decode()
        assert (
            self.post(self.edit_url(), {"text": "Ny.", "version": row.version}).status_code == 302
        )
        assert introductions.introduction(self.sn_plan, "follow-up") == "Ny."

    def test_a_stale_edit_is_refused_and_the_text_kept(self) -> None:
        self.store()
        self.client.force_login(self.coordinator)
        response = self.post(
            self.edit_url(), {"text": "Min text som inte får försvinna.", "version": 9}
        )
        assert response.status_code == 422
        page = response.content.decode()
        assert "Min text som inte får försvinna." in page
        assert "Någon annan" in page
        assert introductions.introduction(self.sn_plan, "follow-up") == OWN

    def test_an_empty_text_is_refused_in_swedish(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.post(self.edit_url(), {"text": "  "})
        assert response.status_code == 422
        assert "Skriv inledningen, eller använd standardtexten." in response.content.decode()
        assert not ReportIntroduction.objects.exists()

    def test_a_text_too_long_is_refused_in_swedish(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.post(self.edit_url(), {"text": "a" * (MAX_LENGTH + 1)})
        assert response.status_code == 422
        assert f"Inledningen får vara högst {MAX_LENGTH} tecken lång" in response.content.decode()
        assert not ReportIntroduction.objects.exists()

    def test_a_committee_coordinator_may_not_edit_the_overviews_text(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.get(self.edit_url("overview")).status_code == 403
        assert self.post(self.edit_url("overview"), {"text": OWN}).status_code == 403
        assert not ReportIntroduction.objects.exists()

    def test_an_administrator_edits_the_overviews_text_for_the_organisation(self) -> None:
        self.client.force_login(self.admin)
        assert self.post(self.edit_url("overview"), {"text": OWN}).status_code == 302
        row = ReportIntroduction.objects.get(kind="overview")
        assert (row.organisation, row.plan) == (self.organisation, None)

    def test_an_unknown_kind_is_not_found(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.get(self.edit_url("inget")).status_code == 404

    def test_others_may_not_edit(self) -> None:
        for user, status in ((self.reader, 403), (self.responsible, 403), (self.outsider, 404)):
            self.client.force_login(user)
            assert self.get(self.edit_url()).status_code == status, user
            assert self.post(self.edit_url(), {"text": OWN}).status_code == status, user
        assert not ReportIntroduction.objects.exists()

    def test_it_rejects_other_methods(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.put(self.edit_url()).status_code == 405


class ResetTests(IntroductionViewTests):
    def test_the_coordinator_goes_back_to_the_default(self) -> None:
        row = self.store()
        self.client.force_login(self.coordinator)
        response = self.post(self.reset_url(), {"version": row.version})
        assert response.status_code == 302
        assert not ReportIntroduction.objects.exists()
        assert ReportIntroduction.history.latest("history_id").history_user == self.coordinator
        page = self.client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="sv").content.decode()
        assert "Rapporten inleds nu med standardtexten." in page

    def test_a_stale_reset_is_refused(self) -> None:
        self.store()
        self.client.force_login(self.coordinator)
        response = self.post(self.reset_url(), {"version": 4})
        assert response.status_code == 302
        assert ReportIntroduction.objects.exists()
        page = self.client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="sv").content.decode()
        assert "Någon annan" in page

    def test_others_may_not_reset(self) -> None:
        row = self.store()
        for user, status in ((self.reader, 403), (self.outsider, 404)):
            self.client.force_login(user)
            assert self.post(self.reset_url(), {"version": row.version}).status_code == status
        assert ReportIntroduction.objects.exists()

    def test_it_rejects_get(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.get(self.reset_url()).status_code == 405
