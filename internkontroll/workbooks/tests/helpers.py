"""Workbooks as a person edits them in Excel, and what uploading one would change."""

from __future__ import annotations

import io
from typing import Any

import openpyxl

from internkontroll.plans.models import ControlPlan
from internkontroll.workbooks.changes import Changeset, changes
from internkontroll.workbooks.layout import vocabulary
from internkontroll.workbooks.reader import read_workbook
from internkontroll.workbooks.writer import workbook_bytes


def download(plan: ControlPlan, *, empty: bool = False, user: Any = None) -> bytes:
    return workbook_bytes(plan, author="Exempelstad", empty=empty, user=user)


def changeset(plan: ControlPlan, content: bytes, *, user: Any = None) -> Changeset:
    words = vocabulary(plan, user=user)
    return changes(plan, read_workbook(io.BytesIO(content), words), words)


def edited(content: bytes, sheet: str, edits: dict[str, Any]) -> bytes:
    """The workbook with cells of one sheet set ({"C2": "Ny rubrik"}), saved as Excel would."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    for reference, value in edits.items():
        book[sheet][reference] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def appended(content: bytes, sheet: str, *rows: list[Any]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(content))
    for row in rows:
        book[sheet].append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def problems(result: Changeset) -> list[str]:
    return [str(problem) for problem in result.problems]


def statuses(result: Changeset) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for change in result.changes:
        found.setdefault(change.kind, {}).setdefault(change.status, 0)
        found[change.kind][change.status] += 1
    return found
