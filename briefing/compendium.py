"""The compendium: every sheet, a participation matrix and a table of contents, as one PDF.

WeasyPrint's memory grows with the pages of one layout, so the compendium is
never laid out at once: each sheet is a part rendered on its own (in the worker
pool) with its pages numbered from where it will stand, then the parts are
joined with pikepdf. The order of work:

1. the front (cover and contents) is laid out with placeholder page numbers,
   only to learn how many pages it takes; the matrix follows it;
2. each sheet part starts after the pages before it, counted from the sheet's own
   PDF (same layout; only the footer differs); a part whose page count turns out
   different shifts the parts after it, which are rendered again;
3. the front is rendered with the real numbers, the parts joined, the outline
   built from each part's own outline.

Joining keeps the front's PDF/A metadata, output intent and attachments (every
data file) and every page's fonts; it drops the structure tree (tags) of the
parts, since merging parent trees is not supported by pikepdf.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pikepdf
from babel.dates import format_date

from .errors import BriefingError
from .html import Renderer, fonts_url
from .manifest import Entry, InputHasher, Manifest, pdf_pages
from .model import Sheet
from .output import Output, commit
from .pack_html import DEFAULT_LANGUAGES, locales
from .packs import participation, years_of
from .pdf import Attachment, render_pdf
from .pool import Job, JobResult, renderer_for
from .validate import COUNTRIES_FILE, LoadedProject

if TYPE_CHECKING:
    from .build import BuildOptions, BuildReport, Progress

COMPENDIUM_FILE = "compendium.pdf"
PARTS_DIR = ".parts"
#: Rounds of re-rendering parts whose page count differed from their sheet's.
MAX_ROUNDS = 3


@dataclass(frozen=True)
class TocEntry:
    texts: dict[str, str]
    page: int


def compendium_languages(sheets: Sequence[Sheet]) -> tuple[str, str]:
    """The first sheet's languages set the front and the matrix, as for a pack
    (:func:`briefing.pack_html.pack_languages`); each part prints its sheet's own."""
    for sheet in sheets:
        return sheet.languages[0], sheet.languages[1]
    return DEFAULT_LANGUAGES


def contents_texts(renderer: Renderer, sheets: Sequence[Sheet],
                   languages: tuple[str, str]) -> list[dict[str, str]]:
    """The title of each contents entry per language: the matrix, then every sheet."""
    names = [_labels(renderer, languages, "compendium", "matrix")]
    return names + [{lang: sheet.organisation.get(lang, "") for lang in languages}
                    for sheet in sheets]


def build_compendium(
    loaded: LoadedProject, options: BuildOptions, hasher: InputHasher, manifest: Manifest,
    report: BuildReport, tell: Progress, *, run: Callable[[list[Job]], list[JobResult]],
    generated: dt.date,
) -> None:
    """Build ``compendium.pdf`` unless it is up to date; a failure is added to ``report``."""
    target = options.output_dir / COMPENDIUM_FILE
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
    output = Output(target, content)
    changed = bool(commit([output]))
    (report.written if changed else report.unchanged).append(target)
    manifest.record(target, Entry(inputs, pdf_pages(content), len(content)))
    tell(f"{'built' if changed else 'unchanged'} compendium")


def assemble(loaded: LoadedProject, options: BuildOptions, hasher: InputHasher,
             manifest: Manifest, run: Callable[[list[Job]], list[JobResult]],
             generated: dt.date) -> bytes:
    renderer = renderer_for(options.paths.templates)
    from .build import data_attachments  # build imports this module

    sheets = list(loaded.project.sheets.values())
    languages = compendium_languages(sheets)
    names = contents_texts(renderer, sheets, languages)
    # The contents with every entry and wide placeholder numbers: only its length counts here.
    placeholder = [TocEntry(texts, 8888) for texts in names]
    front_pages = pdf_pages(_front(renderer, loaded, options, languages, placeholder,
                                     generated, []))
    pages = {s.id: (manifest.get(options.output_dir / f"{s.id}.pdf") or Entry("", 1, 0)).pages
             or 1 for s in sheets}
    parts_dir = options.output_dir / PARTS_DIR
    attachments = data_attachments(loaded, sheets)
    for _ in range(MAX_ROUNDS):
        matrix = _matrix(renderer, loaded, options, languages, first_page=front_pages + 1)
        first_sheet_page = front_pages + pdf_pages(matrix) + 1
        parts, pages = _render_parts(loaded, options, hasher, sheets, pages, first_sheet_page,
                                     parts_dir, run)
        toc = [TocEntry(names[0], front_pages + 1)]
        page = first_sheet_page
        for sheet, texts in zip(sheets, names[1:], strict=True):
            toc.append(TocEntry(texts, page))
            page += pages[sheet.id]
        front = _front(renderer, loaded, options, languages, toc, generated, attachments)
        if pdf_pages(front) == front_pages:
            joined = join(front, matrix, [(parts[s.id], s) for s in sheets], toc)
            _remove_stale_parts(parts_dir, set(parts.values()))
            return joined
        front_pages = pdf_pages(front)  # the real numbers wrapped otherwise: place again
    raise BriefingError("the contents' page count did not settle")


