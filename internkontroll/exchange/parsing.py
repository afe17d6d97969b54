"""Turning the bytes of an exchange document into Python values, refusing what JSON lets through.

Every refusal is a Problem (by JSON path, or by line and column where no path is known yet),
and nothing here can recurse deeply, run long or print a traceback, whatever the input.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from internkontroll.exchange.validation import (
    MAX_PROBLEMS,
    Problem,
    _format_path,
    more_problems,
    schema_accepts,
)

MAX_DEPTH = 64
MAX_DIGITS = 30

# A string (closed or running to the end of the text) or a bracket; strings hide their brackets.
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.DOTALL)
# C0 controls except tab, line feed and carriage return, which multi-line texts need; surrogates.
_FORBIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")

JsonPath = tuple[str | int, ...]


class MalformedDocument(Exception):
    """The text is no acceptable document; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def decode(raw: bytes) -> str:
    """UTF-8 bytes, with or without a byte order mark, as text: strict decoding lets no
    surrogate through (parse it with `raw_surrogates=False`)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = _("The file is not UTF-8 text (byte %(position)s).") % {"position": error.start}
        raise MalformedDocument([Problem("", message)]) from None


def parse_text(text: str, *, raw_surrogates: bool = True) -> Any:
    """A document from JSON text; duplicate keys, NaN, huge numbers and odd characters refused.

    `raw_surrogates=False` says the text is known to hold none unescaped (it was decoded)."""
    text = text.removeprefix("\ufeff")
    document = _parse_plain(text, raw_surrogates=raw_surrogates)
    if document is not _UNSURE:
        return document
    if not text.strip():
        raise MalformedDocument([Problem("", _("The file is empty; it contains no JSON."))])
    _check_depth(text)
    try:
        document = json.loads(
            text,
            object_pairs_hook=_object,
            parse_int=_integer,
            parse_float=_float,
            parse_constant=_Refused.constant,
        )
    except json.JSONDecodeError as error:
        message = _(
            "The file is not valid JSON: %(reason)s on line %(line)s, column %(column)s."
        ) % {"reason": _reason(error.msg), "line": error.lineno, "column": error.colno}
        raise MalformedDocument([Problem("", message)]) from None
    problems = _problems(document)
    if problems:
        raise MalformedDocument(problems)
    return document


# The fast way: a document the schema accepts, with nothing a check below would refuse


_UNSURE = object()
# An escaped control character or surrogate; a raw one the JSON parser refuses by itself.
_ESCAPE = re.compile(r"\\u(?:00[01][0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2})")
_SURROGATE = re.compile("[\ud800-\udfff]")


class _Unsure(Exception):
    """Something the thorough path below must look at and describe."""


def _plain_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Unsure
    return result


def _plain_integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Unsure
    return int(text)


def _plain_float(text: str) -> float:
    value = float(text)
    if len(text) > MAX_DIGITS or not math.isfinite(value):
        raise _Unsure
    return value


def _unsure_constant(text: str) -> Any:
    raise _Unsure


def _parse_plain(text: str, *, raw_surrogates: bool = True) -> Any:
    """The document, if one quick parse shows it needs none of the checks below; else _UNSURE.

    A document the schema accepts is at most a few levels deep, so the nesting needs no count.
    """
    if "\\u" in text and _ESCAPE.search(text):
        return _UNSURE
    if raw_surrogates and not text.isascii() and _SURROGATE.search(text):
        return _UNSURE
    try:
        document = json.loads(
            text,
            object_pairs_hook=_plain_object,
            parse_int=_plain_integer,
            parse_float=_plain_float,
            parse_constant=_unsure_constant,
        )
    except (_Unsure, ValueError, RecursionError):
        return _UNSURE
    return document if schema_accepts(document) else _UNSURE


# Before parsing: nesting, found without recursion


def _check_depth(text: str) -> None:
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        symbol = match.group()
        if symbol in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise MalformedDocument([_too_deep(text, match.start())])
        elif symbol in "]}":
            depth -= 1


def _too_deep(text: str, position: int) -> Problem:
    line, column = _line_and_column(text, position)
    message = _(
        "The document is nested more than %(max)s levels deep (line %(line)s, column %(column)s)."
    ) % {"max": MAX_DEPTH, "line": line, "column": column}
    return Problem("", message)


def _line_and_column(text: str, position: int) -> tuple[int, int]:
    return text.count("\n", 0, position) + 1, position - text.rfind("\n", 0, position)


_REASONS = {
    "Expecting value": gettext_lazy("a value is missing or is not a JSON value"),
    "Expecting ',' delimiter": gettext_lazy("a comma is missing"),
    "Expecting ':' delimiter": gettext_lazy("a colon is missing after a key"),
    "Expecting property name enclosed in double quotes": gettext_lazy(
        "a key in double quotes was expected (is there a comma too many?)"
    ),
    "Unterminated string starting at": gettext_lazy("a text is not closed with a double quote"),
    "Invalid control character at": gettext_lazy(
        "a text contains a control character (such as a line break) that is not escaped"
    ),
    "Invalid \\escape": gettext_lazy("a text contains an invalid escape with a backslash"),
    "Invalid \\uXXXX escape": gettext_lazy("a text contains an invalid \\u escape"),
    "Extra data": gettext_lazy("there is more after the end of the document"),
    "Illegal trailing comma before end of object": gettext_lazy("a comma too many before the }"),
    "Illegal trailing comma before end of array": gettext_lazy("a comma too many before the ]"),
}


def _reason(message: str) -> str:
    """The JSON parser's reason in the reader's language; the parser's own words if unknown."""
    reason = _REASONS.get(message)
    return str(reason) if reason is not None else message


