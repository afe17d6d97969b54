"""Reading an exchange document from a file part by part, in memory that does not grow with
its plans: the top-level parts whole, the plans one at a time (see importer.py).

Each part is parsed by the same JSON decoder as a whole document (parsing.py's quick way:
duplicate keys, NaN, huge numbers, escaped control characters and the like are not let
through), from a buffer of the file's text that holds little more than the part. Whatever
that quick way is unsure of raises `Unsure`: such a document is then read whole, the way
parsing.py always does, so that it is refused with exactly the problems it has always had.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from internkontroll.exchange.parsing import (
    _ESCAPE,
    _STRING_OR_BRACKET,
    MAX_DEPTH,
    _plain_float,
    _plain_integer,
    _plain_object,
    _Unsure,
    _unsure_constant,
)

# Bytes read at a time; a part larger than the buffer makes it grow (doubling) until it fits.
CHUNK_BYTES = 1 << 20
_WHITESPACE = re.compile(r"[ \t\n\r]*")
# How much of the file's end is looked at for the parts that follow the plans.
TAIL_BYTES = 1 << 20
_KEY = re.compile(r'[,{][ \t\n\r]*"([A-Za-z_]+)"[ \t\n\r]*:')
_DECODER = json.JSONDecoder(
    object_pairs_hook=_plain_object,
    parse_int=_plain_integer,
    parse_float=_plain_float,
    parse_constant=_unsure_constant,
)


class Unsure(Exception):
    """The document needs reading whole: it may have problems to describe, or it is laid out
    in a way this reader leaves to the whole reading (say, not an object at the top)."""


# What `parts` yields: a top-level key and its value; the start of the plans; a plan.
PART, PLANS, PLAN = "part", "plans", "plan"


@dataclass(frozen=True)
class DocumentFile:
    """A document in a file, read when imported (importer.import_document)."""

    path: Path
    max_bytes: int

    def keys_near_the_end(self) -> set[str]:
        """The keys of the objects that start in the file's last TAIL_BYTES (at most its second
        half): a quick guess at which top-level parts follow the plans (a comma or brace and
        then a quote is never inside a text, where a quote is escaped)."""
        with self.path.open("rb") as file:
            length = min(TAIL_BYTES, self.path.stat().st_size // 2)
            file.seek(-length, io.SEEK_END)
            tail = file.read(length).decode("utf-8", errors="ignore")
        return {match[1] for match in _KEY.finditer(tail)}

    def parts(self, *, thorough: bool = False) -> Iterator[tuple[str, Any, Any]]:
        """The document from the start, part by part: (PART, key, value) for each top-level key
        but `plans`; (PLANS, None, None) where the plans start, then (PLAN, index, plan) for
        each. Raises Unsure for anything the quick way of parsing would not accept (`thorough`:
        nor the thorough way, which a document with problems takes), OSError if the file can
        no longer be read."""
        with self.path.open("rb") as file:
            yield from _Reader(file, self.max_bytes, thorough=thorough).document()


class _Reader:
    def __init__(self, file: BinaryIO, max_bytes: int, *, thorough: bool) -> None:
        self.file = file
        # The nesting the thorough way allows, when it matters: a value inside the top-level
        # object is at depth 1, and may nest MAX_DEPTH - 1 levels deep.
        self.max_depth = MAX_DEPTH if thorough else None
        self.left = max_bytes + 1  # a file grown past the limit is read whole, and refused
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buffer = ""
        self.position = 0
        self.ended = False
        self.started = False
        # The size of the last value: the next (a plan after a plan) is likely as large, and
        # is parsed once when the buffer holds that much, not first in part and then again.
        self.expected = 0

    def document(self) -> Iterator[tuple[str, Any, Any]]:
        self._expect("{")
        keys: set[str] = set()
        if self._peek() == "}":
            raise Unsure  # no format: the whole reading says so
        while True:
            if self._peek() != '"':
                raise Unsure
            key = self._value()
            if key in keys:
                raise Unsure
            keys.add(key)
            self._expect(":")
            if key == "plans" and self._peek() == "[":
                self.position += 1
                yield PLANS, None, None
                yield from self._plans(depth=2)
            else:
                yield PART, key, self._value()
            if self._peek() == ",":
                self.position += 1
                continue
            self._expect("}")
            break
        if self._peek() != "":
            raise Unsure  # more after the document

    def _plans(self, depth: int) -> Iterator[tuple[str, Any, Any]]:
        if self._peek() == "]":
            self.position += 1
            return
        index = 0
        while True:
            yield PLAN, index, self._value(depth)
            index += 1
            if self._peek() == ",":
                self.position += 1
                continue
            self._expect("]")
            return

    # Reading ----------------------------------------------------------------------------

    def _more(self) -> bool:
        """Read on, so that the buffer holds at least twice what is left of it; False at the
        end of the file."""
        if self.ended:
            return False
        wanted = max(CHUNK_BYTES, 2 * (len(self.buffer) - self.position))
        raw = self.file.read(min(wanted, self.left))
        self.left -= len(raw)
        try:
            text = self.decoder.decode(raw, final=not raw)
        except UnicodeDecodeError:
            raise Unsure from None
        if not raw:
            self.ended = True
            if self.left <= 0:
                raise Unsure  # too large: the whole reading refuses it
        if not self.started and text:
            self.started = True
            text = text.removeprefix("\ufeff")  # a second one, as parsing.parse_text allows
        self.buffer = self.buffer[self.position :] + text
        self.position = 0
        return True

    def _peek(self) -> str:
        """The next character that is not white space ("" at the end), not consumed."""
        while True:
            self.position = _WHITESPACE.match(self.buffer, self.position).end()  # type: ignore[union-attr]
            if self.position < len(self.buffer):
                return self.buffer[self.position]
            if not self._more():
                return ""

    def _expect(self, character: str) -> None:
        if self._peek() != character:
            raise Unsure
        self.position += 1

    def _value(self, depth: int = 1) -> Any:
        """The JSON value that starts here (at `depth`), parsed whole, once the buffer holds all
        of it."""
        self._peek()
        while len(self.buffer) - self.position < self.expected and self._more():
            pass
        while True:
            start = self.position
            try:
                value, end = _DECODER.raw_decode(self.buffer, start)
            except json.JSONDecodeError:
                end = None
            except (_Unsure, ValueError, RecursionError):
                raise Unsure from None
            # A value that ends with the buffer may go on in the file (a number, say).
            if end is not None and (end < len(self.buffer) or self.ended):
                if self.buffer.find("\\u", start, end) >= 0 and _ESCAPE.search(
                    self.buffer, start, end
                ):
                    raise Unsure
                if self.max_depth is not None and (
                    _nesting(self.buffer, start, end) > self.max_depth - depth
                ):
                    raise Unsure  # the thorough way refuses it as too deep
                self.position = end
                self.expected = end - start
                return value
            if not self._more():
                raise Unsure


def _nesting(text: str, start: int, end: int) -> int:
    """How deep the value in text[start:end] nests, counted as parsing.py counts it."""
    depth = deepest = 0
    for match in _STRING_OR_BRACKET.finditer(text, start, end):
        symbol = match.group()
        if symbol in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif symbol in "]}":
            depth -= 1
    return deepest
