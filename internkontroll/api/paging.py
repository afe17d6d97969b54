"""Cursor pagination: pages by id, so a page never shifts when rows are added before it."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import create_model

from internkontroll.api.problems import Problem

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


def encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _colon, value = text.partition(":")
        if kind != "id" or not value.isdecimal():
            raise ValueError(cursor)
        return int(value)
    except (ValueError, UnicodeDecodeError):
        raise Problem(
            400,
            _("The cursor is not one this API gave; start again without a cursor."),
            [{"field": "query.cursor", "message": _("Unknown cursor.")}],
        ) from None


def page(
    queryset: QuerySet[Any],
    cursor: str | None,
    limit: int,
    serialize: Callable[[list[Any]], list[dict[str, Any]]],
) -> dict[str, Any]:
    """One page of the rows after the cursor, by id, with the cursor of the next page."""
    if cursor:
        queryset = queryset.filter(pk__gt=decode(cursor))
    rows = list(queryset.order_by("pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": serialize(rows),
        "next_cursor": encode(rows[-1].pk) if more else None,
    }


_pages: dict[type[Schema], type[Schema]] = {}


def page_of(item: type[Schema]) -> type[Schema]:
    """The response schema of a list of `item`: {items, next_cursor}."""
    if item not in _pages:
        _pages[item] = create_model(
            f"{item.__name__.removesuffix('Out')}Page",
            __base__=Schema,
            items=(list[item], ...),  # type: ignore[valid-type]
            next_cursor=(str | None, None),
        )
    return _pages[item]
