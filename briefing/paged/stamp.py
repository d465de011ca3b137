"""Page numbers stamped on laid-out pages: "page X of Y" as WeasyPrint would set it.

A piece of content (a sheet, a compendium's front, a pack's part) is laid out once,
without its footers, and used in several documents (the sheet's own PDF and the
compendium); each document numbers the piece's pages where they stand. Laying out
the footers again for each would cost WeasyPrint a layout per page, so they are
composed here, from a :class:`Specimen`: one page that WeasyPrint lays out with the
same style sheet and both footers reading ``page 1234567890 of 1234567890``. Its
glyphs (shaped and kerned by WeasyPrint, in a subset of the footer's font holding
every digit), its text positions and colours give each page's footers: the words
as they are, the digits substituted, the right-hand footer aligned again at the
specimen's right edge. The footers are pagination artifacts, as WeasyPrint's are
once :func:`.tagging.mark_margin_artifacts` has marked them.

Running headers are stamped the same way where a piece is shared by documents that
head it differently (an organisation's description, in every pack naming it):
:class:`Headers` copies them, as they are, from pages WeasyPrint headed for that
document.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf

from ..core.memo import remember
from ..errors import RenderError
from .layout import LayOut, Layout, here
from .pdffile import Attachment, attach
from .render import Renderer

#: The number both footers of a specimen show: every digit, once.
SPECIMEN_NUMBER = 1234567890
_DIGITS = str(SPECIMEN_NUMBER)

#: The names of a specimen's font and graphics state in a page's resources, followed by the
#: specimen's place among those stamped on the document: the pages of one document share
#: their resources (WeasyPrint's do), so two specimens on them need two names.
_FONT = "/BriefingPageNumbers"
_STATE = "/BriefingPageNumbersState"

Matrix = tuple[float, float, float, float, float, float]


@dataclass(frozen=True)
class _Glyph:
    code: bytes  # two bytes (Identity-H)
    advance: float  # the glyph's width, 1/1000 of the font size
    kern: float  # the TJ adjustment after the glyph


@dataclass(frozen=True)
class _Footer:
    """One footer of the specimen, taken apart."""

    ctm: Matrix
    colour: tuple[float, ...]
    size: float
    text_matrix: Matrix
    page_word: list[_Glyph]  # "page " (up to the number)
    of_word: list[_Glyph]  # " of "
    digits: dict[str, _Glyph]
    right_aligned: bool
    #: Where the specimen's text ends (right-aligned) or starts, in text space.
    anchor: float

    def block(self, number: int, total: int) -> _Block:
        """This footer reading ``page number of total``, its font and state named
        ``font`` and ``state`` (:func:`_drawn` names them in the page)."""
        glyphs = [*self.page_word, *(self.digits[d] for d in str(number)), *self.of_word,
                  *(self.digits[d] for d in str(total))]
        width = sum(g.advance - g.kern for g in glyphs) * self.size / 1000
        a, b, c, d, _, f = self.text_matrix
        x = self.anchor - width if self.right_aligned else self.anchor
        shown: list[Any] = []
        for glyph in glyphs:
            shown += [pikepdf.String(glyph.code), glyph.kern]
        return _Block(self.ctm, self.colour, "state", "font", self.size, (a, b, c, d, x, f),
                      shown)


@dataclass(frozen=True)
class _Copied:
    """A specimen's font and graphics state in the document it stamps, and their names."""

    font: Any
    state: Any
    font_name: pikepdf.Name
    state_name: pikepdf.Name


