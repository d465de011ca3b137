"""The texts a DOCX was made from, carried inside it in a custom XML part.

The writers put every unit's key, kind and texts (and a review copy's status and
comment) here; the reader compares what a person left in the table with it, to
tell what changed. It survives a LibreOffice re-save byte for byte.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lxml import etree

from ..core.model import Sheet
from ..core.rows import sheet_rows
from .oxml import BASE_NS


@dataclass(frozen=True)
class BaseUnit:
    """A row as the DOCX was made: key, kind and texts, plus review fields if any."""

    key: str
    kind: str
    texts: Mapping[str, str]
    status: str = ""
    comment: str = ""


def sheet_version(sheet: Sheet) -> str:
    """A short digest of every text of the sheet: which version a DOCX was made from."""
    digest = hashlib.sha256()
    for row in sheet_rows(sheet):
        for lang in sheet.languages:
            digest.update(f"{row.key}\0{lang}\0{row.texts.get(lang, '')}\0".encode())
    return digest.hexdigest()[:16]


def base_part(kind: str, sheet: Sheet, units: Iterable[BaseUnit],
              placeholders: Mapping[str, str], lang: str = "") -> bytes:
    """The custom XML part with the texts (and review fields) the DOCX was made from."""
    root = etree.Element(f"{{{BASE_NS}}}briefing", nsmap={None: BASE_NS})  # type: ignore[dict-item]
    root.set("kind", kind)
    root.set("sheet", sheet.id)
    root.set("version", sheet_version(sheet))
    root.set("languages", " ".join(sheet.languages))
    if lang:
        root.set("lang", lang)
    for code, text in placeholders.items():
        etree.SubElement(root, f"{{{BASE_NS}}}placeholder", lang=code).text = text
    for unit in units:
        element = etree.SubElement(root, f"{{{BASE_NS}}}unit", key=unit.key, kind=unit.kind)
        for code, text in unit.texts.items():
            etree.SubElement(element, f"{{{BASE_NS}}}text", lang=code).text = text
        if unit.status or unit.comment:
            element.set("status", unit.status)
            etree.SubElement(element, f"{{{BASE_NS}}}comment").text = unit.comment
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
