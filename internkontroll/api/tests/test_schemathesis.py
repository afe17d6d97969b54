"""Schemathesis against /api/openapi.json with a token: on every operation, no server error
and no answer that breaks the documented schema, status codes or content types."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from internkontroll.api.actions import create_token
from internkontroll.test import BaseTestCase

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


class Cast:
    """The test personas and their data, made as BaseTestCase makes them."""


@pytest.fixture
def token(db: Any) -> Iterator[str]:
    BaseTestCase.setUpTestData.__func__(Cast)  # type: ignore[attr-defined]
    _token, key = create_token(
        Cast.admin,  # type: ignore[attr-defined]
        name="schemathesis",
        expires_in_days=None,
        acting_user=None,
    )
    # As Django's test client does: a request's end must not close the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield key
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_schema(case: Any, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
