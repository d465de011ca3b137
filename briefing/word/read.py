"""An edited DOCX → its rows: key, text per column as inline markup, formatting dropped.

The mirror of :mod:`briefing.word.sheet` and :mod:`briefing.word.review`: keys
come back from the bookmarks the writers put round each cell, the texts the
DOCX was made from from its custom XML part. Rows added, deleted, merged, split
or moved are refused here, naming the row (rows are counted as Word counts
them, the header being row 1).

The file comes from outside, so it is read defensively: it must be a zip of at
most :data:`MAX_DOCX_BYTES`, with few entries, a bounded total size and a
bounded compression ratio (no zip bombs), and XML without any DTD (no entity
expansion, nothing fetched).
"""

from __future__ import annotations

import difflib
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from lxml import etree

from .. import style
from ..core import markup
from ..core.model import SHEET_ID_PATTERN
from ..errors import DocxImportError
from .base import BaseUnit
from .oxml import (
    BASE_NS,
    KIND_REVIEW,
    KIND_SHEET,
    PLACEHOLDER_STYLE,
    PROP_KIND,
    PROP_SHEET,
    W_NS,
    bookmark_name,
    read_custom_properties,
)

MAX_DOCX_BYTES = 32 * 1024 * 1024
MAX_ENTRIES = 2000
MAX_TOTAL_UNCOMPRESSED = 128 * 1024 * 1024
#: Compression ratio allowed for a large entry; real DOCX XML stays far below it.
MAX_RATIO = 100
_RATIO_FROM_BYTES = 1024 * 1024

_W = f"{{{W_NS}}}"
_COPY_SUFFIX = re.compile(r"_Copy_[0-9]+$")
_SKIPPED_CONTAINERS = frozenset({f"{_W}del", f"{_W}moveFrom"})
#: What Word and LibreOffice write for a tracked change that is not accepted or rejected yet.
_REVISION_TAGS = tuple(f"{_W}{tag}" for tag in (
    "ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "trPrChange", "tcPrChange",
    "tblPrChange", "cellIns", "cellDel", "cellMerge", "numberingChange"))
_NOT_HELD = {
    "u": "underline", "strike": "strikethrough", "dstrike": "strikethrough",
    "highlight": "highlight", "caps": "capitals", "smallCaps": "small capitals",
    "sz": "font size", "outline": "outline", "shadow": "shadow", "emboss": "emboss",
    "imprint": "engrave", "vanish": "hidden text",
}
_OBJECTS = {
    "drawing": "image", "pict": "image", "object": "embedded object",
    "footnoteReference": "footnote", "endnoteReference": "endnote", "sym": "symbol",
}
#: Columns of each kind of DOCX, and which hold a unit's bookmark.
SHEET_COLUMNS = 2
REVIEW_COLUMNS = ("key", "source", "target", "status", "comment")
REVIEW_BOOKMARKED = (0, 2)


@dataclass(frozen=True)
class Cell:
    """One cell's text as inline markup, one entry per paragraph that holds text, and what
    the markup could not hold."""

    paragraphs: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    bookmarks: frozenset[str] = frozenset()
    merged: bool = False

    @property
    def markup(self) -> str:
        """The paragraphs as one text (a paragraph break becomes a space)."""
        return " ".join(self.paragraphs)


@dataclass(frozen=True)
class DocxRow:
    """A table row as the person left it; ``key`` is ``None`` for a row added in Word."""

    number: int
    key: str | None
    cells: tuple[Cell, ...]

    def where(self, name: str) -> str:
        return f"{name}: row {self.number} ({self.key or 'added'})"


@dataclass(frozen=True)
class DocxComment:
    """A Word comment anchored in a table cell."""

    row: int
    column: int
    author: str
    text: str


