"""Nobody reaches another committee's objects by guessing their ids: 404, never 403 or 200.

Socialnämnden's people (a coordinator, the auditor and the responsible person, all scoped to
sn) try every page and download that names an object by id, with barn- och
utbildningsnämnden's (bn) objects in the same organisation and with the objects of another
municipality, which even the organisation-wide roles of Exempelstad must not reach.
There is no API yet; when one comes, its URLs belong here too.
"""

from __future__ import annotations

import datetime
import tempfile
from typing import Any

from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse

from internkontroll.accounts.models import User
from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import Evidence, FollowUp
from internkontroll.organisation.models import Goal, Process, RiskArea
from internkontroll.plans.models import Assessment, ControlPlan
from internkontroll.reports.kinds import KINDS
from internkontroll.risks.models import Action, Risk
from internkontroll.test import BaseTestCase

FORMATS = ("html", "pdf", "docx", "xlsx")


def finish(response: Any) -> None:
    """Read a download to its end, as a WSGI server does, so its file is closed.

    (Calling response.close() again would close the test's database connection.)
    """
    if response.streaming:
        b"".join(response.streaming_content)


class Objects:
    """One of everything a URL can name by id, all belonging to one committee's plan."""

    def __init__(self, plan: ControlPlan, risk: Risk, uploader: User, tag: str) -> None:
        organisation = plan.unit.organisation
        self.plan, self.risk, self.unit = plan, risk, plan.unit
        self.action = Action.objects.create(
            risk=risk, external_id=f"a-{tag}", title=f"Åtgärd {tag}"
        )
        self.activity = ControlActivity.objects.create(
            risk=risk, external_id=f"k-{tag}", title=f"Kontroll {tag}", method="sample"
        )
        self.follow_up = FollowUp.objects.create(
            action=self.action, date=datetime.date(2025, 5, 2), status="in_progress", comment="."
        )
        self.evidence = Evidence.objects.create(
            follow_up=self.follow_up,
            file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="underlag.pdf"),
            name="underlag.pdf",
            content_type="application/pdf",
            size=15,
            uploaded_by=uploader,
        )
        self.assessment = Assessment.objects.get_or_create(plan=plan)[0]
        self.report = AuditReport.objects.create(
            organisation=organisation, external_id=f"rev-{tag}", unit=plan.unit, title=tag
        )
        self.recommendation = Recommendation.objects.create(
            report=self.report, external_id=f"rek-{tag}", text=f"Rekommendation {tag}"
        )
        self.goal = Goal.objects.create(
            organisation=organisation, external_id=f"mål-{tag}", unit=plan.unit, title=tag
        )
        self.process = Process.objects.get_or_create(organisation=organisation, name="Skjuts")[0]
        self.risk_area = RiskArea.objects.get_or_create(organisation=organisation, name="Resor")[0]

    def pages(self) -> list[str]:
        """Every URL that shows one of the objects, downloads included (GET only)."""
        return [
            reverse("risks:detail", args=[self.risk.pk]),
            reverse("plans:detail", args=[self.plan.pk]),
            reverse("audits:detail", args=[self.report.pk]),
            reverse("followups:evidence", args=[self.evidence.pk]),
            *[
                f"{reverse('reports:report', args=[kind, self.plan.pk])}?format={fmt}&period=T1"
                for kind in KINDS
                for fmt in FORMATS
            ],
        ]

    def writes(self) -> list[str]:
        """Every URL that changes one of the objects or adds to it (GET shows the form)."""
        return [
            f"{reverse('risks:create')}?plan={self.plan.pk}",
            reverse("risks:edit", args=[self.risk.pk]),
            reverse("risks:action_create", args=[self.risk.pk]),
            reverse("risks:action_edit", args=[self.action.pk]),
            reverse("controls:create", args=[self.risk.pk]),
            reverse("controls:edit", args=[self.activity.pk]),
            reverse("followups:report_action", args=[self.action.pk]),
            reverse("followups:report_control_activity", args=[self.activity.pk]),
            reverse("plans:assessment", args=[self.plan.pk]),
            reverse("audits:edit", args=[self.report.pk]),
            reverse("audits:recommendation_create", args=[self.report.pk]),
            reverse("audits:recommendation_edit", args=[self.recommendation.pk]),
            reverse("audits:recommendation_follow_up", args=[self.recommendation.pk]),
            reverse("organisation:unit_edit", args=[self.unit.pk]),
            reverse("organisation:goal_edit", args=[self.goal.pk]),
        ]

    def posts_only(self) -> list[str]:
        return [reverse("plans:adopt", args=[self.plan.pk])]

    def catalogue(self) -> list[str]:
        """Processes and risk areas belong to the whole organisation, not to a committee."""
        return [
            reverse("organisation:process_edit", args=[self.process.pk]),
            reverse("organisation:risk_area_edit", args=[self.risk_area.pk]),
        ]


# What a POST to a write URL carries: enough for any of the forms to be valid.
ANY_VALID_DATA: dict[str, Any] = {
    "title": "Ändrad av fel person",
    "name": "Ändrad av fel person",
    "text": "Ändrad av fel person",
    "comment": "Ändrad av fel person",
    "analysis": "Ändrad av fel person",
    "external_id": "x-1",
    "status": "done",
    "result": "no_remarks",
    "verdict": "sufficient",
    "method": "sample",
    "frequency": "yearly",
    "kind": "unit",
    "date": "2025-09-01",
    "adopted_on": "2025-02-01",
    "reference": "X-2025/1",
    "version": 1,
}


