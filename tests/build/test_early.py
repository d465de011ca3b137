"""Processes started as a build begins (the fork server, a one-sheet build's layout
process): only when they will likely lay documents out, judged from modification times
against the manifest's; the layout process lays out what this one would."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefing.build import early, pool
from briefing.build.early import likely_changed, start_early
from briefing.build.options import MANIFEST_FILE, BuildOptions, ProjectPaths
from briefing.build.pipeline import load
from briefing.errors import FetchRefusedError
from briefing.paged import stamp
from briefing.paged.layout import Layout, lay_out
from tests.cli_runner import assert_built_as_here, run_in_fresh_process
from tests.conftest import SEED_SHEET


def options(project: Path, **given: object) -> BuildOptions:
    return BuildOptions(paths=ProjectPaths(project), output_dir=project / "reports",
                        **given)  # type: ignore[arg-type]


def built_after_every_input(project: Path) -> None:
    """A manifest written after every input was last modified, as a finished build leaves it."""
    manifest = project / "reports" / MANIFEST_FILE
    manifest.parent.mkdir(exist_ok=True)
    manifest.write_text("{}", encoding="utf-8")
    newest = max(path.stat().st_mtime_ns for path in project.rglob("*") if path != manifest)
    os.utime(manifest, ns=(newest + 10**9, newest + 10**9))


def test_inputs_are_likely_changed_before_any_build_and_after_an_edit(project: Path) -> None:
    assert likely_changed(options(project))  # no manifest yet
    built_after_every_input(project)
    assert not likely_changed(options(project))
    assert likely_changed(options(project, force=True))
    sheet = project / "data" / "sheets" / f"{SEED_SHEET}.yaml"
    later = (project / "reports" / MANIFEST_FILE).stat().st_mtime_ns + 10**9
    os.utime(sheet, ns=(later, later))
    assert likely_changed(options(project))


def test_a_new_template_counts_as_a_change(project: Path) -> None:
    built_after_every_input(project)
    added = project / "templates" / "extra.css"
    added.write_text("p {}", encoding="utf-8")
    later = (project / "reports" / MANIFEST_FILE).stat().st_mtime_ns + 10**9
    os.utime(added, ns=(later, later))
    assert likely_changed(options(project))


@pytest.mark.parametrize(("given", "started"), [
    ({"workers": 2}, "fork server"),
    ({"workers": 1}, None),  # every document is laid out in the build's own process
    ({"workers": 2, "sheets": [SEED_SHEET]}, "layout process"),  # its one job here, but
    # its pages laid out beside it
    ({"workers": 1, "sheets": [SEED_SHEET]}, None),  # no second core for them
    ({"workers": 2, "sheets": [SEED_SHEET, "other"]}, "fork server"),
])
def test_processes_start_early_only_when_documents_will_be_laid_out_beside_the_build(
        project: Path, monkeypatch: pytest.MonkeyPatch, given: dict[str, object],
        started: str | None) -> None:
    calls: list[str] = []
    monkeypatch.setattr(pool, "start_fork_server", lambda templates: calls.append(
        "fork server" if templates == project / "templates" else "?"))
    monkeypatch.setattr(early, "start_layout_process", lambda: calls.append("layout process"))
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)  # as in a fresh process
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    start_early(options(project, **given))  # no build yet: everything is to be laid out
    assert calls == ([started] if started else [])
    built_after_every_input(project)
    start_early(options(project, **given))
    assert len(calls) == bool(started)  # nothing changed since: not again


@pytest.mark.parametrize("why_not", ["weasyprint loaded", "another thread"])
def test_no_layout_process_where_laying_out_here_is_quicker_or_forking_unsafe(
        project: Path, monkeypatch: pytest.MonkeyPatch, why_not: str) -> None:
    one_sheet = options(project, workers=2, sheets=[SEED_SHEET])
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert early.lays_out_apart(one_sheet)
    if why_not == "weasyprint loaded":  # watch mode, a test: warm here already
        monkeypatch.setitem(sys.modules, "weasyprint", sys)
    else:  # a fork would copy its locks, held
        monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not early.lays_out_apart(one_sheet)


def test_a_one_sheet_build_lays_its_pages_out_in_a_process_of_its_own(project: Path) -> None:
    # The build process never loads WeasyPrint, nor starts a fork server: its layout process
    # did the laying out, and the files are those of a build laid out here (-j 1).
    assert run_in_fresh_process(
        project, "build", "--sheet", SEED_SHEET, "-j", "2",
        report="'weasyprint' in sys.modules, "
               "multiprocessing.forkserver._forkserver._forkserver_pid") == "0 False None"
    assert_built_as_here(project, SEED_SHEET, project / "reports", project / "here")


def small_layout(folder: Path, body: str) -> Layout:
    return Layout(f"<html><head></head><body>{body}</body></html>", folder, (folder,))


def test_what_the_layout_process_lays_out_is_what_this_process_would(tmp_path: Path) -> None:
    layout = small_layout(tmp_path, "<p>Hello</p>")
    process = early.LayoutProcess()
    try:
        assert process(layout)() == lay_out(layout)
    finally:
        process.stop()


def test_a_refusal_in_the_layout_process_is_the_build_s_one_line(tmp_path: Path) -> None:
    layout = small_layout(tmp_path, '<img src="file:///etc/hostname">')
    with pytest.raises(FetchRefusedError) as here:
        lay_out(layout)
    process = early.LayoutProcess()
    try:
        with pytest.raises(FetchRefusedError) as there:
            process(layout)()
    finally:
        process.stop()
    assert str(there.value) == str(here.value)
    assert "/etc/hostname" in str(there.value)


def test_pages_are_laid_out_here_if_the_layout_process_died(tmp_path: Path) -> None:
    layout = small_layout(tmp_path, "<p>Hello</p>")
    process = early.LayoutProcess()
    try:
        [pid] = process._pool._processes
        os.kill(pid, signal.SIGKILL)  # before or while it is asked: either way, here
        assert process(layout)() == lay_out(layout)
    finally:
        process.stop()


def test_the_layout_process_keeps_no_pdf_it_has_handed_back(tmp_path: Path) -> None:
    # Watch mode asks it for pages after every save, for hours.
    process = early.LayoutProcess()
    try:
        for text in ("one", "two", "three"):
            assert process(small_layout(tmp_path, f"<p>{text}</p>"))().startswith(b"%PDF")
        assert len(process._asked) == 1  # the last one's, forgotten at the next
    finally:
        process.stop()


def submissions(process: early.LayoutProcess, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The bodies of the layouts ``process`` is given to lay out, as it is given them."""
    given: list[str] = []
    submit = process._pool.submit

    def counted(function: Callable[..., object], *args: object) -> object:
        if args and isinstance(args[0], Layout):
            given.append(args[0].html.split("<body>")[1].split("</body>")[0])
        return submit(function, *args)

    monkeypatch.setattr(process._pool, "submit", counted)
    return given


