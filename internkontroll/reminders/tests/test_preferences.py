from django.urls import reverse

from internkontroll.accounts.models import User
from internkontroll.test import BaseTestCase

URL = reverse("reminders:preferences")


class PreferencesTests(BaseTestCase):
    def test_a_person_turns_their_reminders_off_and_on(self) -> None:
        self.client.force_login(self.responsible)
        answer = self.client.post(URL, {})
        assert answer.status_code == 302
        user = User.objects.get(pk=self.responsible.pk)
        assert not user.receives_reminders
        assert user.history.first().history_user == self.responsible
        page = self.client.get(URL).content.decode()
        assert "Du får inte längre påminnelser via e-post." in page
        assert 'name="receives_reminders"' in page and "checked" not in page
        self.client.post(URL, {"receives_reminders": "on"})
        assert User.objects.get(pk=self.responsible.pk).receives_reminders

    def test_it_says_where_reminders_go_or_that_an_address_is_missing(self) -> None:
        User.objects.filter(pk=self.coordinator.pk).update(email="samordnare@exempelstad.se")
        self.client.force_login(self.coordinator)
        assert "Påminnelserna skickas till samordnare@exempelstad.se." in (
            self.client.get(URL).content.decode()
        )
        self.client.force_login(self.reader)
        assert "Du har ingen e-postadress i Internkontroll" in self.client.get(URL).content.decode()

    def test_one_person_cannot_change_anothers_choice(self) -> None:
        self.client.force_login(self.coordinator)
        self.client.post(URL, {}, QUERY_STRING=f"user={self.responsible.pk}")
        assert User.objects.get(pk=self.responsible.pk).receives_reminders
        assert not User.objects.get(pk=self.coordinator.pk).receives_reminders

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        assert self.client.get(URL).status_code == 302
