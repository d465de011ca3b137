"""A country's pack as PDF: its pieces' HTML, each piece laid out, and the join.

What the pack holds, its parts per organisation and its briefing page are
:mod:`briefing.core.packs`'; this module hands them to the templates
(``pack-part.html.j2`` for each organisation's part, ``pack.html.j2`` for the front,
with the timeline drawing) and joins the laid-out pieces. Each part is laid out on
its own, so that a rebuild lays out only the parts whose HTML changed
(:func:`briefing.build.targets.render_pack` keeps them); the front prints where
each part starts, and the join makes one document of them, numbered page by page
(:mod:`.stamp`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from babel.dates import format_date
from markupsafe import Markup

from .. import style
from ..core.labels import locales
from ..core.load import COUNTRIES_FILE, SHEETS_DIR
from ..core.model import Project
from ..core.packs import OrganisationPart, Pack, pack_briefing, pack_languages, pack_parts
from ..core.timeline import timeline_alt, timeline_description, timeline_marks
from .join import Destinations, StructureTree, copied_outline, saved, with_unique_ids
from .pdf import render_pdf
from .render import Renderer
from .stamp import Headers, Specimen, stamp_page_numbers
from .timeline import timeline_svg

__all__ = ["Headers", "PackLayout", "PartPieces", "join_pack", "pack_layout", "pack_sources",
           "part_piece", "timeline_description"]


@dataclass(frozen=True)
class PackLayout:
    """A pack's HTML as pieces: each organisation's part, laid out on its own, and the
    front (the briefing, the contents, the timeline), which prints where each part
    starts. The rest of the pack's context is computed once for all of them."""

    renderer: Renderer
    context: dict[str, Any]
    parts: tuple[OrganisationPart, ...]

    def part_html(self, part: OrganisationPart) -> str:
        """The organisation's activities with the country, as this pack numbers them."""
        return self.renderer.render("pack-part.html.j2", part=part, **self.context)

    def about_html(self, part: OrganisationPart) -> str | None:
        """The organisation's description and contacts, the same in every pack (with the
        same languages and draft mark): ``None`` if it has neither."""
        if not part.about and not part.contacts:
            return None
        shared = {key: self.context[key] for key in
                  ("languages", "labels", "organisation_colours", "draft", "stamped",
                   "fonts_url")}
        return self.renderer.render("pack-about.html.j2", part=part, **shared)

    def headers_html(self) -> str:
        """One page per organisation, headed as its pages are (:class:`.stamp.Headers`)."""
        return self.renderer.render("_headers.html.j2", parts=self.parts, **self.context)

    def front_html(self, lengths: Sequence[int]) -> str:
        """The front, then a stub page per part, on which its contents count where each
        part starts: ``lengths`` gives each part's pages, in order. Laid out, the stubs
        are left out (:func:`~.pdf.render_pdf`'s ``stubs``: one per part)."""
        return self.renderer.render("pack.html.j2", parts=self.parts,
                                    part_lengths=list(lengths), **self.context)


def pack_layout(renderer: Renderer, pack: Pack, project: Project, *, draft: bool,
                fonts_url: str, generated: dt.date) -> PackLayout:
    """The pack's pieces' HTML; ``generated`` is the build date, printed on page one and
    dividing the latest activities from the planned ones."""
    languages = pack_languages(pack)
    labels = renderer.labels_for(languages)
    locale_of = locales(labels, languages)
    parts = pack_parts(pack, project, locale_of)
    described = timeline_alt(pack, labels, locale_of)
    context = dict(
        pack=pack,
        country={lang: project.country_name(pack.country, lang) for lang in languages},
        languages=languages,
        labels=labels,
        generated={lang: format_date(generated, "long", locale=locale_of[lang])
                   for lang in languages},
        briefing=pack_briefing(pack, parts, locale_of, generated),
        # Built by ElementTree, which escapes all text.
        timeline=Markup(timeline_svg(timeline_marks(parts), title=described, today=generated)),
        organisation_colours=len(style.ORGANISATION_COLOURS),
        sources=pack_sources(pack),
        draft=draft,
        stamped=True,
        fonts_url=fonts_url,
    )
    return PackLayout(renderer, context, parts)


def part_piece(html: str, prefix: str, *, base_url: Path, allowed_roots: Sequence[Path],
               right_lang: str) -> bytes:
    """A piece of a pack laid out, its structure IDs made its own by ``prefix`` (the join
    reads them as they are)."""
    pdf = render_pdf(html, base_url=base_url, allowed_roots=allowed_roots,
                     right_lang=right_lang)
    return with_unique_ids(pdf, prefix)


@dataclass(frozen=True)
class PartPieces:
    """An organisation's part of a pack as laid out: its activities with the country, and
    its description and contacts (shared with every pack naming it), if any."""

    activities: Path
    about: Path | None


def join_pack(front: bytes, parts: Sequence[PartPieces], headers: Headers,
              numbers: Specimen) -> bytes:
    """The front's document with each part's pages after it: the parts' outlines below the
    country's, their named destinations (the contents' links) pointing at their pages,
    their structure trees as ``/Part`` s of the front's, the shared pages headed for this
    pack (part ``i`` as page ``i`` of ``headers``), every page numbered."""
    with pikepdf.open(io.BytesIO(front)) as document, contextlib.ExitStack() as sources:
        tree = StructureTree(document)
        destinations = Destinations(document)
        children = []
        for index, part in enumerate(parts):
            for path in (part.activities, part.about):
                if path is None:
                    continue
                source = sources.enter_context(pikepdf.open(path))
                offset = len(document.pages)
                children.extend(copied_outline(source, offset))
                document.pages.extend(source.pages)
                tree.append(source, document.pages[offset:], None)
                destinations.take(source, offset)
                if path is part.about:
                    headers.stamp(document, document.pages[offset:], index)
        tree.finish()
        destinations.write()
        stamp_page_numbers(document, [(numbers, len(document.pages))])
        with document.open_outline() as outline:
            if outline.root:  # the country, above its timeline
                outline.root[0].children.extend(children)
            else:
                outline.root.extend(children)
        return saved(document)


def pack_sources(pack: Pack) -> list[str]:
    """The data files the pack draws on, as its PDF's metadata names them (no page does)."""
    return [*(f"data/{SHEETS_DIR}/{sheet.id}.yaml" for sheet in pack.sheets),
            f"data/{COUNTRIES_FILE}"]
