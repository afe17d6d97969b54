"""Results recorded per occurrence of a control activity, and rolled up to the period."""

import datetime
import zoneinfo

import time_machine
from django.urls import reverse

from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.reports.kinds import build
from internkontroll.reports.tests.test_period import rows
from internkontroll.test import BaseTestCase

D = datetime.date
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


@time_machine.travel(datetime.datetime(2025, 5, 20, 10, tzinfo=STOCKHOLM), tick=False)
class ReportingAnOccurrenceTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        ControlActivity.objects.filter(pk=cls.sn_activity.pk).update(
            frequency="monthly",
            assignee=cls.responsible,
            description="Att varje utbetalning över 10 000 kr är attesterad av två personer.",
            sample="15 utbetalningar per månad",
        )
        cls.t1 = cls.organisation.periods.get(code="T1")
        cls.t2 = cls.organisation.periods.get(code="T2")

    def url(self) -> str:
        return reverse("followups:report_control_activity", args=[self.sn_activity.pk])

    def post(self, **changes: object) -> object:
        data = {
            "occurrence": "2025-02-28",
            "date": "2025-05-19",
            "result": "no_remarks",
            "comment": "Alla 15 utbetalningar var attesterade.",
            "version": 1,
            **changes,
        }
        return self.client.post(self.url(), data)

    def test_the_form_offers_the_occurrences_prefills_today_and_shows_what_is_checked(
        self,
    ) -> None:
        FollowUp.objects.create(
            control_activity=self.sn_activity, period=self.t1, occurrence=D(2025, 1, 31),
            date=D(2025, 2, 3), result="no_remarks", comment="Inga fel.",
        )  # fmt: skip
        self.client.force_login(self.responsible)
        response = self.client.get(self.url())
        assert response.status_code == 200
        form = response.context["form"]
        choices = dict(form.fields["occurrence"].choices)
        assert len(choices) == 12
        assert choices["2025-01-31"] == "Tertialrapport 1: senast 2025-01-31 (rapporterad)"
        assert choices["2025-05-31"] == "Tertialrapport 2: senast 2025-05-31"
        # January is reported: February is the earliest one waiting.
        assert form.initial["occurrence"] == "2025-02-28"
        page = response.content.decode()
        assert 'value="2025-05-20"' in page  # today's date
        assert '<option value="2025-02-28" selected>' in page
        assert "Det här omfattar kontrollen" in page
        assert "attesterad av två personer" in page
        assert "15 utbetalningar per månad" in page
        assert "månadsvis" in page

    def test_the_result_is_recorded_for_the_occurrence_and_its_period(self) -> None:
        self.client.force_login(self.responsible)
        response = self.post()
        assert response.status_code == 302
        follow_up = FollowUp.objects.get(control_activity=self.sn_activity)
        assert (follow_up.occurrence, follow_up.period) == (D(2025, 2, 28), self.t1)
        history = self.client.get(self.url()).content.decode()
        assert "tillfälle 2025-02-28" in history

    def test_a_period_without_an_occurrence_is_still_taken(self) -> None:
        self.client.force_login(self.responsible)
        response = self.post(occurrence="", period=self.t1.pk)
        assert response.status_code == 302
        follow_up = FollowUp.objects.get(control_activity=self.sn_activity)
        assert (follow_up.occurrence, follow_up.period) == (None, self.t1)

    def test_an_unknown_or_missing_occurrence_is_refused_in_swedish(self) -> None:
        self.client.force_login(self.responsible)
        response = self.post(occurrence="2025-02-15")
        assert response.status_code == 422
        assert "Välj ett av kontrollens tillfällen." in response.content.decode()
        response = self.post(occurrence="")
        assert response.status_code == 422
        assert "Välj vilket tillfälle resultatet gäller." in response.content.decode()
        assert not FollowUp.objects.filter(control_activity=self.sn_activity).exists()

    def test_someone_else_in_the_unit_may_not_report(self) -> None:
        ControlActivity.objects.filter(pk=self.sn_activity.pk).update(assignee=None)
        self.client.force_login(self.responsible)
        assert self.post().status_code == 403
        self.client.force_login(self.reader)
        assert self.post().status_code == 403
        self.client.force_login(self.outsider)
        assert self.post().status_code == 404