@dataclass(frozen=True)
class DocxContent:
    """What a DOCX made by briefing carries back."""

    name: str
    kind: str
    sheet_id: str
    version: str
    languages: tuple[str, ...]
    lang: str
    base: list[BaseUnit]
    rows: list[DocxRow] = field(default_factory=list)
    #: Base units with no row any more, in the order the DOCX was made.
    deleted: list[BaseUnit] = field(default_factory=list)
    #: Table rows (header = 1) holding tracked changes not yet accepted or rejected.
    revisions: list[int] = field(default_factory=list)
    comments: list[DocxComment] = field(default_factory=list)

    def base_unit(self, key: str) -> BaseUnit:
        return next(unit for unit in self.base if unit.key == key)

    def row_key(self, number: int) -> str | None:
        return next((row.key for row in self.rows if row.number == number), None)


def read_docx(content: bytes, name: str) -> DocxContent:
    """Read and check a DOCX made by :mod:`briefing.word.sheet` or the review writer."""
    parts = _open_package(content, name)
    properties = read_custom_properties(_parse(parts, "docProps/custom.xml", name)) \
        if "docProps/custom.xml" in parts else {}
    kind, sheet_id = properties.get(PROP_KIND), properties.get(PROP_SHEET)
    if kind not in (KIND_SHEET, KIND_REVIEW) or not sheet_id:
        raise DocxImportError(f"{name}: not a DOCX made by briefing (no {PROP_KIND} and "
                              f"{PROP_SHEET} document properties)")
    if not re.fullmatch(SHEET_ID_PATTERN, sheet_id):  # before any path is made of it
        raise DocxImportError(f"{name}: its {PROP_SHEET} document property {sheet_id[:60]!r} "
                              "is not a sheet id")
    base_root = _base_part(parts, name)
    if base_root.get("sheet") != sheet_id or base_root.get("kind") != kind:
        raise DocxImportError(f"{name}: its document properties (sheet {sheet_id!r}) and its "
                              f"base texts (sheet {base_root.get('sheet')!r}) disagree")
    languages = tuple((base_root.get("languages") or "").split())
    placeholders = {element.get("lang", ""): element.text or ""
                    for element in base_root.iter(f"{{{BASE_NS}}}placeholder")}
    base = [_base_unit(element) for element in base_root.iter(f"{{{BASE_NS}}}unit")]
    document = _parse(parts, "word/document.xml", name)
    table = _units_table(document, base)
    if table is None:
        raise DocxImportError(f"{name}: the document holds no table")
    lang = base_root.get("lang", "")
    column_langs = list(languages) if kind == KIND_SHEET else \
        ["", _other(languages, lang), lang, "", ""]
    width = SHEET_COLUMNS if kind == KIND_SHEET else len(REVIEW_COLUMNS)
    rows = _table_rows(table, column_langs, placeholders, name, width)
    bookmarked = range(SHEET_COLUMNS) if kind == KIND_SHEET else REVIEW_BOOKMARKED
    keyed, deleted = resolve_keys(rows, base, bookmarked, name)
    comments = _comments(table, parts, name)
    return DocxContent(name, kind, sheet_id, base_root.get("version", ""), languages, lang,
                       base, keyed, deleted, _revisions(table), comments)


def _units_table(document: Any, base: list[BaseUnit]) -> Any:
    """The table the writer made: the one holding most of the units' bookmarks (a table a
    person added above it is not it), else the first."""
    names = {bookmark_name(unit.key, column) for unit in base for column in range(3)}
    tables = [table for table in document.iter(f"{_W}tbl")
              if table.getparent() is not None and table.getparent().tag == f"{_W}body"]
    if not tables:
        return None
    return max(tables, key=lambda table: sum(
        _bookmark(b.get(f"{_W}name", "")) in names for b in table.iter(f"{_W}bookmarkStart")))


def _bookmark(name: str) -> str:
    """A bookmark's name as the writer gave it: LibreOffice renames the second of two
    bookmarks of the same name (a copied row) ``<name>_Copy_1``."""
    return _COPY_SUFFIX.sub("", name)