class Specimen:
    """The footers of one language pair and page size, as WeasyPrint sets them."""

    def __init__(self, pdf: bytes, labels: Sequence[tuple[str, str]]) -> None:
        """``pdf``: a one-page document whose two footers read ``page 1234567890 of
        1234567890``; ``labels``: the left and right footers' (page, of) words."""
        self.pdf = pikepdf.open(io.BytesIO(pdf))
        page = self.pdf.pages[0]
        self.media_box = [float(v) for v in page.MediaBox]
        found = _text_blocks(page)
        if len(found) != 2 or found[0].font != found[1].font:
            raise RenderError("the page numbers' specimen does not have two footers in "
                              "one font (templates/page.css.j2)")
        self.font = page.Resources.Font[found[0].font]
        self.state = page.Resources.ExtGState[found[0].state] if found[0].state else None
        widths = _widths(self.font)
        ordered = sorted(found, key=lambda block: block.x)
        self.footers = [_take_apart(block, words, widths, right_aligned=index == 1)
                        for index, (block, words) in enumerate(zip(ordered, labels,
                                                                   strict=True))]

    def stamp(self, document: pikepdf.Pdf, pages: Sequence[pikepdf.Page], first: int,
              total: int, copied: dict[int, _Copied]) -> None:
        """Number ``pages`` from ``first``, of ``total``; ``copied`` keeps this specimen's
        font and state once copied into ``document``, under names of their own."""
        if id(self) not in copied:
            # WeasyPrint's states are direct dictionaries of numbers (an opacity).
            state = pikepdf.Dictionary(dict(self.state.items())) \
                if self.state is not None else pikepdf.Dictionary(ca=1)
            place = len(copied)
            copied[id(self)] = _Copied(
                document.copy_foreign(self.font), document.make_indirect(state),
                pikepdf.Name(f"{_FONT}{place}"), pikepdf.Name(f"{_STATE}{place}"))
        mine = copied[id(self)]
        names = {"font": mine.font_name, "state": mine.state_name}
        resources = [("/Font", mine.font_name, mine.font),
                     ("/ExtGState", mine.state_name, mine.state)]
        for number, page in enumerate(pages, start=first):
            if [float(v) for v in page.MediaBox] != self.media_box:
                raise RenderError(f"page {number} is not of the size its page numbers' "
                                  "specimen was laid out on")
            _draw_on(document, page, resources, b"\n".join(
                _drawn(footer.block(number, total), names) for footer in self.footers))


#: Specimens laid out in this process, by their HTML: the templates' words and style sheets
#: as they are when it is asked for (watch mode builds again, in the same process, after an
#: edit of labels.yaml or page.css.j2).
_specimens: dict[tuple[object, ...], Specimen] = {}
#: Specimens kept at most: a few per language pair and page size, and per edit in watch mode.
MAX_SPECIMENS = 32


#: How a caller keeps laid-out specimens between processes: given a specimen's HTML and
#: how to lay it out, its PDF (kept, or laid out now).
KeepSpecimen = Callable[[str, Callable[[], bytes]], bytes]


def specimen_for(renderer: Renderer, languages: tuple[str, str], *, fonts_url: str,
                 base_url: Path, allowed_roots: Sequence[Path],
                 landscape: bool = False, keep: KeepSpecimen | None = None) -> Specimen:
    """The footers of ``languages`` on an A4 page (``landscape`` or not), laid out once per
    process for what the renderer's templates make of them (and, through ``keep``, once
    for all the processes that keep it: a compendium joined from kept pieces then lays out
    nothing, and loads no WeasyPrint)."""
    return pending_specimen(renderer, languages, fonts_url=fonts_url, base_url=base_url,
                            allowed_roots=allowed_roots, landscape=landscape, keep=keep)()


def pending_specimen(renderer: Renderer, languages: tuple[str, str], *, fonts_url: str,
                     base_url: Path, allowed_roots: Sequence[Path], landscape: bool = False,
                     keep: KeepSpecimen | None = None,
                     lay_out: LayOut = here) -> Callable[[], Specimen]:
    """:func:`specimen_for`'s specimen, laid out by ``lay_out`` (:mod:`.layout`), maybe
    elsewhere and meanwhile: calling what this returns waits for it."""
    labels = renderer.labels_for(languages)
    html = renderer.render("_specimen.html.j2", languages=languages, labels=labels,
                           landscape=landscape, draft=False, fonts_url=fonts_url,
                           first_page=SPECIMEN_NUMBER, total_pages=SPECIMEN_NUMBER)
    words = [(str(labels[lang]["page"]), str(labels[lang]["of"])) for lang in languages]
    key = (html, tuple(words), base_url, tuple(allowed_roots))
    if key in _specimens and keep is None:
        known = _specimens[key]
        return lambda: known
    laying_out = lay_out(Layout(html, base_url, tuple(allowed_roots)))

    def specimen() -> Specimen:
        # Kept for the next process through ``keep``, even if this one knows it already.
        pdf = laying_out() if keep is None else keep(html, laying_out)
        if key not in _specimens:
            remember(_specimens, key, Specimen(pdf, words), MAX_SPECIMENS)
        return _specimens[key]

    return specimen


