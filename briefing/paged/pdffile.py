"""PDF files as pikepdf reads them, without WeasyPrint: their structure elements, page
count and attached files. What joins, stamps and counts laid-out pieces needs, so that a
build assembling documents from kept pieces loads no layout engine."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pikepdf

from ..core.files import FIXED_DATE


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    description: str


def attach(document: pikepdf.Pdf, attachments: Sequence[Attachment]) -> None:
    """Embed each file as WeasyPrint does for PDF/A-3: an associated file (``/AF``) of the
    document, its relationship ``/Source``, with its size, MD5 and fixed dates."""
    if not attachments:
        return
    date = pikepdf.String(FIXED_DATE.strftime("D:%Y%m%d%H%M%SZ"))
    names = pikepdf.NameTree.new(document)
    associated = pikepdf.Array()
    for item in attachments:
        stream = pikepdf.Stream(document, item.content)
        stream.Type = pikepdf.Name.EmbeddedFile
        stream.Subtype = pikepdf.Name("/application/octet-stream")
        stream.Params = pikepdf.Dictionary(
            CheckSum=pikepdf.String(hashlib.md5(item.content, usedforsecurity=False).digest()),
            Size=len(item.content), CreationDate=date, ModDate=date)
        spec = document.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Filespec, F=pikepdf.String(item.name),
            UF=pikepdf.String(item.name), Desc=pikepdf.String(item.description),
            EF=pikepdf.Dictionary(F=document.make_indirect(stream)),
            AFRelationship=pikepdf.Name.Source))
        names[item.name] = spec
        associated.append(spec)
    if "/Names" not in document.Root:
        document.Root.Names = pikepdf.Dictionary()
    document.Root.Names.EmbeddedFiles = names.obj
    document.Root.AF = associated


def page_count(content: bytes) -> int:
    """The number of pages of a PDF."""
    with pikepdf.open(io.BytesIO(content)) as document:
        return len(document.pages)


def struct_kids(element: Any) -> list[Any]:
    """The structure elements directly below ``element`` (marked content skipped)."""
    kids = element.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [kid for kid in items if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


def struct_elements(root: Any) -> Iterator[Any]:
    """Every structure element below ``root``, in document order."""
    stack = list(reversed(struct_kids(root)))
    while stack:
        element = stack.pop()
        yield element
        stack.extend(reversed(struct_kids(element)))
