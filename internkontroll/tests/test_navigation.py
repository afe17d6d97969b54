from django.urls import reverse

from internkontroll.test import BaseTestCase


class NavigationTests(BaseTestCase):
    def menu(self, user: object) -> list[str]:
        self.client.force_login(user)  # type: ignore[arg-type]
        response = self.client.get(reverse("followups:mine"))
        return [item.url for item in response.context["nav_items"]]

    def test_the_audit_trail_is_in_the_menu_of_those_who_may_read_the_log(self) -> None:
        log = reverse("trail:log")
        assert log in self.menu(self.auditor)
        assert log in self.menu(self.coordinator)
        assert log in self.menu(self.admin)
        assert log not in self.menu(self.reader)
        assert log not in self.menu(self.responsible)
