"""Reading a tagged PDF's structure tree as a screen reader would: what each mark is
part of, in which language, and whether the tree holds together."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf

from briefing.paged.pdffile import struct_elements


def elements(pdf: pikepdf.Pdf) -> list[Any]:
    """Every structure element of the document, in document (reading) order."""
    return list(struct_elements(pdf.Root.StructTreeRoot))


def effective_lang(element: Any, default: str) -> str:
    """The language an element is read in: its own ``/Lang`` or its nearest ancestor's."""
    node = element
    while isinstance(node, pikepdf.Dictionary) and node.get("/Type") != "/StructTreeRoot":
        if "/Lang" in node:
            return str(node.Lang)
        node = node.get("/P")
    return default


def ancestors(element: Any) -> Iterator[Any]:
    node = element.get("/P")
    while isinstance(node, pikepdf.Dictionary) and node.get("/Type") != "/StructTreeRoot":
        yield node
        node = node.get("/P")


def heading_levels(pdf: pikepdf.Pdf) -> list[int]:
    """The level of every ``/H1`` … ``/H6``, in reading order."""
    return [int(str(e.S)[2:]) for e in elements(pdf)
            if str(e.S) in {f"/H{n}" for n in range(1, 7)}]


def skipped_levels(levels: list[int]) -> list[tuple[int, int]]:
    """Each place where a heading goes more than one level deeper than the one before
    (the first must be an H1)."""
    previous = 0
    skips = []
    for level in levels:
        if level > previous + 1:
            skips.append((previous, level))
        previous = level
    return skips


def _mcids(kids: Any) -> list[int]:
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [int(k) for k in items if isinstance(k, int) and not isinstance(k, bool)]


def tree_problems(pdf: pikepdf.Pdf) -> list[str]:
    """What does not hold together: marked content, annotations, pages and IDs against
    the structure tree (an empty list when all is well)."""
    problems = []
    root = pdf.Root.StructTreeRoot
    reachable = {element.objgen for element in elements(pdf)}
    parent_tree = dict(pikepdf.NumberTree(root.ParentTree).items())
    pages = {page.objgen for page in pdf.pages}
    for number, page in enumerate(pdf.pages, start=1):
        key = page.obj.get("/StructParents")
        parents = parent_tree.get(int(key)) if key is not None else None
        for instruction in pikepdf.parse_content_stream(page):
            operands = instruction.operands
            if str(instruction.operator) != "BDC" or len(operands) != 2:
                continue
            if not isinstance(operands[1], pikepdf.Dictionary) or "/MCID" not in operands[1]:
                continue
            mcid = int(operands[1].MCID)
            if str(operands[0]) == "/Artifact":
                problems.append(f"page {number}: artifact with MCID {mcid}")
                continue
            owner = parents[mcid] if parents is not None and mcid < len(parents) else None
            if not isinstance(owner, pikepdf.Dictionary):
                problems.append(f"page {number}: MCID {mcid} has no element")
            elif owner.objgen not in reachable:
                problems.append(f"page {number}: MCID {mcid}'s element is outside the tree")
            elif owner.Pg.objgen != page.objgen or mcid not in _mcids(owner.K):
                problems.append(f"page {number}: MCID {mcid} and its element disagree")
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" not in annotation:
                problems.append(f"page {number}: annotation without a structure parent")
                continue
            owner = parent_tree.get(int(annotation.StructParent))
            refs = [k for k in struct_kids_and_refs(owner) if k.get("/Type") == "/OBJR"]
            if not any(ref.Obj.objgen == annotation.objgen for ref in refs):
                problems.append(f"page {number}: annotation's element does not point at it")
    ids = dict(pikepdf.NameTree(root.IDTree).items()) if "/IDTree" in root else {}
    for element in elements(pdf):
        if "/Pg" in element and element.Pg.objgen not in pages:
            problems.append(f"{element.S}: /Pg outside the document")
        if "/ID" in element and str(element.ID) not in ids:
            problems.append(f"{element.S}: ID {element.ID} not in the ID tree")
        attributes = element.get("/A")
        if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
            for header in attributes.Headers:
                if str(header) not in ids:
                    problems.append(f"{element.S}: header {header} resolves to nothing")
    keys = [int(key) for key in parent_tree]
    if keys and int(root.get("/ParentTreeNextKey", 0)) <= max(keys):
        problems.append("ParentTreeNextKey is not past the last key")
    roots = sum(1 for o in pdf.objects
                if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/StructTreeRoot")
    if roots != 1:
        problems.append(f"{roots} structure tree roots")
    return problems


def struct_kids_and_refs(element: Any) -> list[Any]:
    """The dictionaries below ``element``: structure elements and object references."""
    if not isinstance(element, pikepdf.Dictionary):
        return []
    kids = element.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [kid for kid in items if isinstance(kid, pikepdf.Dictionary)]


@dataclass(frozen=True)
class Mark:
    """One character as a screen reader meets it: where it is and what reads it out."""

    page: int
    text: str
    x0: float
    x1: float
    top: float
    role: str  # of the structure element that owns it; "" for an artifact
    within: tuple[str, ...]  # the roles of that element's ancestors, nearest first
    lang: str  # the language it is read in; "" for an artifact


def marks(path: Path, pages: Sequence[int] | None = None) -> list[Mark]:
    """Every character of the PDF (or of the ``pages``, numbered from 1) with the element
    its marked content belongs to. (pdfplumber takes about 0.2 s a page.)"""
    found = []
    chosen = list(pages) if pages is not None else None
    with pikepdf.open(path) as pdf, pdfplumber.open(path, pages=chosen) as document:
        default = str(pdf.Root.get("/Lang", ""))
        parent_tree = dict(pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree).items())
        for plumbed in document.pages:
            number = plumbed.page_number - 1
            page = pdf.pages[number]
            key = page.obj.get("/StructParents")
            owners = list(parent_tree[int(key)]) if key is not None else []
            for char in plumbed.chars:
                mcid = char.get("mcid")
                element = owners[mcid] if mcid is not None and mcid < len(owners) else None
                role, lang = "", ""
                within: tuple[str, ...] = ()
                if element is not None:
                    role = str(element.S)
                    within = tuple(str(a.S) for a in ancestors(element))
                    lang = effective_lang(element, default)
                found.append(Mark(number + 1, char["text"], char["x0"], char["x1"],
                                  char["top"], role, within, lang))
    return found
