"""Rendering many documents in a pool of worker processes.

Each worker renders many documents, so WeasyPrint's start-up is paid once per
worker; workers are forked from a server process that has imported the renderer
already. Jobs go to the pool in batches of :data:`DOCUMENTS_PER_WORKER` per
worker, and each batch gets fresh workers, because WeasyPrint does not give
memory back. A job that fails becomes one line
in its result; the other jobs go on. A job whose worker died is run again once,
alone in a fresh worker. Workers end with the build that started them, even
when it is killed (:func:`watch_build`). With one worker (or one job) the jobs
run in this process, which spares the pool's start-up in small builds.

Any other :class:`concurrent.futures.Executor` can run the jobs instead (``executor``
of :func:`run_jobs`): threads, or a cluster engine's (Dask's
``distributed.Client().get_executor()``). The tasks are the same picklable functions;
this process still writes every file and the manifest, as the results come back.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import multiprocessing.forkserver
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from multiprocessing.context import BaseContext
from pathlib import Path

from ..errors import BriefingError
from ..paged.render import Renderer
from .manifest import Entry, entry_for
from .output import Output, commit
from .processes import quiet_children, watch_build
from .warm import TEMPLATES_VARIABLE, warm

#: Documents a worker renders (about) before it is replaced and its memory returned: a pack
#: job joins dozens of pieces, and at 20 a 200-sheet build went past 1 GB over all processes.
DOCUMENTS_PER_WORKER = 10
#: Imported once by the fork server, so that every worker starts with them loaded.
PRELOAD = ["briefing.build.pipeline", "briefing.paged.weasy", "briefing.paged.compendium",
           "briefing.paged.pack", "briefing.word.sheet", "briefing.word.pack",
           "briefing.build.warm"]


@dataclass(frozen=True, eq=False)
class Job:
    """One document to render: ``task(*args)`` returns its outputs, written atomically."""

    name: str
    inputs: str
    paths: tuple[Path, ...]
    task: Callable[..., list[Output]]
    args: tuple[object, ...]


@dataclass(frozen=True)
class Written:
    path: Path
    entry: Entry
    changed: bool


@dataclass(frozen=True)
class JobResult:
    job: Job
    outputs: tuple[Written, ...] = ()
    error: str | None = None


@cache
def renderer_for(templates_dir: Path) -> Renderer:
    """One template environment per worker, kept warm for every document it renders."""
    return Renderer(templates_dir)


#: Writes one document's outputs, all of them or none; returns the paths written.
Writer = Callable[[Sequence[Output]], list[Path]]
#: What a worker sends back: the document's files and their entries, or its failure.
Rendered = tuple[tuple[Output, ...], tuple[Entry, ...], str | None]


def execute(job: Job, write: Writer = commit) -> JobResult:
    """Render and write one document; any failure is the job's, reported as one line."""
    return _write(job, _render(job), write)


def _render(job: Job) -> Rendered:
    """A job's files, rendered in a worker; written by the build process (:func:`_write`)."""
    try:
        outputs = job.task(*job.args)
        entries = tuple(entry_for(output, job.inputs) for output in outputs)
    except BriefingError as error:
        return (), (), f"{job.name}: {error}"
    except Exception as error:  # a bug in one document must not stop the batch
        return (), (), f"{job.name}: {type(error).__name__}: {error}"
    return tuple(outputs), entries, None


def _write(job: Job, rendered: Rendered, write: Writer) -> JobResult:
    """Commit a rendered document's files together; a failure is the job's."""
    outputs, entries, error = rendered
    if error is not None:
        return JobResult(job, error=error)
    try:
        written = set(write(outputs))
    except BriefingError as error:
        return JobResult(job, error=f"{job.name}: {error}")
    return JobResult(job, tuple(Written(o.path, e, o.path in written)
                                for o, e in zip(outputs, entries, strict=True)))


