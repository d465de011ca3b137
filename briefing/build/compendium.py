"""The compendium's assembly: every sheet, a participation matrix and a table of contents.

WeasyPrint's memory grows with the pages of one layout, and every sheet is laid
out for its own PDF already, so the compendium is never laid out at once: it is
joined (:func:`briefing.paged.compendium.join`) from pieces laid out without page
numbers, and every page is numbered at the join (:mod:`briefing.paged.stamp`):

1. each sheet's part is the piece its sheet's job kept in ``reports/.parts/``
   (the same layout as the sheet's PDF); one missing is laid out in the pool;
2. the matrix is laid out once for what it prints;
3. the front (cover and contents) is laid out with placeholder page numbers, only
   to learn how many pages it takes, then with the real ones: each part starts
   after the pages before it, counted from the pieces;
4. the pieces are joined, the outline built from each one's own, every page
   stamped "page X of Y" in its piece's languages, the data files attached.

Every piece is kept under the hash of what it prints, so that a rebuild lays out
only the pieces an edit changed (one activity's text: that sheet's, which its
sheet's job lays out anyway; the front and the matrix only when a name, a count
or a page number moves). A sheet that grows a page lays out nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path

from ..core.load import COUNTRIES_FILE, LoadedProject
from ..core.model import Sheet
from ..errors import BriefingError
from .manifest import Entry, InputHasher, Manifest
from .options import PARTS_DIR, BuildOptions, BuildReport, Progress, compendium_path, piece_path
from .output import Output
from .pieces import SPECIMENS_DIR, PieceCache, kept_specimens
from .pool import Job, JobResult, renderer_for
from .targets import data_attachments, sheet_inputs

#: Rounds of laying out the front again when its page numbers made it longer.
MAX_ROUNDS = 3

RunJobs = Callable[[list[Job]], list[JobResult]]
# The paged layer (WeasyPrint) is imported where a compendium is rendered, not above: a
# build with nothing to render does not load it (most of a no-op rebuild's time).


def build_compendium(
    loaded: LoadedProject, options: BuildOptions, hasher: InputHasher, manifest: Manifest,
    report: BuildReport, tell: Progress, *, run: RunJobs, generated: dt.date,
    sheets_ready: Callable[[], None] = lambda: None,
) -> None:
    """Build ``compendium.pdf`` unless it is up to date; a failure is added to ``report``.
    ``sheets_ready`` waits for the sheets' jobs, if they run meanwhile (:func:`assemble`)."""
    target = compendium_path(options)
    data_files = [options.paths.data / COUNTRIES_FILE, *loaded.files.values()]
    inputs = hasher.inputs("compendium", data_files, {"draft": options.draft})
    if not options.force and manifest.is_current([target], inputs):
        report.up_to_date.append(target)
        tell("up to date compendium")
        return
    try:
        content, pages = assemble(loaded, options, hasher, manifest, run, generated,
                                  fresh=report.pieces, sheets_ready=sheets_ready)
    except BriefingError as error:
        report.failures.append(f"compendium: {error}")
        tell("failed compendium")
        return
    try:
        changed = bool(manifest.commit([Output(target, content)]))
    except BriefingError as error:
        report.failures.append(f"compendium: {error}")
        tell("failed compendium")
        return
    (report.written if changed else report.unchanged).append(target)
    manifest.record(target, Entry(inputs, pages, len(content)))
    manifest.save()
    tell(f"{'built' if changed else 'unchanged'} compendium")


