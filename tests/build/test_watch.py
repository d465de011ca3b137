"""Watch mode as a secretariat uses it: save the YAML, get the PDF; a broken save is told."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path

import pytest

from briefing.build import early
from briefing.build.cache import BuildCache
from briefing.build.options import BuildOptions, ProjectPaths
from briefing.build.watch import watch
from briefing.checks.findings import Finding
from briefing.core.load import LoadedProject
from briefing.paged.layout import Layout
from tests.cli_runner import assert_built_as_here
from tests.conftest import SEED_SHEET
from tests.pdftext import column_text


class Watcher:
    """``watch`` in a thread, its lines collected, with a way to wait for one."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.lines: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=watch, args=(options, self.lines.append),
            kwargs={"stop": self.stop, "debounce_ms": 100}, daemon=True)

    def wait_for(self, wanted: Callable[[str], bool], after: int = 0,
                 timeout: float = 60) -> int:
        """The index of the first line from ``after`` on that ``wanted`` accepts."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for index, line in enumerate(self.lines[after:], start=after):
                if wanted(line):
                    return index
            time.sleep(0.05)
        raise AssertionError(f"no such line in {self.lines[after:]}")


@pytest.fixture
def watcher(project: Path, tmp_path: Path) -> Iterator[Watcher]:
    options = BuildOptions(ProjectPaths(project), tmp_path / "reports", sheets=[SEED_SHEET],
                           workers=1)
    running = Watcher(options)
    running.thread.start()
    yield running
    running.stop.set()
    running.thread.join(timeout=30)
    assert not running.thread.is_alive()
    assert running.lines[-1] == "stopped watching"


def test_a_save_rebuilds_the_sheet_and_a_broken_save_is_told(
        watcher: Watcher, sheet_file: Path, tmp_path: Path) -> None:
    ready = watcher.wait_for(lambda line: line.startswith("watching "))
    assert watcher.lines[ready] == "watching data/, templates/, fonts/ (Ctrl-C stops)"
    assert f"built sheet {SEED_SHEET}" in watcher.lines[:ready]
    pdf = tmp_path / "reports" / f"{SEED_SHEET}.pdf"

    text = sheet_file.read_text(encoding="utf-8")
    sheet_file.write_text(text.replace("Budapest Process Secretariat",
                                       "Budapest Process Secretariat Office"), encoding="utf-8")
    changed = watcher.wait_for(lambda line: line == f"changed data/sheets/{SEED_SHEET}.yaml",
                               ready)
    built = watcher.wait_for(lambda line: line == f"built sheet {SEED_SHEET}", changed)
    watcher.wait_for(lambda line: line.startswith("3 file(s) written"), built)
    assert "Budapest Process Secretariat Office" in column_text(pdf, 0).replace("\n", " ")

    before = pdf.read_bytes()
    sheet_file.write_text("id: [unclosed\n", encoding="utf-8")
    broken = watcher.wait_for(lambda line: line == f"changed data/sheets/{SEED_SHEET}.yaml",
                              built)
    error = watcher.wait_for(lambda line: line.startswith(f"data/sheets/{SEED_SHEET}.yaml:"),
                             broken)
    assert "malformed YAML" in watcher.lines[error]
    assert pdf.read_bytes() == before


def test_watch_lays_a_saved_sheet_out_in_its_warm_layout_process_begun_before_the_checks(
        project: Path, sheet_file: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # As the command runs it: in the main thread (this test's editing thread aside), with
    # a second core.
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    events: list[str] = []
    submit, asked, checks = (early.LayoutProcess._submit, early.LayoutProcess.__call__,
                             BuildCache.findings)

    def begun(process: early.LayoutProcess, layout: Layout) -> Future[bytes] | None:
        events.append("begun" + (" (saved)" if "Secretariat Office" in layout.html else ""))
        return submit(process, layout)

    def asked_for(process: early.LayoutProcess, layout: Layout) -> Callable[[], bytes]:
        events.append("asked for" + (" (saved)" if "Secretariat Office" in layout.html else ""))
        return asked(process, layout)

    def checked(cache: BuildCache, loaded: LoadedProject) -> list[Finding]:
        events.append("checks")
        return checks(cache, loaded)

    monkeypatch.setattr(early.LayoutProcess, "_submit", begun)
    monkeypatch.setattr(early.LayoutProcess, "__call__", asked_for)
    monkeypatch.setattr(BuildCache, "findings", checked)
    watcher = Watcher(BuildOptions(ProjectPaths(project), tmp_path / "reports",
                                   sheets=[SEED_SHEET], workers=1))

    def save_once() -> None:
        try:
            ready = watcher.wait_for(lambda line: line.startswith("watching "))
            events.append("saved")
            text = sheet_file.read_text(encoding="utf-8")
            sheet_file.write_text(text.replace("Budapest Process Secretariat",
                                               "Budapest Process Secretariat Office"),
                                  encoding="utf-8")
            watcher.wait_for(lambda line: line.startswith("3 file(s) written"), ready + 1)
        finally:
            watcher.stop.set()

    editing = threading.Thread(target=save_once, daemon=True)
    editing.start()
    watch(watcher.options, watcher.lines.append, stop=watcher.stop, debounce_ms=100)
    editing.join()
    assert watcher.lines[-1] == "stopped watching"
    assert multiprocessing.active_children() == []  # the layout process ended with it
    # The saved sheet's pages (its footers were laid out by the first build, here): begun
    # as soon as it was read, before the checks; asked for by the sheet's job, and taken
    # as begun, not laid out again; the files those of a build laid out here alone.
    saved = events[events.index("saved") + 1:]
    assert saved == ["begun (saved)", "checks", "asked for (saved)"]
    assert_built_as_here(project, SEED_SHEET, tmp_path / "reports", tmp_path / "here")
