"""The build, as named stages: load → refuse unfinished → plan → render → compendium → manifest.

This is the only module that strings the stages together; the command line
calls :func:`build` and nothing else for it. Each document (a sheet, a country's
pack, a part of the compendium) is one job of the worker pool; a job whose
inputs have not changed since the manifest recorded them is not run at all.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .compendium import build_compendium
from .docx_write import render_docx
from .errors import BuildFailedError, UsageError
from .html import Renderer, fonts_url
from .manifest import InputHasher, Manifest
from .model import Project, Sheet
from .output import Output, commit
from .pack_docx import render_pack_docx
from .pack_html import pack_html, pack_languages
from .packs import Pack, countries_named, country_pack, printed_data
from .pdf import Attachment, render_pdf
from .pool import Job, JobResult, ProgressDisplay, default_workers, renderer_for, run_jobs
from .validate import (
    COUNTRIES_FILE,
    SHEETS_DIR,
    LoadedProject,
    load_project,
)

#: What a build can make; a build with no targets named makes them all.
TARGETS = ("sheets", "packs", "compendium")
PACKS_DIR = "packs"


@dataclass(frozen=True)
class ProjectPaths:
    """Where a project keeps its inputs; outputs go to ``reports`` unless told otherwise."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def fonts(self) -> Path:
        return self.root / "fonts"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def fetchable(self) -> tuple[Path, ...]:
        """The only folders a renderer may read from."""
        return self.templates, self.fonts, self.data


@dataclass(frozen=True)
class BuildOptions:
    paths: ProjectPaths
    output_dir: Path
    draft: bool = False
    #: Only these sheets (and then only their own documents, no packs or compendium).
    sheets: Sequence[str] | None = None
    targets: Sequence[str] = TARGETS
    #: Only the packs of these countries (ISO codes).
    countries: Sequence[str] | None = None
    #: Worker processes; ``None`` is one per core.
    workers: int | None = None
    #: Rebuild even what the manifest says is up to date.
    force: bool = False
    #: The date printed as the generation date; ``None`` is SOURCE_DATE_EPOCH's, else today.
    generated: dt.date | None = None


@dataclass
class BuildReport:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


Progress = Callable[[str], None]


def build(
    options: BuildOptions, progress: Progress | None = None, warn: Progress | None = None
) -> BuildReport:
    """Build the documents asked for; a document that fails leaves the others (and its own
    previous output) as they were, and the build then raises :class:`BuildFailedError`.
    ``warn`` receives the findings of ``check`` that do not stop the build."""
    loaded = load(options)
    refuse_unfinished(loaded, draft=options.draft, warn=warn)
    renderer_for.cache_clear()  # labels.yaml may have changed since the last build here
    hasher = InputHasher(_version(), [options.paths.templates, options.paths.fonts])
    manifest = Manifest.load(options.output_dir)
    report = BuildReport()
    tell = progress or (lambda line: None)
    jobs = plan(loaded, options, hasher)
    pending = leave_out_current(jobs, manifest, options, report)
    expect(progress, len(pending) + ("compendium" in wanted_targets(options)))
    run_stage(pending, options, manifest, report, tell)
    if "compendium" in wanted_targets(options):
        def run_parts(part_jobs: list[Job]) -> list[JobResult]:
            expect(progress, len(part_jobs))
            return run_stage(part_jobs, options, None, BuildReport(), tell)

        build_compendium(loaded, options, hasher, manifest, report, tell, run=run_parts,
                         generated=generation_date(options))
    save_manifest(manifest, jobs, options, report)
    if report.failures:
        raise BuildFailedError(report.failures)
    return report


def load(options: BuildOptions) -> LoadedProject:
    return load_project(options.paths.data, options.paths.root, options.sheets)


def refuse_unfinished(
    loaded: LoadedProject, *, draft: bool, warn: Progress | None = None
) -> None:
    """A final build refuses while ``check`` finds errors (a missing translation is one);
    a draft builds anyway, with placeholders. Warnings never stop a build: they are
    passed to ``warn``, as are a draft's errors."""
    from .checks import CheckFailedError, build_findings

    findings = build_findings(loaded)
    errors = [finding for finding in findings if finding.severity == "error"]
    if errors and not draft:
        raise CheckFailedError(errors)
    if warn is not None:
        for finding in findings:
            warn(str(finding))


