"""The build, as named stages: load → check → plan → render → compendium → manifest.

This is the only module that strings the stages together; the command line
calls :func:`build` and nothing else for it. Each document (a sheet, a country's
pack, a part of the compendium) is one job of the worker pool; a job whose
inputs have not changed since the manifest recorded them is not run at all.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import replace

from .. import __version__
from ..checks import CheckFailedError
from ..core.load import LoadedProject, display_name, load_project
from ..errors import BuildFailedError
from .cache import CACHE_DIR, BuildCache
from .compendium import build_compendium
from .early import foresee, in_workers
from .manifest import InputHasher, Manifest
from .options import (
    PACKS_DIR,
    PARTS_DIR,
    TARGETS,
    BuildOptions,
    BuildReport,
    Progress,
    compendium_path,
    generation_date,
    is_piece,
    wanted_targets,
)
from .output import OutputFolderError, commit, holding
from .pieces import SPECIMENS_DIR, sweep_shared, sweep_specimens
from .pool import (
    Job,
    JobResult,
    renderer_for,
    run_jobs,
    start_fork_server,
    stop_pools,
)
from .targets import Plan, plan, sheet_task
from .unfinished import Unfinished


def build(
    options: BuildOptions, progress: Progress | None = None,
    warn: Callable[[str], None] | None = None, *, executor: Executor | None = None,
) -> BuildReport:
    """Build the documents asked for; a document that fails, or prints what ``check``
    finds an error in, leaves the others (and its own previous output) as they were, and
    the build then raises :class:`BuildFailedError`. ``warn`` receives the findings of
    ``check`` (a draft's errors included). ``executor`` runs the documents' jobs instead of
    the build's own worker processes (threads, a cluster's executor:
    :func:`~briefing.build.pool.run_jobs`); the caller shuts it down."""
    tell = progress or Progress()
    renderer_for.cache_clear()  # labels.yaml may have changed since the last build here
    cache = BuildCache.load(options.output_dir, options.paths.templates)
    loaded = load(options, cache)
    foresee(loaded, cache.fresh_sheets, options)  # an edited sheet's pages, begun now
    if cache.parsed and executor is None and in_workers(options):
        # Data changed, so documents will likely be laid out: the worker processes' fork
        # server starts now, its imports (WeasyPrint's, a second or more) beside the checks
        # and the plan rather than after them.
        start_fork_server(options.paths.templates)
    findings = cache.findings(loaded)
    unfinished = Unfinished.of(loaded, findings, draft=options.draft)
    unfinished.refuse_general()
    shown = display_name(options.output_dir, options.paths.root)
    refuse_output_among_inputs(options, shown)
    hasher = InputHasher(__version__, [options.paths.templates, options.paths.fonts],
                         options.paths.data)
    planned = plan(loaded, options, hasher, cache, unfinished)
    if planned.all_held:
        raise CheckFailedError(unfinished.errors)  # nothing to build: written nowhere
    if warn is not None:
        for finding in findings:
            warn(str(finding))
    with holding(options.output_dir, shown,
                 (PACKS_DIR, PARTS_DIR, f"{PARTS_DIR}/{PACKS_DIR}",
                  f"{PARTS_DIR}/{SPECIMENS_DIR}", CACHE_DIR)):
        report = render(loaded, options, tell, planned, hasher, executor=executor)
        if not report.failures:
            cache.save(everything=builds_everything(options))
    if report.failures or planned.held:
        raise BuildFailedError(report.failures, held=planned.held)
    return report


def refuse_output_among_inputs(options: BuildOptions, shown: str) -> None:
    """Reports never go into templates/, fonts/ or data/: they would become inputs."""
    output = options.output_dir.resolve()
    for folder in options.paths.fetchable:
        if output.is_relative_to(folder.resolve()):
            raise OutputFolderError(f"cannot write reports into {shown}: it is in the project's "
                                    f"{folder.name}/ folder, which documents are made from")


def render(loaded: LoadedProject, options: BuildOptions, tell: Progress, planned: Plan,
           hasher: InputHasher, *, executor: Executor | None = None) -> BuildReport:
    """Run the plan's jobs, then assemble the compendium if it is to be built, in an
    output folder this build holds, and record what was written."""
    manifest = Manifest.load(options.output_dir)
    report = BuildReport()
    compendium = planned.compendium_to_build
    pending = leave_out_current(planned.jobs, manifest, options, report)
    tell.expect(len(pending) + (compendium is not None))
    if compendium is None:
        run_stage(pending, options, manifest, report, tell, executor)
    else:
        def run_parts(part_jobs: list[Job]) -> list[JobResult]:
            tell.expect(len(part_jobs))
            return run_stage(part_jobs, options, None, BuildReport(), tell, executor)

        def assemble(sheets_ready: Callable[[], None] = lambda: None) -> None:
            build_compendium(loaded, replace(options, draft=compendium.draft), hasher,
                             manifest, report, tell, run=run_parts,
                             generated=generation_date(options), sheets_ready=sheets_ready)

        if beside_the_jobs(pending, options, executor):
            with sheets_first(pending, options, manifest, report, tell, executor) as ready:
                assemble(ready)  # beside the packs' jobs, once the sheets' pieces are written
        else:
            run_stage(pending, options, manifest, report, tell, executor)
            assemble()
    save_manifest(manifest, planned, options, report)
    if builds_everything(options) and not report.failures:
        sweep_shared(options.output_dir / PARTS_DIR / PACKS_DIR, loaded.project.sheets)
        sweep_specimens(options.output_dir / PARTS_DIR / SPECIMENS_DIR)
    return report


#: At most this many jobs per worker for the compendium to be assembled beside them.
BESIDE_JOBS_PER_WORKER = 4


def beside_the_jobs(jobs: Sequence[Job], options: BuildOptions,
                    executor: Executor | None) -> bool:
    """Whether to assemble the compendium while the jobs run (:func:`sheets_first`): when
    they run in worker processes, not in this one (where WeasyPrint must not lay out two
    documents at once, from two threads), and are few, as after an edit. Many jobs keep
    every core busy anyway, and the compendium's memory would add to the workers'."""
    workers = options.worker_count
    few = 1 < len(jobs) <= workers * BESIDE_JOBS_PER_WORKER
    if executor is not None:  # watch mode's warm workers, or threads, or a cluster's
        return few and isinstance(executor, ProcessPoolExecutor)
    return few and workers > 1


@contextlib.contextmanager
def sheets_first(jobs: Sequence[Job], options: BuildOptions, manifest: Manifest,
                 report: BuildReport, tell: Progress,
                 executor: Executor | None) -> Iterator[Callable[[], None]]:
    """Run ``jobs`` in the background (their workers render, a thread here writes their
    files) and enter at once, with a function that returns once every sheet's job has
    ended, its piece written: the compendium, which is joined from those pieces, is
    prepared meanwhile, then assembled beside the packs' jobs; leave once every job has
    ended. The manifest is shared by both (it locks itself)."""
    sheets = {id(job) for job in jobs if job.task is sheet_task}
    done = threading.Event()
    failed: list[BaseException] = []

    def ended(result: JobResult) -> None:
        sheets.discard(id(result.job))
        if not sheets:
            done.set()

    def run_all() -> None:
        try:
            run_stage(jobs, options, manifest, report, tell, executor, also=ended)
        except BaseException as error:  # raised again in the build's thread
            failed.append(error)
        finally:
            done.set()

    def sheets_ready() -> None:
        try:
            done.wait()
        except KeyboardInterrupt:
            stop_pools()  # the jobs' thread runs them: ended here, now
            raise
        if failed:
            thread.join()
            raise failed[0]

    if not sheets:
        done.set()
    start_fork_server(options.paths.templates)  # from this thread: it alone sets signals
    # A daemon: Ctrl-C in this thread ends the build, and its pools (stop_pools).
    thread = threading.Thread(target=run_all, name="jobs", daemon=True)
    thread.start()
    try:
        yield sheets_ready
    except KeyboardInterrupt:
        stop_pools()
        raise
    except BaseException:
        thread.join()  # the jobs' files recorded, then the error told
        raise
    thread.join()
    if failed:
        raise failed[0]


def load(options: BuildOptions, cache: BuildCache | None = None) -> LoadedProject:
    """The project's data; with ``cache``, files read before are not parsed again."""
    return load_project(options.paths.data, options.paths.root, options.sheets, cache=cache)


