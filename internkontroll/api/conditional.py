"""ETag on reads, If-Match on writes: optimistic locking over the rows' versions."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from internkontroll.api.problems import Problem

TAG = re.compile(r'^"v(\d{1,9})"$')


def version_etag(version: int) -> str:
    return f'"v{version}"'


def content_etag(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return '"h' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def set_etag(response: HttpResponse, data: dict[str, Any]) -> None:
    """A versioned row is tagged by its version (what If-Match checks), the rest by content."""
    version = data.get("version")
    response["ETag"] = version_etag(version) if isinstance(version, int) else content_etag(data)


def required_version(request: HttpRequest) -> int:
    """The version If-Match names: 428 without one, 412 when it names no version of a row."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise Problem(
            428,
            _(
                "A change needs the If-Match header with the ETag you read the item with, "
                'such as If-Match: "v3".'
            ),
        )
    match = TAG.match(header)
    if match is None:
        raise Problem(
            412,
            _("If-Match names no version of this item. Read the item again and send its ETag."),
        )
    return int(match.group(1))
