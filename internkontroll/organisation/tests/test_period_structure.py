import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import Period
from internkontroll.organisation.periods import change_period, periods_locked
from internkontroll.test import BaseTestCase

NEW = {"name": "Delårsrapport", "code": "DR", "ends_month": 6, "ends_day": 30, "position": 5}


@time_machine.travel(datetime.date(2025, 3, 1), tick=False)
class PeriodStructureTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.t1 = cls.organisation.periods.get(code="T1")

    def change_url(self, period: Period | None = None) -> str:
        return reverse("organisation:period_change", args=[(period or self.t1).pk])

    def delete_url(self, period: Period | None = None) -> str:
        return reverse("organisation:period_delete", args=[(period or self.t1).pk])

    def lock(self) -> None:
        FollowUp.objects.filter(pk=self.sn_follow_up.pk).update(period=self.t1)

    def settings_page(self) -> str:
        return self.client.get(reverse("organisation:settings")).content.decode()

    def errors(self, answer: object) -> str:
        return str(answer.context["form"].errors)  # type: ignore[attr-defined]

    # Creating

    def test_the_administrator_creates_a_period_and_the_settings_list_it(self) -> None:
        self.client.force_login(self.admin)
        answer = self.client.post(reverse("organisation:period_create"), NEW)
        assert answer.status_code == 302
        period = self.organisation.periods.get(code="DR")
        assert (period.name, period.ends, period.version) == ("Delårsrapport", "06-30", 1)
        assert period.history.get().history_user == self.admin
        page = self.settings_page()
        assert "DR Delårsrapport" in page and "30 juni" in page

    def test_a_new_period_is_placed_last_by_default(self) -> None:
        self.client.force_login(self.admin)
        form = self.client.get(reverse("organisation:period_create")).context["form"]
        last = max(self.organisation.periods.values_list("position", flat=True))
        assert form.initial["position"] == last + 1

    def test_a_code_already_used_is_refused_whatever_its_case(self) -> None:
        self.client.force_login(self.admin)
        answer = self.client.post(reverse("organisation:period_create"), {**NEW, "code": "t1"})
        assert answer.status_code == 422
        assert "Det finns redan en period med koden ”t1”" in self.errors(answer)
        assert not self.organisation.periods.filter(code="t1").exists()

    def test_29_february_is_refused_since_not_every_year_has_it(self) -> None:
        self.client.force_login(self.admin)
        data = {**NEW, "ends_month": 2, "ends_day": 29}
        answer = self.client.post(reverse("organisation:period_create"), data)
        assert answer.status_code == 422
        assert "29 februari gör inte det" in self.errors(answer)

    def test_a_day_the_month_lacks_is_refused(self) -> None:
        self.client.force_login(self.admin)
        data = {**NEW, "ends_month": 4, "ends_day": 31}
        answer = self.client.post(reverse("organisation:period_create"), data)
        assert "Dagen finns inte i den månaden varje år" in self.errors(answer)

    def test_a_month_outside_the_year_is_refused_next_to_the_field(self) -> None:
        self.client.force_login(self.admin)
        answer = self.client.post(reverse("organisation:period_create"), {**NEW, "ends_month": 13})
        assert answer.status_code == 422
        assert "ends_month" in answer.context["form"].errors
        assert self.organisation.periods.count() == 3

    def test_the_action_refuses_a_month_outside_the_year(self) -> None:
        with pytest.raises(ValidationError) as refused:
            change_period(self.t1, acting_user=self.admin, version=1, ends_month=0)
        assert refused.value.message_dict["ends_month"] == [
            "Månaden ska vara ett tal från 1 till 12."
        ]

    def test_two_periods_may_not_end_on_the_same_day(self) -> None:
        self.client.force_login(self.admin)
        data = {**NEW, "ends_month": 4, "ends_day": 30}
        answer = self.client.post(reverse("organisation:period_create"), data)
        assert answer.status_code == 422
        assert "Perioden T1 Tertialrapport 1 slutar redan den dagen" in self.errors(answer)

    # Changing

    def test_an_unlocked_period_changes_code_and_end(self) -> None:
        self.client.force_login(self.admin)
        data = {**NEW, "name": "Tertial 1", "code": "TR1", "ends_month": 5, "version": 1}
        assert self.client.post(self.change_url(), data).status_code == 302
        period = Period.objects.get(pk=self.t1.pk)
        assert (period.code, period.name, period.ends, period.version) == (
            "TR1",
            "Tertial 1",
            "05-30",
            2,
        )
        assert period.history.first().history_user == self.admin

    def test_a_period_keeps_its_own_end_day_when_renamed(self) -> None:
        self.client.force_login(self.admin)
        data = {"name": "Tertial 1", "code": "T1", "ends_month": 4, "ends_day": 30, "position": 0}
        answer = self.client.post(self.change_url(), {**data, "version": 1})
        assert answer.status_code == 302

    def test_a_locked_period_changes_only_its_name(self) -> None:
        self.lock()
        self.client.force_login(self.admin)
        data = {**NEW, "name": "Tertial 1", "version": 1}
        assert self.client.post(self.change_url(), data).status_code == 302
        period = Period.objects.get(pk=self.t1.pk)
        assert (period.name, period.code, period.ends) == ("Tertial 1", "T1", "04-30")

    def test_the_action_refuses_a_structure_change_when_locked(self) -> None:
        self.lock()
        with pytest.raises(ValidationError) as refused:
            change_period(self.t1, acting_user=self.admin, version=1, code="X1")
        assert "bara periodens namn och sista rapporteringsdag" in refused.value.messages[0]
        assert Period.objects.get(pk=self.t1.pk).code == "T1"

    def test_a_control_activity_in_a_period_locks_the_structure(self) -> None:
        assert not periods_locked(self.organisation)
        self.sn_activity.periods.add(self.t1)
        assert periods_locked(self.organisation)
        assert not periods_locked(self.other_organisation)

    def test_a_stale_change_is_refused(self) -> None:
        Period.objects.filter(pk=self.t1.pk).update(version=3)
        self.client.force_login(self.admin)
        answer = self.client.post(self.change_url(), {**NEW, "version": 1})
        assert answer.status_code == 422
        assert Period.objects.get(pk=self.t1.pk).code == "T1"

    # Deleting

    def test_the_administrator_deletes_an_unlocked_period(self) -> None:
        self.client.force_login(self.admin)
        answer = self.client.post(self.delete_url(), {"version": 1}, follow=True)
        assert not Period.objects.filter(pk=self.t1.pk).exists()
        page = answer.content.decode()
        assert "Uppföljningsperioden T1 Tertialrapport 1 har tagits bort." in page
        deletion = Period.history.filter(id=self.t1.pk, history_type="-").get()
        assert deletion.history_user == self.admin

    def test_a_locked_period_is_not_deleted(self) -> None:
        self.lock()
        self.client.force_login(self.admin)
        answer = self.client.post(self.delete_url(), {"version": 1}, follow=True)
        assert Period.objects.filter(pk=self.t1.pk).exists()
        assert "Därför kan ingen period tas bort." in answer.content.decode()

    def test_the_last_period_is_not_deleted(self) -> None:
        self.organisation.periods.exclude(pk=self.t1.pk).delete()
        self.client.force_login(self.admin)
        answer = self.client.post(self.delete_url(), {"version": 1}, follow=True)
        assert Period.objects.filter(pk=self.t1.pk).exists()
        assert "måste ha minst en uppföljningsperiod kvar" in answer.content.decode()

    def test_a_stale_delete_is_refused(self) -> None:
        Period.objects.filter(pk=self.t1.pk).update(version=2)
        self.client.force_login(self.admin)
        answer = self.client.post(self.delete_url(), {"version": 1}, follow=True)
        assert Period.objects.filter(pk=self.t1.pk).exists()
        assert "någon ändrade den efter att du öppnade sidan" in answer.content.decode()

    def test_delete_rejects_get(self) -> None:
        self.client.force_login(self.admin)
        assert self.client.get(self.delete_url()).status_code == 405

    # The settings page

    def test_the_settings_offer_every_change_while_unlocked(self) -> None:
        self.client.force_login(self.admin)
        page = self.settings_page()
        assert self.change_url() in page and self.delete_url() in page
        assert reverse("organisation:period_create") in page
        assert "Perioden T1 Tertialrapport 1 tas bort för alla år." in page
        assert "tidigare års rapporter" not in page

    def test_the_settings_say_why_a_locked_structure_cannot_change(self) -> None:
        self.lock()
        self.client.force_login(self.admin)
        page = self.settings_page()
        assert "tidigare års rapporter och förfallodagar bygger på dem" in page
        assert self.change_url() in page and self.delete_url() not in page
        form = self.client.get(self.change_url()).context["form"]
        assert form.fields["code"].disabled and not form.fields["name"].disabled

    # Who may

    def test_people_who_are_not_administrators_may_not_change_periods(self) -> None:
        # The responsible person's unit sits below a committee.
        for person in (self.coordinator, self.responsible, self.reader, self.auditor):
            self.client.force_login(person)
            page = self.settings_page()
            assert self.change_url() not in page and self.delete_url() not in page
            assert reverse("organisation:period_create") not in page
            assert self.client.get(reverse("organisation:period_create")).status_code == 403
            assert self.client.post(reverse("organisation:period_create"), NEW).status_code == 403
            assert self.client.get(self.change_url()).status_code == 403
            assert self.client.post(self.delete_url(), {"version": 1}).status_code == 403
        assert Period.objects.filter(pk=self.t1.pk).exists()
        assert not self.organisation.periods.filter(code="DR").exists()

    def test_another_organisations_period_is_not_found(self) -> None:
        self.client.force_login(self.outsider)
        assert self.client.get(self.change_url()).status_code == 404
        assert self.client.post(self.delete_url(), {"version": 1}).status_code == 404

    def test_anonymous_people_are_sent_to_log_in(self) -> None:
        answer = self.client.get(reverse("organisation:period_create"))
        assert answer["Location"].startswith(reverse("accounts:login"))