def _other(languages: tuple[str, ...], lang: str) -> str:
    return next((code for code in languages if code != lang), "")


def _open_package(content: bytes, name: str) -> dict[str, bytes]:
    """The zip's entries, refusing anything that is not a sane, bounded DOCX."""
    if len(content) > MAX_DOCX_BYTES:
        raise DocxImportError(f"{name}: file is {len(content)} bytes, larger than the "
                              f"{MAX_DOCX_BYTES} bytes allowed")
    try:
        archive = zipfile.ZipFile(BytesIO(content))
    except (zipfile.BadZipFile, OSError):
        raise DocxImportError(f"{name}: not a DOCX file (not a zip archive)") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise DocxImportError(f"{name}: archive holds {len(entries)} entries, more than "
                                  f"the {MAX_ENTRIES} allowed")
        total = sum(entry.file_size for entry in entries)
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise DocxImportError(f"{name}: archive would unpack to {total} bytes, more than "
                                  f"the {MAX_TOTAL_UNCOMPRESSED} allowed (zip bomb?)")
        for entry in entries:
            if entry.file_size > _RATIO_FROM_BYTES and \
                    entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
                raise DocxImportError(
                    f"{name}: archive entry {entry.filename} is compressed more than "
                    f"{MAX_RATIO}:1 (zip bomb?)")
        names = {entry.filename for entry in entries}
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            raise DocxImportError(f"{name}: not a DOCX file (no word/document.xml)")
        wanted = [n for n in names if n in ("word/document.xml", "docProps/custom.xml",
                                             "word/comments.xml")
                  or (n.startswith("customXml/item") and n.endswith(".xml")
                      and "/_rels/" not in n and "itemProps" not in n)]
        try:
            return {entry: _read_bounded(archive, entry) for entry in wanted}
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as error:
            raise DocxImportError(f"{name}: corrupt archive ({error})") from None


def _read_bounded(archive: zipfile.ZipFile, entry: str) -> bytes:
    # zipfile stops at the size the entry declares, which the checks above bounded.
    with archive.open(entry) as stream:
        return stream.read(MAX_TOTAL_UNCOMPRESSED + 1)


