"""E-mail addresses, URLs and telephone numbers are never translated: both texts hold the same."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..core.model import Unit
from .base import EMAIL, PHONE, URL, Hit, Rule, SheetContext, reading_text

IDENTIFIER_MISMATCH = Rule("identifier-mismatch", "warning",
                           "an e-mail address, URL or telephone number differs between the texts")
RULES = (IDENTIFIER_MISMATCH,)

_KINDS = (("e-mail address", EMAIL), ("URL", URL), ("telephone number", PHONE))


def check(unit: Unit, context: SheetContext) -> Iterator[Hit]:
    first, second = context.languages
    left, right = unit.text(first), unit.text(second)
    if not (left and right):
        return
    for kind, pattern in _KINDS:
        left_found = _identifiers(pattern, reading_text(left), kind)
        right_found = _identifiers(pattern, reading_text(right), kind)
        only_left = [shown for key, shown in left_found.items() if key not in right_found]
        only_right = [shown for key, shown in right_found.items() if key not in left_found]
        if only_left and only_right:
            yield Hit(unit, second, IDENTIFIER_MISMATCH.id,
                      f"{kind} {', '.join(only_left)} in {first} differs from "
                      f"{', '.join(only_right)} in {second}")
            continue
        for shown in only_left:
            yield Hit(unit, second, IDENTIFIER_MISMATCH.id,
                      f"{kind} {shown} in {first} is not in {second}")
        for shown in only_right:
            yield Hit(unit, first, IDENTIFIER_MISMATCH.id,
                      f"{kind} {shown} in {second} is not in {first}")


def _identifiers(pattern: re.Pattern[str], text: str, kind: str) -> dict[str, str]:
    """Normalised form → the form printed; case and a final slash do not matter."""
    if pattern is not EMAIL:
        text = EMAIL.sub(lambda match: " " * len(match.group()), text)
    found: dict[str, str] = {}
    for match in pattern.finditer(text):
        shown = match.group()
        key = re.sub(r"\D", "", shown) if kind == "telephone number" \
            else shown.lower().rstrip("/")
        found.setdefault(key, shown)
    return found
