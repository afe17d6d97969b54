"""The person's own API tokens, and the API's documentation, as pages of the application."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from internkontroll.api.actions import create_token, revoke_token
from internkontroll.api.api import api
from internkontroll.api.forms import TokenForm
from internkontroll.api.models import AccessToken

METHODS = ("get", "post", "put", "patch", "delete")
TAGS = {
    "organisation": gettext_lazy("Organisation and settings"),
    "plans": gettext_lazy("Plans and the committee's decisions"),
    "risks": gettext_lazy("Risks and actions"),
    "controls": gettext_lazy("Control activities"),
    "follow-ups": gettext_lazy("Follow-ups"),
    "audits": gettext_lazy("Audits"),
}
PLACES = {
    "path": gettext_lazy("path"),
    "query": gettext_lazy("query"),
    "header": gettext_lazy("header"),
}


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's tokens; a new one is shown once, on the page that made it."""
    form = TokenForm(request.POST or None)
    created = None
    if form.is_valid():
        token, key = create_token(request.user, acting_user=request.user, **form.cleaned_data)
        created = {"token": token, "key": key}
        form = TokenForm()
    context = {
        "form": form,
        "created": created,
        "tokens": AccessToken.objects.filter(user_id=request.user.pk or 0),
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the token's own user revokes it here; anyone else's token is not found."""
    token = get_object_or_404(AccessToken, pk=pk, user_id=request.user.pk or 0)
    revoke_token(token, acting_user=request.user)
    messages.success(request, _("The token was revoked; it no longer works."))
    return redirect("api_pages:tokens")


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    """The operations of the OpenAPI document as a page, served by the application itself."""
    schema = api.get_openapi_schema()
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, operations in schema["paths"].items():
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or [""])[0]
            groups.setdefault(str(TAGS.get(tag, tag)), []).append(
                _operation(path, method, operation, schema)
            )
    return render(request, "api/docs.html", {"schema": schema, "groups": groups})


def _operation(path: str, method: str, operation: dict[str, Any], schema: Any) -> dict[str, Any]:
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    success: dict[str, Any] = next(
        (response for status, response in operation["responses"].items() if status < "300"),
        {},
    )
    returned = success.get("content", {}).get("application/json", {}).get("schema", {})
    return {
        "id": operation.get("operationId", f"{method}-{path}"),
        "method": method.upper(),
        "path": path,
        "parameters": [
            {
                "name": parameter["name"],
                "where": str(PLACES.get(parameter["in"], parameter["in"])),
                "required": parameter.get("required", False),
            }
            for parameter in operation.get("parameters", [])
        ],
        "body": _fields(body.get("schema", {}), schema),
        "returns": _name(returned),
    }


def _name(reference: dict[str, Any]) -> str:
    return reference.get("$ref", "").rsplit("/", 1)[-1]


def _fields(reference: dict[str, Any], schema: Any) -> list[dict[str, Any]]:
    """The fields of a request body's schema: name, whether required, type."""
    name = _name(reference)
    if not name:
        return []
    component = schema["components"]["schemas"][name]
    required = set(component.get("required", []))
    return [
        {"name": field, "required": field in required, "type": _type(spec)}
        for field, spec in component.get("properties", {}).items()
    ]


def _type(spec: dict[str, Any]) -> str:
    if "enum" in spec:
        return " | ".join(str(value) for value in spec["enum"])
    if "anyOf" in spec:
        return " | ".join(_type(option) for option in spec["anyOf"])
    if spec.get("type") == "array":
        return f"[{_type(spec.get('items', {}))}]"
    return str(spec.get("format") or spec.get("type") or _name(spec) or "")
