"""The worker pool: every job runs, a failing one fails alone, outputs are written atomically."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest

from briefing.build import pool, processes
from briefing.build.options import BuildOptions, ProjectPaths
from briefing.build.output import Output
from briefing.build.pipeline import build
from briefing.build.pool import Job, JobResult, execute, run_jobs
from briefing.display import ProgressDisplay
from briefing.errors import RenderError

T = TypeVar("T")


def write_pid(path: Path, text: str) -> list[Output]:
    """A job: one output naming the text and the process that rendered it."""
    return [Output(path, f"{text} {os.getpid()}".encode())]


def write_niceness(path: Path, text: str) -> list[Output]:
    """A job: one output naming the scheduling niceness of the process that rendered it."""
    return [Output(path, str(os.nice(0)).encode())]


def fail(path: Path, text: str) -> list[Output]:
    raise RenderError(f"cannot render {text}")


def crash(path: Path, text: str) -> list[Output]:
    raise ZeroDivisionError(text)


def job(tmp_path: Path, name: str, task: object = write_pid) -> Job:
    path = tmp_path / f"{name}.txt"
    return Job(name, "inputs", (path,), task, (path, name))  # type: ignore[arg-type]


def test_a_pool_runs_every_job_in_several_processes(tmp_path: Path) -> None:
    jobs = [job(tmp_path, f"doc{n}") for n in range(8)]
    seen: list[JobResult] = []
    results = run_jobs(jobs, 2, seen.append)
    assert seen == results
    assert sorted(r.job.name for r in results) == sorted(j.name for j in jobs)
    assert all(r.error is None for r in results)
    pids = {(tmp_path / f"{j.name}.txt").read_text().split()[1] for j in jobs}
    assert str(os.getpid()) not in pids
    assert 1 <= len(pids) <= 2
    assert all(r.outputs[0].changed and r.outputs[0].entry.bytes > 0 for r in results)


def test_workers_are_replaced_after_their_share_of_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # More jobs than the workers' share, the case where max_tasks_per_child deadlocks on 3.11.
    monkeypatch.setattr(pool, "DOCUMENTS_PER_WORKER", 2)
    jobs = [job(tmp_path, f"doc{n}") for n in range(10)]
    results = run_jobs(jobs, 2, lambda r: None)
    assert len(results) == 10
    assert all(r.error is None for r in results)
    pids = {(tmp_path / f"{j.name}.txt").read_text().split()[1] for j in jobs}
    assert len(pids) >= 3  # fresh workers for each batch of 2 × 2 documents


def test_one_worker_renders_in_this_process(tmp_path: Path) -> None:
    results = run_jobs([job(tmp_path, "a"), job(tmp_path, "b")], 1, lambda r: None)
    assert [r.job.name for r in results] == ["a", "b"]
    assert (tmp_path / "a.txt").read_text() == f"a {os.getpid()}"


def test_a_failing_job_fails_alone_and_leaves_its_old_output(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_text("previous", encoding="utf-8")
    jobs = [job(tmp_path, "good1"), job(tmp_path, "bad", fail), job(tmp_path, "bug", crash),
            job(tmp_path, "good2")]
    results = {r.job.name: r for r in run_jobs(jobs, 2, lambda r: None)}
    assert results["bad"].error == "bad: cannot render bad"
    assert results["bug"].error == "bug: ZeroDivisionError: bug"
    assert results["good1"].error is None
    assert results["good2"].error is None
    assert (tmp_path / "bad.txt").read_text() == "previous"
    assert (tmp_path / "good2.txt").exists()


def test_an_unchanged_output_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "same.txt"
    steady = Job("same", "inputs", (path,), lambda p, t: [Output(p, b"same")], (path, "x"))
    first = execute(steady)
    inode, mtime = path.stat().st_ino, path.stat().st_mtime_ns
    second = execute(steady)
    assert first.outputs[0].changed
    assert not second.outputs[0].changed
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (inode, mtime)


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_without_a_terminal_is_one_line_per_document() -> None:
    stream = io.StringIO()
    display = ProgressDisplay(stream)
    display.expect(2)
    display("built sheet a")
    display("failed pack KG")
    display.close()
    assert stream.getvalue() == "built sheet a\nfailed pack KG\n"


def test_progress_on_a_terminal_is_a_bar_of_documents_done_and_left() -> None:
    stream = FakeTerminal()
    display = ProgressDisplay(stream)
    display.expect(3)
    display("built sheet a")
    display.expect(1)  # the compendium's parts, known later
    display("built sheet b")
    assert "2/4" in stream.getvalue()
    display.close()
    assert "built sheet a" not in stream.getvalue()


@pytest.mark.parametrize("workers", [1, 2])
def test_no_jobs_is_no_work(workers: int) -> None:
    assert run_jobs([], workers, lambda r: None) == []


class FlakyExecutor(Executor):
    """Threads, but the first ``failures`` submissions of each job come back failed, as
    a future whose cluster node was lost does."""

    def __init__(self, failures: int) -> None:
        self.threads = ThreadPoolExecutor(2)
        self.failures = failures
        self.submitted: list[str] = []

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        name = args[0].name
        self.submitted.append(name)
        if self.submitted.count(name) <= self.failures:
            lost: Future[T] = Future()
            lost.set_exception(ConnectionError("node lost"))
            return lost
        return self.threads.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.threads.shutdown(wait, cancel_futures=cancel_futures)


def test_any_executor_runs_the_jobs(tmp_path: Path) -> None:
    jobs = [job(tmp_path, f"doc{n}") for n in range(5)] + [job(tmp_path, "bad", fail)]
    with ThreadPoolExecutor(3) as threads:
        results = run_jobs(jobs, 99, lambda r: None, executor=threads)
    assert sorted(r.job.name for r in results) == sorted(j.name for j in jobs)
    assert [r.error for r in results if r.error] == ["bad: cannot render bad"]
    # Threads of this process rendered them; this process wrote them.
    assert {(tmp_path / f"doc{n}.txt").read_text() for n in range(5)} == \
        {f"doc{n} {os.getpid()}" for n in range(5)}


def test_a_job_lost_by_the_executor_is_submitted_once_more(tmp_path: Path) -> None:
    once = FlakyExecutor(failures=1)
    with once:
        results = run_jobs([job(tmp_path, "a"), job(tmp_path, "b")], 2, lambda r: None,
                           executor=once)
    assert all(r.error is None for r in results)
    assert sorted(once.submitted) == ["a", "a", "b", "b"]
    always = FlakyExecutor(failures=2)
    with always:
        results = run_jobs([job(tmp_path, "c")], 2, lambda r: None, executor=always)
    assert [r.error for r in results] == [
        "c: the executor running it failed, twice: ConnectionError: node lost"]
    assert not (tmp_path / "c.txt").exists()


def test_an_executor_that_refuses_work_fails_each_job_in_one_line(tmp_path: Path) -> None:
    threads = ThreadPoolExecutor(1)
    threads.shutdown()
    results = run_jobs([job(tmp_path, "a")], 2, lambda r: None, executor=threads)
    assert [r.error for r in results] == [
        "a: the executor refused it: RuntimeError: cannot schedule new futures after shutdown"]


def test_a_build_on_threads_writes_what_the_worker_processes_write(
        project: Path, tmp_path: Path) -> None:
    def options(output: str, workers: int) -> BuildOptions:
        return BuildOptions(ProjectPaths(project), tmp_path / output, workers=workers,
                            targets=("sheets", "packs"), countries=["KG", "TJ"])

    own = build(options("own", 1))
    with ThreadPoolExecutor(2) as threads:
        on_threads = build(options("threads", 2), executor=threads)
    assert len(on_threads.written) == len(own.written) == 7
    for path in own.written:
        relative = path.relative_to(tmp_path / "own")
        assert (tmp_path / "threads" / relative).read_bytes() == path.read_bytes(), relative


def test_warming_compiles_every_template_and_loads_each_languages_hyphenation(
        tmp_path: Path) -> None:
    """What the fork server loads once for every worker (briefing.build.warm)."""
    import pyphen

    from briefing.build.warm import warm

    templates = tmp_path / "templates"
    templates.mkdir()
    for source in (Path(__file__).parents[2] / "templates").iterdir():
        (templates / source.name).write_bytes(source.read_bytes())
    pyphen.hdcache.clear()
    warm(templates)
    environment = pool.renderer_for(templates).environment
    compiled = {template.name for template in environment.cache.values()}  # type: ignore[union-attr]
    assert compiled == {path.name for path in templates.glob("*.j2")}
    assert {"pack.html.j2", "pack-part.html.j2", "pack-about.html.j2", "_specimen.html.j2",
            "_headers.html.j2", "sheet.html.j2"} <= compiled
    # The dictionaries WeasyPrint takes for the labels' languages (en, ru).
    assert {Path(str(path)).name for path in pyphen.hdcache} == {
        Path(pyphen.LANGUAGES[str(pyphen.language_fallback(lang))]).name for lang in ("en", "ru")}


def test_the_fork_servers_templates_variable_is_set_for_it_alone(tmp_path: Path) -> None:
    from briefing.build.warm import TEMPLATES_VARIABLE

    before = os.environ.get(TEMPLATES_VARIABLE)
    jobs = [Job(f"job {n}", "inputs", (tmp_path / f"{n}.txt",), write_pid,
                (tmp_path / f"{n}.txt", "x")) for n in range(2)]
    results = run_jobs(jobs, 2, lambda result: None, templates=tmp_path)
    assert [r.error for r in results] == [None, None]
    assert os.environ.get(TEMPLATES_VARIABLE) == before


def test_the_compendium_assembled_beside_the_packs_jobs_is_the_one_built_after_them(
        tmp_path: Path) -> None:
    """With worker processes, the compendium is assembled while the packs' jobs still run
    (pipeline.sheets_first); the documents and the manifest are those of a build that runs
    one job after the other in this process."""
    import json

    from tests.build.test_incremental import GENERATED, documents, tiny_project

    root = tiny_project(tmp_path / "project")
    built = {}
    for workers in (1, 2):
        output = tmp_path / f"reports-{workers}"
        report = build(BuildOptions(ProjectPaths(root), output, workers=workers,
                                    generated=GENERATED))
        assert not report.failures
        built[workers] = (documents(output),
                          json.loads((output / "manifest.json").read_text(encoding="utf-8")))
    assert "compendium.pdf" in built[2][0]
    assert built[2] == built[1]


def test_workers_yield_the_processor_to_the_build(tmp_path: Path) -> None:
    # After an edit the build assembles the compendium beside the workers: that is what
    # the rebuild waits for last.
    jobs = [job(tmp_path, f"doc{n}", write_niceness) for n in range(2)]
    results = run_jobs(jobs, 2, lambda result: None)
    assert all(r.error is None for r in results)
    nice = {int((tmp_path / f"doc{n}.txt").read_text()) for n in range(2)}
    assert nice == {min(os.nice(0) + processes.WORKER_NICENESS, 19)}
