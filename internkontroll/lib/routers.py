"""Reads of read-only pages and of reports from a read replica, when one is configured.

Everything else goes to the primary: writes, reads inside a transaction or after a write in
the same request, every request that is not GET or HEAD, and a person's requests for a few
seconds after they changed something (a cookie pins them), so that they always see their own
change even while the replica is behind. Sessions, the queue, background jobs, login lockouts
and rate-limit counts are read from the primary always: they change on reads too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "ik_primary"
PRIMARY_ONLY_APPS = frozenset({"sessions", "axes", "django_tasks_database", "jobs", "django_cache"})


@dataclass
class _Reads:
    replica: bool
    wrote: bool = False


_reads: ContextVar[_Reads | None] = ContextVar("ik_reads", default=None)


def replica_alias() -> str | None:
    return REPLICA if REPLICA in settings.DATABASES else None


@contextmanager
def replica_reads(allowed: bool = True) -> Iterator[_Reads]:
    """Within the block, reads may go to the replica (if there is one) until the first write."""
    state = _Reads(replica=allowed and replica_alias() is not None)
    token = _reads.set(state)
    try:
        yield state
    finally:
        _reads.reset(token)


class ReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        state = _reads.get()
        if state is None or not state.replica:
            return None
        if state.wrote or model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        return replica_alias()

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        state = _reads.get()
        if state is not None and model._meta.app_label not in PRIMARY_ONLY_APPS:
            state.wrote = True
        # Never None: Django would then write an object back to where it was read from.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None


class ReplicaMiddleware:
    """GET and HEAD read from the replica unless the person changed something moments ago."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if replica_alias() is None:
            return self.get_response(request)
        safe = request.method in {"GET", "HEAD"} and PIN_COOKIE not in request.COOKIES
        with replica_reads(allowed=safe) as state:
            response = self.get_response(request)
        if state.wrote or request.method not in {"GET", "HEAD", "OPTIONS"}:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.IK_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
