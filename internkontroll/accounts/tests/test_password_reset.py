import datetime
import re

import time_machine
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from internkontroll.accounts.models import User
from internkontroll.test import PASSWORD, BaseTestCase, make_user

NEW_PASSWORD = "en-helt-ny-lösenfras-för-våren"
MORNING = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)


class WithElin(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.elin = make_user("elin", cls.organisation)
        cls.elin.email = "Elin.Berg@exempelstad.se"
        cls.elin.save(update_fields=["email"])


class PasswordResetTests(WithElin):
    def ask_for_a_link(self, email: str):  # type: ignore[no-untyped-def]
        return self.client.post(reverse("accounts:password_reset"), {"email": email})

    def link_in_the_email(self) -> str:
        assert len(mail.outbox) == 1
        match = re.search(r"http://testserver(/\S+)", mail.outbox[0].body)
        assert match is not None, mail.outbox[0].body
        return match.group(1)

    def choose_new_password(self, link: str, password: str = NEW_PASSWORD):  # type: ignore[no-untyped-def]
        form_page = self.client.get(link, follow=True)
        form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
        return self.client.post(form_url, {"new_password1": password, "new_password2": password})

    def can_log_in(self, password: str) -> bool:
        response = self.client.post(
            reverse("accounts:login"), {"username": "elin", "password": password}
        )
        self.client.post(reverse("accounts:logout"))
        return response.status_code == 302

    def test_the_login_page_links_to_the_reset_in_swedish(self) -> None:
        page = self.client.get(reverse("accounts:login")).content.decode()
        assert f'<a href="{reverse("accounts:password_reset")}">Glömt lösenordet?</a>' in page

    def test_the_reset_page_asks_for_the_e_mail_address(self) -> None:
        response = self.client.get(reverse("accounts:password_reset"))
        assert response.status_code == 200
        assert 'name="email"' in response.content.decode()

    def test_a_known_address_gets_a_link_that_sets_a_new_password(self) -> None:
        response = self.ask_for_a_link("elin.berg@exempelstad.se")
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:password_reset_done")
        assert mail.outbox[0].to == ["Elin.Berg@exempelstad.se"]
        done = self.choose_new_password(self.link_in_the_email())
        assert done.status_code == 302
        assert done["Location"] == reverse("accounts:password_reset_complete")
        assert self.can_log_in(NEW_PASSWORD)
        assert not self.can_log_in(PASSWORD)

    def test_the_link_works_only_once(self) -> None:
        self.ask_for_a_link("elin.berg@exempelstad.se")
        link = self.link_in_the_email()
        assert self.choose_new_password(link).status_code == 302
        second = self.choose_new_password(link, "ett-tredje-lösenord-som-inte-får-gälla")
        assert second.status_code == 422
        assert not second.context["validlink"]
        assert self.can_log_in(NEW_PASSWORD)

    def test_the_link_expires_after_two_hours(self) -> None:
        with time_machine.travel(MORNING, tick=False) as traveller:
            self.ask_for_a_link("elin.berg@exempelstad.se")
            traveller.shift(datetime.timedelta(hours=2, minutes=1))
            response = self.client.get(self.link_in_the_email(), follow=True)
        assert not response.context["validlink"]
        assert "Länken fungerar inte längre" in response.content.decode()

    def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(self) -> None:
        known = self.ask_for_a_link("elin.berg@exempelstad.se")
        mail.outbox.clear()
        unknown = self.ask_for_a_link("ingen.alls@exempelstad.se")
        assert unknown.status_code == known.status_code == 302
        assert unknown["Location"] == known["Location"]
        assert mail.outbox == []

    def test_an_inactive_user_gets_no_e_mail(self) -> None:
        User.objects.filter(pk=self.elin.pk).update(is_active=False)
        assert self.ask_for_a_link("elin.berg@exempelstad.se").status_code == 302
        assert mail.outbox == []

    def test_the_new_password_must_pass_the_password_rules(self) -> None:
        self.ask_for_a_link("elin.berg@exempelstad.se")
        response = self.choose_new_password(self.link_in_the_email(), "kort")
        assert response.status_code == 422
        assert response.context["form"].errors["new_password2"]
        assert self.can_log_in(PASSWORD)

    def test_the_e_mail_is_in_swedish(self) -> None:
        self.ask_for_a_link("elin.berg@exempelstad.se")
        message = mail.outbox[0]
        assert message.subject == "Återställ ditt lösenord till Internkontroll"
        assert "Välj ett nytt lösenord" in message.body
        assert "elin" in message.body

    def test_an_address_that_is_not_an_address_is_refused(self) -> None:
        response = self.ask_for_a_link("inte en adress")
        assert response.status_code == 422
        assert mail.outbox == []

    def test_the_reset_pages_reject_other_methods(self) -> None:
        assert self.client.put(reverse("accounts:password_reset")).status_code == 405
        assert self.client.post(reverse("accounts:password_reset_done")).status_code == 405
        assert self.client.post(reverse("accounts:password_reset_complete")).status_code == 405


class PasswordResetLimitTests(WithElin):
    def ask(self, email: str, address: str = "198.51.100.10"):  # type: ignore[no-untyped-def]
        return self.client.post(
            reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address
        )

    def test_one_account_gets_at_most_three_mails_an_hour_with_the_same_answer(self) -> None:
        with time_machine.travel(MORNING, tick=False) as traveller:
            answers = [self.ask("elin.berg@exempelstad.se", f"192.0.2.{n}") for n in range(5)]
            assert [answer.status_code for answer in answers] == [302] * 5
            assert {answer["Location"] for answer in answers} == {
                reverse("accounts:password_reset_done")
            }
            assert len(mail.outbox) == 3
            traveller.shift(datetime.timedelta(hours=1, minutes=1))
            self.ask("elin.berg@exempelstad.se", "192.0.2.9")
        assert len(mail.outbox) == 4

    def test_one_address_may_ask_five_times_an_hour_then_is_told_in_swedish(self) -> None:
        with time_machine.travel(MORNING, tick=False) as traveller:
            for number in range(5):
                assert self.ask(f"person-{number}@exempelstad.se").status_code == 302
            refused = self.ask("elin.berg@exempelstad.se")
            assert refused.status_code == 429
            page = refused.content.decode()
            assert "för många begäranden om att återställa lösenord från din adress" in page
            assert 'name="email"' in page
            assert mail.outbox == []
            assert self.ask("elin.berg@exempelstad.se", "192.0.2.1").status_code == 302
            traveller.shift(datetime.timedelta(hours=1, minutes=1))
            assert self.ask("elin.berg@exempelstad.se").status_code == 302
        assert len(mail.outbox) == 2

    @override_settings(PASSWORD_RESET_LIMIT_PER_ADDRESS=1, PASSWORD_RESET_LIMIT_PER_USER=1)
    def test_the_limits_follow_the_settings(self) -> None:
        assert self.ask("elin.berg@exempelstad.se").status_code == 302
        assert self.ask("elin.berg@exempelstad.se").status_code == 429
        assert self.ask("elin.berg@exempelstad.se", "192.0.2.1").status_code == 302
        assert len(mail.outbox) == 1
