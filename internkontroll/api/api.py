"""The REST API: one NinjaAPI over the read and write modules, at /api/."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from ninja import NinjaAPI

# Importing the read and write modules registers their operations on the router.
from internkontroll.api import problems, reads, writes  # noqa: F401
from internkontroll.api.auth import BrowserSession, TokenAuth
from internkontroll.api.conditional import etag_of, unchanged
from internkontroll.api.routes import router

# Every operation may answer with these problems; the OpenAPI document says so.
PROBLEM_STATUSES = {
    "400": _("Bad request"),
    "401": _("Not logged in"),
    "403": _("Not allowed"),
    "404": _("Not found"),
    "409": _("Conflict"),
    "412": _("Changed since you read it"),
    "422": _("Invalid data"),
    "428": _("Version missing"),
    "429": _("Too many requests"),
}

PROBLEM_SCHEMA = {
    "title": "Problem",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {
                    "field": {"type": ["string", "null"]},
                    "message": {"type": "string"},
                },
            },
        },
    },
}

DESCRIPTION = """Read every object of the internal control, and change risks, actions, control
activities, follow-ups, audit reports and recommendations, with the same access as in the
application.

Send a personal access token (made under Account → API tokens, or with `ik token create`)
as `Authorization: Bearer <token>`; a browser that is logged in may use its session, with
the CSRF token in `X-CSRFToken` on changes. Lists are paged by cursor: pass the page's
`next_cursor` as `cursor`. A read answers with an `ETag`; a change needs it in `If-Match`
(without it 428, when someone changed the item since, 412). Errors are
`application/problem+json`."""


class InternkontrollAPI(NinjaAPI):
    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        """Every answer with its ETag; a list's page that has not changed since the ETag
        If-None-Match names is 304 (an item's ETag is its version, for If-Match only)."""
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        if not 200 <= response.status_code < 300:
            return response
        etag = etag_of(data, response.content)
        if etag is None:
            return response
        if etag.startswith("W/") and unchanged(request, etag):
            response = HttpResponseNotModified()
        response["ETag"] = etag
        return response

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Ninja's document with the problems every operation may answer, and the ETags."""
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                responses = {str(status): value for status, value in operation["responses"].items()}
                operation["responses"] = responses
                for status, title in PROBLEM_STATUSES.items():
                    responses.setdefault(status, {"description": str(title), "content": problem})
                for status, response in responses.items():
                    if status.startswith("2"):
                        response["headers"] = {
                            "ETag": {
                                "description": "The version read, for If-Match.",
                                "schema": {"type": "string"},
                            }
                        }
                if method == "patch" or path.endswith("/follow-ups"):
                    operation.setdefault("parameters", []).append(_IF_MATCH)
                if method == "get" and _is_list(operation):
                    operation.setdefault("parameters", []).append(_IF_NONE_MATCH)
                    responses["304"] = {"description": "The page is as when it was read."}
        return schema


def _is_list(operation: dict[str, Any]) -> bool:
    json_body = operation["responses"].get("200", {}).get("content", {}).get("application/json")
    return str((json_body or {}).get("schema", {}).get("$ref", "")).endswith("Page")


def _header(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "header",
        "required": False,
        "description": description,
        "schema": {"type": "string"},
    }


_IF_MATCH = _header("If-Match", 'The ETag the item was read with, such as "v3". Without it: 428.')
_IF_NONE_MATCH = _header(
    "If-None-Match", "The ETag a page of the list was read with: 304 while it is unchanged."
)


api = InternkontrollAPI(
    title="Internkontroll API",
    version="1",
    description=DESCRIPTION,
    auth=[TokenAuth(), BrowserSession()],
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
    docs_decorator=require_GET,
)
problems.install(api)
api.add_router("", router)