def run_jobs(
    jobs: Sequence[Job], workers: int, on_result: Callable[[JobResult], None],
    write: Writer = commit, executor: Executor | None = None,
    templates: Path | None = None,
) -> list[JobResult]:
    """Run every job, ``workers`` at a time, calling ``on_result`` as each one ends.

    Workers render; this process writes each document's files with ``write`` as they
    come back, so that it alone decides what is on disk and what the manifest says.

    A job whose worker died (killed, out of memory) is run once more, alone in a fresh
    worker, before it is reported: a dying worker takes down its whole pool, so the
    other jobs it was running are not at fault, and only the one that dies again is.

    With ``executor``, every job is submitted to it instead (``workers`` is then its
    business, and so are batching and the end of its workers): see :func:`run_on`.
    ``templates``: the project's, compiled in the fork server for every worker
    (:mod:`.warm`).
    """
    results: list[JobResult] = []

    def finished(result: JobResult) -> None:
        results.append(result)
        on_result(result)

    if executor is not None:
        run_on(executor, jobs, write, finished)
        return results
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            finished(execute(job, write))
        return results
    context = multiprocessing.get_context("forkserver")
    _start_fork_server(context, templates)
    # One pool per batch instead of max_tasks_per_child, which deadlocks on Python 3.11
    # to 3.13 once a worker retires with tasks still queued (CPython gh-115634).
    batch_size = workers * DOCUMENTS_PER_WORKER
    for start in range(0, len(jobs), batch_size):
        batch = jobs[start:start + batch_size]
        died = _run_batch(batch, min(workers, len(batch)), context, write, finished)
        if _stopped.is_set():
            break  # Ctrl-C, in another thread: its workers were terminated, not lost
        for first in range(0, len(died), workers):
            _run_alone(died[first:first + workers], context, write, finished)
    return results


def run_on(executor: Executor, jobs: Sequence[Job], write: Writer,
           finished: Callable[[JobResult], None]) -> None:
    """Every job on an executor the caller owns (and shuts down), each document's files
    written here as its result comes back. A job whose future fails rather than returning
    its result (the worker or node running it was lost) is submitted once more, and
    reported if it fails again; one the executor refuses is reported at once."""
    pending: dict[Future[Rendered], tuple[Job, int]] = {}

    def submit(job: Job, attempt: int) -> None:
        try:
            pending[executor.submit(_render, job)] = (job, attempt)
        except Exception as error:  # shut down, broken: the job cannot run there
            finished(JobResult(job, error=f"{job.name}: the executor refused it: "
                                          f"{type(error).__name__}: {error}"))

    for job in jobs:
        submit(job, 1)
    while pending:
        for future in as_completed(list(pending)):
            job, attempt = pending.pop(future)
            try:
                rendered = future.result()
            except Exception as error:
                if attempt == 1:
                    submit(job, 2)
                else:
                    finished(JobResult(job, error=f"{job.name}: the executor running it "
                                                  f"failed, twice: {type(error).__name__}: "
                                                  f"{error}"))
                continue
            finished(_write(job, rendered, write))


def start_fork_server(templates: Path | None = None) -> None:
    """The fork server started now, from the thread that may set signal handlers (the
    main one), before jobs are run from another."""
    _start_fork_server(multiprocessing.get_context("forkserver"), templates)


def _start_fork_server(context: BaseContext, templates: Path | None = None) -> None:
    """Start the fork server (and resource tracker) with Ctrl-C ignored and stderr on
    /dev/null, which they and every worker forked from them inherit: errors are this
    process's to report, one line each (a worker's come back as its job's result), and so
    is Ctrl-C ("Error: interrupted"), not a traceback from each worker, nor from one that
    was starting as the build ended. They end with the build (:func:`watch_build`).
    """
    context.set_forkserver_preload(PRELOAD)
    if threading.current_thread() is not threading.main_thread():
        return  # signal handlers can only be set from the main thread
    _stopped.clear()  # a build starts: an earlier one's Ctrl-C is over
    # For the fork server alone (it copies this process's environment as it starts).
    warm_before = os.environ.pop(TEMPLATES_VARIABLE, None)
    if templates is not None:
        os.environ[TEMPLATES_VARIABLE] = str(templates)
    try:
        with quiet_children():
            multiprocessing.forkserver.ensure_running()
    finally:
        os.environ.pop(TEMPLATES_VARIABLE, None)
        if warm_before is not None:
            os.environ[TEMPLATES_VARIABLE] = warm_before


