"""A period's report tells the state at the end of that period (while it runs: so far)."""

import datetime
import zoneinfo
from collections.abc import Iterator

import time_machine

from internkontroll.audits.models import Recommendation
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import Period
from internkontroll.reports.document import Document, Section, Table
from internkontroll.reports.kinds import build
from internkontroll.risks.models import Action
from internkontroll.test import BaseTestCase

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
# Reports are made in the spring after the year: every period of 2025 has ended.
ACTIONS = "Samlad riskbild med åtgärder"
SPRING = datetime.datetime(2026, 3, 2, 10, tzinfo=STOCKHOLM)


def walk(sections: list[Section]) -> Iterator[Section]:
    for section in sections:
        yield section
        yield from walk(section.children)


def tables(document: Document, heading: str) -> list[Table]:
    """The tables under the level-1 section with this heading (and its subsections)."""
    top = next(s for s in document.sections if s.heading == heading)
    return [b for s in walk([top]) for b in s.blocks if isinstance(b, Table)]


def rows(document: Document, heading: str, column: str = "") -> list[dict[str, str]]:
    """The rows of the tables under the heading (those with `column`, if given)."""
    return [
        {
            column: "" if value is None else str(value)
            for column, value in zip(t.columns, row, strict=True)
        }
        for t in tables(document, heading)
        if not column or column in t.columns
        for row in t.rows
    ]