def stamp_page_numbers(document: pikepdf.Pdf, runs: Sequence[tuple[Specimen, int]]) -> None:
    """Number every page of ``document``, 1 to its length: ``runs`` gives, in order, the
    specimen of each run of pages and how many pages it covers."""
    total = len(document.pages)
    if sum(count for _, count in runs) != total:
        raise RenderError("the page numbers' runs do not cover the document")
    copied: dict[int, _Copied] = {}
    first = 1
    for specimen, count in runs:
        specimen.stamp(document, document.pages[first - 1:first - 1 + count], first, total,
                       copied)
        first += count


def stamped(pdf: bytes, specimen: Specimen, attachments: Sequence[Attachment] = ()) -> bytes:
    """``pdf`` with its pages numbered, 1 of N to N of N, and ``attachments`` embedded."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        stamp_page_numbers(document, [(specimen, len(document.pages))])
        attach(document, attachments)
        out = io.BytesIO()
        document.save(out, deterministic_id=True, compress_streams=True,
                      object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()


@dataclass
class _Block:
    """One ``BT … ET`` of the specimen: where it is drawn and what it shows."""

    ctm: Matrix
    colour: tuple[float, ...]
    state: str | None
    font: str
    size: float
    text_matrix: Matrix
    shown: list[Any]

    @property
    def x(self) -> float:
        return self.text_matrix[4]


def _text_blocks(page: pikepdf.Page) -> list[_Block]:
    blocks: list[_Block] = []
    ctm: Matrix = (1, 0, 0, 1, 0, 0)
    stack: list[tuple[Matrix, tuple[float, ...], str | None]] = []
    colour: tuple[float, ...] = (0.0, 0.0, 0.0)
    state: str | None = None
    font, size, text_matrix = "", 0.0, ctm
    for instruction in pikepdf.parse_content_stream(page):
        operator = str(instruction.operator)
        operands: Any = instruction.operands
        if operator == "q":
            stack.append((ctm, colour, state))
        elif operator == "Q":
            ctm, colour, state = stack.pop()
        elif operator == "cm":
            ctm = _multiply(tuple(float(v) for v in operands), ctm)  # type: ignore[arg-type]
        elif operator == "rg":
            colour = tuple(float(v) for v in operands)
        elif operator == "gs":
            state = str(operands[0])
        elif operator == "Tf":
            font, size = str(operands[0]), float(operands[1])
        elif operator == "Tm":
            text_matrix = tuple(float(v) for v in operands)  # type: ignore[assignment]
        elif operator == "TJ":
            blocks.append(_Block(ctm, colour, state, font, size, text_matrix,
                                 list(operands[0])))
        elif operator in ("Tj", "'", '"', "Td", "TD", "T*"):
            raise RenderError(f"the page numbers' specimen uses {operator}, which the "
                              "stamper does not read")
    return blocks


def _take_apart(block: _Block, words: tuple[str, str], widths: dict[int, float], *,
                right_aligned: bool) -> _Footer:
    page_word, of_word = words
    text = f"{page_word} {_DIGITS} {of_word} {_DIGITS}"
    glyphs: list[_Glyph] = []
    for item in block.shown:
        if isinstance(item, pikepdf.String):
            raw = bytes(item)
            for start in range(0, len(raw), 2):
                code = raw[start:start + 2]
                glyphs.append(_Glyph(code, widths.get(int.from_bytes(code, "big"), 1000), 0))
        elif glyphs:
            last = glyphs[-1]
            glyphs[-1] = _Glyph(last.code, last.advance, last.kern + float(item))
    if len(glyphs) != len(text):
        raise RenderError(f"the footer {text!r} is set in {len(glyphs)} glyphs, not one per "
                          "letter: its page numbers cannot be stamped")
    start = len(page_word) + 1
    number = glyphs[start:start + len(_DIGITS)]
    of_start = start + len(_DIGITS)
    digits = {d: _Glyph(g.code, g.advance, 0) for d, g in zip(_DIGITS, number, strict=True)}
    size = block.size
    width = sum(g.advance - g.kern for g in glyphs) * size / 1000
    return _Footer(
        ctm=block.ctm, colour=block.colour, size=size, text_matrix=block.text_matrix,
        page_word=glyphs[:start], of_word=glyphs[of_start:of_start + len(of_word) + 2],
        digits=digits, right_aligned=right_aligned,
        anchor=block.x + width if right_aligned else block.x,
    )


def _widths(font: Any) -> dict[int, float]:
    """A CID font's glyph widths (``/W``), by glyph code."""
    descendant = font.DescendantFonts[0]
    found: dict[int, float] = {}
    entries = list(descendant.get("/W", []))
    index = 0
    while index < len(entries):
        first = int(entries[index])
        following = entries[index + 1]
        if isinstance(following, pikepdf.Array):
            for offset, width in enumerate(following):
                found[first + offset] = float(width)
            index += 2
        else:
            for code in range(first, int(following) + 1):
                found[code] = float(entries[index + 2])
            index += 3
    return found


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF's row-vector convention: ``m × n``)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)