def wanted_targets(options: BuildOptions) -> tuple[str, ...]:
    """With ``--sheet``, only those sheets' own documents: a pack or compendium drawn from
    part of the data would replace the whole one."""
    if options.sheets is not None:
        return ("sheets",)
    return tuple(t for t in TARGETS if t in options.targets)


def plan(loaded: LoadedProject, options: BuildOptions, hasher: InputHasher) -> list[Job]:
    """The sheet and pack jobs of this build, each with the hash of its inputs."""
    jobs: list[Job] = []
    targets = wanted_targets(options)
    countries_file = options.paths.data / COUNTRIES_FILE
    printing = {"draft": options.draft}
    if "sheets" in targets:
        for sheet_id in loaded.project.sheets:
            inputs = hasher.inputs("sheet", [loaded.files[sheet_id], countries_file], printing)
            jobs.append(Job(f"sheet {sheet_id}", inputs, tuple(sheet_paths(sheet_id, options)),
                            sheet_task, (sheet_id, slim(loaded, [sheet_id]), options)))
    if "packs" in targets:
        generated = generation_date(options)
        for country in pack_countries(loaded.project, options.countries):
            pack = country_pack(loaded.project, country)
            ids = [sheet.id for sheet in pack.sheets]
            inputs = hasher.inputs("pack", [countries_file],
                                   {**printing, "country": country,
                                    "data": printed_data(pack)})
            jobs.append(Job(f"pack {country}", inputs, tuple(pack_paths(country, options)),
                            pack_task, (country, slim(loaded, ids), options, generated)))
    return jobs


def pack_countries(project: Project, only: Sequence[str] | None) -> list[str]:
    named = countries_named(project)
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
    project = Project(loaded.project.countries,
                      {i: loaded.project.sheets[i] for i in sheet_ids})
    return LoadedProject(project, {i: loaded.documents[i] for i in sheet_ids},
                         {i: loaded.files[i] for i in sheet_ids})


def leave_out_current(jobs: Sequence[Job], manifest: Manifest, options: BuildOptions,
                      report: BuildReport) -> list[Job]:
    """The jobs to run: those whose outputs were not built from the same inputs."""
    pending = []
    for job in jobs:
        if options.force or not manifest.is_current(job.paths, job.inputs):
            pending.append(job)
        else:
            report.up_to_date.extend(job.paths)
    return pending


def expect(progress: Progress | None, documents: int) -> None:
    """Tell a progress bar how many more documents to expect."""
    if isinstance(progress, ProgressDisplay):
        progress.start(documents)


def save_manifest(manifest: Manifest, jobs: Sequence[Job], options: BuildOptions,
                  report: BuildReport) -> None:
    """Write the manifest; a build of everything forgets outputs no longer made."""
    if wanted_targets(options) == TARGETS and options.countries is None:
        manifest.keep_only([*(p for job in jobs for p in job.paths), compendium_path(options),
                            *report.written, *report.unchanged])
    commit([manifest.output()])


def sheet_paths(sheet_id: str, options: BuildOptions) -> list[Path]:
    """What :func:`render_sheet` writes, known before it runs (to judge what is current)."""
    return [options.output_dir / f"{sheet_id}.{suffix}" for suffix in ("html", "pdf", "docx")]


def pack_paths(country: str, options: BuildOptions) -> list[Path]:
    folder = options.output_dir / PACKS_DIR
    return [folder / f"{country.lower()}.{suffix}" for suffix in ("pdf", "docx")]


def compendium_path(options: BuildOptions) -> Path:
    return options.output_dir / "compendium.pdf"


