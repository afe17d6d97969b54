"""`ik report`: files on success, Swedish errors with exit status 1 on bad input."""

import tempfile
from pathlib import Path

from django.test import TestCase

from internkontroll.organisation.models import Period
from internkontroll.reports.tests.helpers import docx_text, import_fixture, run_ik
from internkontroll.test import make_organisation


class ReportCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        import_fixture("care_follow_up.json")
        other = make_organisation("Grannstad")
        Period.objects.create(
            organisation=other, code="H1", name="Delår", ends_month=8, ends_day=31
        )

    def setUp(self) -> None:
        self.directory = Path(self.enterContext(tempfile.TemporaryDirectory()))
        self.output = self.directory / "rapport"

    def refuse(self, *argv: str) -> str:
        status, err = run_ik("report", *argv, "-o", str(self.output), "--organisation", "Provstad")
        assert status == 1
        assert not self.output.exists()
        return err

    def test_it_writes_the_report(self) -> None:
        status, _ = run_ik(
            "report", "follow-up", "--unit", "on", "--year", "2023", "--period", "VB",
            "--format", "docx", "-o", str(self.output), "--organisation", "Provstad",
        )  # fmt: skip
        assert status == 0
        assert "Omsorgsnämnden" in docx_text(self.output.read_bytes())

    def test_an_unknown_unit(self) -> None:
        err = self.refuse("risk-picture", "--unit", "xx", "--year", "2023", "--format", "pdf")
        assert 'Enheten "xx" finns inte i Provstad' in err

    def test_a_year_without_a_plan(self) -> None:
        err = self.refuse("risk-picture", "--unit", "on", "--year", "2031", "--format", "pdf")
        assert "Omsorgsnämnden har ingen plan för 2031" in err

    def test_an_unknown_period(self) -> None:
        err = self.refuse(
            "follow-up", "--unit", "on", "--year", "2023", "--period", "Q7", "--format", "pdf"
        )
        assert "Perioden Q7 finns inte" in err

    def test_a_period_the_organisation_does_not_use(self) -> None:
        err = self.refuse(
            "follow-up", "--unit", "on", "--year", "2023", "--period", "H1", "--format", "pdf"
        )
        assert "Provstad använder inte perioden H1" in err

    def test_a_period_for_a_report_of_the_whole_year(self) -> None:
        err = self.refuse(
            "risk-picture", "--unit", "on", "--year", "2023", "--period", "T1", "--format", "pdf"
        )
        assert "gäller hela året och tar ingen period" in err

    def test_a_follow_up_without_a_period(self) -> None:
        err = self.refuse("follow-up", "--unit", "on", "--year", "2023", "--format", "pdf")
        assert "behöver en period" in err

    def test_a_date_that_is_not_a_date(self) -> None:
        err = self.refuse(
            "risk-picture", "--unit", "on", "--year", "2023", "--as-of", "2023-02-30",
            "--format", "pdf",
        )  # fmt: skip
        assert "är inte ett datum" in err

    def test_an_unknown_format(self) -> None:
        err = self.refuse("risk-picture", "--unit", "on", "--year", "2023", "--format", "odt")
        assert 'Formatet "odt" finns inte' in err.replace("\u201d", '"')

    def test_several_organisations_need_a_name(self) -> None:
        status, err = run_ik(
            "report", "risk-picture", "--unit", "on", "--year", "2023", "--format", "pdf",
            "-o", str(self.output),
        )  # fmt: skip
        assert status == 1
        assert "--organisation" in err

    def test_a_committee_without_data_gives_a_document_that_says_so(self) -> None:
        from internkontroll.organisation.models import Organisation, Unit
        from internkontroll.test import make_plan

        organisation = Organisation.objects.get(name="Provstad")
        empty = Unit.objects.create(
            organisation=organisation, external_id="tom", name="Tomma nämnden", kind="committee"
        )
        make_plan(empty, 2023)
        status, _ = run_ik(
            "report", "follow-up", "--unit", "tom", "--year", "2023", "--period", "VB",
            "--format", "docx", "-o", str(self.output), "--organisation", "Provstad",
        )  # fmt: skip
        assert status == 0
        assert "Det finns inget att rapportera för Tomma nämnden 2023" in docx_text(
            self.output.read_bytes()
        )
