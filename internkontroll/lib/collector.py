"""Python's cycle collector paused around work that makes millions of objects at once."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block, and back on after it (failure or not)
    unless it was off before. An import's parsed document or WeasyPrint's boxes are millions
    of objects, none of them garbage until the end, that each full collection walks again:
    a third of a large document's parsing, a ninth of a 60-page PDF's layout. Memory freed by
    reference counting is freed as ever; the cycles are collected afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
