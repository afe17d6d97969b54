"""The assignee of an action or a control activity is chosen among the people who do the work."""

from __future__ import annotations

from django.urls import reverse

from internkontroll.accounts.models import Role, RoleAssignment
from internkontroll.test import BaseTestCase, make_user


class AssignablePeopleTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.manager = make_user("enhetschef", cls.organisation, [(Role.RESPONSIBLE, cls.sf)])
        cls.sibling = make_user("barnchef", cls.organisation, [(Role.RESPONSIBLE, cls.sf_barn)])
        cls.wide = make_user("kscontroller", cls.organisation, [(Role.COORDINATOR, None)])
        cls.bn_manager = make_user("bnchef", cls.organisation, [(Role.RESPONSIBLE, cls.bf)])

    def offered(self, url: str) -> list[str]:
        self.client.force_login(self.coordinator)
        response = self.client.get(url)
        assert response.status_code == 200
        return [user.username for user in response.context["form"].fields["assignee"].queryset]

    def test_a_new_action_offers_those_responsible_and_coordinating_above_the_risk(self) -> None:
        offered = self.offered(reverse("risks:action_create", args=[self.sn_risk.pk]))
        assert sorted(offered) == ["ansvarig", "enhetschef", "kscontroller", "samordnare"]

    def test_readers_auditors_administrators_and_others_are_not_offered(self) -> None:
        offered = self.offered(reverse("controls:create", args=[self.sn_risk.pk]))
        for username in ("lasare", "revisor", "admin", "barnchef", "bnchef", "utomstaende"):
            assert username not in offered
        assert "ansvarig" in offered

    def test_the_page_lists_the_responsible_manager_by_name(self) -> None:
        self.manager.first_name, self.manager.last_name = "Erik", "Holm"
        self.manager.save()
        self.client.force_login(self.coordinator)
        html = self.client.get(reverse("risks:action_create", args=[self.sn_risk.pk])).content
        assert "Erik Holm" in html.decode()

    def test_an_inactive_person_is_not_offered(self) -> None:
        self.manager.is_active = False
        self.manager.save()
        offered = self.offered(reverse("risks:action_create", args=[self.sn_risk.pk]))
        assert "enhetschef" not in offered

    def test_the_current_assignee_stays_after_losing_the_role_so_the_form_saves(self) -> None:
        self.sn_action.assignee = self.manager
        self.sn_action.save()
        RoleAssignment.objects.filter(user=self.manager).delete()
        url = reverse("risks:action_edit", args=[self.sn_action.pk])
        assert "enhetschef" in self.offered(url)
        response = self.client.post(
            url,
            {
                "title": "Inför attest i två steg",
                "assignee": self.manager.pk,
                "status": "in_progress",
                "due_date": "2025-06-30",
                "version": self.sn_action.version,
            },
        )
        assert response.status_code == 302
