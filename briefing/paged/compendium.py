"""The compendium's pieces as PDF: front (cover, contents), matrix, sheet parts, and the join.

Which pieces to render and in which order is :mod:`briefing.build.compendium`'s;
this module lays each one out and joins them with pikepdf. Joining keeps the
front's PDF/A and PDF/UA metadata, output intent and attachments (every data
file) and every page's fonts, and merges the structure trees: each part's
``/Document`` becomes a ``/Part`` of the front's, its marked content and links
renumbered in one parent tree and its header cell IDs made unique, so the
compendium is tagged as the sheets are.

WeasyPrint is imported where a piece is laid out, not above: joining pieces kept by
earlier builds (and specimens kept, ``keep``) loads pikepdf alone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from babel.dates import format_date

from ..core.labels import locales
from ..core.model import Project, Sheet
from ..core.packs import DEFAULT_LANGUAGES, participation, years_of
from .join import StructureTree, copied_outline, saved, with_unique_ids
from .layout import LayOut, Layout, here
from .pdffile import Attachment, attach
from .render import Renderer, fonts_url
from .stamp import (
    KeepSpecimen,
    Specimen,
    pending_specimen,
    specimen_for,
    stamp_page_numbers,
)


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


def sheet_piece_html(renderer: Renderer, sheet: Sheet, place: Place, *, draft: bool) -> str:
    """The sheet's page as WeasyPrint lays it out: its page numbers left to the stamp."""
    return renderer.sheet_html(sheet, draft=draft, fonts_url=place.fonts_url, stamped=True)


def sheet_piece(renderer: Renderer, sheet: Sheet, place: Place, *, draft: bool,
                html: str | None = None, lay_out: LayOut = here) -> Callable[[], bytes]:
    """The sheet laid out without page numbers (from ``html``, :func:`sheet_piece_html`'s,
    if given), by ``lay_out``: stamped (:func:`sheet_specimen`), it is the sheet's PDF;
    with its IDs made unique (:func:`as_part`), the compendium's part. Returns how to get
    it."""
    if html is None:
        html = sheet_piece_html(renderer, sheet, place, draft=draft)
    return lay_out(Layout(html, place.output_dir, place.allowed_roots,
                          right_lang=sheet.languages[1]))


def sheet_specimen(renderer: Renderer, sheet: Sheet, place: Place,
                   lay_out: LayOut = here) -> Callable[[], Specimen]:
    """The footers that number the sheet's own PDF, laid out by ``lay_out``: stamped on
    its piece (:func:`~.stamp.stamped`, with its data files), they make that PDF, "page 1
    of N"."""
    return pending_specimen(renderer, (sheet.languages[0], sheet.languages[1]),
                            fonts_url=place.fonts_url, base_url=place.output_dir,
                            allowed_roots=place.allowed_roots, lay_out=lay_out)


def as_part(piece: bytes, sheet_id: str) -> bytes:
    """A sheet's piece as the compendium's part: its structure IDs made unique."""
    return with_unique_ids(piece, part_prefix(sheet_id))


def part_prefix(sheet_id: str) -> str:
    """What a part's structure IDs begin with: WeasyPrint's (``171-0-0``) are unique in
    one file only, and the parts are laid out one by one."""
    return f"{sheet_id}/"


def front_pdf(renderer: Renderer, project: Project, place: Place, languages: tuple[str, str],
              toc: Sequence[TocEntry], generated: dt.date, *, draft: bool) -> bytes:
    """The cover and the contents (the matrix, then every sheet: a sample's entry says so),
    without page numbers (stamped at the join)."""
    labels = renderer.labels_for(languages)
    locale_of = locales(labels, languages)
    sheets = list(project.sheets.values())
    html = renderer.render(
        "compendium.html.j2", part="front", languages=languages, labels=labels,
        toc=toc, placeholder=not toc or not toc[0].texts,
        sheets=sheets, samples=[False] + [sheet.sample for sheet in sheets],
        generated={lang: format_date(generated, "long", locale=locale_of[lang])
                   for lang in languages},
        draft=draft, stamped=True, fonts_url=place.fonts_url,
    )
    from .pdf import render_pdf

    return render_pdf(html, base_url=place.output_dir, allowed_roots=place.allowed_roots,
                      right_lang=languages[1])


