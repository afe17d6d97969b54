"""Sessions kept in the database, as Django's `db` engine keeps them, read by a prepared query.

Every request of a signed-in person reads its session first. Django builds and compiles that
query anew each time; here it is compiled once per process (internkontroll.lib.prepared).
The table, the rows and what they hold are Django's own: switching engines signs no one out.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone

from internkontroll.lib.prepared import Slot, prepared


@prepared(Session)
def _current_session() -> models.QuerySet[Session]:
    return Session.objects.filter(
        session_key=Slot("key", models.CharField()),
        expire_date__gt=Slot("now", models.DateTimeField()),
    )


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        rows = _current_session.rows(key=self.session_key, now=timezone.now())
        if rows:
            return rows[0]
        self._session_key = None  # gone or expired: a new session, as Django's engine does
        return None
