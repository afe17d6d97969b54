from collections.abc import Iterable


def next_identifier(prefix: str, taken: Iterable[str]) -> str:
    """The first free "<prefix>-<n>": ids of objects made in the app, never typed by users."""
    used = set(taken)
    number = len(used) + 1
    while f"{prefix}-{number}" in used:
        number += 1
    return f"{prefix}-{number}"
