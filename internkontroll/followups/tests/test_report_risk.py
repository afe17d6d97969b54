import datetime

import time_machine
from django.urls import reverse
from django.utils import translation

from internkontroll.followups.models import FollowUp
from internkontroll.reports.requests import make
from internkontroll.reports.tests.helpers import docx_text, pdf_text
from internkontroll.risks.models import Risk
from internkontroll.test import BaseTestCase, make_risk

TODAY = datetime.datetime(2025, 9, 10, 12, tzinfo=datetime.UTC)


class CriticalRiskTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.t2 = cls.organisation.periods.get(code="T2")
        # At the top of the 4×4 matrix: a critical risk.
        cls.critical = make_risk(
            cls.sn_plan,
            "r-9",
            title="Otillåten påverkan på handläggare",
            probability=4,
            consequence=4,
            unit=cls.sf_vux,
        )


@time_machine.travel(TODAY, tick=False)
class ReportRiskTests(CriticalRiskTestCase):
    def url(self, risk: Risk | None = None) -> str:
        return reverse("followups:report_risk", args=[(risk or self.critical).pk])

    def post(self, **changes: object) -> object:
        data = {
            "period": self.t2.pk,
            "date": "2025-08-28",
            "on_track": "no",
            "comment": "Utbildningen i hot och våld är uppskjuten till hösten.",
            "version": 1,
            **changes,
        }
        return self.client.post(self.url(), data)

    def saved(self) -> list[FollowUp]:
        return list(FollowUp.objects.filter(risk=self.critical))

    def test_the_coordinator_follows_up_the_risk(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.post()
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("risks:detail", args=[self.critical.pk]))
        [follow_up] = self.saved()
        assert (follow_up.period, follow_up.on_track) == (self.t2, False)
        assert follow_up.date == datetime.date(2025, 8, 28)
        assert follow_up.comment.startswith("Utbildningen")

    def test_history_records_who_followed_up(self) -> None:
        self.client.force_login(self.coordinator)
        self.post()
        [follow_up] = self.saved()
        assert follow_up.history.get().history_user == self.coordinator
        risk = Risk.objects.get(pk=self.critical.pk)
        assert risk.version == 2
        assert risk.history.first().history_user == self.coordinator

    def test_the_form_offers_the_organisations_periods_and_today(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(self.url())
        assert response.status_code == 200
        form = response.context["form"]
        assert set(form.fields) == {"period", "date", "on_track", "comment", "version"}
        assert set(form.fields["period"].queryset) == set(self.organisation.periods.all())
        assert form["date"].value() == datetime.date(2025, 9, 10)
        assert form["period"].value() == self.organisation.periods.get(code="VB").pk
        with translation.override("sv"):
            page = self.client.get(self.url()).content.decode()
        assert "Följ upp risken" in page
        assert "Otillåten påverkan på handläggare" in page

    def test_the_answer_yes_or_no_is_required(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.post(on_track="")
        assert response.status_code == 422
        assert "on_track" in response.context["form"].errors
        assert self.saved() == []

    def test_bad_input_is_refused_in_swedish_next_to_the_fields(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.post(
            on_track="", comment="", period="", date="2025-13-01", HTTP_ACCEPT_LANGUAGE="sv"
        )
        assert response.status_code == 422
        errors = response.context["form"].errors
        assert set(errors) >= {"on_track", "comment", "period", "date"}
        page = response.content.decode()
        assert "Svara om riskens hantering följer planen: ja eller nej." in page
        assert self.saved() == []

    def test_a_date_in_the_future_is_refused(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.post(date="2025-09-11")
        assert response.status_code == 422
        assert "date" in response.context["form"].errors
        assert self.saved() == []

    def test_a_period_of_another_organisation_is_refused(self) -> None:
        self.client.force_login(self.coordinator)
        foreign = self.other_organisation.periods.first()
        assert self.post(period=foreign.pk).status_code == 422
        assert self.saved() == []

    def test_a_stale_form_is_refused_and_the_comment_kept(self) -> None:
        Risk.objects.filter(pk=self.critical.pk).update(version=3)
        self.client.force_login(self.coordinator)
        response = self.post(comment="Min text som inte får försvinna.")
        assert response.status_code == 422
        assert "Min text som inte får försvinna." in response.content.decode()
        assert self.saved() == []

    def test_follow_ups_are_appended(self) -> None:
        self.client.force_login(self.coordinator)
        self.post()
        self.post(version=2, on_track="yes", comment="Utbildningen är genomförd.")
        assert [f.on_track for f in self.saved()] == [False, True]

    def test_the_responsible_person_reads_the_risk_but_may_not_follow_it_up(self) -> None:
        # A responsible person writes nothing of the committee's; they report on what is theirs.
        self.client.force_login(self.responsible)
        assert self.client.get(reverse("risks:detail", args=[self.critical.pk])).status_code == 200
        assert self.client.get(self.url()).status_code == 403
        assert self.post().status_code == 403
        assert self.saved() == []

    def test_a_reader_may_not_follow_up(self) -> None:
        self.client.force_login(self.reader)
        assert self.client.get(self.url()).status_code == 403
        assert self.post().status_code == 403
        assert self.saved() == []

    def test_an_outsider_gets_not_found(self) -> None:
        self.client.force_login(self.outsider)
        assert self.client.get(self.url()).status_code == 404
        assert self.post().status_code == 404
        assert self.saved() == []

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        response = self.client.get(self.url())
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]

    def test_it_rejects_other_methods(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.put(self.url()).status_code == 405


@time_machine.travel(TODAY, tick=False)
class RiskPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.t1 = cls.organisation.periods.get(code="T1")
        follow_up = FollowUp(
            risk=cls.sn_risk,
            period=cls.t1,
            date=datetime.date(2025, 4, 25),
            on_track=False,
            comment="Attesten dröjer.",
        )
        follow_up._history_user = cls.coordinator  # type: ignore[attr-defined]
        follow_up.save()

    def page(self) -> str:
        with translation.override("sv"):
            response = self.client.get(
                reverse("risks:detail", args=[self.sn_risk.pk]), HTTP_ACCEPT_LANGUAGE="sv"
            )
        assert response.status_code == 200
        return response.content.decode()

    def test_the_coordinator_sees_the_follow_ups_and_the_button(self) -> None:
        self.client.force_login(self.coordinator)
        page = self.page()
        assert "Följ upp risken" in page
        assert reverse("followups:report_risk", args=[self.sn_risk.pk]) in page
        section = page[page.index('id="follow-ups-heading"') :]
        for text in ("T1", "Nej", "2025-04-25", "Attesten dröjer.", "samordnare"):
            assert text in section

    def test_a_reader_sees_the_follow_ups_without_the_button(self) -> None:
        self.client.force_login(self.reader)
        page = self.page()
        assert "Attesten dröjer." in page
        assert "Följ upp risken" not in page
        assert reverse("followups:report_risk", args=[self.sn_risk.pk]) not in page

    def test_a_risk_not_followed_up_says_so(self) -> None:
        FollowUp.objects.filter(risk=self.sn_risk).delete()
        self.client.force_login(self.coordinator)
        assert "Risken har inte följts upp ännu." in self.page()


@time_machine.travel(TODAY, tick=False)
class RiskFollowUpInReportsTests(CriticalRiskTestCase):
    """What the coordinator records is what the committee's documents say."""

    def setUp(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(
            reverse("followups:report_risk", args=[self.critical.pk]),
            {
                "period": self.t2.pk,
                "date": "2025-08-28",
                "on_track": "no",
                "comment": "Utbildningen i hot och våld är uppskjuten.",
                "version": 1,
            },
        )
        assert response.status_code == 302

    def report(self, kind: str, fmt: str) -> str:
        with translation.override("sv"):
            made = make(kind, self.sn_plan, fmt=fmt, period_code="T2")
        text = {"docx": docx_text, "pdf": pdf_text}[fmt](made.content)
        # Read as a person does: lines joined, words hyphenated at a line's end made whole.
        return " ".join(text.replace("\xad", "").replace("-\n", "").split())

    def test_the_critical_risks_report_says_the_risk_does_not_follow_the_plan(self) -> None:
        for fmt in ("docx", "pdf"):
            text = self.report("critical-risks", fmt)
            assert "Otillåten påverkan på handläggare" in text, fmt
            assert "Utbildningen i hot och våld är uppskjuten." in text, fmt
            assert "Nej" in text, fmt

    def test_the_follow_up_report_carries_the_risks_follow_up(self) -> None:
        text = self.report("follow-up", "docx")
        assert "Utbildningen i hot och våld är uppskjuten." in text
        assert "Följer plan" in text
