"""Values a process keeps between builds (watch mode builds again and again in one), by a
key that says when they still hold, up to a bound: the oldest kept is forgotten first."""

from __future__ import annotations

from typing import TypeVar

Key = TypeVar("Key")
Value = TypeVar("Value")


def remember(kept: dict[Key, Value], key: Key, value: Value, most: int) -> Value:
    """Keep ``value`` in ``kept`` under ``key`` as the newest, forgetting the oldest while
    ``kept`` would hold more than ``most``; returns ``value``."""
    kept.pop(key, None)
    while len(kept) >= most:
        del kept[next(iter(kept))]
    kept[key] = value
    return value
