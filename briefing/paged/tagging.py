"""PDF/UA-1 on top of WeasyPrint 70's tagged PDF.

WeasyPrint tags a PDF from the HTML (``pdf_tags=True``) but leaves out what
PDF/UA-1 asks of the documents made here. Two stages add it:

:func:`html_semantics` (while WeasyPrint builds its structure tree) carries over
what the HTML says and WeasyPrint ignores:

- each element's language: an element whose ``lang`` differs from its parent's
  gets ``/Lang``, so every right-hand cell reads as Russian;
- a header cell's ``scope``: ``/Scope /Column`` or ``/Row`` on every ``/TH``;
- a table marked ``role="presentation"`` only lays out a page: it becomes
  ``/Div`` (rows and cells too), not a data table without headers;
- a link's text as its annotation's ``/Contents`` (WeasyPrint writes the target's
  fragment name there).

:func:`make_accessible` (on the written PDF, with pikepdf):

- running headers and footers (the page margin boxes) become pagination
  artifacts: WeasyPrint marks them as content of structure elements that are in
  no tree, since ``/Artifact`` in a tree needs PDF 2.0;
- an ``/IDTree``, so that the header cells' IDs in the data cells' ``/Headers``
  resolve;
- the PDF/UA-1 identification in the XMP metadata (``pdfuaid:part``) next to
  PDF/A-3b's, with the PDF/A extension schema that declares it.

Figures take their alternative text from an SVG's ``<title>`` (WeasyPrint's own).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pikepdf
import pydyf  # type: ignore[import-untyped]
from lxml import etree

from ..errors import RenderError
from .pdffile import struct_elements
from .weasy import AbsolutePlaceholder, boxes, weasyprint, weasyprint_tags

#: Structure types of a table and its parts (ISO 32000-1, 14.8.4.3.4).
TABLE_PARTS = frozenset({"/Table", "/THead", "/TBody", "/TFoot", "/TR", "/TH", "/TD"})
#: ``role`` values that say a table only lays out its content (WAI-ARIA).
LAYOUT_ROLES = frozenset({"presentation", "none"})

BuildBoxTree = Callable[..., Iterator[Any]]


#: One document at a time swaps WeasyPrint's function (the build renders in processes).
_SWAP = threading.Lock()


@contextmanager
def html_semantics() -> Iterator[None]:
    """While active, WeasyPrint's structure tree carries the HTML's languages, header
    scopes, layout tables and link texts (see the module's description).

    It wraps WeasyPrint 70's ``weasyprint.pdf.tags._build_box_tree``; a WeasyPrint
    without it is refused rather than given a PDF/UA claim it does not earn.
    """
    original = getattr(weasyprint_tags, "_build_box_tree", None)
    if not callable(original):
        raise RenderError(f"WeasyPrint {weasyprint.__version__} builds its tags in another "
                          "way than WeasyPrint 70, which briefing's tagging extends")
    with _SWAP:
        weasyprint_tags._build_box_tree = _SemanticTree(original)
        try:
            yield
        finally:
            weasyprint_tags._build_box_tree = original


class _SemanticTree:
    """Wraps WeasyPrint's ``_build_box_tree``, which recurses through the module's name,
    so every box passes here; edits the structure element built for each box.

    The generators are consumed depth first and to the end (WeasyPrint builds each
    child's elements before its parent's), so two stacks hold what an element
    inherits: its parent's language, and the layout table it lies in, if any.
    """

    def __init__(self, original: BuildBoxTree) -> None:
        self.original = original
        self.languages: list[str | None] = []
        self.layouts: list[list[Any] | None] = []
        self.links: list[str] = []

    def __call__(self, box: Any, parent: Any, *rest: Any) -> Iterator[Any]:
        node = box._box if isinstance(box, AbsolutePlaceholder) else box
        element = node.element
        tag = node.element_tag if element is not None else None
        transparent = (isinstance(node, boxes.PageBox | boxes.MarginBox)
                       or tag in ("html", "body"))
        inherited = self.languages[-1] if self.languages else None
        lang = node.style["lang"] or inherited
        layout = self.layouts[-1] if self.layouts else None
        if tag == "table":
            layout = [] if element.get("role") in LAYOUT_ROLES else None
        link = self.links[-1] if self.links else ""
        if tag is not None and tag.split(":")[0] == "a":  # a link, or its ::before/::after
            link = " ".join("".join(element.itertext()).split())
        self.languages.append(lang)
        self.layouts.append(layout)
        self.links.append(link)
        try:
            for built in self.original(box, parent, *rest):
                if not transparent:
                    self._describe(built, node, lang if lang != inherited else None, layout,
                                   link)
                yield built
        finally:
            self.languages.pop()
            self.layouts.pop()
            self.links.pop()

    @staticmethod
    def _describe(built: Any, node: Any, lang: str | None, layout: list[Any] | None,
                  link: str) -> None:
        role = built.get("S")
        if lang:
            built["Lang"] = pydyf.String(lang)
        if role == "/TH" and node.element_tag == "th":
            scope = node.element.get("scope", "")
            # As WeasyPrint relates header cells: a "row" header, else a column's.
            built["A"]["Scope"] = "/Row" if scope in ("row", "rowgroup") else "/Column"
        if node.link_annotation is not None and link:
            # Every piece of a link (a line of it, an <em> in it) has its own annotation.
            node.link_annotation["Contents"] = pydyf.String(link)
        if layout is not None and role in TABLE_PARTS:
            layout.append(built)
            if role == "/Table":  # the table's own element comes after all its parts
                for part in layout:
                    part["S"] = "/Div"
                    for key in ("A", "ID"):
                        part.pop(key, None)
                layout.clear()


def make_accessible(document: pikepdf.Pdf) -> None:
    """The pikepdf stage: margin boxes as artifacts, the ID tree (and the parent tree's
    next key), PDF/UA-1 in XMP."""
    root = document.Root.get("/StructTreeRoot")
    if root is not None:
        mark_margin_artifacts(document, root)
        add_id_tree(document, root)
        keys = [int(key) for key, _ in pikepdf.NumberTree(root.ParentTree).items()]
        root.ParentTreeNextKey = max(keys, default=-1) + 1
    declare_pdfua(document)


def mark_margin_artifacts(document: pikepdf.Pdf, root: Any) -> None:
    """Content marked for an element outside the tree becomes a pagination artifact.

    WeasyPrint gives running headers and footers marked-content IDs whose elements
    it leaves out of the tree. Their ``BDC`` becomes ``/Artifact <</Type
    /Pagination>> BDC``, the remaining IDs of the page are renumbered from 0 and the
    page's parent tree entry lists only them.
    """
    in_tree = {element.objgen for element in struct_elements(root)}
    parent_tree = pikepdf.NumberTree(root.ParentTree)
    for page in document.pages:
        key = page.obj.get("/StructParents")
        if key is None or int(key) not in parent_tree:
            continue
        parents = list(parent_tree[int(key)])
        keep = [mcid for mcid, element in enumerate(parents)
                if isinstance(element, pikepdf.Dictionary) and element.objgen in in_tree]
        if len(keep) == len(parents):
            continue
        renumbered = {old: new for new, old in enumerate(keep)}
        operations: list[Any] = []
        for instruction in pikepdf.parse_content_stream(page):
            operands: Any = instruction.operands
            if instruction.operator == _BDC and len(operands) == 2 \
                    and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                mcid = int(operands[1].MCID)
                if mcid in renumbered:
                    operands = [operands[0], pikepdf.Dictionary(MCID=renumbered[mcid])]
                else:
                    operands = [pikepdf.Name.Artifact,
                                pikepdf.Dictionary(Type=pikepdf.Name.Pagination)]
                instruction = pikepdf.ContentStreamInstruction(operands, _BDC)
            operations.append(instruction)
        page.obj.Contents = document.make_stream(pikepdf.unparse_content_stream(operations))
        for old, new in renumbered.items():
            element = parents[old]
            kids = element.K
            if isinstance(kids, pikepdf.Array):
                element.K = pikepdf.Array([new if _is_mcid(kid, old) else kid for kid in kids])
            elif _is_mcid(kids, old):
                element.K = new
        parent_tree[int(key)] = pikepdf.Array([parents[old] for old in keep])


_BDC = pikepdf.Operator("BDC")


def _is_mcid(kid: Any, mcid: int) -> bool:
    return isinstance(kid, int) and not isinstance(kid, bool) and int(kid) == mcid


def add_id_tree(document: pikepdf.Pdf, root: Any) -> None:
    """An ``/IDTree`` of every element with an ``/ID``; nothing resolves them otherwise."""
    found = {str(element.ID): element for element in struct_elements(root) if "/ID" in element}
    if "/IDTree" in root:
        del root["/IDTree"]
    if found:
        tree = pikepdf.NameTree.new(document)
        for name in sorted(found):
            tree[name] = found[name]
        root.IDTree = tree.obj


RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PDFUAID_NS = "http://www.aiim.org/pdfua/ns/id/"

#: ``pdfuaid:part`` and its declaration: PDF/A-3 admits properties of other schemas
#: only with an extension schema (ISO 19005-3, 6.6.2.3.1).
_PDFUA_DESCRIPTIONS = f"""<rdf:RDF xmlns:rdf="{RDF_NS}">
<rdf:Description rdf:about="" xmlns:pdfuaid="{PDFUAID_NS}" pdfuaid:part="1"/>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:namespaceURI>{PDFUAID_NS}</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>{"Indicates, which part of ISO 14289 standard is followed"}\
</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
</rdf:RDF>""".encode()


def declare_pdfua(document: pikepdf.Pdf) -> None:
    """Add PDF/UA-1's identification to the XMP metadata WeasyPrint wrote for PDF/A-3b.

    The packet is edited as XML (pikepdf's metadata API writes no structured
    values) and stays an unfiltered stream, as PDF/A wants; once is enough.
    """
    stream = document.Root.Metadata
    tree = etree.fromstring(stream.read_bytes()).getroottree()  # keeps <?xpacket?>
    rdf = tree.getroot().find(f"{{{RDF_NS}}}RDF")
    if rdf is None or rdf.find(f".//{{{RDF_NS}}}Description[@{{{PDFUAID_NS}}}part]") \
            is not None:
        return
    for description in list(etree.fromstring(_PDFUA_DESCRIPTIONS)):
        rdf.append(description)
    stream.write(etree.tostring(tree, encoding="utf-8"))