def _render_parts(loaded: LoadedProject, options: BuildOptions, hasher: InputHasher,
                  sheets: Sequence[Sheet], pages: dict[str, int], first_page: int,
                  parts_dir: Path, run: Callable[[list[Job]], list[JobResult]],
                  ) -> tuple[dict[str, Path], dict[str, int]]:
    """Each sheet's part, numbered from where it stands; reuses parts already rendered."""
    countries_file = options.paths.data / COUNTRIES_FILE
    for _ in range(MAX_ROUNDS):
        paths: dict[str, Path] = {}
        jobs = []
        start = first_page
        for sheet in sheets:
            inputs = hasher.inputs("compendium-part", [loaded.files[sheet.id], countries_file],
                                   {"draft": options.draft, "first_page": start})
            path = parts_dir / f"{sheet.id}-{inputs[:16]}.pdf"
            paths[sheet.id] = path
            if options.force or not path.exists():
                jobs.append(Job(f"compendium part {sheet.id}", inputs, (path,), part_task,
                                (sheet, start, path, options)))
            start += pages[sheet.id]
        results = run(jobs)
        failed = [r.error for r in results if r.error]
        if failed:
            raise BriefingError(f"{len(failed)} part(s) failed: " + "; ".join(failed))
        actual = {sheet.id: pdf_pages(paths[sheet.id].read_bytes()) for sheet in sheets}
        if actual == pages:
            return paths, pages
        pages = actual
    raise BriefingError("page counts of the parts did not settle")


def part_task(sheet: Sheet, first_page: int, path: Path, options: BuildOptions) -> list[Output]:
    """One sheet as a compendium part: the sheet's layout, pages numbered from ``first_page``."""
    renderer = renderer_for(options.paths.templates)
    html = renderer.sheet_html(sheet, draft=options.draft,
                               fonts_url=fonts_url(path.parent, options.paths.fonts),
                               first_page=first_page)
    return [Output(path, render_pdf(html, base_url=path.parent,
                                    allowed_roots=options.paths.fetchable))]


def _front(renderer: Renderer, loaded: LoadedProject, options: BuildOptions,
           languages: tuple[str, str], toc: Sequence[TocEntry], generated: dt.date,
           attachments: Sequence[Attachment]) -> bytes:
    labels = renderer.labels_for(languages)
    locale_of = locales(labels, languages)
    html = renderer.render(
        "compendium.html.j2", part="front", languages=languages, labels=labels,
        toc=toc, placeholder=not toc or not toc[0].texts,
        sheets=list(loaded.project.sheets.values()),
        generated={lang: format_date(generated, "long", locale=locale_of[lang])
                   for lang in languages},
        draft=options.draft, first_page=1,
        fonts_url=fonts_url(options.output_dir, options.paths.fonts),
    )
    return render_pdf(html, base_url=options.output_dir, allowed_roots=options.paths.fetchable,
                      attachments=attachments)


def _matrix(renderer: Renderer, loaded: LoadedProject, options: BuildOptions,
            languages: tuple[str, str], *, first_page: int) -> bytes:
    project = loaded.project
    matrix = participation(project)
    years = years_of(a for s in project.sheets.values() for a in s.activities())
    html = renderer.render(
        "compendium.html.j2", part="matrix", languages=languages,
        labels=renderer.labels_for(languages), matrix=matrix, years=years,
        country_name=project.country_name, draft=options.draft, first_page=first_page,
        fonts_url=fonts_url(options.output_dir, options.paths.fonts),
    )
    return render_pdf(html, base_url=options.output_dir, allowed_roots=options.paths.fetchable)


def _labels(renderer: Renderer, languages: tuple[str, str], group: str,
            key: str) -> dict[str, str]:
    labels = renderer.labels_for(languages)
    return {lang: str(labels[lang][group][key]) for lang in languages}


def join(front: bytes, matrix: bytes, parts: Sequence[tuple[Path, Sheet]],
         toc: Sequence[TocEntry]) -> bytes:
    """The front's document with every other part's pages appended, one outline for all."""
    with pikepdf.open(io.BytesIO(front)) as document:
        opened = [pikepdf.open(io.BytesIO(matrix))]
        opened += [pikepdf.open(path) for path, _ in parts]
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


def _remove_stale_parts(parts_dir: Path, keep: set[Path]) -> None:
    for path in parts_dir.glob("*.pdf"):
        if path not in keep:
            path.unlink(missing_ok=True)
