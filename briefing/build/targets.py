"""The documents a build makes, each a job for the worker pool: plan, then one task each.

A task runs in a worker with the part of the project it needs and returns its
files staged in memory (:class:`~briefing.build.output.Output`); the pool
writes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.files import read_bounded
from ..core.load import COUNTRIES_FILE, SHEETS_DIR, LoadedProject
from ..core.model import Sheet
from ..core.packs import (
    OrganisationPart,
    Pack,
    country_pack,
    pack_languages,
    printed_data,
    printed_units,
    sheets_naming,
)
from ..core.yamlio import MAX_FILE_BYTES
from ..errors import RenderError, UsageError
from ..paged.render import Renderer, fonts_url
from .cache import PackPlan
from .manifest import InputHasher
from .options import (
    PACKS_DIR,
    PARTS_DIR,
    BuildOptions,
    generation_date,
    pack_paths,
    piece_path,
    sheet_paths,
    wanted_targets,
)
from .output import Output
from .pieces import SHARED_PIECES, SPECIMENS_DIR, PieceCache, kept_specimens
from .pool import Job, renderer_for
from .unfinished import Unfinished, Verdict

if TYPE_CHECKING:
    from ..paged.pdffile import Attachment
    from .cache import BuildCache

# The format layers (WeasyPrint, python-docx) are imported where a document is rendered,
# in a worker: a build with nothing to render does not load them.


@dataclass
class Plan:
    """The jobs of a build, and a line for each document held back by ``check``'s errors."""

    jobs: list[Job] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    #: The outputs of the documents held back: left as they were.
    held_paths: list[Path] = field(default_factory=list)
    #: The compendium's verdict (assembled after the jobs); ``None`` if not asked for.
    compendium: Verdict | None = None

    @property
    def compendium_to_build(self) -> Verdict | None:
        """The compendium's verdict if it is to be built (asked for, and not held)."""
        return self.compendium if self.compendium is not None and \
            not self.compendium.held else None

    @property
    def all_held(self) -> bool:
        """Every document asked for is held back: nothing is to be written."""
        return bool(self.held) and not self.jobs and self.compendium_to_build is None


def plan(loaded: LoadedProject, options: BuildOptions, hasher: InputHasher,
         cache: BuildCache | None = None, unfinished: Unfinished | None = None) -> Plan:
    """The sheet and pack jobs of this build, each with the hash of its inputs, and the
    compendium's verdict; a document that prints a unit with an error is held back (a
    draft build makes it, with placeholders, as its only draft). With ``cache``, a pack's
    plan, computed from what it prints, is remembered for the same data, so that a rebuild
    with nothing changed does not lay out any pack."""
    unfinished = unfinished if unfinished is not None else Unfinished(options.draft)
    planned = Plan()
    targets = wanted_targets(options)
    countries_file = options.paths.data / COUNTRIES_FILE
    if "sheets" in targets:
        for sheet_id in loaded.project.sheets:
            name = f"sheet {sheet_id}"
            verdict = unfinished.verdict({sheet_id: None})
            if verdict.held:
                planned.held.append(verdict.failure(name))
                planned.held_paths.extend(sheet_paths(sheet_id, options))
                continue
            inputs = sheet_inputs(loaded, sheet_id, hasher, options, draft=verdict.draft)
            piece = piece_path(sheet_id, inputs, options)
            planned.jobs.append(Job(
                name, inputs, (*sheet_paths(sheet_id, options), piece), sheet_task,
                (sheet_id, slim(loaded, [sheet_id]), replace(options, draft=verdict.draft),
                 piece)))
    if "packs" in targets:
        generated = generation_date(options)
        naming = sheets_naming(loaded.project)
        for country in pack_countries(naming, options.countries):
            def pack_plan(country: str = country) -> PackPlan:
                pack = country_pack(loaded.project, country)
                ids = tuple(sheet.id for sheet in pack.sheets)
                verdict = unfinished.verdict(printed_units(pack)) \
                    if unfinished.touches(ids) else Verdict()
                inputs = hasher.inputs("pack", [countries_file],
                                       {"draft": verdict.draft, "country": country,
                                        "data": printed_data(pack)})
                return PackPlan(inputs, ids, verdict.draft, verdict.held)

            known = (f"{country}\0{hasher.shared}\0{generated}\0"
                     f"{unfinished.fingerprint(naming[country])}")
            pack = pack_plan() if cache is None else \
                cache.pack(loaded, known, naming[country], pack_plan)
            name = f"pack {country}"
            if pack.held:
                planned.held.append(Verdict(pack.held).failure(name))
                planned.held_paths.extend(pack_paths(country, options))
                continue
            planned.jobs.append(Job(
                name, pack.inputs, tuple(pack_paths(country, options)), pack_task,
                (country, slim(loaded, pack.sheets), replace(options, draft=pack.draft),
                 generated, hasher.shared)))
    if "compendium" in targets:
        planned.compendium = unfinished.verdict(dict.fromkeys(loaded.project.sheets))
        if planned.compendium.held:
            planned.held.append(planned.compendium.failure("compendium"))
    return planned


