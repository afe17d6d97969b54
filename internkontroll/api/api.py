"""The REST API: one NinjaAPI over the read and write modules, at /api/."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from ninja import NinjaAPI

# Importing the read and write modules registers their operations on the router.
from internkontroll.api import problems, reads, writes  # noqa: F401
from internkontroll.api.auth import BrowserSession, TokenAuth
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
        return schema


_IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": 'The ETag the item was read with, such as "v3". Without it: 428.',
    "schema": {"type": "string"},
}


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
