"""The compendium's assembly: every sheet, a participation matrix and a table of contents.

WeasyPrint's memory grows with the pages of one layout, so the compendium is
never laid out at once: each sheet is a part rendered on its own (in the worker
pool) with its pages numbered from where it will stand, then the parts are
joined (:func:`briefing.paged.compendium.join`), and the data files attached.
The order of work:

1. the front (cover and contents) is laid out with placeholder page numbers,
   only to learn how many pages it takes; the matrix likewise;
2. each sheet part starts after the pages before it, counted from the sheet's own
   PDF (same layout; only the footer differs); a part whose page count turns out
   different shifts the parts after it, which are rendered again;
3. the front is rendered with the real numbers, the parts joined, the outline
   built from each part's own outline.

Every footer says "page X of Y": each piece is rendered with the compendium's total,
counted from the same page counts; a total that turns out different (a part longer
than its sheet) renders the pieces again with the new one. Every piece — part, front,
matrix — is kept in ``reports/.parts/`` under the hash of what it prints, so that a
rebuild lays out only the pieces an edit changed (one activity's text: that sheet's
part; the front and the matrix only when a name, a count or a page number moves).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from ..core.files import read_bounded
from ..core.load import COUNTRIES_FILE, LoadedProject
from ..core.model import Sheet
from ..errors import BriefingError
from .manifest import Entry, InputHasher, Manifest
from .options import BuildOptions, BuildReport, Progress, compendium_path
from .output import Output, commit
from .pool import Job, JobResult, renderer_for
from .targets import data_attachments

PARTS_DIR = ".parts"
#: The largest part read back (a sheet's PDF is well under a MiB).
MAX_PART_BYTES = 256 * 1024 * 1024
#: Rounds of re-rendering parts whose page count differed from their sheet's.
MAX_ROUNDS = 3

RunJobs = Callable[[list[Job]], list[JobResult]]
# The paged layer (WeasyPrint) is imported where a compendium is rendered, not above: a
# build with nothing to render does not load it (most of a no-op rebuild's time).


def build_compendium(
    loaded: LoadedProject, options: BuildOptions, hasher: InputHasher, manifest: Manifest,
    report: BuildReport, tell: Progress, *, run: RunJobs, generated: dt.date,
) -> None:
    """Build ``compendium.pdf`` unless it is up to date; a failure is added to ``report``."""
    target = compendium_path(options)
    data_files = [options.paths.data / COUNTRIES_FILE, *loaded.files.values()]
    inputs = hasher.inputs("compendium", data_files, {"draft": options.draft})
    if not options.force and manifest.is_current([target], inputs):
        report.up_to_date.append(target)
        tell("up to date compendium")
        return
    try:
        content = assemble(loaded, options, hasher, manifest, run, generated)
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
    from ..paged.pdf import page_count

    (report.written if changed else report.unchanged).append(target)
    manifest.record(target, Entry(inputs, page_count(content), len(content)))
    manifest.save()
    tell(f"{'built' if changed else 'unchanged'} compendium")


def assemble(loaded: LoadedProject, options: BuildOptions, hasher: InputHasher,
             manifest: Manifest, run: RunJobs, generated: dt.date) -> bytes:
    from ..paged.compendium import (
        Place,
        TocEntry,
        compendium_languages,
        contents_texts,
        front_pdf,
        join,
        matrix_pdf,
    )

    renderer = renderer_for(options.paths.templates)
    sheets = list(loaded.project.sheets.values())
    languages = compendium_languages(sheets)
    names = contents_texts(renderer, sheets, languages)
    place = Place(options.output_dir, options.paths.fonts, options.paths.fetchable)
    draft = options.draft
    parts_dir = options.output_dir / PARTS_DIR
    pieces = _Pieces(parts_dir, hasher, options.force)
    countries_file = options.paths.data / COUNTRIES_FILE
    front_of = {"names": names, "samples": [s.sample for s in sheets], "draft": draft,
                "generated": generated.isoformat(), "languages": languages}
    matrix_of = {"languages": languages, "draft": draft, "counts": _counted(loaded, languages),
                 "samples": [s.organisation for s in sheets if s.sample]}

    def front(toc: list[TocEntry], total: int) -> Path:
        printed = {**front_of, "toc": [entry.page for entry in toc], "total": total}
        return pieces.get("front", [countries_file], printed, lambda: front_pdf(
            renderer, loaded.project, place, languages, toc, generated, draft=draft,
            total_pages=total))

    def matrix(first_page: int, total: int) -> Path:
        printed = {**matrix_of, "first_page": first_page, "total": total}
        return pieces.get("matrix", [countries_file], printed, lambda: matrix_pdf(
            renderer, loaded.project, place, languages, first_page=first_page, draft=draft,
            total_pages=total))

    # The lengths of the front (every entry, wide placeholder numbers) and of the matrix:
    # pieces of their own, rendered again only when what they print changes.
    unknown = 8888
    front_pages = pieces.pages(front([TocEntry(texts, unknown) for texts in names], unknown))
    matrix_pages = pieces.pages(matrix(unknown, unknown))
    pages = {s.id: (manifest.get(options.output_dir / f"{s.id}.pdf") or Entry("", 1, 0)).pages
             or 1 for s in sheets}
    for _ in range(MAX_ROUNDS + 1):
        total = front_pages + matrix_pages + sum(pages.values())
        matrix_path = matrix(front_pages + 1, total)
        if pieces.pages(matrix_path) != matrix_pages:
            matrix_pages = pieces.pages(matrix_path)
            continue  # the total was counted with another length of the matrix
        before = front_pages + matrix_pages
        parts, pages = _render_parts(loaded, options, hasher, sheets, pages, before + 1,
                                     parts_dir, run, before)
        if before + sum(pages.values()) != total:
            continue  # a part's length differed from its sheet's: every footer again
        toc = [TocEntry(names[0], front_pages + 1)]
        page = before + 1
        for sheet, texts in zip(sheets, names[1:], strict=True):
            toc.append(TocEntry(texts, page))
            page += pages[sheet.id]
        front_path = front(toc, total)
        if pieces.pages(front_path) == front_pages:
            joined = join(_read_part(front_path), _read_part(matrix_path),
                          [parts[s.id] for s in sheets], toc, data_attachments(loaded, sheets))
            _remove_stale_parts(parts_dir, {*parts.values(), *pieces.used})
            return joined
        front_pages = pieces.pages(front_path)  # the real numbers wrapped: place again
    raise BriefingError("the contents' page count did not settle")


def _counted(loaded: LoadedProject, languages: tuple[str, str]) -> list[object]:
    """What the matrix prints: per country (in order) its names and counts per year."""
    from ..core.packs import participation

    project = loaded.project
    return [[code, [project.country_name(code, lang) for lang in languages], sorted(years.items())]
            for code, years in participation(project, languages[0]).items()]


class _Pieces:
    """The compendium's own pieces (front, matrix), laid out once for what they print and
    kept beside the parts: a rebuild that changes neither lays neither out again."""

    def __init__(self, folder: Path, hasher: InputHasher, force: bool) -> None:
        self.folder = folder
        self.hasher = hasher
        self.force = force
        self.used: set[Path] = set()
        self._fresh: set[Path] = set()
        self._pages: dict[Path, int] = {}

    def get(self, kind: str, files: Sequence[Path], printed: dict[str, object],
            render: Callable[[], bytes]) -> Path:
        inputs = self.hasher.inputs(f"compendium-{kind}", files, printed)
        path = self.folder / f"{kind}-{inputs[:16]}.pdf"
        if (self.force and path not in self._fresh) or not path.exists():
            commit([Output(path, render())])
            self._fresh.add(path)
        self.used.add(path)
        return path

    def pages(self, path: Path) -> int:
        from ..paged.pdf import page_count

        if path not in self._pages:
            self._pages[path] = page_count(_read_part(path))
        return self._pages[path]


def _render_parts(loaded: LoadedProject, options: BuildOptions, hasher: InputHasher,
                  sheets: Sequence[Sheet], pages: dict[str, int], first_page: int,
                  parts_dir: Path, run: RunJobs,
                  before: int) -> tuple[dict[str, Path], dict[str, int]]:
    """Each sheet's part, numbered from where it stands, of the compendium's total (the
    ``before`` pages of the front and matrix, and the parts'); reuses parts already
    rendered."""
    from ..paged.compendium import PART_FORMAT
    from ..paged.pdf import page_count

    countries_file = options.paths.data / COUNTRIES_FILE
    for _ in range(MAX_ROUNDS):
        paths: dict[str, Path] = {}
        jobs = []
        start = first_page
        total = before + sum(pages.values())
        for sheet in sheets:
            inputs = hasher.inputs("compendium-part", [loaded.files[sheet.id], countries_file],
                                   {"draft": options.draft, "first_page": start,
                                    "total_pages": total, "format": PART_FORMAT})
            path = parts_dir / f"{sheet.id}-{inputs[:16]}.pdf"
            paths[sheet.id] = path
            if options.force or not path.exists():
                jobs.append(Job(f"compendium part {sheet.id}", inputs, (path,), part_task,
                                (sheet, start, path, options, total)))
            start += pages[sheet.id]
        results = run(jobs)
        failed = [r.error for r in results if r.error]
        if failed:
            raise BriefingError(f"{len(failed)} part(s) failed: " + "; ".join(failed))
        actual = {sheet.id: page_count(_read_part(paths[sheet.id])) for sheet in sheets}
        if actual == pages:
            return paths, pages
        pages = actual
    raise BriefingError("page counts of the parts did not settle")


def part_task(sheet: Sheet, first_page: int, path: Path, options: BuildOptions,
              total_pages: int) -> list[Output]:
    """One sheet as a compendium part: the sheet's layout, pages numbered from ``first_page``
    of ``total_pages``."""
    from ..paged.compendium import Place, part_pdf

    renderer = renderer_for(options.paths.templates)
    place = Place(path.parent, options.paths.fonts, options.paths.fetchable)
    return [Output(path, part_pdf(renderer, sheet, first_page, place, draft=options.draft,
                                  total_pages=total_pages))]


def _read_part(path: Path) -> bytes:
    try:
        return read_bounded(path, MAX_PART_BYTES, within=path.parent)
    except OSError as error:
        raise BriefingError(f"cannot read the part {path}: {error.strerror}") from None


def _remove_stale_parts(parts_dir: Path, keep: set[Path]) -> None:
    for path in parts_dir.glob("*.pdf"):
        if path not in keep:
            path.unlink(missing_ok=True)
