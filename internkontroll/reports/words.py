"""Numbers written out as words, the way the committees' documents write them."""

from __future__ import annotations

from django.utils.translation import get_language

SWEDISH = (
    "inga", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv",
)  # fmt: skip
SWEDISH_NEUTER_ONE = "ett"
ENGLISH = (
    "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve",
)  # fmt: skip
LARGEST_WRITTEN = 12


def number_word(count: int, *, neuter: bool = False) -> str:
    """`count` in words up to twelve in the active language (Swedish by default), else digits."""
    if not 0 <= count <= LARGEST_WRITTEN:
        return str(count)
    if (get_language() or "sv").startswith("en"):
        return ENGLISH[count]
    if count == 1 and neuter:
        return SWEDISH_NEUTER_ONE
    return SWEDISH[count]


def sentence(text: str) -> str:
    """Capitalise the first letter, leaving the rest as written."""
    return text[:1].upper() + text[1:]
