"""A new organisation's first sheet: its YAML, from ``templates/new-sheet.yaml``.

The template is YAML text with comments (every section of a sheet, a
placeholder unit of each kind the organisation fills in, commented examples of
every block type) and ``$name`` fields filled by :class:`string.Template`: the
sheet id, and the organisation's names as double-quoted YAML scalars, so that
any name (a colon, quotes, a ``#``) reads back as it was given. Only the
English side of the placeholders is written: each unit awaits its translation,
so the sheet is a draft that ``check`` reports and a normal build refuses until
it is filled in (``--draft`` builds it with placeholders).
"""

from __future__ import annotations

import re
import string
import unicodedata
from pathlib import Path

from ..errors import TemplateError, UsageError
from .model import SHEET_ID_PATTERN

NEW_SHEET_TEMPLATE = "new-sheet.yaml"
#: Ids whose documents would overwrite another output (``reports/compendium.pdf``).
RESERVED_SHEET_IDS = frozenset({"compendium"})
#: Characters a one-line name cannot hold: controls, line and paragraph separators,
#: lone surrogates and unassigned code points.
_NOT_IN_A_NAME = frozenset({"Cc", "Cs", "Zl", "Zp", "Cn"})


def check_sheet_id(sheet_id: str, sheets_dir: Path, shown_dir: str) -> None:
    """Refuse an id the model would refuse, a reserved one, or one already taken."""
    if not re.fullmatch(SHEET_ID_PATTERN, sheet_id):
        raise UsageError(f"{sheet_id!r} is not a valid sheet id: use lower-case letters, "
                         "digits and '-' (for example central-asia-forum)")
    if sheet_id in RESERVED_SHEET_IDS:
        raise UsageError(f"{sheet_id!r} cannot be a sheet id: its documents would overwrite "
                         f"reports/{sheet_id}.pdf")
    if (sheets_dir / f"{sheet_id}.yaml").exists():
        raise UsageError(f"{shown_dir}/{sheet_id}.yaml already exists; choose another id "
                         "or edit that file")


def check_name(name: str, option: str) -> str:
    """The name without surrounding spaces; refused when empty or not one line of text."""
    name = name.strip()
    if not name:
        raise UsageError(f"{option} is empty; give the organisation's name")
    if any(unicodedata.category(char) in _NOT_IN_A_NAME for char in name):
        raise UsageError(f"{option} must be one line of printable text")
    return name


def yaml_quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar that reads back exactly as ``text``."""
    out = []
    for char in text:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif _plain_in_quotes(char):
            out.append(char)
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(f"\\U{ord(char):08X}")
    return '"' + "".join(out) + '"'


def _plain_in_quotes(char: str) -> bool:
    """Printable in a YAML stream (as PyYAML reads it) and no line break: written as is."""
    code = ord(char)
    return (0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or code >= 0x10000) and char not in "\u2028\u2029\ufeff"


def new_sheet_text(template: str, sheet_id: str, organisation_en: str,
                   organisation_ru: str | None) -> str:
    """The template filled in: ``$id``, ``$organisation_en`` and ``$organisation_ru``
    (a whole ``ru: "…"`` entry, or a comment saying the name awaits its translation)."""
    ru = f"ru: {yaml_quoted(organisation_ru)}" if organisation_ru else \
        "# ru: the name in Russian, awaiting translation"
    try:
        return string.Template(template).substitute(
            id=sheet_id, organisation_en=yaml_quoted(organisation_en), organisation_ru=ru)
    except (KeyError, ValueError) as error:
        raise TemplateError(f"templates/{NEW_SHEET_TEMPLATE}: cannot fill in the template "
                            f"({type(error).__name__}: {error})") from None


def read_template(templates_dir: Path) -> str:
    path = templates_dir / NEW_SHEET_TEMPLATE
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise TemplateError(f"templates/{NEW_SHEET_TEMPLATE}: cannot read: {reason}") from None
