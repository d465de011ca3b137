"""A document's content as format-neutral rows: the same unit in each language.

The paged layer lays the rows out as an HTML table, the Word layer as a DOCX
table, and the DOCX reader maps table rows back onto them; all three take the
order and the grouping from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .model import CONTACT_PLAIN_FIELDS, Contact, Sheet, Unit

#: Unit kinds that must stay on the page of the row that follows them.
_GLUED_TO_NEXT = frozenset({"document-title", "organisation", "heading", "title", "subheading"})
_CONTACT_KINDS = frozenset({"contact-field", "contact-plain"})


@dataclass(frozen=True)
class Row:
    """One line of the two-column table: the same unit in each language."""

    key: str
    kind: str
    texts: Mapping[str, str]
    field: str = ""

    def text(self, lang: str) -> str | None:
        return self.texts.get(lang) or None


@dataclass(frozen=True)
class RowGroup:
    """Rows laid out together; ``keep`` ones are never split by a page."""

    rows: tuple[Row, ...]
    keep: bool


def sheet_rows(sheet: Sheet) -> list[Row]:
    """The rows of a sheet, in reading order; each contact field is a row of its own."""
    rows: list[Row] = []
    units = list(sheet.units())
    for index, unit in enumerate(units):
        rows.append(Row(unit.key, unit.kind, unit.texts, _field_name(unit)))
        following = units[index + 1].source if index + 1 < len(units) else None
        if isinstance(unit.source, Contact) and following is not unit.source:
            rows.extend(_plain_contact_rows(unit.source, sheet.languages))
    return rows


def _plain_contact_rows(contact: Contact, languages: Iterable[str]) -> list[Row]:
    return [
        Row(f"{contact.key}.{name}", "contact-plain", dict.fromkeys(languages, value), name)
        for name in CONTACT_PLAIN_FIELDS
        if (value := getattr(contact, name))
    ]


def group_rows(rows: Sequence[Row]) -> list[RowGroup]:
    """Glue each heading to the row after it, and a contact block's rows together."""
    groups: list[RowGroup] = []
    pending: list[Row] = []
    for index, row in enumerate(rows):
        pending.append(row)
        following = rows[index + 1] if index + 1 < len(rows) else None
        if row.kind in _GLUED_TO_NEXT and following is not None:
            continue
        if row.kind in _CONTACT_KINDS and following is not None \
                and following.kind in _CONTACT_KINDS:
            continue
        groups.append(RowGroup(tuple(pending), keep=len(pending) > 1))
        pending = []
    return groups


def _field_name(unit: Unit) -> str:
    return unit.key.rsplit(".", 1)[-1] if unit.kind == "contact-field" else ""
