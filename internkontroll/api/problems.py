"""Errors as RFC 9457 problem details (application/problem+json), in the reader's language."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as SchemaError

from internkontroll.lib.versioning import StaleEdit

CONTENT_TYPE = "application/problem+json"


class Problem(HttpError):
    """An error the API answers with its status, a title and what exactly is wrong."""

    def __init__(
        self, status: int, detail: str, errors: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(status, detail)
        self.detail = detail
        self.errors = errors or []


def titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        401: _("Not logged in"),
        403: _("Not allowed"),
        404: _("Not found"),
        409: _("Conflict"),
        412: _("Changed since you read it"),
        415: _("Unsupported body type"),
        422: _("Invalid data"),
        428: _("Version missing"),
        429: _("Too many requests"),
    }


def problem(status: int, detail: str, errors: list[dict[str, Any]] | None = None) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": titles().get(status, _("Error")),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )


def field_errors(
    error: ValidationError, names: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """A model's or a form's errors as [{field, message}]; `names` renames form fields."""
    names = names or {}
    found = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
    return [
        {"field": _field_name(field, names), "message": message}
        for field, errors in found.items()
        for message in ValidationError(errors).messages
    ]


def _field_name(field: str | None, names: dict[str, str]) -> str | None:
    if field in (None, "__all__"):
        return None
    return names.get(field, field)


def schema_message(error: dict[str, Any]) -> str:
    """A Swedish sentence for one of pydantic's error types."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("There is no such field.")
    if kind == "string_too_long":
        return _("The text is too long: at most %(max)s characters.") % {
            "max": context.get("max_length")
        }
    if kind in ("string_too_short",):
        return _("This field cannot be empty.")
    if kind.startswith("int_") or kind == "greater_than_equal" or kind == "less_than_equal":
        return _("Give a whole number in the allowed range.")
    if kind.startswith("date"):
        return _("Give a date as YYYY-MM-DD.")
    if kind.startswith("bool"):
        return _("Give true or false.")
    if kind in ("enum", "literal_error"):
        return _("Not one of the allowed values: %(values)s.") % {
            "values": context.get("expected", "")
        }
    if kind.startswith("list") or kind == "too_long":
        return _("Give a list.")
    if kind.startswith("json") or kind == "model_attributes_type" or kind == "dict_type":
        return _("The body must be a JSON object.")
    if kind.startswith("string"):
        return _("Give a text.")
    return _("The value is not valid here.")


def _location(error: dict[str, Any]) -> str:
    """Where the error is, as "body.title" or "query.limit" (ninja names the body twice)."""
    parts = [str(part) for part in error.get("loc", ())]
    if parts[:2] == ["body", "body"]:
        parts = parts[1:]
    return ".".join(parts)


def install(api: Any) -> None:
    """Answer every error the API knows with a problem; an unexpected one stays a 500."""

    def on_problem(request: HttpRequest, exc: Problem) -> HttpResponse:
        return problem(exc.status_code, exc.detail, exc.errors)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # Ninja's own: a body it cannot parse (its other errors have their own handlers).
        if exc.status_code == 400:
            return problem(400, _("The request body is not valid JSON."))
        return problem(exc.status_code, titles().get(exc.status_code, _("Error")))

    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem(
            401,
            _(
                "Log in, or send a personal access token as Authorization: Bearer <token>. "
                "The token may be wrong, revoked or expired."
            ),
        )
        response["WWW-Authenticate"] = 'Bearer realm="internkontroll"'
        return response

    def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        detail = getattr(exc, "detail", None) or _("Too many requests this hour. Try again later.")
        response = problem(429, str(detail))
        response["Retry-After"] = str(exc.wait or 3600)
        return response

    def on_schema_error(request: HttpRequest, exc: SchemaError) -> HttpResponse:
        errors = [
            {"field": _location(error), "message": schema_message(error)} for error in exc.errors
        ]
        return problem(422, _("The request has invalid values; see errors."), errors)

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(404, _("There is no such item, or you may not read it."))

    def on_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(403, _("You may read this item but not change it."))

    def on_stale(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(
            412,
            _(
                "Someone saved the item after the version in If-Match. Nothing was saved; "
                "read the item again and send its new ETag."
            ),
        )

    def on_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return problem(422, _("Nothing was saved; see errors."), field_errors(exc))

    def on_collision(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(
            409,
            _("Someone else saved at the same moment and the two changes collided. Send again."),
        )

    api.add_exception_handler(Problem, on_problem)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(AuthenticationError, on_unauthenticated)
    api.add_exception_handler(Throttled, on_throttled)
    api.add_exception_handler(SchemaError, on_schema_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_denied)
    api.add_exception_handler(StaleEdit, on_stale)
    api.add_exception_handler(ValidationError, on_invalid)
    api.add_exception_handler(IntegrityError, on_collision)