def _parse(parts: Mapping[str, bytes], entry: str, name: str) -> Any:
    """Parse XML with no DTD, no entity expansion and no network; refuse any DOCTYPE."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False)
    try:
        tree = etree.fromstring(parts[entry], parser).getroottree()
    except etree.XMLSyntaxError as error:
        raise DocxImportError(f"{name}: {entry} is not well-formed XML ({error.msg})") from None
    docinfo: Any = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise DocxImportError(f"{name}: {entry} declares a DTD (<!DOCTYPE>); refused, "
                              "DOCX files never need one")
    return tree.getroot()


def _base_part(parts: Mapping[str, bytes], name: str) -> Any:
    for entry in sorted(parts):
        if entry.startswith("customXml/"):
            root = _parse(parts, entry, name)
            if root.tag == f"{{{BASE_NS}}}briefing":
                return root
    raise DocxImportError(f"{name}: the texts it was made from are missing (no custom XML "
                          "part from briefing); cannot tell what changed")


def _base_unit(element: Any) -> BaseUnit:
    texts = {text.get("lang", ""): text.text or "" for text in element.iter(f"{{{BASE_NS}}}text")}
    comment = element.find(f"{{{BASE_NS}}}comment")
    return BaseUnit(element.get("key", ""), element.get("kind", ""), texts,
                    element.get("status", ""), comment.text or "" if comment is not None else "")


@dataclass
class _RawRow:
    number: int
    cells: list[Cell]


def _table_rows(table: Any, column_langs: list[str], placeholders: Mapping[str, str],
                name: str, width: int) -> list[_RawRow]:
    rows = []
    for number, tr in enumerate(table.findall(f"{_W}tr"), start=1):
        if number == 1:
            continue  # the header row
        cells = [_cell(tc, column_langs[i] if i < len(column_langs) else "", placeholders)
                 for i, tc in enumerate(tr.findall(f"{_W}tc"))]
        rows.append(_RawRow(number, cells))
        if len(cells) != width and not any(cell.merged for cell in cells):
            raise DocxImportError(f"{name}: row {number}: has {len(cells)} cells where "
                                  f"{width} were made; columns cannot be added or removed")
    return rows


def resolve_keys(rows: list[_RawRow], base: list[BaseUnit], bookmarked: range | tuple[int, ...],
                 name: str) -> tuple[list[DocxRow], list[BaseUnit]]:
    """Each row's unit key, from the bookmarks the writer put round its cells; the rest by
    content and position. Returns the rows (``key=None`` for rows added in Word) and the
    base units no row stands for any more (deleted)."""
    by_bookmark = {bookmark_name(unit.key, column): unit.key
                   for unit in base for column in bookmarked}
    position = {unit.key: index for index, unit in enumerate(base)}
    found: list[tuple[_RawRow, str | None]] = []
    for row in rows:
        keys = sorted({by_bookmark[b] for cell in row.cells for b in cell.bookmarks
                       if b in by_bookmark}, key=position.__getitem__)
        if len(keys) > 1 or any(cell.merged for cell in row.cells):
            shown = ", ".join(keys) or "no key"
            raise DocxImportError(f"{name}: row {row.number} ({shown}): rows or cells were "
                                  "merged; each row must stay one unit pair (split them again)")
        if not keys and not any(cell.paragraphs for cell in row.cells):
            continue  # an empty row carries nothing
        found.append((row, keys[0] if keys else None))
    copies = _keep_originals_of_copies(found, {unit.key: unit for unit in base})
    _match_keyless(found, base, position, copies, name)
    seen = {key for _, key in found if key is not None}
    rows_out = [DocxRow(row.number, key, tuple(row.cells)) for row, key in found]
    return rows_out, [unit for unit in base if unit.key not in seen]


def _keep_originals_of_copies(found: list[tuple[_RawRow, str | None]],
                              base: Mapping[str, BaseUnit]) -> set[int]:
    """A row copied in Word carries the original's bookmarks: the key stays with the copy
    whose texts are still the base texts (else the first), the others are added rows.
    Returns the indexes of those copies."""
    copies: set[int] = set()
    places: dict[str, list[int]] = {}
    for index, (_, key) in enumerate(found):
        if key is not None:
            places.setdefault(key, []).append(index)
    for key, indexes in places.items():
        if len(indexes) < 2:
            continue
        unchanged = [i for i in indexes if _row_text(found[i][0]) == _base_text(base[key])]
        keep = unchanged[0] if unchanged else indexes[0]
        for index in indexes:
            if index != keep:
                found[index] = (found[index][0], None)
                copies.add(index)
    return copies


#: How alike (difflib's ratio) a row without bookmarks and a unit must be to be taken for it.
SIMILAR = 0.6
#: Two candidates closer than this are a tie: the match is ambiguous.
TIE = 0.05


def _match_keyless(found: list[tuple[_RawRow, str | None]], base: list[BaseUnit],
                   position: Mapping[str, int], copies: set[int], name: str) -> None:
    """Rows whose bookmarks were lost (both cells typed over, text pasted without them) get
    the key of a missing unit between the same neighbours whose text they resemble; a row
    like none of them is an added row, and a tie is refused rather than guessed."""
    missing = {unit.key for unit in base} - {key for _, key in found if key is not None}
    if not missing:
        return
    gaps: dict[tuple[int, int], list[int]] = {}
    previous = -1
    for index, (_, key) in enumerate(found):
        if key is None and index not in copies:
            following = next((position[k] for _, k in found[index + 1:] if k is not None),
                             len(base))
            gaps.setdefault((previous, following), []).append(index)
        elif key is not None:
            previous = position[key]
    for (low, high), indexes in gaps.items():
        units = [unit for unit in base[low + 1:high] if unit.key in missing]
        if units:
            _assign_by_likeness(found, indexes, units, name)


def _assign_by_likeness(found: list[tuple[_RawRow, str | None]], indexes: list[int],
                        units: list[BaseUnit], name: str) -> None:
    scores = sorted(((_likeness(_row_text(found[i][0]), _base_text(unit)), i, unit.key)
                     for i in indexes for unit in units), reverse=True)
    taken_rows: set[int] = set()
    taken_keys: set[str] = set()
    for score, index, key in scores:
        if score < SIMILAR or index in taken_rows or key in taken_keys:
            continue
        rivals = [other for other in scores if other[0] >= score - TIE and other[0] >= SIMILAR
                  and (other[1] == index) != (other[2] == key)
                  and other[1] not in taken_rows and other[2] not in taken_keys]
        if rivals:
            row = found[index][0]
            raise DocxImportError(
                f"{name}: row {row.number}: its key bookmarks are gone and it reads like "
                f"{key} as much as like {rivals[0][2]}; undo the edit of that row, or paste "
                "its text into the original row")
        found[index] = (found[index][0], key)
        taken_rows.add(index)
        taken_keys.add(key)


def _row_text(row: _RawRow) -> tuple[str, ...]:
    return tuple(cell.markup for cell in row.cells)


def _base_text(unit: BaseUnit) -> tuple[str, ...]:
    return tuple(markup.to_markup(markup.parse(text)).strip() for text in unit.texts.values())


def _likeness(row: tuple[str, ...], unit: tuple[str, ...]) -> float:
    left, right = " | ".join(row), " | ".join(unit)
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()


def _revisions(table: Any) -> list[int]:
    """Rows holding tracked changes (insertions, deletions, moves, formatting changes)."""
    return [number for number, tr in enumerate(table.findall(f"{_W}tr"), start=1)
            if any(True for _ in tr.iter(*_REVISION_TAGS))]


def _comments(table: Any, parts: Mapping[str, bytes], name: str) -> list[DocxComment]:
    """Word comments whose anchor starts in a table cell, with their row and column."""
    if "word/comments.xml" not in parts:
        return []
    bodies = {}
    for comment in _parse(parts, "word/comments.xml", name).iter(f"{_W}comment"):
        text = " ".join(filter(None, ("".join(t.text or "" for t in p.iter(f"{_W}t")).strip()
                                      for p in comment.iter(f"{_W}p"))))
        bodies[comment.get(f"{_W}id")] = (comment.get(f"{_W}author", ""), text)
    found = []
    for number, tr in enumerate(table.findall(f"{_W}tr"), start=1):
        for column, tc in enumerate(tr.findall(f"{_W}tc")):
            for anchor in tc.iter(f"{_W}commentRangeStart", f"{_W}commentReference"):
                body = bodies.pop(anchor.get(f"{_W}id"), None)
                if body is not None and body[1]:
                    found.append(DocxComment(number, column, *body))
    return found


def _cell(tc: Any, lang: str, placeholders: Mapping[str, str]) -> Cell:
    properties = tc.find(f"{_W}tcPr")
    span = properties.find(f"{_W}gridSpan") if properties is not None else None
    # Any span but "1" is a merge (also one that is no number: nothing is int()ed); an
    # element is tested with "is not None", as an empty one is falsy in lxml.
    merged = properties is not None and (
        properties.find(f"{_W}vMerge") is not None
        or (span is not None and span.get(f"{_W}val", "1").strip() != "1"))
    bookmarks = frozenset(_bookmark(b.get(f"{_W}name", ""))
                          for b in tc.iter(f"{_W}bookmarkStart"))
    dropped: list[str] = []
    paragraphs: list[list[markup.Span]] = []
    for child in tc:
        if child.tag == f"{_W}tbl":
            dropped.append("table inside the cell")
    for paragraph in _paragraphs(tc):
        spans = list(_spans(paragraph, dropped))
        if "".join(span.text for span in spans).strip():
            paragraphs.append(spans)
    placeholder = placeholders.get(lang)
    texts = []
    for spans in paragraphs:
        if placeholder and "".join(span.text for span in spans).strip() == placeholder:
            continue
        text = markup.to_markup(spans).strip()
        wanted = Counter(s.text for s in markup.parse(text, lang) if s.superscript)
        if Counter(span.text for span in spans if span.superscript) - wanted:
            dropped.append("superscript")
        texts.append(text)
    return Cell(tuple(texts), tuple(dict.fromkeys(dropped)), bookmarks, merged)


def _paragraphs(tc: Any) -> Iterator[Any]:
    """The cell's own paragraphs, also those inside content controls, not nested tables."""
    for child in tc:
        if child.tag == f"{_W}p":
            yield child
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _paragraphs(content)