@time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=STOCKHOLM), tick=False)
class RolledUpResultTests(BaseTestCase):
    """A monthly control in the first tertial: January to April."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.t1 = cls.organisation.periods.get(code="T1")
        cls.t2 = cls.organisation.periods.get(code="T2")
        cls.sn_activity.delete()
        cls.made = {}
        for number, (title, results) in enumerate(
            {
                "Alla månader utan anmärkning": ["no_remarks"] * 4,
                "Avvikelse i februari": ["no_remarks", "deviation", "no_remarks", "no_remarks"],
                "April saknas": ["no_remarks"] * 3,
                "Ingen rapport": [],
            }.items(),
            start=1,
        ):
            activity = ControlActivity.objects.create(
                risk=cls.sn_risk, external_id=f"k-{number}", title=title, frequency="monthly"
            )
            for month, result in enumerate(results, start=1):
                FollowUp.objects.create(
                    control_activity=activity, period=cls.t1,
                    occurrence=[D(2025, 1, 31), D(2025, 2, 28), D(2025, 3, 31), D(2025, 4, 30)][
                        month - 1
                    ],
                    date=D(2025, month + 1, 3), result=result, comment=f"Månad {month}.",
                )  # fmt: skip
            cls.made[title] = activity
        # Reported for the whole tertial before occurrences existed.
        cls.legacy = ControlActivity.objects.create(
            risk=cls.sn_risk,
            external_id="k-9",
            title="Rapporterad per tertial",
            frequency="monthly",
        )
        FollowUp.objects.create(
            control_activity=cls.legacy, period=cls.t1, date=D(2025, 5, 5),
            result="no_remarks", comment="Hela tertialen utan fel.",
        )  # fmt: skip

    def results(self) -> dict[str, dict[str, str]]:
        document = build("follow-up", self.sn_plan, self.t1)  # type: ignore[arg-type]
        return {
            row["Kontrollaktivitet"].splitlines()[0]: row
            for row in rows(document, "Internkontrollplan")
        }

    def test_the_periods_result_rolls_up_from_its_occurrences(self) -> None:
        results = self.results()
        assert results["Alla månader utan anmärkning"]["Resultat"] == "Utan anmärkning"
        assert results["Avvikelse i februari"]["Resultat"] == "Avvikelse"
        assert results["April saknas"]["Resultat"] == "Ej genomförd"
        assert results["Ingen rapport"]["Resultat"] == "Ej rapporterad"
        assert results["Rapporterad per tertial"]["Resultat"] == "Utan anmärkning"

    def test_the_comment_names_each_occurrence_and_the_missing_one(self) -> None:
        comment = self.results()["April saknas"]["Kommentar för perioden"]
        assert "2025-01-31: Utan anmärkning. Månad 1." in comment
        assert "2025-04-30: Ej rapporterad" in comment
        deviation = self.results()["Avvikelse i februari"]["Kommentar för perioden"]
        assert "2025-02-28: Avvikelse. Månad 2." in deviation
        legacy = self.results()["Rapporterad per tertial"]["Kommentar för perioden"]
        assert legacy == "2025-05-05: Hela tertialen utan fel."

    def test_the_summary_counts_the_rolled_up_results(self) -> None:
        document = build("follow-up", self.sn_plan, self.t1)  # type: ignore[arg-type]
        summary = " ".join(document.summary)
        assert "avvikelse" in summary.lower()

    def test_the_assessment_gives_each_period_its_rolled_up_result(self) -> None:
        document = build("assessment", self.sn_plan)  # type: ignore[arg-type]
        results = {
            row["Kontrollaktivitet"].splitlines()[0]: row["Resultat"]
            for row in rows(document, "Genomförda kontroller")
        }
        february = results["Avvikelse i februari"]
        assert february.startswith("Tertialrapport 1: Avvikelse.")
        assert "Tertialrapport 2: Ej rapporterad" in february