def leave_out_current(jobs: Sequence[Job], manifest: Manifest, options: BuildOptions,
                      report: BuildReport) -> list[Job]:
    """The jobs to run: those whose outputs were not built from the same inputs."""
    pending = []
    for job in jobs:
        if options.force or not manifest.is_current(job.paths, job.inputs):
            pending.append(job)
        else:
            report.up_to_date.extend(path for path in job.paths if not is_piece(path))
    return pending


def save_manifest(manifest: Manifest, planned: Plan, options: BuildOptions,
                  report: BuildReport) -> None:
    """Write the manifest; a build of everything forgets, and removes, the outputs no
    longer made (those of a sheet removed, of a country no longer named). A document held
    back by an error keeps its previous output."""
    if builds_everything(options):
        kept = [*(p for job in planned.jobs for p in job.paths), *planned.held_paths,
                compendium_path(options), *report.written, *report.unchanged]
        # A sheet whose job failed or was held back keeps its previous files, recorded with
        # its previous inputs; its piece is named after those, not after the plan's.
        standing = {entry.inputs for path in kept
                    if not is_piece(path) and (entry := manifest.get(path)) is not None}
        kept += [path for path, entry in manifest.items()
                 if is_piece(path) and entry.inputs in standing]
        gone = manifest.keep_only(kept)
        manifest.save()
        for path in gone:
            path.unlink(missing_ok=True)
            if not is_piece(path):  # an earlier layout of a sheet: no document of its own
                report.removed.append(path)
        return
    manifest.save()


def builds_everything(options: BuildOptions) -> bool:
    """Every sheet, pack and the compendium: what this build does not make is gone."""
    return wanted_targets(options) == TARGETS and options.countries is None


def run_stage(jobs: Sequence[Job], options: BuildOptions, manifest: Manifest | None,
              report: BuildReport, tell: Progress, executor: Executor | None = None,
              also: Callable[[JobResult], None] | None = None) -> list[JobResult]:
    """Run jobs in the pool; record what each wrote, or its failure (then call ``also``)."""
    def finished(result: JobResult) -> None:
        try:
            record(result)
        finally:
            if also is not None:
                also(result)

    def record(result: JobResult) -> None:
        if result.error is not None:
            report.failures.append(result.error)
            tell(f"failed {result.job.name}")
            return
        for written in result.outputs:
            if is_piece(written.path):
                report.pieces.append(written.path)
            else:
                (report.written if written.changed else report.unchanged).append(written.path)
            if manifest is not None:
                manifest.record(written.path, written.entry)
        if manifest is not None:
            manifest.save()  # what is on disk now, should the build stop here
        changed = sum(w.changed for w in result.outputs)
        tell(f"{'built' if changed else 'unchanged'} {result.job.name}")

    write = commit if manifest is None else manifest.commit
    return run_jobs(jobs, options.worker_count, finished, write, executor,
                    templates=options.paths.templates)
