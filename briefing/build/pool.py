"""Rendering many documents in a pool of worker processes.

Each worker renders many documents, so WeasyPrint's start-up is paid once per
worker; workers are forked from a server process that has imported the renderer
already. Jobs go to the pool in batches of :data:`DOCUMENTS_PER_WORKER` per
worker, and each batch gets fresh workers, because WeasyPrint does not give
memory back. A job that fails becomes one line
in its result; the other jobs go on. With one worker (or one job) the jobs run
in this process, which spares the pool's start-up in small builds.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import BriefingError
from ..paged.render import Renderer
from .manifest import Entry, entry_for
from .output import Output, commit

#: Documents a worker renders (about) before it is replaced and its memory returned.
DOCUMENTS_PER_WORKER = 20
#: Imported once by the fork server, so that every worker starts with them loaded.
PRELOAD = ["briefing.build.pipeline", "weasyprint"]


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


def default_workers() -> int:
    return os.cpu_count() or 1


def execute(job: Job) -> JobResult:
    """Render and write one document; any failure is the job's, reported as one line."""
    outputs, error = _render_and_write(job)
    return JobResult(job, outputs, error)


def _render_and_write(job: Job) -> tuple[tuple[Written, ...], str | None]:
    """What a worker sends back: what was written, or the failure (never the job's data)."""
    try:
        outputs = job.task(*job.args)
        entries = [entry_for(output, job.inputs) for output in outputs]
        written = set(commit(outputs))
    except BriefingError as error:
        return (), f"{job.name}: {error}"
    except Exception as error:  # a bug in one document must not stop the batch
        return (), f"{job.name}: {type(error).__name__}: {error}"
    return tuple(Written(o.path, e, o.path in written)
                 for o, e in zip(outputs, entries, strict=True)), None


def run_jobs(
    jobs: Sequence[Job], workers: int, on_result: Callable[[JobResult], None]
) -> list[JobResult]:
    """Run every job, ``workers`` at a time, calling ``on_result`` as each one ends."""
    results: list[JobResult] = []

    def finished(result: JobResult) -> None:
        results.append(result)
        on_result(result)

    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            finished(execute(job))
        return results
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    # One pool per batch instead of max_tasks_per_child, which deadlocks on Python 3.11
    # to 3.13 once a worker retires with tasks still queued (CPython gh-115634).
    batch_size = workers * DOCUMENTS_PER_WORKER
    for start in range(0, len(jobs), batch_size):
        batch = jobs[start:start + batch_size]
        with ProcessPoolExecutor(max_workers=min(workers, len(batch)),
                                 mp_context=context) as pool:
            futures: dict[Future[tuple[tuple[Written, ...], str | None]], Job] = {
                pool.submit(_render_and_write, job): job for job in batch}
            for future in as_completed(futures):
                job = futures[future]
                try:
                    finished(JobResult(job, *future.result()))
                except BrokenProcessPool:
                    finished(JobResult(job, error=f"{job.name}: the worker process died "
                                                  "(out of memory?)"))
    return results
