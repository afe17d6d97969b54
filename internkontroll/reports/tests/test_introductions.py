import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from internkontroll.lib.versioning import StaleEdit
from internkontroll.reports import introductions
from internkontroll.reports.kinds import KINDS
from internkontroll.reports.models import ReportIntroduction
from internkontroll.reports.requests import make
from internkontroll.reports.tests.helpers import docx_body_text, pdf_text
from internkontroll.test import BaseTestCase, make_plan

OWN = "Nämnden har i år särskilt sett över sina rutiner för utbetalningar.\n\nDet är andra året."


def default(kind: str) -> str:
    with translation.override("sv"):
        return introductions.default_text(kind)


def readable(text: str) -> str:
    return " ".join(text.replace("\xad", "").replace("-\n", "").split())


class DefaultTextTests(BaseTestCase):
    def test_every_report_kind_has_a_default(self) -> None:
        assert set(introductions.KINDS) == set(KINDS)
        for kind in KINDS:
            assert len(introductions.paragraphs(default(kind))) == 2, kind

    def test_the_defaults_cite_the_local_government_act_in_swedish(self) -> None:
        for kind in KINDS:
            text = default(kind)
            assert "kommunallagen (2017:725)" in text, kind
            assert "6 kap. 6 §" in text, kind
            assert "Local Government Act" not in text, kind
        assert "12 kap. 1 §" in default("recommendations")
        assert "6 kap. 1 §" in default("overview")
        assert "uppsikt" in default("overview")

    def test_the_defaults_say_what_each_document_is(self) -> None:
        assert "riskmatrisen" in default("risk-picture")
        assert "kontrollaktiviteterna" in default("control-plan")
        assert "periodens slut" in default("follow-up")
        assert "kritisk" in default("critical-risks")
        assert "delvis tillräcklig" in default("assessment")
        assert "nämndens svar" in default("recommendations")
        assert "sida vid sida" in default("overview")

    def test_the_defaults_are_english_in_english(self) -> None:
        with translation.override("en"):
            assert "Local Government Act" in introductions.default_text("control-plan")


class ParagraphTests(BaseTestCase):
    def test_blank_lines_separate_paragraphs_and_line_breaks_within_are_joined(self) -> None:
        text = "Första raden\nfortsätter här.\r\n\r\n  \nAndra stycket.\n\n\n"
        assert introductions.paragraphs(text) == [
            "Första raden fortsätter här.",
            "Andra stycket.",
        ]

    def test_an_empty_text_has_no_paragraphs(self) -> None:
        assert introductions.paragraphs(" \n\n ") == []


