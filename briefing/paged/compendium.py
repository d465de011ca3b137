"""The compendium's pieces as PDF: front (cover, contents), matrix, sheet parts, and the join.

Which pieces to render and in which order is :mod:`briefing.build.compendium`'s;
this module lays each one out and joins them with pikepdf. Joining keeps the
front's PDF/A metadata, output intent and attachments (every data file) and
every page's fonts; it drops the structure tree (tags) of the parts, since
merging parent trees is not supported by pikepdf.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from babel.dates import format_date

from ..core.labels import locales
from ..core.model import Project, Sheet
from ..core.packs import DEFAULT_LANGUAGES, participation, years_of
from .pdf import Attachment, render_pdf
from .render import Renderer, fonts_url


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
             draft: bool) -> bytes:
    """One sheet as a compendium part: the sheet's layout, pages numbered from ``first_page``."""
    html = renderer.sheet_html(sheet, draft=draft, fonts_url=place.fonts_url,
                               first_page=first_page)
    return render_pdf(html, base_url=place.output_dir, allowed_roots=place.allowed_roots)


def front_pdf(renderer: Renderer, project: Project, place: Place, languages: tuple[str, str],
              toc: Sequence[TocEntry], generated: dt.date, attachments: Sequence[Attachment],
              *, draft: bool) -> bytes:
    """The cover and the contents."""
    labels = renderer.labels_for(languages)
    locale_of = locales(labels, languages)
    html = renderer.render(
        "compendium.html.j2", part="front", languages=languages, labels=labels,
        toc=toc, placeholder=not toc or not toc[0].texts,
        sheets=list(project.sheets.values()),
        generated={lang: format_date(generated, "long", locale=locale_of[lang])
                   for lang in languages},
        draft=draft, first_page=1, fonts_url=place.fonts_url,
    )
    return render_pdf(html, base_url=place.output_dir, allowed_roots=place.allowed_roots,
                      attachments=attachments)


def matrix_pdf(renderer: Renderer, project: Project, place: Place, languages: tuple[str, str],
               *, first_page: int, draft: bool) -> bytes:
    """Countries × years: how many activities named each country in each year."""
    matrix = participation(project, languages[0])
    years = years_of(a for s in project.sheets.values() for a in s.activities())
    html = renderer.render(
        "compendium.html.j2", part="matrix", languages=languages,
        labels=renderer.labels_for(languages), matrix=matrix, years=years,
        country_name=project.country_name, draft=draft, first_page=first_page,
        fonts_url=place.fonts_url,
    )
    return render_pdf(html, base_url=place.output_dir, allowed_roots=place.allowed_roots)


def join(front: bytes, matrix: bytes, parts: Sequence[Path], toc: Sequence[TocEntry]) -> bytes:
    """The front's document with every other part's pages appended, one outline for all."""
    with pikepdf.open(io.BytesIO(front)) as document:
        opened = [pikepdf.open(io.BytesIO(matrix))]
        opened += [pikepdf.open(path) for path in parts]
        try:
            outline_items = []
            for source, entry in zip(opened, toc, strict=True):
                offset = len(document.pages)
                titles = " / ".join(entry.texts.values())  # in the contents' languages
                item = pikepdf.OutlineItem(titles, offset)
                item.children.extend(_copied_outline(source, offset))
                outline_items.append(item)
                document.pages.extend(source.pages)
            _untag(document)
            with document.open_outline() as outline:
                outline.root.extend(outline_items)
            out = io.BytesIO()
            document.save(out, deterministic_id=True, compress_streams=True)
        finally:
            for source in opened:
                source.close()
    return out.getvalue()


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


def _untag(document: pikepdf.Pdf) -> None:
    """Drop the structure tree: it covers the front only, and would lie about the rest."""
    for key in ("/StructTreeRoot", "/MarkInfo"):
        if key in document.Root:
            del document.Root[key]
    for page in document.pages:
        if "/StructParents" in page.obj:
            del page.obj["/StructParents"]
