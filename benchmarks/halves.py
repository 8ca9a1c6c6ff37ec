"""Halves of an evaluation corpus: the first is read to find errors, the second is held out."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def half_of(items: list[T], half: int | None) -> list[T]:
    """The first (``half=1``) or second (``half=2``) half of ``items``; all of them for ``None``."""
    if half is None:
        return items
    middle = len(items) // 2
    return items[:middle] if half == 1 else items[middle:]
