"""The plan's lifecycle: draft → adopted → in follow-up → closed, and a closed plan is read-only."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
import time_machine
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from internkontroll.accounts.models import Role, User
from internkontroll.exchange.exporter import export_document
from internkontroll.exchange.importer import ImportFailed, import_document
from internkontroll.followups.models import FollowUp
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Risk
from internkontroll.test import BaseTestCase, make_user
from internkontroll.tests.test_write_gate import posted

DURING = datetime.datetime(2025, 9, 10, 9, tzinfo=datetime.UTC)
AFTER = datetime.datetime(2026, 2, 20, 9, tzinfo=datetime.UTC)
CLOSED = "Internkontrollplanen Socialnämnden 2025 är avslutad och kan inte längre ändras."


def url(plan: ControlPlan) -> str:
    return reverse("plans:lifecycle", args=[plan.pk])


class LifecycleTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.below = make_user("forvaltning", cls.organisation, [(Role.COORDINATOR, cls.sf)])

    def step(self, step: str, user: User | None = None, plan: ControlPlan | None = None) -> Any:
        plan = ControlPlan.objects.get(pk=(plan or self.sn_plan).pk)
        self.client.force_login(user or self.coordinator)
        return self.client.post(url(plan), {"step": step, "version": plan.version})

    def plan(self) -> ControlPlan:
        return ControlPlan.objects.get(pk=self.sn_plan.pk)

    def close(self) -> None:
        with time_machine.travel(DURING, tick=False):
            assert self.step("follow_up").status_code == 302
        with time_machine.travel(AFTER, tick=False):
            assert self.step("close").status_code == 302

    @time_machine.travel(DURING, tick=False)
    def test_the_coordinator_starts_the_follow_up_and_the_page_says_who_and_when(self) -> None:
        response = self.step("follow_up")
        assert response.status_code == 302
        plan = self.plan()
        assert plan.status == ControlPlan.Status.FOLLOW_UP
        assert (plan.follow_up_started_by, plan.follow_up_started_at) == (self.coordinator, DURING)
        assert plan.history.order_by("-history_id").first().history_user == self.coordinator
        page = self.client.get(response.url).content.decode()
        assert "Planen har nu status: under uppföljning." in page
        assert "Uppföljningen påbörjad</dt><dd>2025-09-10 av samordnare" in page
        assert "Påbörja uppföljningen" not in page
        with time_machine.travel(AFTER, tick=False):
            self.client.force_login(self.coordinator)
            later = self.client.get(response.url).content.decode()
        assert "Avsluta planen" in later  # offered once the year has ended

    @time_machine.travel(DURING, tick=False)
    def test_a_draft_cannot_go_to_follow_up_and_the_page_says_why(self) -> None:
        draft = ControlPlan.objects.create(
            unit=self.sn, year=2026, risk_matrix=self.sn_plan.risk_matrix
        )
        response = self.step("follow_up", plan=draft)
        assert response.status_code == 422
        assert "Uppföljningen kan påbörjas först när planen är fastställd." in (
            response.content.decode()
        )
        assert ControlPlan.objects.get(pk=draft.pk).status == ControlPlan.Status.DRAFT

    def test_a_plan_is_closed_only_after_its_year_has_ended(self) -> None:
        with time_machine.travel(DURING, tick=False):
            self.step("follow_up")
            refused = self.step("close")
        assert refused.status_code == 422
        assert "Planen för 2025 kan avslutas först när året är slut." in refused.content.decode()
        with time_machine.travel(AFTER, tick=False):
            assert self.step("close").status_code == 302
        plan = self.plan()
        assert (plan.status, plan.closed_by, plan.closed_at) == ("closed", self.coordinator, AFTER)

    def test_a_stale_page_cannot_move_the_plan(self) -> None:
        with time_machine.travel(DURING, tick=False):
            self.client.force_login(self.coordinator)
            stale = self.client.post(url(self.sn_plan), {"step": "follow_up", "version": 99})
        assert stale.status_code == 422
        assert "Någon annan sparade" in stale.content.decode()
        assert self.plan().status == ControlPlan.Status.ADOPTED

    @time_machine.travel(AFTER, tick=False)
    def test_a_closed_plan_refuses_every_write_with_a_swedish_message(self) -> None:
        self.close()
        self.client.force_login(self.coordinator)
        risk, action, activity = self.sn_risk, self.sn_action, self.sn_activity
        posts = {
            "risk": (reverse("risks:edit", args=[risk.pk]), {"title": "Ändrad", "version": 1}),
            "new risk": (f"{reverse('risks:create')}?plan={self.sn_plan.pk}", {"title": "Ny"}),
            "action": (
                reverse("risks:action_edit", args=[action.pk]),
                {"title": "Ändrad", "status": "done", "version": 1},
            ),
            "control activity": (
                reverse("controls:edit", args=[activity.pk]),
                {"title": "Ändrad", "version": 1},
            ),
            "follow-up": (
                reverse("followups:report_action", args=[action.pk]),
                {
                    "date": "2026-01-10",
                    "period": self.organisation.periods.get(code="VB").pk,
                    "status": "done",
                    "comment": "Klart.",
                    "version": 1,
                },
            ),
            "assessment": (
                reverse("plans:assessment", args=[self.sn_plan.pk]),
                {"verdict": "insufficient", "analysis": "Ändrad.", "version": 1},
            ),
            "adoption": (
                reverse("plans:adopt", args=[self.sn_plan.pk]),
                {"adopted_on": "2025-01-20", "reference": "SN-2025/2", "version": 3},
            ),
        }
        follow_ups = FollowUp.objects.count()
        for name, (address, data) in posts.items():
            with self.subTest(name):
                response = self.client.post(address, data)
                assert response.status_code == 422, name
                assert CLOSED in response.content.decode(), name
        assert FollowUp.objects.count() == follow_ups
        assert Risk.objects.get(pk=risk.pk).title == "Felaktiga utbetalningar"

    @time_machine.travel(AFTER, tick=False)
    def test_a_closed_plans_forms_say_so_instead_of_offering_a_form(self) -> None:
        deviation = FollowUp.objects.create(
            control_activity=self.sn_activity, date="2025-09-01", result="deviation"
        )
        self.close()
        self.client.force_login(self.coordinator)
        risk, action, activity = self.sn_risk, self.sn_action, self.sn_activity
        forms = {
            "risk": reverse("risks:edit", args=[risk.pk]),
            "new risk": f"{reverse('risks:create')}?plan={self.sn_plan.pk}",
            "action": reverse("risks:action_edit", args=[action.pk]),
            "new action": reverse("risks:action_create", args=[risk.pk]),
            "control activity": reverse("controls:edit", args=[activity.pk]),
            "new control activity": reverse("controls:create", args=[risk.pk]),
            "action report": reverse("followups:report_action", args=[action.pk]),
            "activity report": reverse("followups:report_control_activity", args=[activity.pk]),
            "risk report": reverse("followups:report_risk", args=[risk.pk]),
            "deviation": reverse("followups:answer_deviation", args=[deviation.pk]),
            "assessment": reverse("plans:assessment", args=[self.sn_plan.pk]),
        }
        notice = (
            "Internkontrollplanen Socialnämnden 2025 är avslutad: den kan läsas men inte "
            "längre ändras, så här finns inget att fylla i."
        )
        for name, address in forms.items():
            with self.subTest(name):
                response = self.client.get(address)
                body = response.content.decode()
                assert response.status_code == 409, name
                assert notice in body, name
                assert 'name="version"' not in body and 'name="title"' not in body, name
                assert reverse("plans:detail", args=[self.sn_plan.pk]) in body, name

    @time_machine.travel(AFTER, tick=False)
    def test_a_closed_plans_pages_offer_no_edits(self) -> None:
        self.close()
        self.client.force_login(self.coordinator)
        plan_page = self.client.get(reverse("plans:detail", args=[self.sn_plan.pk]))
        assert "Planen är avslutad: den kan läsas men inte längre ändras." in (
            plan_page.content.decode()
        )
        assert plan_page.context["adoption_form"] is None
        assert plan_page.context["steps"] == []  # only an administrator may reopen
        risk_page = self.client.get(reverse("risks:detail", args=[self.sn_risk.pk]))
        assert reverse("risks:edit", args=[self.sn_risk.pk]) not in risk_page.content.decode()

    @time_machine.travel(AFTER, tick=False)
    def test_an_import_into_a_closed_plan_is_refused_whole(self) -> None:
        self.close()
        document = json.loads(json.dumps(export_document(self.organisation)))
        plan = next(p for p in document["plans"] if p["unit"] == "sn")
        plan["risks"][0]["title"] = "Från importen"
        with pytest.raises(ImportFailed) as failed:
            import_document(document)
        assert CLOSED in str(failed.value)
        assert Risk.objects.get(pk=self.sn_risk.pk).title == "Felaktiga utbetalningar"

    @time_machine.travel(AFTER, tick=False)
    def test_only_an_organisation_administrator_reopens_a_closed_plan(self) -> None:
        self.close()
        refused = self.step("reopen")
        assert refused.status_code == 422
        assert "Bara en administratör för hela organisationen" in refused.content.decode()
        assert self.step("reopen", self.admin).status_code == 302
        assert self.plan().status == ControlPlan.Status.FOLLOW_UP
        self.client.force_login(self.coordinator)
        edited = self.client.post(
            reverse("risks:edit", args=[self.sn_risk.pk]),
            {"title": "Ändrad efter öppning", "version": 1},
        )
        assert edited.status_code == 302

    @time_machine.travel(DURING, tick=False)
    def test_people_who_do_not_hold_the_committee_cannot_move_the_plan(self) -> None:
        for user in (self.below, self.responsible, self.reader, self.auditor):
            assert self.step("follow_up", user).status_code == 403, user
        assert self.step("follow_up", self.outsider).status_code == 404
        assert self.plan().status == ControlPlan.Status.ADOPTED

    @time_machine.travel(DURING, tick=False)
    def test_it_rejects_get(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.client.get(url(self.sn_plan)).status_code == 405

    def test_the_overview_shows_each_plans_state_with_when_and_who(self) -> None:
        self.close()
        with time_machine.travel(AFTER, tick=False):
            self.client.force_login(self.reader)
            page = self.client.get(reverse("organisation:overview"), {"year": 2025})
        body = page.content.decode()
        assert "badge--closed" in body
        assert 'Avslutad</span></a><span class="plan-status-since">2026-02-20, samordnare' in body
        assert "Utkast" in body  # bn's plan


@time_machine.travel(AFTER, tick=False)
class ClosedPlanInTheAdminTests(BaseTestCase):
    def test_the_admin_form_refuses_a_change_to_a_closed_plans_risk(self) -> None:
        ControlPlan.objects.filter(pk=self.sn_plan.pk).update(
            follow_up_started_at=DURING, closed_at=AFTER
        )
        superuser = User.objects.create_superuser("rot", password="ett-långt-lösenord-99")
        request = RequestFactory().get("/")
        request.user = superuser
        risk = Risk.objects.get(pk=self.sn_risk.pk)
        form_class = admin.site._registry[Risk].get_form(request, risk, change=True)
        data = {**posted(form_class(instance=risk)), "title": "Ändrad i admin"}
        form = form_class(data, instance=risk)
        assert not form.is_valid()
        assert CLOSED in str(form.non_field_errors())