def warm_pool(workers: int, templates: Path | None = None) -> ProcessPoolExecutor | None:
    """Worker processes kept for many builds (watch mode), each keeping WeasyPrint, the
    fonts and the templates warm between them; ``None`` with one worker (the jobs then run
    in this process, as warm). The caller shuts it down."""
    if workers <= 1:
        return None
    context = multiprocessing.get_context("forkserver")
    _start_fork_server(context, templates)
    pool = _pool(workers, context)
    # Started now, not at the first job: one task each makes the pool fork them all.
    for started in [pool.submit(time.sleep, 0.05) for _ in range(workers)]:
        started.result()
    return pool


def warm_this_process(templates: Path) -> None:
    """What a worker forked from the fork server has loaded, loaded here: for jobs run in
    this process, kept running (watch mode with one worker)."""
    for name in PRELOAD:
        importlib.import_module(name)
    with contextlib.suppress(Exception):  # only a saving (see .warm)
        warm(templates)


def _pool(workers: int, context: BaseContext) -> ProcessPoolExecutor:
    with _pools_lock:
        if _stopped.is_set():  # Ctrl-C ended this build's pools while this one was coming
            raise KeyboardInterrupt
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                   initializer=watch_build, initargs=(os.getpid(),))
        _running.add(pool)
    return pool


def _close(pool: ProcessPoolExecutor) -> None:
    """A pool whose jobs have all ended, shut down."""
    pool.shutdown()
    _running.discard(pool)


#: The pools of this process, while they run: Ctrl-C in one thread ends those another runs.
_running: set[ProcessPoolExecutor] = set()
#: Set once Ctrl-C ended them, until the next build starts (:func:`_start_fork_server`): no
#: pool is made, and no job run again after its worker was terminated.
_stopped = threading.Event()
_pools_lock = threading.Lock()


def stop_pools() -> None:
    """End every pool this process runs (:func:`stop_pool`), whichever thread runs it, and
    any it was about to make."""
    with _pools_lock:
        _stopped.set()
        running = list(_running)
    for pool in running:
        stop_pool(pool)


def _run_batch(batch: Sequence[Job], workers: int, context: BaseContext, write: Writer,
               finished: Callable[[JobResult], None]) -> list[Job]:
    """Run ``batch`` in one pool; the jobs it could not finish because a worker died."""
    died = []
    pool = _pool(workers, context)
    try:
        futures: dict[Future[Rendered], Job] = {}
        for job in batch:
            try:
                futures[pool.submit(_render, job)] = job
            except BrokenProcessPool:  # a worker died before every job was handed out
                died.append(job)
        for future in as_completed(futures):
            try:
                rendered = future.result()
            except BrokenProcessPool:
                died.append(futures[future])
                continue
            finished(_write(futures[future], rendered, write))
    except BaseException:
        stop_pool(pool)
        raise
    _close(pool)
    return [job for job in batch if job in died]  # in the order they were planned


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """End ``pool`` now (Ctrl-C, an error here): its queued jobs cancelled and its workers,
    which ignore Ctrl-C and would otherwise render every queued job first, terminated.
    Nothing is lost: only this process writes files."""
    # The executor has no public way to its processes; shutdown forgets them.
    processes = list((pool._processes or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    pool.shutdown(wait=True)
    _running.discard(pool)


def _run_alone(jobs: Sequence[Job], context: BaseContext, write: Writer,
               finished: Callable[[JobResult], None]) -> None:
    """Each job in a fresh worker of its own, at the same time."""
    pools = [_pool(1, context) for _ in jobs]
    try:
        futures = {pool.submit(_render, job): job for pool, job in zip(pools, jobs, strict=True)}
        for future in as_completed(futures):
            job = futures[future]
            try:
                rendered = future.result()
            except BrokenProcessPool:
                finished(JobResult(job, error=f"{job.name}: the worker process rendering it "
                                              "died, twice (out of memory? killed?)"))
                continue
            finished(_write(job, rendered, write))
    except BaseException:
        for pool in pools:
            stop_pool(pool)
        raise
    for pool in pools:
        _close(pool)