@time_machine.travel(SPRING, tick=False)
class PeriodSemanticsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        # Made in January 2025, so that the history knows the plan on any day of the year.
        with time_machine.travel(datetime.datetime(2025, 1, 15, 9, tzinfo=STOCKHOLM)):
            super().setUpTestData()
            cls.make_the_year()

    @classmethod
    def make_the_year(cls) -> None:
        periods = {p.code: p for p in Period.objects.filter(organisation=cls.organisation)}
        cls.t1, cls.t2, cls.vb = periods["T1"], periods["T2"], periods["VB"]
        risk = cls.sn_risk
        # Due after the year: never late in the year's reports.
        cls.sn_action.due_date = datetime.date(2026, 6, 30)
        cls.sn_action.save()
        FollowUp.objects.filter(pk=cls.sn_follow_up.pk).update(period=cls.t1)
        done_in_t1 = Action.objects.create(
            risk=risk, external_id="a-2", title="Ny rutin för attest",
            due_date=datetime.date(2025, 3, 31), status="done",
        )  # fmt: skip
        FollowUp.objects.create(
            action=done_in_t1, period=cls.t1, date=datetime.date(2025, 5, 6),
            status="done", comment="Rutinen gäller sedan mars.",
        )  # fmt: skip
        done_in_t2 = Action.objects.create(
            risk=risk, external_id="a-3", title="Utbildning för handläggare",
            due_date=datetime.date(2025, 3, 31), status="done",
        )  # fmt: skip
        FollowUp.objects.create(
            action=done_in_t2, period=cls.t2, date=datetime.date(2025, 9, 10),
            status="done", comment="Utbildningen hölls i juni.",
        )  # fmt: skip
        cls.sn_activity.delete()
        in_t1 = ControlActivity.objects.create(
            risk=risk, external_id="k-1", title="Stickprov på utbetalningar"
        )
        in_t1.periods.set([cls.t1])
        FollowUp.objects.create(
            control_activity=in_t1, period=cls.t1, date=datetime.date(2025, 5, 8),
            result="not_done", comment="Ingen hade tid.",
        )  # fmt: skip
        in_t2 = ControlActivity.objects.create(
            risk=risk, external_id="k-2", title="Granskning av attestlistor"
        )
        in_t2.periods.set([cls.t2])
        Recommendation.objects.filter(pk=cls.sn_recommendation.pk).update(status="done")
        FollowUp.objects.create(
            recommendation=cls.sn_recommendation, period=cls.t2,
            date=datetime.date(2025, 9, 1), status="done", comment="Anvisningen är beslutad.",
        )  # fmt: skip

    def report(self, period: Period, **options: object) -> Document:
        return build("follow-up", self.sn_plan, period, **options)  # type: ignore[arg-type]

    def test_lateness_is_judged_at_the_end_of_the_period(self) -> None:
        for period in (self.t1, self.t2, self.vb):
            actions = {
                row["Åtgärd"].splitlines()[0]: row
                for row in rows(self.report(period), ACTIONS, "Åtgärd")
            }
            assert actions["Inför attest i två steg"]["Status"] == "Pågående", period.code
        t1 = {row["Åtgärd"]: row for row in rows(self.report(self.t1), ACTIONS, "Åtgärd")}
        assert t1["Ny rutin för attest"]["Status"] == "Avslutad"
        assert t1["Utbildning för handläggare"]["Status"] == "Ej påbörjad (försenad)"
        t2 = {row["Åtgärd"]: row for row in rows(self.report(self.t2), ACTIONS, "Åtgärd")}
        assert t2["Utbildning för handläggare"]["Status"] == "Avslutad"

    def test_the_summary_counts_the_state_at_the_period_end(self) -> None:
        t1 = " ".join(self.report(self.t1).summary)
        assert "passerat sitt slutdatum" in t1  # the training, due in March, not done in T1
        vb = " ".join(self.report(self.vb).summary)
        assert "Ingen åtgärd har passerat sitt slutdatum" in vb  # the open one is due next June

    def test_only_activities_due_or_reported_in_the_period_are_shown_and_counted(self) -> None:
        t1 = self.report(self.t1)
        shown = [row["Kontrollaktivitet"].splitlines()[0] for row in rows(t1, "Internkontrollplan")]
        assert shown == ["Stickprov på utbetalningar"]
        summary = " ".join(t1.summary)
        assert "inte genomförts" in summary
        assert "inga avvikelser" not in summary.lower()
        t2 = self.report(self.t2)
        shown = [row["Kontrollaktivitet"].splitlines()[0] for row in rows(t2, "Internkontrollplan")]
        assert shown == ["Granskning av attestlistor"]
        assert rows(t2, "Internkontrollplan")[0]["Resultat"] == "Ej rapporterad"

    def test_recommendation_follow_ups_after_the_period_are_left_out(self) -> None:
        t1 = rows(self.report(self.t1), "Revisionens rekommendationer")
        assert t1[0]["Status"] == "Ej påbörjad"
        assert "Anvisningen är beslutad" not in t1[0]["Uppföljning"]
        t2 = rows(self.report(self.t2), "Revisionens rekommendationer")
        assert t2[0]["Status"] == "Avslutad"
        assert "Anvisningen är beslutad" in t2[0]["Uppföljning"]

    def test_the_assessment_shows_a_result_only_for_the_periods_an_activity_is_due(self) -> None:
        document = build("assessment", self.sn_plan)
        results = {
            row["Kontrollaktivitet"].splitlines()[0]: row["Resultat"]
            for row in rows(document, "Genomförda kontroller")
        }
        assert results["Stickprov på utbetalningar"].startswith("Tertialrapport 1: Ej genomförd.")
        assert "Tertialrapport 2" not in results["Stickprov på utbetalningar"]
        assert results["Granskning av attestlistor"] == "Tertialrapport 2: Ej rapporterad"

    def test_as_of_a_day_counts_nothing_written_later(self) -> None:
        # On 2025-05-07 the T1 action report was in, the activity's was not.
        document = self.report(self.t1, as_of=datetime.date(2025, 5, 7))
        actions = {row["Åtgärd"]: row for row in rows(document, ACTIONS, "Åtgärd")}
        assert actions["Ny rutin för attest"]["Status"] == "Avslutad"
        results = rows(document, "Internkontrollplan")
        assert results[0]["Resultat"] == "Ej rapporterad"

    def test_the_annual_report_looks_back_on_the_whole_year(self) -> None:
        document = self.report(self.vb)
        results = {
            row["Kontrollaktivitet"].splitlines()[0]: row["Resultat"]
            for row in rows(document, "Internkontrollplan")
        }
        assert results == {
            "Stickprov på utbetalningar": "Ej genomförd",
            "Granskning av attestlistor": "Ej rapporterad",
        }
        summary = " ".join(document.summary)
        assert "Internkontrollplanen innehåller två kontrollaktiviteter." in summary
        assert "verksamhetsberättelse" not in summary.lower()

    # A report made while its period runs tells the state so far, and says so.

    def test_a_report_within_its_period_tells_today_and_is_marked_preliminary(self) -> None:
        # 20 March 2025: T1 (January–April) runs; the training was due on 31 March.
        with time_machine.travel(datetime.datetime(2025, 3, 20, 10, tzinfo=STOCKHOLM)):
            running = self.report(self.t1)
        meta = dict(running.meta)
        assert meta["Läget per"] == "2025-03-20"
        assert meta["Preliminär rapport"] == (
            "Perioden slutar 2025-04-30: rapporten visar läget hittills."
        )
        actions = {row["Åtgärd"].splitlines()[0]: row for row in rows(running, ACTIONS, "Åtgärd")}
        assert actions["Utbildning för handläggare"]["Status"] == "Ej påbörjad"  # not late yet
        assert "Ingen åtgärd har passerat sitt slutdatum" in " ".join(running.summary)

    def test_a_report_of_an_ended_period_tells_its_end_and_is_final(self) -> None:
        ended = dict(self.report(self.t1).meta)
        assert ended["Läget per"] == "2025-04-30"
        assert "Preliminär rapport" not in ended
