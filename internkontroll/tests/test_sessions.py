"""Sessions read through the prepared query: the signed-in person, else no one."""

from __future__ import annotations

import datetime

from django.contrib.sessions.models import Session
from django.utils import timezone

from internkontroll.lib.sessions import SessionStore
from internkontroll.test import BaseTestCase


class SessionTests(BaseTestCase):
    def test_a_signed_in_person_stays_signed_in(self) -> None:
        self.client.force_login(self.coordinator)
        answer = self.client.get("/")
        assert answer.status_code == 200
        assert answer.wsgi_request.user == self.coordinator

    def test_an_expired_session_signs_no_one_in(self) -> None:
        self.client.force_login(self.coordinator)
        key = self.client.session.session_key
        Session.objects.filter(pk=key).update(expire_date=timezone.now() - datetime.timedelta(1))
        answer = self.client.get("/")
        assert answer.status_code == 302  # to the login page
        store = SessionStore(key)
        assert store.load() == {}
        assert store.session_key is None  # forgotten, as Django's engine forgets it

    def test_each_key_reads_its_own_session(self) -> None:
        first, second = SessionStore(), SessionStore()
        first["who"], second["who"] = "första", "andra"
        first.save()
        second.save()
        assert SessionStore(first.session_key).load() == {"who": "första"}
        assert SessionStore(second.session_key).load() == {"who": "andra"}
        assert SessionStore("okand-nyckel-som-inte-finns").load() == {}
