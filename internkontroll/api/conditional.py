"""ETag on answers, If-Match on writes (optimistic locking over the rows' versions) and
If-None-Match on lists."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from internkontroll.api.problems import Problem

TAG = re.compile(r'^"v(\d{1,9})"$')


def version_etag(version: int) -> str:
    return f'"v{version}"'


def content_etag(content: bytes) -> str:
    return '"h' + hashlib.sha256(content).hexdigest()[:32] + '"'


def etag_of(data: Any, content: bytes) -> str | None:
    """A versioned row is tagged by its version (what If-Match checks); a list's page weakly by
    the bytes sent (hashing them costs a fraction of rendering them); anything else by them."""
    if not isinstance(data, dict):
        return None
    if "items" in data and "next_cursor" in data:
        return "W/" + content_etag(content)
    version = data.get("version")
    return version_etag(version) if isinstance(version, int) else content_etag(content)


def unchanged(request: HttpRequest, etag: str) -> bool:
    """If-None-Match names the page's tag (compared weakly, as for every GET)."""
    header = request.headers.get("If-None-Match", "").strip()
    if not header or request.method not in ("GET", "HEAD"):
        return False
    opaque = etag.removeprefix("W/")
    return header == "*" or any(
        candidate.strip().removeprefix("W/") == opaque for candidate in header.split(",")
    )


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
