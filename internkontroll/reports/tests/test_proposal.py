"""A plan the committee has not adopted yet is reported as a proposal, in every format."""

from django.test import TestCase

from internkontroll.organisation.models import Period
from internkontroll.plans.models import ControlPlan
from internkontroll.reports.kinds import build
from internkontroll.reports.requests import make
from internkontroll.reports.tests.helpers import docx_text, import_fixture, pdf_text

STATUS = ("Status", "Förslag – planen är ännu inte fastställd av nämnden")


class ProposalTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        import_fixture("care_follow_up.json")
        cls.plan = ControlPlan.objects.select_related("unit").get(unit__external_id="on")
        cls.period = Period.objects.get(organisation__name="Provstad", code="VB")

    def draft(self) -> ControlPlan:
        ControlPlan.objects.filter(pk=self.plan.pk).update(adopted_on=None)
        return ControlPlan.objects.select_related("unit").get(pk=self.plan.pk)

    def test_an_adopted_plan_is_no_proposal(self) -> None:
        for kind in ("control-plan", "risk-picture"):
            document = build(kind, self.plan)
            assert not document.title.startswith("Förslag"), document.title
            assert STATUS not in document.meta
            assert ("Fastställd den", "2022-12-14") in document.meta

    def test_the_plan_and_risk_picture_of_a_draft_are_titled_proposals(self) -> None:
        plan = self.draft()
        assert build("control-plan", plan).title == "Förslag till internkontrollplan 2023"
        assert build("risk-picture", plan).title == "Förslag till samlad riskbild 2023"
        for kind in ("control-plan", "risk-picture"):
            assert STATUS in build(kind, plan).meta

    def test_a_follow_up_of_a_draft_keeps_its_title_and_says_the_plan_is_not_adopted(self) -> None:
        document = build("follow-up", self.draft(), self.period)
        assert document.title.startswith("Uppföljning")
        assert STATUS in document.meta

    def test_word_and_pdf_say_it(self) -> None:
        plan = self.draft()
        word = docx_text(make("control-plan", plan, fmt="docx").content)
        assert word.startswith("Förslag till internkontrollplan 2023")
        assert STATUS[1] in word
        pdf = pdf_text(make("control-plan", plan, fmt="pdf").content)
        assert "Förslag till internkontrollplan 2023" in pdf