class IntroductionTests(BaseTestCase):
    def test_a_plan_without_its_own_text_gets_the_default(self) -> None:
        with translation.override("sv"):
            assert introductions.introduction(self.sn_plan, "follow-up") == default("follow-up")

    def test_the_committees_text_is_the_plans_own(self) -> None:
        introductions.save_introduction(
            self.sn_plan, "follow-up", text=OWN, version=None, acting_user=self.coordinator
        )
        assert introductions.introduction(self.sn_plan, "follow-up") == OWN
        with translation.override("sv"):
            assert introductions.introduction(self.sn_plan, "critical-risks") == default(
                "critical-risks"
            )
            assert introductions.introduction(self.bn_plan, "follow-up") == default("follow-up")
            next_year = make_plan(self.sn, year=2026)
            assert introductions.introduction(next_year, "follow-up") == default("follow-up")

    def test_the_overviews_text_is_the_organisations(self) -> None:
        introductions.save_introduction(
            self.sn_plan, "overview", text=OWN, version=None, acting_user=self.admin
        )
        row = ReportIntroduction.objects.get(kind="overview")
        assert (row.plan, row.organisation) == (None, self.organisation)
        assert introductions.introduction(self.bn_plan, "overview") == OWN
        with translation.override("sv"):
            assert introductions.introduction(self.other_plan, "overview") == default("overview")

    def test_saving_records_history_and_raises_the_version(self) -> None:
        introductions.save_introduction(
            self.sn_plan, "assessment", text=OWN, version=None, acting_user=self.coordinator
        )
        row = introductions.save_introduction(
            self.sn_plan, "assessment", text="Ny text.", version=1, acting_user=self.coordinator
        )
        assert row is not None
        assert (row.text, row.version) == ("Ny text.", 2)
        assert [r.history_user for r in row.history.all()] == [self.coordinator] * 2

    def test_a_stale_version_is_refused(self) -> None:
        introductions.save_introduction(
            self.sn_plan, "assessment", text=OWN, version=None, acting_user=self.coordinator
        )
        with pytest.raises(StaleEdit):
            introductions.save_introduction(
                self.sn_plan, "assessment", text="Ny.", version=7, acting_user=self.coordinator
            )
        with pytest.raises(StaleEdit):
            introductions.reset_introduction(
                self.sn_plan, "assessment", version=None, acting_user=self.coordinator
            )
        assert introductions.introduction(self.sn_plan, "assessment") == OWN

    def test_the_default_text_is_not_stored(self) -> None:
        with translation.override("sv"):
            saved = introductions.save_introduction(
                self.sn_plan,
                "risk-picture",
                text=default("risk-picture").replace("\n\n", "\r\n\r\n"),
                version=None,
                acting_user=self.coordinator,
            )
        assert saved is None
        assert not ReportIntroduction.objects.exists()

    def test_resetting_removes_the_own_text_and_history_keeps_it(self) -> None:
        introductions.save_introduction(
            self.sn_plan, "assessment", text=OWN, version=None, acting_user=self.coordinator
        )
        introductions.reset_introduction(
            self.sn_plan, "assessment", version=1, acting_user=self.coordinator
        )
        assert not ReportIntroduction.objects.exists()
        deleted = ReportIntroduction.history.latest("history_id")
        assert (deleted.history_type, deleted.text) == ("-", OWN)
        assert deleted.history_user == self.coordinator

    def test_an_empty_text_is_refused(self) -> None:
        with pytest.raises(ValidationError):
            introductions.save_introduction(
                self.sn_plan, "assessment", text=" ", version=None, acting_user=self.coordinator
            )

    def test_the_database_refuses_an_overview_text_on_a_plan(self) -> None:
        with pytest.raises(IntegrityError), transaction.atomic():
            ReportIntroduction.objects.create(
                organisation=self.organisation, plan=self.sn_plan, kind="overview", text=OWN
            )

    def test_the_database_refuses_a_second_text_for_a_plan_and_kind(self) -> None:
        ReportIntroduction.objects.create(
            organisation=self.organisation, plan=self.sn_plan, kind="assessment", text=OWN
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            ReportIntroduction.objects.create(
                organisation=self.organisation, plan=self.sn_plan, kind="assessment", text="2"
            )


class ReportOpensWithTheIntroductionTests(BaseTestCase):
    def test_the_committees_text_opens_its_report_in_word_and_pdf(self) -> None:
        introductions.save_introduction(
            self.sn_plan, "risk-picture", text=OWN, version=None, acting_user=self.coordinator
        )
        with translation.override("sv"):
            word = readable(docx_body_text(make("risk-picture", self.sn_plan, fmt="docx").content))
            pdf = readable(pdf_text(make("risk-picture", self.sn_plan, fmt="pdf").content))
        for text in (word, pdf):
            assert "Inledning" in text
            assert "sett över sina rutiner för utbetalningar." in text
            assert "Det är andra året." in text
            assert "6 kap. 6 §" not in text

    def test_without_its_own_text_the_report_opens_with_the_default(self) -> None:
        with translation.override("sv"):
            word = readable(docx_body_text(make("control-plan", self.sn_plan, fmt="docx").content))
        assert "Inledning" in word
        assert "Enligt kommunallagen (2017:725) 6 kap. 6 § ska nämnden" in word