# While parsing: values that are refused are kept as markers, so they can be found by path


class _Refused:
    def __init__(self, message: str) -> None:
        self.message = message

    @classmethod
    def constant(cls, text: str) -> _Refused:
        return cls(
            _("%(value)s is not allowed in a document; write a number instead.") % {"value": text}
        )

    @classmethod
    def too_long(cls, text: str) -> _Refused:
        digits = sum(character.isdigit() for character in text)
        return cls(
            _("The number %(start)s… has %(count)s digits; at most %(max)s are allowed.")
            % {"start": text[:12], "count": digits, "max": MAX_DIGITS}
        )


class _RepeatedKeys(dict[str, Any]):
    """An object in which some key appeared more than once."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        seen: set[str] = set()
        self.repeated: dict[str, None] = {}  # an ordered set
        for key, _value in pairs:
            if key in seen:
                self.repeated[key] = None
            seen.add(key)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    return result if len(result) == len(pairs) else _RepeatedKeys(pairs)


def _integer(text: str) -> int | _Refused:
    if len(text.lstrip("-")) > MAX_DIGITS:
        return _Refused.too_long(text)
    return int(text)


def _float(text: str) -> float | _Refused:
    if sum(character.isdigit() for character in text) > MAX_DIGITS:
        return _Refused.too_long(text)
    value = float(text)
    if not math.isfinite(value):
        return _Refused(_("The number %(value)s is too large.") % {"value": text[: MAX_DIGITS + 2]})
    return value


# After parsing: one pass in document order, without recursion


def _problems(document: Any) -> list[Problem]:
    problems: list[Problem] = []
    found = 0
    for path, message in _findings(document):
        found += 1
        if found <= MAX_PROBLEMS:
            problems.append(Problem(_printable(_format_path(path)), message))
    if found > MAX_PROBLEMS:
        problems.append(more_problems(found - MAX_PROBLEMS))
    return problems


def _findings(document: Any) -> Iterator[tuple[JsonPath, str]]:
    stack: list[tuple[JsonPath, Any]] = [((), document)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, _Refused):
            yield path, value.message
        elif isinstance(value, str):
            message = _character_problem(value, in_key=False)
            if message:
                yield path, message
        elif isinstance(value, dict):
            for key in getattr(value, "repeated", []):
                message = _(
                    'The key "%(key)s" appears more than once in the same object; '
                    "each key may appear only once."
                ) % {"key": _printable(key)}
                yield (*path, key), message
            for key in value:
                message = _character_problem(key, in_key=True)
                if message:
                    yield (*path, key), message
            stack.extend(((*path, key), item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*path, index), item) for index, item in reversed(list(enumerate(value))))


def _character_problem(text: str, *, in_key: bool) -> str | None:
    match = _FORBIDDEN_CHARACTER.search(text)
    if match is None:
        return None
    character = match.group()
    params = {"code": f"U+{ord(character):04X}", "position": match.start() + 1}
    if "\ud800" <= character <= "\udfff":
        if in_key:
            return _("The key contains half of a surrogate pair (%(code)s), not a character.") % (
                params
            )
        return (
            _(
                "The text contains half of a surrogate pair (%(code)s) at character %(position)s, "
                "not a character."
            )
            % params
        )
    if in_key:
        return _("The key contains the control character %(code)s, which is not allowed.") % (
            params
        )
    return (
        _(
            "The text contains the control character %(code)s at character %(position)s; "
            "control characters other than tab and line break are not allowed."
        )
        % params
    )


def _printable(text: str) -> str:
    """Text that can be printed: control characters and lone surrogates written as escapes."""
    if not _FORBIDDEN_CHARACTER.search(text):
        return text
    return _FORBIDDEN_CHARACTER.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
