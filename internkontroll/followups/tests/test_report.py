import datetime

from django.urls import reverse

from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.risks.models import Action
from internkontroll.test import BaseTestCase


class ReportActionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Action.objects.filter(pk=cls.sn_action.pk).update(assignee=cls.responsible)
        cls.t2 = cls.organisation.periods.get(code="T2")

    def url(self) -> str:
        return reverse("followups:report_action", args=[self.sn_action.pk])

    def post(self, **changes: object) -> object:
        data = {
            "period": self.t2.pk,
            "date": "2025-09-05",
            "status": "done",
            "on_track": "yes",
            "comment": "Attest i två steg är införd.",
            "version": 1,
            **changes,
        }
        return self.client.post(self.url(), data)

    def test_the_assigned_person_reports_and_the_status_follows(self) -> None:
        self.client.force_login(self.responsible)
        response = self.post()
        assert response.status_code == 302
        follow_up = FollowUp.objects.filter(action=self.sn_action).latest("id")
        assert (follow_up.period, follow_up.status, follow_up.on_track) == (self.t2, "done", True)
        assert follow_up.date == datetime.date(2025, 9, 5)
        action = Action.objects.get(pk=self.sn_action.pk)
        assert action.status == "done"
        assert action.history.first().history_user == self.responsible

    def test_a_follow_up_is_appended_never_overwritten(self) -> None:
        self.client.force_login(self.responsible)
        self.post()
        self.post(version=2, comment="Andra raden.")
        assert FollowUp.objects.filter(action=self.sn_action).count() == 3

    def test_a_missing_comment_is_refused_next_to_the_field(self) -> None:
        self.client.force_login(self.responsible)
        response = self.post(comment="")
        assert response.status_code == 422
        assert "comment" in response.context["form"].errors
        assert FollowUp.objects.filter(action=self.sn_action).count() == 1

    def test_a_stale_form_is_refused_and_the_comment_kept(self) -> None:
        Action.objects.filter(pk=self.sn_action.pk).update(version=4)
        self.client.force_login(self.responsible)
        response = self.post(comment="Min text som inte får försvinna.")
        assert response.status_code == 422
        assert "Min text som inte får försvinna." in response.content.decode()
        assert FollowUp.objects.filter(action=self.sn_action).count() == 1

    def test_a_period_of_another_organisation_is_refused(self) -> None:
        self.client.force_login(self.responsible)
        foreign = self.other_organisation.periods.first()
        assert self.post(period=foreign.pk).status_code == 422

    def test_someone_who_is_not_assigned_may_not_report(self) -> None:
        self.client.force_login(self.reader)
        assert self.post().status_code == 403
        self.client.force_login(self.outsider)
        assert self.post().status_code == 404

    def test_the_coordinator_may_report_on_any_item(self) -> None:
        self.client.force_login(self.coordinator)
        assert self.post().status_code == 302

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        assert self.client.get(self.url()).status_code == 302

    def test_it_rejects_delete(self) -> None:
        self.client.force_login(self.responsible)
        assert self.client.delete(self.url()).status_code == 405


class ReportControlActivityTests(BaseTestCase):
    def test_the_result_of_a_control_is_reported_for_a_period(self) -> None:
        ControlActivity.objects.filter(pk=self.sn_activity.pk).update(assignee=self.responsible)
        self.client.force_login(self.responsible)
        url = reverse("followups:report_control_activity", args=[self.sn_activity.pk])
        response = self.client.post(
            url,
            {
                "period": self.organisation.periods.get(code="T1").pk,
                "date": "2025-05-02",
                "result": "deviation",
                "comment": "Två av tio utbetalningar saknade beslut.",
                "version": 1,
            },
        )
        assert response.status_code == 302
        follow_up = FollowUp.objects.get(control_activity=self.sn_activity)
        assert follow_up.is_deviation

    def test_a_result_is_required(self) -> None:
        self.client.force_login(self.coordinator)
        url = reverse("followups:report_control_activity", args=[self.sn_activity.pk])
        response = self.client.post(
            url,
            {"period": self.organisation.periods.first().pk, "date": "2025-05-02", "comment": "X"},
        )
        assert response.status_code == 422
        assert "result" in response.context["form"].errors


class StaleResendTests(BaseTestCase):
    def test_after_a_stale_refusal_sending_again_is_accepted(self) -> None:
        Action.objects.filter(pk=self.sn_action.pk).update(version=4)
        self.client.force_login(self.coordinator)
        url = reverse("followups:report_action", args=[self.sn_action.pk])
        data = {
            "period": self.organisation.periods.get(code="T2").pk,
            "date": "2025-09-05",
            "status": "done",
            "comment": "Klart.",
            "version": 1,
        }
        refused = self.client.post(url, data)
        assert refused.status_code == 422
        assert refused.context["form"]["version"].value() == 4
        assert self.client.post(url, {**data, "version": 4}).status_code == 302
