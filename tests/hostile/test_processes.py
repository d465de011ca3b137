"""Processes: a killed build leaves none behind; a worker that dies costs one retry, not its
whole batch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing.build.output import Output
from briefing.build.pool import Job, run_jobs
from briefing.core.files import TEMPORARY_SUFFIX
from tests.conftest import REPO, SEED_SHEET
from tests.hostile.support import error_lines


def write_text(path: Path, text: str) -> list[Output]:
    return [Output(path, text.encode())]


def die_once(path: Path, text: str) -> list[Output]:
    """Kills its own worker the first time it runs (a marker file remembers)."""
    marker = path.with_suffix(".died")
    if not marker.exists():
        marker.write_text("died")
        os.kill(os.getpid(), signal.SIGKILL)
    return write_text(path, text)


def die_always(path: Path, text: str) -> list[Output]:
    os.kill(os.getpid(), signal.SIGKILL)
    return []


def jobs_with(tmp_path: Path, killer: object, count: int = 6) -> list[Job]:
    jobs = []
    for number in range(count):
        path = tmp_path / f"doc{number}.txt"
        task = killer if number == 2 else write_text
        jobs.append(Job(f"doc{number}", "inputs", (path,), task, (path, f"text {number}")))  # type: ignore[arg-type]
    return jobs


def test_a_document_whose_worker_died_is_retried_and_the_others_are_not_lost(
    tmp_path: Path
) -> None:
    results = run_jobs(jobs_with(tmp_path, die_once), 2, lambda result: None)
    assert sorted((r.job.name, r.error) for r in results) == [(f"doc{n}", None) for n in range(6)]
    for number in range(6):
        assert (tmp_path / f"doc{number}.txt").read_text() == f"text {number}"


def test_a_document_whose_worker_dies_again_fails_alone(tmp_path: Path) -> None:
    results = run_jobs(jobs_with(tmp_path, die_always), 2, lambda result: None)
    errors = {r.job.name: r.error for r in results}
    assert errors == {**{f"doc{n}": None for n in range(6)},
                      "doc2": "doc2: the worker process rendering it died, twice "
                              "(out of memory? killed?)"}
    assert not (tmp_path / "doc2.txt").exists()


def descendants(pid: int) -> set[int]:
    """Every living process below ``pid`` (zombies are dead)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    living = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            living.add(pid)
    return living


#: Builds that start processes, and how many they start: packs in workers (the fork server,
#: the resource tracker and two workers); one sheet laid out in a layout process of its own.
BUILDS_WITH_PROCESSES = [
    pytest.param(["packs", "--draft", "-j", "2"], 4, id="workers"),
    pytest.param(["build", "--sheet", SEED_SHEET, "-j", "2"], 1, id="layout-process"),
]


@pytest.mark.parametrize(("command", "processes"), BUILDS_WITH_PROCESSES)
def test_a_build_killed_with_sigkill_leaves_no_process_behind(
        project: Path, command: list[str], processes: int) -> None:
    build = subprocess.Popen(
        [sys.executable, "-B", str(REPO / "generate.py"), "--root", str(project), *command],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while len(started := descendants(build.pid)) < processes \
                and time.monotonic() < deadline:
            assert build.poll() is None, "the build ended before its processes started"
            time.sleep(0.01)
        assert len(started) >= processes, started
    finally:
        build.kill()
        build.wait()
    deadline = time.monotonic() + 5
    while alive(started) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert alive(started) == set()


@pytest.mark.parametrize(("command", "processes"), BUILDS_WITH_PROCESSES)
def test_an_interrupted_build_says_so_in_one_line_and_leaves_nothing(
        project: Path, command: list[str], processes: int) -> None:
    build = subprocess.Popen(
        [sys.executable, "-B", str(REPO / "generate.py"), "--root", str(project), *command],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 30
    while len(started := descendants(build.pid)) < processes and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(started) >= processes, started
    os.killpg(build.pid, signal.SIGINT)  # Ctrl-C: the whole group, as a terminal sends it
    _, err = build.communicate(timeout=30)
    assert build.returncode == 130
    assert error_lines(err) == ["Error: interrupted"]
    deadline = time.monotonic() + 5
    while alive(started) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert alive(started) == set()
    reports = project / "reports"
    leftovers = [p.name for p in reports.rglob("*") if TEMPORARY_SUFFIX in p.name] \
        if reports.exists() else []
    assert leftovers == []


WATCHER = """
import os, sys, time
from briefing.build import processes
if sys.argv[2] == "no-pidfd":
    del os.pidfd_open  # as on Linux before 5.3: the watchdog polls instead
processes.watch_build(int(sys.argv[1]))
time.sleep(30)
"""


@pytest.mark.parametrize("how", ["pidfd", "no-pidfd"])
def test_a_worker_ends_with_its_build_with_or_without_process_descriptors(how: str) -> None:
    build = subprocess.Popen(["sleep", "0.5"])
    watcher = subprocess.Popen([sys.executable, "-c", WATCHER, str(build.pid), how])
    try:
        build.wait()
        assert watcher.wait(timeout=5) == 1
    finally:
        watcher.kill()
        watcher.wait()


STOPPED_AT_WORK = """
import io, sys
from briefing.build import early
from briefing.cli import main

stop = early.LayoutProcess.stop
def stop_and_say(process):
    print("at work" if not all(f.done() for f in process._asked) else "idle")
    stop(process)
early.LayoutProcess.stop = stop_and_say
err = io.StringIO()
code = main(["--root", sys.argv[1], "build", "--sheet", sys.argv[2], "-j", "2"],
            io.StringIO(), err)
print(code)
print(err.getvalue(), end="")
"""


def test_a_one_sheet_build_refused_at_once_ends_its_layout_process_quietly(
        project: Path) -> None:
    # The layout process is still importing WeasyPrint when the data is refused: it is
    # killed, and nothing but the data's error is printed, each time.
    sheet = project / "data" / "sheets" / f"{SEED_SHEET}.yaml"
    sheet.write_text("id: [unclosed\n", encoding="utf-8")
    expected = [f"data/sheets/{SEED_SHEET}.yaml:2:1: malformed YAML: the [ opened on line 1 "
                "does not close where expected: separate its items with commas, end it with "
                '], and put quotes round a text holding ": " or ","']
    for _ in range(3):
        result = subprocess.run([sys.executable, "-c", STOPPED_AT_WORK, str(project),
                                 SEED_SHEET], capture_output=True, text=True, check=False)
        assert result.stderr == ""  # nor from its threads, nor from the layout process
        said, code, *printed = result.stdout.splitlines()
        assert (said, code, printed) == ("at work", "1", expected)
        assert not (project / "reports" / f"{SEED_SHEET}.pdf").exists()
