from django.urls import reverse

from internkontroll.accounts.models import User
from internkontroll.risks.models import Risk
from internkontroll.test import BaseTestCase


class AdminHistoryTests(BaseTestCase):
    def test_an_old_version_can_be_looked_at_but_not_restored(self) -> None:
        root = User.objects.create_superuser("root", password="ett-långt-lösenord-1")
        first = self.sn_risk.history.earliest("history_date")
        Risk.objects.filter(pk=self.sn_risk.pk).update(title="Nytt namn")
        self.client.force_login(root)
        url = reverse("admin:risks_risk_simple_history", args=[self.sn_risk.pk, first.history_id])
        assert self.client.get(url).status_code == 200
        assert self.client.post(url, {"title": first.title}).status_code == 403
        assert Risk.objects.get(pk=self.sn_risk.pk).title == "Nytt namn"

    def test_people_are_deactivated_never_deleted(self) -> None:
        root = User.objects.create_superuser("root", password="ett-långt-lösenord-1")
        self.client.force_login(root)
        url = reverse("admin:accounts_user_delete", args=[self.coordinator.pk])
        assert self.client.post(url, {"post": "yes"}).status_code == 403
        assert User.objects.filter(pk=self.coordinator.pk).exists()
