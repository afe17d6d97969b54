"""A column's identity computed directly instead of through `inspect`.

Django compares and hashes ORM expressions by their `identity`: the class and the arguments it
was made with, bound to its constructor's signature with `inspect.Signature.bind_partial`. A
query that is ordered hashes every column it selects (the compiler maps each selected
expression to its position, to order by position where it can), and every query makes its
columns anew, so each of them goes through `inspect` once per query: a risk read with its
related rows selects about 40 columns. Counted with callgrind over benchmarks/load.py's mix of
pages, that was 2.3 % of all the instructions a request took (Django ticket #34631 describes the
same cost).

`Col` takes three arguments, so its identity can be written out: the same tuple, built
without `inspect`. `install()` sets it on `Col`; a test compares it with Django's own for the
columns of every model, so that a Django whose `Col` takes other arguments fails it instead
of comparing columns wrongly.
"""

from __future__ import annotations

from typing import Any

from django.db.models.expressions import Col
from django.utils.functional import cached_property

# Col.__init__(self, alias, target, output_field=None), in its order.
COLUMN_ARGUMENTS = ("alias", "target", "output_field")


def column_identity(column: Col) -> tuple[Any, ...]:
    """What `Expression.identity` gives for a `Col`: its class and its arguments, defaults
    filled in, each made hashable as Django makes it."""
    args, kwargs = column._constructor_args  # type: ignore[attr-defined]
    given = dict(zip(COLUMN_ARGUMENTS, args, strict=False), **kwargs)
    return (
        column.__class__,
        *((name, Col._identity(given.get(name))) for name in COLUMN_ARGUMENTS),  # type: ignore[attr-defined]
    )


def install() -> None:
    """Give `Col` the direct identity (once per process; the app's `ready` calls it)."""
    if getattr(Col.__dict__.get("identity"), "func", None) is column_identity:
        return
    identity = cached_property(column_identity)
    identity.__set_name__(Col, "identity")
    Col.identity = identity  # type: ignore[assignment]