class IdorTests(BaseTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        media = cls.enterClassContext(tempfile.TemporaryDirectory())
        cls.enterClassContext(override_settings(MEDIA_ROOT=media))
        super().setUpClass()

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.mine = Objects(cls.sn_plan, cls.sn_risk, cls.coordinator, "sn")
        # The responsible person of sf-vux works on sn's risk r-1, so the action is theirs.
        Action.objects.filter(pk=cls.mine.action.pk).update(assignee=cls.responsible)
        cls.bn_objects = Objects(cls.bn_plan, cls.bn_risk, cls.admin, "bn")
        cls.elsewhere = Objects(cls.other_plan, cls.other_risk, cls.outsider, "grannkommun")
        cls.committee_a = [cls.coordinator, cls.auditor, cls.responsible]
        cls.whole_organisation = [cls.admin, cls.reader, *cls.committee_a]

    def answers(self, users: list[User], urls: list[str], *, post: bool) -> list[str]:
        """Each request that was not answered 404, as 'user METHOD url → status'."""
        wrong = []
        for user in users:
            self.client.force_login(user)
            for url in urls:
                response = self.client.post(url, ANY_VALID_DATA) if post else self.client.get(url)
                if response.status_code != 404:
                    method = "POST" if post else "GET"
                    wrong.append(f"{user} {method} {url} → {response.status_code}")
                finish(response)
        return wrong

    def assert_not_found(
        self, users: list[User], urls: list[str], *, posts: list[str] | None = None
    ) -> None:
        wrong = self.answers(users, urls, post=False)
        if posts is not None:
            wrong += self.answers(users, urls + posts, post=True)
        assert not wrong, "\n".join(wrong)

    def test_another_committees_pages_and_downloads_are_not_found(self) -> None:
        self.assert_not_found(self.committee_a, self.bn_objects.pages())

    def test_another_committees_objects_cannot_be_changed_and_are_not_found(self) -> None:
        risk_before = Risk.objects.get(pk=self.bn_risk.pk)
        self.assert_not_found(
            self.committee_a, self.bn_objects.writes(), posts=self.bn_objects.posts_only()
        )
        assert Risk.objects.get(pk=self.bn_risk.pk).title == risk_before.title
        assert not Risk.objects.filter(title=ANY_VALID_DATA["title"]).exists()
        assert not FollowUp.objects.filter(comment=ANY_VALID_DATA["comment"]).exists()
        assert not Recommendation.objects.filter(text=ANY_VALID_DATA["text"]).exists()

    def test_another_organisations_pages_and_downloads_are_not_found_even_organisation_wide(
        self,
    ) -> None:
        self.assert_not_found(self.whole_organisation, self.elsewhere.pages())

    def test_another_organisations_objects_cannot_be_changed_even_by_its_neighbours_admin(
        self,
    ) -> None:
        urls = self.elsewhere.writes() + self.elsewhere.catalogue()
        posts = self.elsewhere.posts_only()
        self.assert_not_found(self.whole_organisation, urls, posts=posts)
        assert not Risk.objects.filter(title=ANY_VALID_DATA["title"]).exists()
        assert not Process.objects.filter(name=ANY_VALID_DATA["name"]).exists()

    def test_the_same_pages_are_found_for_the_own_committee(self) -> None:
        # The control: the URLs above are real, so their 404 means "not yours". (Some reports
        # answer 400 for a period they do not take, the organisation-wide one 403.)
        self.client.force_login(self.coordinator)
        answers = {url: self.client.get(url).status_code for url in self.mine.pages()}
        answers |= {url: self.client.get(url).status_code for url in self.mine.writes()}
        assert 404 not in answers.values(), answers
        assert self.client.post(self.mine.posts_only()[0]).status_code == 422

    def test_ids_that_do_not_exist_are_not_found_like_the_others(self) -> None:
        self.client.force_login(self.admin)
        for name in ("risks:detail", "plans:detail", "audits:detail", "followups:evidence"):
            assert self.client.get(reverse(name, args=[999_999])).status_code == 404

    def test_search_finds_nothing_of_another_committee(self) -> None:
        self.client.force_login(self.coordinator)
        url = reverse("search:results")
        assert self.client.get(url, {"q": "Åtgärd sn"}).context["found"] > 0
        for text in ("skolskjutsar", "Åtgärd bn", "Kontroll bn", "Rekommendation bn", "mål-bn"):
            assert self.client.get(url, {"q": text}).context["found"] == 0, text

    def test_lists_filtered_to_another_committee_show_nothing_of_it(self) -> None:
        self.client.force_login(self.coordinator)
        risks = self.client.get(reverse("risks:overview"), {"unit": self.bn.pk, "year": 2025})
        audits = self.client.get(reverse("audits:index"), {"committee": self.bn.pk})
        assert "skolskjutsar" not in risks.content.decode()
        assert "Rekommendation bn" not in audits.content.decode()

    def test_the_risk_form_does_not_show_another_committees_recommendations(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("risks:edit", args=[self.sn_risk.pk]))
        assert response.status_code == 200
        assert "Rekommendation sn" in response.content.decode()
        assert "Rekommendation bn" not in response.content.decode()

    def test_the_risk_form_does_not_offer_another_committees_goals(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("risks:edit", args=[self.sn_risk.pk]))
        assert "mål-sn" in response.content.decode()
        assert "mål-bn" not in response.content.decode()