#: Changes whenever a sheet's piece changes beyond its HTML (how it is numbered, its IDs):
#: pieces, and the sheets made from them, of another format are made again.
PIECE_FORMAT = 3


def sheet_inputs(loaded: LoadedProject, sheet_id: str, hasher: InputHasher,
                 options: BuildOptions, *, draft: bool) -> str:
    """The hash of what a sheet's documents, and its piece, are made from."""
    countries_file = options.paths.data / COUNTRIES_FILE
    return hasher.inputs("sheet", [loaded.files[sheet_id], countries_file],
                         {"draft": draft, "format": PIECE_FORMAT})


def pack_countries(naming: Mapping[str, Sequence[str]], only: Sequence[str] | None) -> list[str]:
    """The countries to make a pack of: those ``naming`` has (each with the sheets naming
    it, :func:`~briefing.core.packs.sheets_naming`), or of them, those ``only`` asks for."""
    named = sorted(naming)
    if only is None:
        return named
    wanted = [code.upper() for code in only]
    unknown = [code for code in wanted if code not in named]
    if unknown:
        raise UsageError(f"no activity names {', '.join(unknown)}; countries with a pack: "
                         f"{', '.join(named)}")
    return [code for code in named if code in wanted]


def slim(loaded: LoadedProject, sheet_ids: Sequence[str]) -> LoadedProject:
    """The part of the project a job needs, so that little is sent to each worker."""
    return loaded.only(sheet_ids)


def sheet_task(sheet_id: str, loaded: LoadedProject, options: BuildOptions,
               piece: Path) -> list[Output]:
    sheet = loaded.project.sheets[sheet_id]
    return render_sheet(sheet, loaded, renderer_for(options.paths.templates), options, piece)


def render_sheet(sheet: Sheet, loaded: LoadedProject, renderer: Renderer,
                 options: BuildOptions, piece: Path | None = None) -> list[Output]:
    """The sheet's HTML (the very document WeasyPrint lays out; its page numbers are
    stamped after), its PDF and its DOCX; and its piece, kept at ``piece`` for the
    compendium: the PDF's layout before it is numbered. Its pages are laid out by the
    build's layout process if it has one (:func:`.early.layout`), the DOCX written here
    meanwhile."""
    from ..paged.compendium import (
        Place,
        as_part,
        sheet_piece,
        sheet_piece_html,
        sheet_specimen,
    )
    from ..paged.stamp import stamped
    from ..word.sheet import render_docx
    from .early import layout

    output_dir = options.output_dir
    lay_out = layout()
    place = Place(output_dir, options.paths.fonts, options.paths.fetchable)
    html = sheet_piece_html(renderer, sheet, place, draft=options.draft)
    # The footers first: ready as the sheet's pages are, which are waited for last.
    specimen = sheet_specimen(renderer, sheet, place, lay_out)
    laying_out = sheet_piece(renderer, sheet, place, draft=options.draft, html=html,
                             lay_out=lay_out)
    docx = render_docx(sheet, renderer.labels_for(sheet.languages), draft=options.draft)
    laid_out = laying_out()
    pdf = stamped(laid_out, specimen(), data_attachments(loaded, [sheet]))
    outputs = [
        Output(output_dir / f"{sheet.id}.html", html.encode("utf-8")),
        Output(output_dir / f"{sheet.id}.pdf", pdf),
        Output(output_dir / f"{sheet.id}.docx", docx),
    ]
    if piece is not None:
        outputs.append(Output(piece, as_part(laid_out, sheet.id)))
    return outputs


def pack_task(country: str, loaded: LoadedProject, options: BuildOptions,
              generated: dt.date, shared: str = "") -> list[Output]:
    pack = country_pack(loaded.project, country)
    return render_pack(pack, loaded, renderer_for(options.paths.templates), options, generated,
                       shared)