def _spans(paragraph: Any, dropped: list[str]) -> Iterator[markup.Span]:
    for run in paragraph.iter(f"{_W}r"):
        if any(ancestor.tag in _SKIPPED_CONTAINERS for ancestor in run.iterancestors()):
            continue
        if run.find(f"{_W}commentReference") is not None:
            continue  # the mark of a Word comment, read by _comments

        if any(ancestor.tag == f"{_W}hyperlink" for ancestor in run.iterancestors()):
            dropped.append("hyperlink")
        rpr = run.find(f"{_W}rPr")
        bold, italic, superscript = _run_format(rpr, dropped)
        text = []
        for child in run:
            local = etree.QName(child).localname
            if local == "t":
                text.append(child.text or "")
            elif local in ("tab", "br", "cr"):
                text.append(" ")
                dropped.append("tab" if local == "tab" else "line break")
            elif local == "noBreakHyphen":
                text.append("-")
            elif local in _OBJECTS:
                dropped.append(_OBJECTS[local])
        if "".join(text):
            yield markup.Span("".join(text), bold=bold, italic=italic, superscript=superscript)


def _run_format(rpr: Any, dropped: list[str]) -> tuple[bool, bool, bool]:
    if rpr is None:
        return False, False, False
    bold = _on(rpr.find(f"{_W}b"))
    italic = _on(rpr.find(f"{_W}i"))
    align = rpr.find(f"{_W}vertAlign")
    superscript = align is not None and align.get(f"{_W}val") == "superscript"
    if align is not None and align.get(f"{_W}val") == "subscript":
        dropped.append("subscript")
    for tag, what in _NOT_HELD.items():
        element = rpr.find(f"{_W}{tag}")
        if element is not None and _on(element) and element.get(f"{_W}val") != "none":
            dropped.append(what)
    color = rpr.find(f"{_W}color")
    if color is not None and color.get(f"{_W}val", "auto") not in ("auto", "000000"):
        dropped.append("colour")
    shading = rpr.find(f"{_W}shd")
    if shading is not None and shading.get(f"{_W}fill", "auto") not in ("auto", "FFFFFF"):
        dropped.append("shading")
    fonts = rpr.find(f"{_W}rFonts")
    if fonts is not None and any(fonts.get(f"{_W}{slot}", style.FONT_FAMILY) != style.FONT_FAMILY
                                 for slot in ("ascii", "hAnsi")):
        dropped.append("font")
    character_style = rpr.find(f"{_W}rStyle")
    if character_style is not None and character_style.get(f"{_W}val") != PLACEHOLDER_STYLE:
        dropped.append(f"character style {character_style.get(f'{_W}val')}")
    return bold, italic, superscript


def _on(element: Any) -> bool:
    return element is not None and element.get(f"{_W}val", "true") not in ("false", "0", "off")
