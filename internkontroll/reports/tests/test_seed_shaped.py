"""Two committees shaped like the real documents: their follow-ups hold every fact, in order."""

import json

from django.test import TestCase

from internkontroll.plans.models import ControlPlan
from internkontroll.reports.requests import make
from internkontroll.reports.tests.helpers import (
    FIXTURES,
    bare,
    docx_body_text,
    import_fixture,
    pdf_text,
)


def flat(text: str) -> str:
    """Whitespace made single spaces; a word the PDF broke after a hyphen made whole again."""
    return " ".join(text.split()).replace("- ", "-")


def in_order(text: str, parts: list[str]) -> bool:
    """Whether the parts come in this order, each after the one before it."""
    position = 0
    text = bare(text)
    for part in parts:
        part = bare(part)
        position = text.find(part, position)
        if position == -1:
            return False
        position += len(part)
    return True


def holds(text: str, fact: str) -> bool:
    return bare(fact) in bare(text)


class CareFollowUpTests(TestCase):
    """Five risks, eleven actions (eight in progress, three done), one reviewed activity."""

    @classmethod
    def setUpTestData(cls) -> None:
        import_fixture("care_follow_up.json")
        cls.document = json.loads((FIXTURES / "care_follow_up.json").read_text("utf-8"))
        plan = ControlPlan.objects.select_related("unit").get(unit__external_id="on")
        cls.docx = flat(
            docx_body_text(make("follow-up", plan, fmt="docx", period_code="VB").content)
        )
        cls.pdf = flat(pdf_text(make("follow-up", plan, fmt="pdf", period_code="VB").content))

    def risks(self) -> list[dict]:
        return self.document["plans"][0]["risks"]

    def test_it_opens_with_the_counts_in_words(self) -> None:
        for text in (self.docx, self.pdf):
            summary = text[text.find("Sammanfattning") :][:600]
            assert "Fem risker har identifierats" in summary
            assert "Samtliga hanteras genom åtgärder" in summary
            assert "Elva åtgärder har beslutats. Åtta av dem pågår. Tre av dem har avslutats." in (
                summary
            )

    def test_it_holds_every_risk_action_status_end_date_and_dated_comment(self) -> None:
        for text in (self.docx, self.pdf):
            for risk in self.risks():
                assert holds(text, risk["title"])
                assert holds(text, risk["description"])
                for action in risk["actions"]:
                    follow_up = action["follow_ups"][0]
                    for fact in (action["title"], action["due_date"], follow_up["date"]):
                        assert holds(text, fact), fact
                    assert holds(text, follow_up["comment"])
            assert text.count("Pågående") >= 8
            assert text.count("Avslutad") >= 3

    def test_sections_come_in_the_order_of_the_real_document(self) -> None:
        titles = [risk["title"] for risk in self.risks()]
        activity = self.risks()[2]["control_activities"][0]
        for text in (self.docx, self.pdf):
            assert in_order(
                text,
                [
                    "Sammanfattning",
                    "Samlad riskbild med åtgärder",
                    *titles,
                    "Internkontrollplan",
                    activity["title"],
                    activity["follow_ups"][0]["comment"],
                ],
            )


class SocialFollowUpTests(TestCase):
    """Recommendations from two audits, three risk areas and a plan of four reviewed risks."""

    @classmethod
    def setUpTestData(cls) -> None:
        import_fixture("social_follow_up.json")
        cls.document = json.loads((FIXTURES / "social_follow_up.json").read_text("utf-8"))
        plan = ControlPlan.objects.select_related("unit").get(unit__external_id="snn")
        # The recommendations were followed up in November: after T2, in the year-end period.
        cls.docx = flat(
            docx_body_text(make("follow-up", plan, fmt="docx", period_code="VB").content)
        )

    def test_it_opens_with_a_summary_of_risks_actions_and_recommendations(self) -> None:
        summary = self.docx[self.docx.find("Sammanfattning") :][:1500]
        assert "Sju risker har identifierats" in summary
        assert "Sju åtgärder har beslutats. Samtliga pågår." in summary
        assert "Revisorerna har lämnat fem rekommendationer, varav tre har genomförts." in summary

    def test_recommendations_then_risk_areas_then_the_plan(self) -> None:
        recommendations = [
            item["text"]
            for report in self.document["audit_reports"]
            for item in report["recommendations"]
        ]
        risks = self.document["plans"][0]["risks"]
        reviewed = [risk for risk in risks if risk.get("control_activities")]
        assert len(reviewed) == 4
        assert in_order(
            self.docx,
            [
                "Revisionens rekommendationer",
                *recommendations,
                "Samlad riskbild med åtgärder",
                *(risk["title"] for risk in risks),
                "Internkontrollplan",
                *(risk["control_activities"][0]["title"] for risk in reviewed),
            ],
        )
        for risk in risks:
            assert holds(self.docx, f"Riskområde: {risk['area']}")
            assert holds(self.docx, risk["follow_ups"][0]["comment"])
        for risk in reviewed:
            assert holds(self.docx, risk["control_activities"][0]["follow_ups"][0]["comment"])