def assemble(loaded: LoadedProject, options: BuildOptions, hasher: InputHasher,
             manifest: Manifest, run: RunJobs, generated: dt.date,
             fresh: Collection[Path] = (),
             sheets_ready: Callable[[], None] = lambda: None) -> tuple[bytes, int]:
    """The compendium's bytes and pages; ``fresh``: files this build has written already
    (its sheets' pieces among them once ``sheets_ready`` has returned: it waits for their
    jobs, which run meanwhile, :func:`.pipeline.sheets_first`)."""
    from ..paged.compendium import (
        Place,
        TocEntry,
        compendium_languages,
        contents_texts,
        front_pdf,
        join,
        matrix_pdf,
        open_parts,
        specimens,
    )

    renderer = renderer_for(options.paths.templates)
    sheets = list(loaded.project.sheets.values())
    languages = compendium_languages(sheets)
    names = contents_texts(renderer, sheets, languages)
    place = Place(options.output_dir, options.paths.fonts, options.paths.fetchable)
    draft = options.draft
    parts_dir = options.output_dir / PARTS_DIR
    pieces = PieceCache(parts_dir, "compendium", hasher.shared, force=options.force)
    countries_file = options.paths.data / COUNTRIES_FILE
    front_of = {"names": names, "samples": [s.sample for s in sheets], "draft": draft,
                "generated": generated.isoformat(), "languages": languages}
    matrix_of = {"languages": languages, "draft": draft, "counts": _counted(loaded, languages),
                 "samples": [s.organisation for s in sheets if s.sample]}

    def front(toc: list[TocEntry]) -> Path:
        printed = {**front_of, "toc": [entry.page for entry in toc]}
        return pieces.get("front", hasher.inputs("compendium-front", [countries_file],
                                                 printed), lambda: front_pdf(
            renderer, loaded.project, place, languages, toc, generated, draft=draft))

    def pages(path: Path) -> int:
        """A piece's page count; a sheet's as the manifest recorded it when its job wrote
        it (an entry stands only for a file on disk as recorded)."""
        entry = manifest.get(path)
        if entry is not None and entry.pages is not None and path.is_file() \
                and path.stat().st_size == entry.bytes:
            return entry.pages
        return pieces.pages(path)

    paths = _part_paths(loaded, options, hasher, sheets)
    matrix = pieces.get("matrix", hasher.inputs("compendium-matrix", [countries_file],
                                                matrix_of), lambda: matrix_pdf(
        renderer, loaded.project, place, languages, draft=draft))
    # The front's length: every entry, with wide placeholder page numbers (kept too: the
    # next build starts from it).
    placeholder = front([TocEntry(texts, 8888) for texts in names])
    front_pages = pieces.pages(placeholder)
    # The parts kept already (a forced build lays every one out again), opened while the
    # sheets' jobs write the others.
    kept = [] if options.force else [path for path, _ in paths.values()]
    with open_parts(kept) as opened:
        sheets_ready()
        parts = _sheet_parts(options, sheets, paths, run, fresh)
        for _ in range(MAX_ROUNDS + 1):
            page = front_pages + 1
            toc = []
            for path, texts in zip([matrix, *(parts[s.id] for s in sheets)], names,
                                   strict=True):
                toc.append(TocEntry(texts, page))
                page += pages(path)
            front_path = front(toc)
            if pieces.pages(front_path) == front_pages:
                joined = join(pieces.read(front_path), pieces.read(matrix),
                              [parts[s.id] for s in sheets], toc,
                              specimens(renderer, place, languages, sheets, kept_specimens(
                                  parts_dir / SPECIMENS_DIR, hasher.shared,
                                  force=options.force)),
                              data_attachments(loaded, sheets), opened_parts=opened)
                _remove_stale_parts(parts_dir, {*parts.values(), matrix, placeholder,
                                                front_path}, manifest)
                return joined, page - 1
            front_pages = pieces.pages(front_path)  # the real numbers wrapped: place again
    raise BriefingError("the contents' page count did not settle")


def _counted(loaded: LoadedProject, languages: tuple[str, str]) -> list[object]:
    """What the matrix prints: per country its names and counts per year (the order of the
    rows follows from the names)."""
    from ..core.packs import counted_participation

    project = loaded.project
    return [[code, [project.country_name(code, lang) for lang in languages], sorted(years.items())]
            for code, years in sorted(counted_participation(project).items())]


def _part_paths(loaded: LoadedProject, options: BuildOptions, hasher: InputHasher,
                sheets: Sequence[Sheet]) -> dict[str, tuple[Path, str]]:
    """Where each sheet's piece is kept, as its sheet's job keeps it
    (:func:`.targets.render_sheet`), and its inputs."""
    paths = {}
    for sheet in sheets:
        inputs = sheet_inputs(loaded, sheet.id, hasher, options, draft=options.draft)
        paths[sheet.id] = piece_path(sheet.id, inputs, options), inputs
    return paths


def _sheet_parts(options: BuildOptions, sheets: Sequence[Sheet],
                 paths: Mapping[str, tuple[Path, str]], run: RunJobs,
                 fresh: Collection[Path]) -> dict[str, Path]:
    """Each sheet's piece (:func:`_part_paths`); one missing (a sheet built before, or a
    draft compendium of a finished sheet) is laid out."""
    jobs = []
    for sheet in sheets:
        path, inputs = paths[sheet.id]
        if (options.force and path not in fresh) or not path.exists():
            jobs.append(Job(f"compendium part {sheet.id}", inputs, (path,), part_task,
                            (sheet, path, options)))
    failed = [result.error for result in run(jobs) if result.error]
    if failed:
        raise BriefingError(f"{len(failed)} part(s) failed: " + "; ".join(failed))
    return {sheet_id: path for sheet_id, (path, _) in paths.items()}


def part_task(sheet: Sheet, path: Path, options: BuildOptions) -> list[Output]:
    """One sheet's piece, laid out as its sheet's job does, kept for the compendium."""
    from ..paged.compendium import Place, as_part, sheet_piece

    renderer = renderer_for(options.paths.templates)
    place = Place(options.output_dir, options.paths.fonts, options.paths.fetchable)
    piece = sheet_piece(renderer, sheet, place, draft=options.draft)()
    return [Output(path, as_part(piece, sheet.id))]


def _remove_stale_parts(parts_dir: Path, keep: set[Path], manifest: Manifest) -> None:
    """Remove the pieces neither this compendium nor a sheet's recorded outputs use."""
    for path in parts_dir.glob("*.pdf"):
        if path not in keep and manifest.get(path) is None:
            path.unlink(missing_ok=True)
