import base64
import datetime
import json
import re
import smtplib
from unittest import mock

import time_machine
from django.core import mail
from django.urls import reverse

from internkontroll.accounts.actions import change_user
from internkontroll.accounts.models import User
from internkontroll.test import BaseTestCase

MORNING = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)
EDIT = {"username": "lasare", "first_name": "", "last_name": "", "is_active": "on"}


class EmailConfirmTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.reader.email = "lasare@example.se"
        cls.reader.save()

    def ask_for(self, email: str) -> str:
        """The administrator gives the reader a new address; the path of the link sent to it."""
        self.client.force_login(self.admin)
        response = self.client.post(
            reverse("accounts:user_edit", args=[self.reader.pk]), {**EDIT, "email": email}
        )
        assert response.status_code == 302
        self.client.logout()
        message = mail.outbox[-1]
        assert message.to == [email]
        match = re.search(r"http://testserver(/\S+)", message.body)
        assert match is not None, message.body
        return match.group(1)

    def email(self) -> str:
        return User.objects.get(pk=self.reader.pk).email

    def test_the_e_mail_changes_only_when_the_link_is_followed_and_confirmed(self) -> None:
        link = self.ask_for("ny.adress@example.se")
        assert self.email() == "lasare@example.se"
        page = self.client.get(link)
        assert page.status_code == 200
        assert "Bekräfta att ny.adress@example.se är e-postadressen" in page.content.decode()
        assert self.email() == "lasare@example.se"  # a mail scanner's visit changes nothing
        response = self.client.post(link, follow=True)
        assert "Din nya e-postadress är bekräftad" in response.content.decode()
        reader = User.objects.get(pk=self.reader.pk)
        assert (reader.email, reader.pending_email) == ("ny.adress@example.se", "")

    def test_the_mail_to_the_new_address_is_in_swedish(self) -> None:
        self.ask_for("ny.adress@example.se")
        message = mail.outbox[0]
        assert message.subject == "Bekräfta din nya e-postadress i Internkontroll"
        assert "ny e-postadress för användaren lasare" in message.body
        assert "Länken fungerar inom 24 timmar" in message.body

    def test_the_old_address_is_told_once_the_change_applies(self) -> None:
        link = self.ask_for("ny.adress@example.se")
        assert [message.to for message in mail.outbox] == [["ny.adress@example.se"]]
        self.client.post(link)
        told = mail.outbox[-1]
        assert told.to == ["lasare@example.se"]
        assert told.subject == "Din e-postadress i Internkontroll har ändrats"
        assert "från lasare@example.se till ny.adress@example.se" in told.body

    def test_the_history_records_the_change_as_made_by_the_user(self) -> None:
        self.client.post(self.ask_for("ny.adress@example.se"))
        latest = self.reader.history.latest()  # type: ignore[attr-defined]
        assert (latest.email, latest.history_user) == ("ny.adress@example.se", self.reader)

    def test_the_link_works_only_once(self) -> None:
        link = self.ask_for("ny.adress@example.se")
        self.client.post(link)
        response = self.client.post(link)
        assert response.status_code == 400
        assert "Länken har redan använts" in response.content.decode()

    def test_an_expired_link_is_refused_in_swedish(self) -> None:
        with time_machine.travel(MORNING, tick=False) as traveller:
            link = self.ask_for("ny.adress@example.se")
            traveller.shift(datetime.timedelta(hours=24, minutes=1))
            response = self.client.post(link)
        assert response.status_code == 400
        assert "Länken har slutat gälla" in response.content.decode()
        assert self.email() == "lasare@example.se"

    def test_a_tampered_link_is_refused_in_swedish(self) -> None:
        link = self.ask_for("ny.adress@example.se")
        _payload, timestamp, signature = link.rstrip("/").rsplit("/", 1)[1].split(":")
        claim = json.dumps({"user": self.reader.pk, "email": "angripare@example.se"})
        payload = base64.urlsafe_b64encode(claim.encode()).decode().rstrip("=")
        forged = reverse("accounts:email_confirm", args=[f"{payload}:{timestamp}:{signature}"])
        garbled = link[:-5] + "xxxx/"
        for tampered in (forged, garbled, reverse("accounts:email_confirm", args=["x"])):
            response = self.client.post(tampered)
            assert response.status_code == 400, tampered
            assert "Länken är inte giltig" in response.content.decode()
        assert self.email() == "lasare@example.se"

    def test_a_newer_change_replaces_the_older_link(self) -> None:
        first = self.ask_for("forsta@example.se")
        second = self.ask_for("andra@example.se")
        assert self.client.post(first).status_code == 400
        assert self.client.post(second).status_code == 302
        assert self.email() == "andra@example.se"

    def test_an_address_taken_meanwhile_is_refused(self) -> None:
        link = self.ask_for("ny.adress@example.se")
        User.objects.filter(pk=self.coordinator.pk).update(email="Ny.Adress@example.se")
        response = self.client.post(link)
        assert response.status_code == 400
        assert "har redan den här e-postadressen" in response.content.decode()
        assert self.email() == "lasare@example.se"

    def test_a_notice_that_cannot_be_sent_leaves_the_old_address(self) -> None:
        link = self.ask_for("ny.adress@example.se")
        with mock.patch(
            "internkontroll.accounts.actions.send_mail", side_effect=smtplib.SMTPException
        ):
            response = self.client.post(link)
        assert response.status_code == 503
        assert "Ingenting har ändrats" in response.content.decode()
        assert self.email() == "lasare@example.se"

    def test_no_write_path_sets_the_e_mail_directly(self) -> None:
        with self.captureOnCommitCallbacks():
            sent = change_user(
                self.reader,
                acting_user=self.admin,
                site_url="http://testserver/",
                email="direkt@example.se",
            )
        assert sent
        assert self.email() == "lasare@example.se"
        with self.assertRaises(ValueError):
            change_user(self.reader, acting_user=self.admin, pending_email="x@example.se")

    def test_it_rejects_put(self) -> None:
        link = self.ask_for("ny.adress@example.se")
        assert self.client.put(link).status_code == 405
