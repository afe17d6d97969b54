from django.test import RequestFactory
from django.urls import reverse

from internkontroll.access import scope_for
from internkontroll.accounts.models import User
from internkontroll.lib.context_processors import navigation
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

    def test_the_follow_up_board_is_in_the_menu_of_coordinators_and_administrators(self) -> None:
        board = reverse("followups:board")
        assert board in self.menu(self.coordinator)
        assert board in self.menu(self.admin)
        assert board not in self.menu(self.responsible)
        assert board not in self.menu(self.reader)
        assert board not in self.menu(self.auditor)

    def test_my_proposals_are_in_the_menu_of_those_who_may_propose(self) -> None:
        proposals = reverse("nominations:mine")
        assert proposals in self.menu(self.responsible)  # a unit below the committee
        assert proposals in self.menu(self.coordinator)
        assert proposals in self.menu(self.admin)
        assert proposals not in self.menu(self.reader)
        assert proposals not in self.menu(self.auditor)

    def test_the_menu_speaks_swedish(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("followups:mine"), HTTP_ACCEPT_LANGUAGE="sv")
        labels = [item.label for item in response.context["nav_items"]]
        assert "Uppföljningstavla" in labels
        assert "Mina förslag" in labels

    def test_the_menu_needs_no_query_once_the_scope_is_known(self) -> None:
        for user in (self.coordinator, self.responsible, self.admin, self.reader, self.auditor):
            with self.subTest(user=user.username):
                request = RequestFactory().get("/")
                request.user = User.objects.get(pk=user.pk)
                scope_for(request.user)  # computed once per request by the first read
                with self.assertNumQueries(0):
                    navigation(request)

    def test_only_the_page_one_is_on_is_marked_as_current(self) -> None:
        self.client.force_login(self.coordinator)
        for page, marked in (
            (reverse("followups:board"), reverse("followups:board")),
            (reverse("followups:mine"), reverse("followups:mine")),
            (reverse("nominations:create"), reverse("nominations:mine")),
        ):
            with self.subTest(page=page):
                items = self.client.get(page).context["nav_items"]
                assert [item.url for item in items if item.current] == [marked]
