"""The compendium's pieces as PDF: front (cover, contents), matrix, sheet parts, and the join.

Which pieces to render and in which order is :mod:`briefing.build.compendium`'s;
this module lays each one out and joins them with pikepdf. Joining keeps the
front's PDF/A and PDF/UA metadata, output intent and attachments (every data
file) and every page's fonts, and merges the structure trees: each part's
``/Document`` becomes a ``/Part`` of the front's, its marked content and links
renumbered in one parent tree and its header cell IDs made unique, so the
compendium is tagged as the sheets are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from babel.dates import format_date

from ..core.files import FIXED_DATE
from ..core.labels import locales
from ..core.model import Project, Sheet
from ..core.packs import DEFAULT_LANGUAGES, participation, years_of
from .pdf import Attachment, render_pdf
from .render import Renderer, fonts_url
from .tagging import struct_elements


@dataclass(frozen=True)
class TocEntry:
    texts: dict[str, str]
    page: int


@dataclass(frozen=True)
class Place:
    """Where a piece is written (for relative font URLs) and the folders it may read."""

    output_dir: Path
    fonts_dir: Path
    allowed_roots: tuple[Path, ...]

    @property
    def fonts_url(self) -> str:
        return fonts_url(self.output_dir, self.fonts_dir)


def compendium_languages(sheets: Sequence[Sheet]) -> tuple[str, str]:
    """The first sheet's languages set the front and the matrix, as for a pack
    (:func:`briefing.core.packs.pack_languages`); each part prints its sheet's own."""
    for sheet in sheets:
        return sheet.languages[0], sheet.languages[1]
    return DEFAULT_LANGUAGES


def contents_texts(renderer: Renderer, sheets: Sequence[Sheet],
                   languages: tuple[str, str]) -> list[dict[str, str]]:
    """The title of each contents entry per language: the matrix, then every sheet."""
    labels = renderer.labels_for(languages)
    names = [{lang: str(labels[lang]["compendium"]["matrix"]) for lang in languages}]
    return names + [{lang: sheet.organisation.get(lang, "") for lang in languages}
                    for sheet in sheets]


def part_pdf(renderer: Renderer, sheet: Sheet, first_page: int, place: Place, *,
             draft: bool, total_pages: int) -> bytes:
    """One sheet as a compendium part: the sheet's layout, pages numbered from ``first_page``
    of ``total_pages`` (the compendium's)."""
    html = renderer.sheet_html(sheet, draft=draft, fonts_url=place.fonts_url,
                               first_page=first_page, total_pages=total_pages)
    pdf = render_pdf(html, base_url=place.output_dir, allowed_roots=place.allowed_roots,
                     right_lang=sheet.languages[1])
    return with_unique_ids(pdf, part_prefix(sheet.id))


#: Changes whenever what a laid-out part holds changes beyond its HTML (its IDs made
#: unique): part files of another format are not reused.
PART_FORMAT = 2


def part_prefix(sheet_id: str) -> str:
    """What a part's structure IDs begin with: WeasyPrint's (``171-0-0``) are unique in
    one file only, and the parts are laid out one by one."""
    return f"{sheet_id}/"