@pytest.fixture
def counted_process(
        monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[early.LayoutProcess, list[str]]]:
    """A layout process, and the bodies of what it is given to lay out (:func:`submissions`)."""
    process = early.LayoutProcess()
    try:
        yield process, submissions(process, monkeypatch)
    finally:
        process.stop()


def test_a_foreseen_layout_is_taken_as_begun_and_another_is_laid_out_anew(
        tmp_path: Path, counted_process: tuple[early.LayoutProcess, list[str]]) -> None:
    process, given = counted_process
    foreseen, other = small_layout(tmp_path, "<p>one</p>"), small_layout(tmp_path, "<p>two</p>")
    process.foresee([foreseen])
    assert process(Layout(foreseen.html, tmp_path, (tmp_path,)))() == lay_out(foreseen)
    assert process(other)() == lay_out(other)
    assert given == ["<p>one</p>", "<p>two</p>"]  # the foreseen one begun once


def test_what_was_foreseen_and_not_asked_for_is_forgotten_at_the_next_save(
        tmp_path: Path, counted_process: tuple[early.LayoutProcess, list[str]]) -> None:
    process, given = counted_process
    first, second = small_layout(tmp_path, "<p>one</p>"), small_layout(tmp_path, "<p>two</p>")
    process.foresee([first])
    process.foresee([second])
    assert process(first)() == lay_out(first)  # begun again: not kept from before
    assert process(second)() == lay_out(second)
    assert given == ["<p>one</p>", "<p>two</p>", "<p>one</p>"]


def test_nothing_is_foreseen_without_a_layout_process_or_for_many_sheets(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load(options(project))
    foreseen: list[list[Layout]] = []
    monkeypatch.setattr(early.LayoutProcess, "foresee",
                        lambda process, layouts: foreseen.append(list(layouts)))
    early.foresee(loaded, [SEED_SHEET], options(project))  # no layout process: laid out here
    assert foreseen == []
    monkeypatch.setattr(early, "_layout_process", object.__new__(early.LayoutProcess))
    early.foresee(loaded, [SEED_SHEET] * (early.MAX_FORESEEN_SHEETS + 1), options(project))
    assert foreseen == []  # every sheet read anew (country names changed): as asked for
    early.foresee(loaded, [SEED_SHEET], options(project, targets=("packs",)))
    assert foreseen == []  # no sheet to build
    monkeypatch.setattr(stamp, "_specimens", {})  # no footers laid out in this process yet
    early.foresee(loaded, [SEED_SHEET], options(project))
    [[footers, pages]] = foreseen  # as the sheet's job asks for them
    assert "Budapest Process" in pages.html
    assert "Budapest Process" not in footers.html