def matrix_pdf(renderer: Renderer, project: Project, place: Place, languages: tuple[str, str],
               *, draft: bool) -> bytes:
    """Countries × years: how many activities named each country in each year; a table
    longer than a page repeats its header row on every page. Counts that include a sample
    sheet's activities say so below the title. No page numbers (stamped at the join)."""
    matrix = participation(project, languages[0])
    years = years_of(a for s in project.sheets.values() for a in s.activities())
    html = renderer.render(
        "compendium.html.j2", part="matrix", languages=languages,
        labels=renderer.labels_for(languages), matrix=matrix, years=years,
        samples=[sheet for sheet in project.sheets.values() if sheet.sample],
        country_name=project.country_name, draft=draft, stamped=True,
        fonts_url=place.fonts_url,
    )
    from .pdf import render_pdf

    return render_pdf(html, base_url=place.output_dir, allowed_roots=place.allowed_roots)


def specimens(renderer: Renderer, place: Place, languages: tuple[str, str],
              sheets: Sequence[Sheet], keep: KeepSpecimen | None = None) -> list[Specimen]:
    """The page numbers' specimen of each piece, in the order :func:`join` takes them: the
    front and the (landscape) matrix in the compendium's languages, each part in its
    sheet's."""
    def specimen(pair: Sequence[str], landscape: bool = False) -> Specimen:
        return specimen_for(renderer, (pair[0], pair[1]), fonts_url=place.fonts_url,
                            base_url=place.output_dir, allowed_roots=place.allowed_roots,
                            landscape=landscape, keep=keep)

    of_parts = {pair: specimen(pair) for pair in dict.fromkeys(
        (sheet.languages[0], sheet.languages[1]) for sheet in sheets)}
    return [specimen(languages), specimen(languages, landscape=True),
            *(of_parts[sheet.languages[0], sheet.languages[1]] for sheet in sheets)]


@contextlib.contextmanager
def open_parts(paths: Sequence[Path]) -> Iterator[dict[Path, pikepdf.Pdf]]:
    """Those of ``paths`` that can be opened, opened (for :func:`join`) until the end of
    the block: opening each takes qpdf a few milliseconds, which a rebuild spends while it
    waits for its edited sheets rather than after. One that cannot be opened is left for
    :func:`join` to meet, and report."""
    with contextlib.ExitStack() as stack:
        opened = {}
        for path in paths:
            with contextlib.suppress(OSError, pikepdf.PdfError):
                opened[path] = stack.enter_context(pikepdf.open(path))
        yield opened


def join(front: bytes, matrix: bytes, parts: Sequence[Path], toc: Sequence[TocEntry],
         numbers: Sequence[Specimen], attachments: Sequence[Attachment] = (),
         opened_parts: Mapping[Path, pikepdf.Pdf] | None = None) -> bytes:
    """The front's document with every other part's pages appended, one outline and one
    structure tree for all, every page numbered (``numbers``: the specimen of the front,
    the matrix and each part), and the data files attached (here, not to the front, so
    that an edit of the data lays out no front whose pages it does not change). Parts
    found in ``opened_parts`` are read from there (:func:`open_parts`), not opened again;
    they are left open."""
    kept = opened_parts or {}
    with pikepdf.open(io.BytesIO(front)) as document, contextlib.ExitStack() as sources:
        attach(document, attachments)
        opened = [sources.enter_context(pikepdf.open(io.BytesIO(matrix)))]
        opened += [kept[path] if path in kept else sources.enter_context(pikepdf.open(path))
                   for path in parts]
        runs = [(numbers[0], len(document.pages))]
        tree = StructureTree(document)
        outline_items = []
        for number, (source, entry, specimen) in enumerate(
                zip(opened, toc, numbers[1:], strict=True), start=1):
            offset = len(document.pages)
            titles = " / ".join(entry.texts.values())  # in the contents' languages
            item = pikepdf.OutlineItem(titles, offset)
            item.children.extend(copied_outline(source, offset))
            outline_items.append(item)
            document.pages.extend(source.pages)
            runs.append((specimen, len(source.pages)))
            # The matrix is laid out with the front; each part's IDs are its own.
            tree.append(source, document.pages[offset:], "matrix/" if number == 1 else None)
        tree.finish()
        stamp_page_numbers(document, runs)
        with document.open_outline() as outline:
            outline.root.extend(outline_items)
        return saved(document)