def with_unique_ids(pdf: bytes, prefix: str) -> bytes:
    """``pdf`` with every structure ID (and every header cell naming one) prefixed, and its
    ID tree made again: done once per part, so that joining walks no part's tree."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root.get("/StructTreeRoot")
        if root is None:
            return pdf
        ids = _IdTree()
        ids.gather(root, prefix)
        ids.write(document, root)
        out = io.BytesIO()
        document.save(out, deterministic_id=True, compress_streams=True,
                      object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()


def front_pdf(renderer: Renderer, project: Project, place: Place, languages: tuple[str, str],
              toc: Sequence[TocEntry], generated: dt.date, *, draft: bool,
              total_pages: int) -> bytes:
    """The cover and the contents (the matrix, then every sheet: a sample's entry says so)."""
    labels = renderer.labels_for(languages)
    locale_of = locales(labels, languages)
    sheets = list(project.sheets.values())
    html = renderer.render(
        "compendium.html.j2", part="front", languages=languages, labels=labels,
        toc=toc, placeholder=not toc or not toc[0].texts,
        sheets=sheets, samples=[False] + [sheet.sample for sheet in sheets],
        generated={lang: format_date(generated, "long", locale=locale_of[lang])
                   for lang in languages},
        draft=draft, first_page=1, total_pages=total_pages, fonts_url=place.fonts_url,
    )
    return render_pdf(html, base_url=place.output_dir, allowed_roots=place.allowed_roots,
                      right_lang=languages[1])


def matrix_pdf(renderer: Renderer, project: Project, place: Place, languages: tuple[str, str],
               *, first_page: int, draft: bool, total_pages: int) -> bytes:
    """Countries × years: how many activities named each country in each year; a table
    longer than a page repeats its header row on every page. Counts that include a sample
    sheet's activities say so below the title."""
    matrix = participation(project, languages[0])
    years = years_of(a for s in project.sheets.values() for a in s.activities())
    html = renderer.render(
        "compendium.html.j2", part="matrix", languages=languages,
        labels=renderer.labels_for(languages), matrix=matrix, years=years,
        samples=[sheet for sheet in project.sheets.values() if sheet.sample],
        country_name=project.country_name, draft=draft, first_page=first_page,
        total_pages=total_pages, fonts_url=place.fonts_url,
    )
    return render_pdf(html, base_url=place.output_dir, allowed_roots=place.allowed_roots)


def join(front: bytes, matrix: bytes, parts: Sequence[Path], toc: Sequence[TocEntry],
         attachments: Sequence[Attachment] = ()) -> bytes:
    """The front's document with every other part's pages appended, one outline and one
    structure tree for all, and the data files attached (here, not to the front, so that
    an edit of the data lays out no front whose pages it does not change)."""
    with pikepdf.open(io.BytesIO(front)) as document:
        attach(document, attachments)
        opened = [pikepdf.open(io.BytesIO(matrix))]
        opened += [pikepdf.open(path) for path in parts]
        try:
            tree = _StructureTree(document)
            outline_items = []
            for number, (source, entry) in enumerate(zip(opened, toc, strict=True), start=1):
                offset = len(document.pages)
                titles = " / ".join(entry.texts.values())  # in the contents' languages
                item = pikepdf.OutlineItem(titles, offset)
                item.children.extend(_copied_outline(source, offset))
                outline_items.append(item)
                document.pages.extend(source.pages)
                # The matrix is laid out with the front; each part's IDs are its own.
                tree.append(source, document.pages[offset:], "matrix/" if number == 1 else None)
            tree.finish()
            with document.open_outline() as outline:
                outline.root.extend(outline_items)
            out = io.BytesIO()
            document.save(out, deterministic_id=True, compress_streams=True)
        finally:
            for source in opened:
                source.close()
    return out.getvalue()


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


def _copied_outline(source: pikepdf.Pdf, offset: int) -> list[pikepdf.OutlineItem]:
    """The source's outline, pointing at its pages' places in the joined document."""
    pages: dict[Any, int] = {page.objgen: index for index, page in enumerate(source.pages)}

    def copy(item: Any) -> pikepdf.OutlineItem | None:
        destination = item.destination
        if not isinstance(destination, pikepdf.Array) or not len(destination):
            return None
        index = pages.get(destination[0].objgen)
        if index is None:
            return None
        copied = pikepdf.OutlineItem(str(item.title), offset + index)
        copied.children.extend(c for c in (copy(child) for child in item.children) if c)
        return copied

    with source.open_outline() as outline:
        return [c for c in (copy(item) for item in outline.root) if c]


class _IdTree:
    """An ``/IDTree`` being gathered: every structure element with an ``/ID``, by it."""

    def __init__(self) -> None:
        self.found: dict[str, Any] = {}

    def gather(self, top: Any, prefix: str) -> None:
        """Record the IDs of the elements below ``top``, each made ``prefix`` + its own,
        with the header cells naming them."""
        for element in struct_elements(top):
            if "/ID" in element:
                if prefix:
                    element.ID = pikepdf.String(prefix + str(element.ID))
                self.found[str(element.ID)] = element
            attributes = element.get("/A") if prefix else None
            if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
                attributes.Headers = pikepdf.Array(
                    [pikepdf.String(prefix + str(h)) for h in attributes.Headers])

    def take(self, source_root: Any, document: pikepdf.Pdf) -> None:
        """The entries of another file's ID tree, as copied into ``document`` (the copier
        maps each element onto the copy made with the rest of that file's tree)."""
        if "/IDTree" in source_root:
            for name, element in pikepdf.NameTree(source_root.IDTree).items():
                self.found[name] = document.copy_foreign(element)

    def write(self, document: pikepdf.Pdf, root: Any) -> None:
        if "/IDTree" in root:
            del root["/IDTree"]
        if self.found:
            tree = pikepdf.NameTree.new(document)
            for name in sorted(self.found):
                tree[name] = self.found[name]
            root.IDTree = tree.obj


class _StructureTree:
    """The joined document's structure tree: the front's, with each source's appended.

    pikepdf copies a source's pages (and their annotations) with qpdf's foreign
    copier; copying the source's structure elements with the same copier maps
    their ``/Pg`` and ``/OBJR /Obj`` onto those copies. What stays to do: hang
    the copied ``/Document`` under the front's as a ``/Part``, renumber the parent
    tree keys of its pages and annotations, and gather its IDs into one ID tree
    (a part's are unique already, prefixed when it was laid out).
    """

    def __init__(self, document: pikepdf.Pdf) -> None:
        self.document = document
        self.root = document.Root.get("/StructTreeRoot")
        #: Every element with an ``/ID``: the joined document's ID tree.
        self.ids = _IdTree()
        if self.root is None:
            return
        kids = self.root.K
        self.top = kids[0] if isinstance(kids, pikepdf.Array) else kids  # the /Document
        if not isinstance(self.top.get("/K"), pikepdf.Array):
            self.top.K = pikepdf.Array([self.top.K] if "/K" in self.top else [])
        self.parent_tree = pikepdf.NumberTree(self.root.ParentTree)
        self.next_key = max((int(key) for key, _ in self.parent_tree.items()), default=-1) + 1
        self.ids.gather(self.top, "")

    def append(self, source: pikepdf.Pdf, pages: Sequence[pikepdf.Page],
               prefix: str | None) -> None:
        """Hang ``source``'s tree below the front's; its IDs prefixed with ``prefix``, or
        (``None``) as they are, already unique."""
        source_root = source.Root.get("/StructTreeRoot")
        if self.root is None:
            return
        if source_root is None:
            self._untag()
            return
        kids = source_root.K
        part_root = kids[0] if isinstance(kids, pikepdf.Array) else kids
        del part_root["/P"]  # or the copier would bring the source's whole root along
        part = self.document.copy_foreign(part_root)
        part.S = pikepdf.Name.Part
        part.P = self.top
        lang = source.Root.get("/Lang")
        if lang is not None and lang != self.document.Root.get("/Lang"):
            part.Lang = lang
        self.top.K.append(part)
        if prefix is not None:
            self.ids.gather(part, prefix)
        else:  # the part's IDs are unique already (:func:`with_unique_ids`): take its tree
            self.ids.take(source_root, self.document)
        keys = {}
        for key, value in pikepdf.NumberTree(source_root.ParentTree).items():
            keys[int(key)] = self.next_key
            if isinstance(value, pikepdf.Array):  # a page's: marked content ID → element
                value = pikepdf.Array([self.document.copy_foreign(v) if v.is_indirect else v
                                       for v in value])
            else:  # an annotation's element
                value = self.document.copy_foreign(value)
            self.parent_tree[self.next_key] = value
            self.next_key += 1
        for page in pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = keys[int(page.obj.StructParents)]
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = keys[int(annotation.StructParent)]

    def finish(self) -> None:
        if self.root is None:
            return
        self.root.ParentTreeNextKey = self.next_key
        self.ids.write(self.document, self.root)

    def _untag(self) -> None:
        """A source without tags: the tree would lie about its pages, so there is none."""
        for key in ("/StructTreeRoot", "/MarkInfo"):
            if key in self.document.Root:
                del self.document.Root[key]
        for page in self.document.pages:
            if "/StructParents" in page.obj:
                del page.obj["/StructParents"]
        self.root = None