def render_pack(pack: Pack, loaded: LoadedProject, renderer: Renderer, options: BuildOptions,
                generated: dt.date, shared: str = "") -> list[Output]:
    """A country's pack as PDF and DOCX. The PDF is joined from pieces kept in
    ``reports/.parts/packs/`` (:mod:`.pieces`), each laid out only when its HTML changed:
    each organisation's activities with the country; its description and contacts, the
    same in every pack naming it; the running headers those shared pages get in this pack;
    and the front, which prints where each part starts."""
    from ..paged.pack import Headers, PartPieces, join_pack, pack_layout, part_piece
    from ..paged.pdf import render_pdf
    from ..paged.stamp import specimen_for
    from ..word.pack import render_pack_docx

    pdf_path, docx_path = pack_paths(pack.country, options)
    languages = pack_languages(pack)
    base, roots = pdf_path.parent, options.paths.fetchable
    url = fonts_url(pdf_path.parent, options.paths.fonts)
    layout = pack_layout(renderer, pack, loaded.project, draft=options.draft, fonts_url=url,
                         generated=generated)
    folder = options.output_dir / PARTS_DIR / PACKS_DIR
    pieces = PieceCache(folder, pack.country.lower(), shared, force=options.force)
    abouts = PieceCache(folder, SHARED_PIECES, shared, force=options.force, touch=True)

    def laid_out(cache: PieceCache, name: str, html: str, prefix: str) -> Path:
        return cache.get(name, html, lambda: part_piece(
            html, prefix, base_url=base, allowed_roots=roots, right_lang=languages[1]))

    def part_of(part: OrganisationPart) -> PartPieces:
        about = layout.about_html(part)
        return PartPieces(
            # Named by its anchor (org-<id>): no sheet's id can take the front's name.
            laid_out(pieces, part.anchor, layout.part_html(part), f"{part.anchor}/"),
            None if about is None else
            laid_out(abouts, part.sheet.id, about, f"{part.anchor}-about/"))

    parts = [part_of(part) for part in layout.parts]
    lengths = [pieces.pages(part.activities) + (abouts.pages(part.about) if part.about else 0)
               for part in parts]

    # The front, laid out once: its contents' page numbers are counted on a stub page per
    # part after it, which is left out.
    front_html = layout.front_html(lengths)
    front_path = pieces.get("front", front_html, lambda: render_pdf(
        front_html, base_url=base, allowed_roots=roots, right_lang=languages[1],
        stubs=len(parts)))
    front_pages = pieces.pages(front_path)
    headers = layout.headers_html()
    headers_path = pieces.get("headers", headers, lambda: render_pdf(
        headers, base_url=base, allowed_roots=roots))
    numbers = specimen_for(renderer, languages, fonts_url=url, base_url=base,
                           allowed_roots=roots, keep=kept_specimens(
                               options.output_dir / PARTS_DIR / SPECIMENS_DIR, shared,
                               force=options.force))
    pdf = join_pack(pieces.read(front_path), parts, Headers(pieces.read(headers_path)),
                    numbers)
    pieces.keep_only({*(part.activities for part in parts), front_path, headers_path})
    labels = renderer.labels_for(languages)
    docx = render_pack_docx(pack, loaded.project, labels, draft=options.draft,
                            generated=generated, fonts_dir=options.paths.fonts)
    return [Output(pdf_path, pdf, front_pages + sum(lengths)), Output(docx_path, docx)]


def data_attachments(loaded: LoadedProject, sheets: Sequence[Sheet]) -> list[Attachment]:
    """Each sheet's data file and the country names, attached to the PDF drawn from them,
    so that the PDF alone can rebuild it."""
    from ..paged.pdffile import Attachment

    attachments = []
    countries_file = None
    for sheet in sheets:
        sheet_file = loaded.files[sheet.id]
        data_dir = sheet_file.parent.parent
        countries_file = data_dir / COUNTRIES_FILE
        attachments.append(Attachment(f"data/{SHEETS_DIR}/{sheet_file.name}",
                                      _data_file(sheet_file, data_dir),
                                      f"Source data of the sheet {sheet.id}"))
    if countries_file is not None:
        attachments.append(Attachment(f"data/{COUNTRIES_FILE}",
                                      _data_file(countries_file, countries_file.parent),
                                      "Country names the document refers to"))
    return attachments


def _data_file(path: Path, data_dir: Path) -> bytes:
    """A data file's bytes, to attach: only from inside ``data/``, and no larger than the
    YAML reader takes."""
    try:
        return read_bounded(path, MAX_FILE_BYTES, within=data_dir)
    except OSError as error:
        shown = f"data/{path.relative_to(data_dir).as_posix()}"
        raise RenderError(f"{shown}: cannot read: {error.strerror}") from None