def run_stage(jobs: Sequence[Job], options: BuildOptions, manifest: Manifest | None,
              report: BuildReport, tell: Progress) -> list[JobResult]:
    """Run jobs in the pool; record what each wrote, or its failure."""
    def finished(result: JobResult) -> None:
        if result.error is not None:
            report.failures.append(result.error)
            tell(f"failed {result.job.name}")
            return
        for written in result.outputs:
            (report.written if written.changed else report.unchanged).append(written.path)
            if manifest is not None:
                manifest.record(written.path, written.entry)
        changed = sum(w.changed for w in result.outputs)
        tell(f"{'built' if changed else 'unchanged'} {result.job.name}")

    return run_jobs(jobs, options.workers or default_workers(), finished)


def generation_date(options: BuildOptions) -> dt.date:
    """The date printed on covers: given, else SOURCE_DATE_EPOCH's (reproducible builds)."""
    if options.generated is not None:
        return options.generated
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def sheet_task(sheet_id: str, loaded: LoadedProject, options: BuildOptions) -> list[Output]:
    sheet = loaded.project.sheets[sheet_id]
    return render_sheet(sheet, loaded, renderer_for(options.paths.templates), options)


def render_sheet(
    sheet: Sheet, loaded: LoadedProject, renderer: Renderer, options: BuildOptions
) -> list[Output]:
    """The sheet's HTML (the very document handed to WeasyPrint) and its PDF."""
    output_dir = options.output_dir
    html = renderer.sheet_html(
        sheet, draft=options.draft, fonts_url=fonts_url(output_dir, options.paths.fonts)
    )
    pdf = render_pdf(
        html,
        base_url=output_dir,
        allowed_roots=options.paths.fetchable,
        attachments=source_attachments(loaded, sheet),
        right_lang=sheet.languages[1],
    )
    docx = render_docx(sheet, renderer.labels_for(sheet.languages), draft=options.draft)
    return [
        Output(output_dir / f"{sheet.id}.html", html.encode("utf-8")),
        Output(output_dir / f"{sheet.id}.pdf", pdf),
        Output(output_dir / f"{sheet.id}.docx", docx),
    ]


def pack_task(country: str, loaded: LoadedProject, options: BuildOptions,
              generated: dt.date) -> list[Output]:
    pack = country_pack(loaded.project, country)
    return render_pack(pack, loaded, renderer_for(options.paths.templates), options, generated)


def render_pack(pack: Pack, loaded: LoadedProject, renderer: Renderer, options: BuildOptions,
                generated: dt.date) -> list[Output]:
    """A country's pack as PDF and DOCX."""
    pdf_path, docx_path = pack_paths(pack.country, options)
    html = pack_html(renderer, pack, loaded.project, draft=options.draft,
                     fonts_url=fonts_url(pdf_path.parent, options.paths.fonts),
                     generated=generated)
    pdf = render_pdf(
        html,
        base_url=pdf_path.parent,
        allowed_roots=options.paths.fetchable,
        right_lang=pack_languages(pack)[1],
    )
    labels = renderer.labels_for(pack_languages(pack))
    docx = render_pack_docx(pack, loaded.project, labels, draft=options.draft,
                            generated=generated)
    return [Output(pdf_path, pdf), Output(docx_path, docx)]


def source_attachments(loaded: LoadedProject, sheet: Sheet) -> list[Attachment]:
    """The data files a PDF was built from, so that the PDF alone can rebuild it."""
    return data_attachments(loaded, [sheet])


def data_attachments(loaded: LoadedProject, sheets: Sequence[Sheet]) -> list[Attachment]:
    """Each sheet's data file and the country names, attached to the PDF drawn from them."""
    attachments = []
    countries_file = None
    for sheet in sheets:
        sheet_file = loaded.files[sheet.id]
        countries_file = sheet_file.parent.parent / COUNTRIES_FILE
        attachments.append(Attachment(f"data/{SHEETS_DIR}/{sheet_file.name}",
                                      sheet_file.read_bytes(),
                                      f"Source data of the sheet {sheet.id}"))
    if countries_file is not None:
        attachments.append(Attachment(f"data/{COUNTRIES_FILE}", countries_file.read_bytes(),
                                      "Country names the document refers to"))
    return attachments


def _version() -> str:
    from . import __version__

    return __version__
