"""The fork server started as a build begins: only when workers will likely lay out
documents, judged from modification times against the manifest's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing.build import pool
from briefing.build.early import likely_changed, start_early
from briefing.build.manifest import MANIFEST_FILE
from briefing.build.options import BuildOptions, ProjectPaths
from tests.cli_runner import run_in_fresh_process
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
    ({"workers": 2}, True),
    ({"workers": 1}, False),  # every document is laid out in the build's own process
    ({"workers": 2, "sheets": [SEED_SHEET]}, False),  # one document: the same
    ({"workers": 2, "sheets": [SEED_SHEET, "other"]}, True),
])
def test_the_server_starts_early_only_for_workers_with_documents_to_lay_out(
        project: Path, monkeypatch: pytest.MonkeyPatch, given: dict[str, object],
        started: bool) -> None:
    calls: list[Path | None] = []
    monkeypatch.setattr(pool, "start_fork_server", calls.append)
    start_early(options(project, **given))  # no build yet: everything is to be laid out
    assert calls == ([project / "templates"] if started else [])
    built_after_every_input(project)
    start_early(options(project, **given))
    assert len(calls) == started  # nothing changed since: not again


def test_a_one_sheet_build_starts_no_fork_server(project: Path) -> None:
    # Its one job is laid out in the build's own process: a server would only import
    # WeasyPrint a second time, beside it.
    assert run_in_fresh_process(
        project, "build", "--sheet", SEED_SHEET, "-j", "2",
        report="multiprocessing.forkserver._forkserver._forkserver_pid") == "0 None"
