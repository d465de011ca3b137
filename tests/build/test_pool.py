"""The worker pool: every job runs, a failing one fails alone, outputs are written atomically."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from briefing.build import pool
from briefing.build.output import Output
from briefing.build.pool import Job, JobResult, execute, run_jobs
from briefing.display import ProgressDisplay
from briefing.errors import RenderError


def write_pid(path: Path, text: str) -> list[Output]:
    """A job: one output naming the text and the process that rendered it."""
    return [Output(path, f"{text} {os.getpid()}".encode())]


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