class Headers:
    """Running headers laid out by WeasyPrint on otherwise empty pages, one page per header
    (``_headers.html.j2``): copied as they are, glyphs, places and colours, onto the pages
    of a piece that several documents share and each heads with its own (the pages of an
    organisation's description, in every pack naming it)."""

    def __init__(self, pdf: bytes) -> None:
        self.pdf = pikepdf.open(io.BytesIO(pdf))
        self.blocks = [_text_blocks(page) for page in self.pdf.pages]
        #: Per document stamped: each font and state copied into it, and its name there.
        self._copies: dict[int, dict[tuple[str, str, object], tuple[pikepdf.Name, Any]]] = {}

    def __len__(self) -> int:
        return len(self.blocks)

    def stamp(self, document: pikepdf.Pdf, pages: Sequence[pikepdf.Page], index: int) -> None:
        """Head ``pages`` of ``document`` as page ``index`` (from 0) is headed."""
        source = self.pdf.pages[index]
        media_box = [float(v) for v in source.MediaBox]
        fonts: Any = source.Resources.get("/Font", {})
        states: Any = source.Resources.get("/ExtGState", {})
        copied = self._copies.setdefault(id(document), {})
        names: dict[str, pikepdf.Name] = {}
        resources: list[tuple[str, pikepdf.Name, Any]] = []
        for block in self.blocks[index]:
            for kind, own, table, direct in (("/Font", block.font, fonts, False),
                                             ("/ExtGState", block.state, states, True)):
                if own is None or own in names:
                    continue
                key = (kind, own, table[own].objgen if not direct else index)
                if key not in copied:
                    value = document.make_indirect(pikepdf.Dictionary(dict(table[own].items()))) \
                        if direct else document.copy_foreign(table[own])
                    copied[key] = (pikepdf.Name(f"/BriefingHeader{len(copied)}"), value)
                names[own] = copied[key][0]
                resources.append((kind, *copied[key]))
        drawn = b"\n".join(_drawn(block, names) for block in self.blocks[index])
        for page in pages:
            if [float(v) for v in page.MediaBox] != media_box:
                raise RenderError("a page is not of the size its running header was laid "
                                  "out on")
            _draw_on(document, page, resources, drawn)


def _draw_on(document: pikepdf.Pdf, page: pikepdf.Page,
             resources: Sequence[tuple[str, pikepdf.Name, Any]], drawn: bytes) -> None:
    """``drawn`` added on top of ``page``, with the ``resources`` it names (kind, name,
    object)."""
    page_resources = page.obj.Resources
    for kind, name, value in resources:
        if kind not in page_resources:
            page_resources[kind] = pikepdf.Dictionary()
        page_resources[kind][name] = value
    # The page's own drawing may leave its state changed: it is closed first.
    page.contents_add(document.make_stream(b"q\n"), prepend=True)
    page.contents_add(document.make_stream(b"\nQ\n" + drawn))


def _drawn(block: _Block, names: dict[str, pikepdf.Name]) -> bytes:
    """A text block's operations, as an artifact, its resources under ``names``."""
    operations: list[tuple[list[Any], str]] = [
        ([], "q"),
        (list(block.ctm), "cm"),
        ([pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)], "BDC"),
    ]
    if block.state is not None:
        operations.append(([names[block.state]], "gs"))
    operations += [
        (list(block.colour), "rg"),
        ([], "BT"),
        (list(block.text_matrix), "Tm"),
        ([names[block.font], block.size], "Tf"),
        ([pikepdf.Array(block.shown)], "TJ"),
        ([], "ET"),
        ([], "EMC"),
        ([], "Q"),
    ]
    return pikepdf.unparse_content_stream(
        [pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(operator))
         for operands, operator in operations])
