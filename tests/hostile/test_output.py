"""Where the reports go: an unusable --output folder, a document that cannot be written
whole, a full disk, two builds in one folder. Each refused in one line, nothing changed."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.build.manifest import Entry, Manifest
from briefing.build.output import holding
from briefing.core import files
from briefing.core.load import display_name
from tests.cli_runner import run
from tests.hostile.support import BUILD, SHEET, error_lines, refused, state

PREVIOUS = {f"{SHEET}.html": b"<p>previous html</p>", f"{SHEET}.docx": b"previous docx",
            f"{SHEET}.pdf": b"%PDF previous"}


def previous_reports(project: Path) -> Path:
    """A reports/ folder from an earlier build: the sample's three files and a manifest."""
    reports = project / "reports"
    reports.mkdir()
    for name, content in PREVIOUS.items():
        (reports / name).write_bytes(content)
    manifest = Manifest(reports, {name: Entry("old inputs", None, len(content))
                                  for name, content in PREVIOUS.items()})
    (reports / "manifest.json").write_bytes(manifest.output().content)
    return reports


def test_output_that_is_a_file_is_refused_in_one_line(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_bytes(b"not a folder")
    refused(project, [*BUILD, "--output", str(target)],
            [f"Error: cannot write reports into {target}: not a folder"])
    assert target.read_bytes() == b"not a folder"


def test_output_under_proc_is_refused_in_one_line(project: Path) -> None:
    refused(project, [*BUILD, "--output", "/proc/briefing-reports"],
            ["Error: cannot create the output folder /proc/briefing-reports: "
             "No such file or directory"])


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder no file can be created in, even by root (immutable), and the reason given."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(
                ["chattr", "+i", str(folder)], capture_output=True, check=False).returncode:
            pytest.skip("root, and this file system cannot make a folder immutable")
        try:
            yield folder, os.strerror(errno.EPERM)
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        try:
            yield folder, os.strerror(errno.EACCES)
        finally:
            folder.chmod(0o755)


def test_a_read_only_output_folder_is_refused_in_one_line(
    project: Path, read_only: tuple[Path, str]
) -> None:
    folder, reason = read_only
    refused(project, [*BUILD, "--output", str(folder)],
            [f"Error: cannot write reports into {folder}: {reason}"])
    assert list(folder.iterdir()) == []


def test_a_documents_files_are_written_together_or_not_at_all(project: Path) -> None:
    reports = previous_reports(project)
    (reports / f"{SHEET}.pdf").unlink()
    (reports / f"{SHEET}.pdf").mkdir()  # the PDF cannot be written: a folder in its place
    refused(project, BUILD, [
        f"sheet {SHEET}: cannot write {reports / SHEET}.pdf: a folder is in its place",
        "Error: 1 document(s) failed"])
    assert sorted(os.listdir(reports)) == sorted([*PREVIOUS, "manifest.json"])  # no temporary


@pytest.mark.parametrize("failing", ["html", "pdf", "docx"])
def test_a_full_disk_leaves_every_file_of_the_document_as_it_was(
    project: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    # The disk fills up while one of the files is written (reported at fsync, as by ext4's
    # delayed allocation): the others, written before or after it, are not put in place.
    reports = previous_reports(project)
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        if os.readlink(f"/proc/self/fd/{descriptor}").startswith(
                str(reports / f".{SHEET}.{failing}.")):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    refused(project, BUILD, [
        f"sheet {SHEET}: cannot write {reports / SHEET}.{failing}: No space left on device",
        "Error: 1 document(s) failed"])
    assert sorted(os.listdir(reports)) == sorted([*PREVIOUS, "manifest.json"])


@pytest.mark.parametrize("failing", ["docx", "piece"])
def test_a_failed_rename_puts_back_the_files_already_renamed(
    project: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """The sheet's job writes four files, renamed into place in turn: its HTML, PDF and
    DOCX, then its piece (reports/.parts/, the compendium's part, named after its inputs).
    A rename failing at the third or at the last puts back every file renamed before it."""
    reports = previous_reports(project)
    # As an earlier build leaves it: the folder of pieces, with the sheet's previous one.
    (reports / ".parts").mkdir()
    (reports / ".parts" / f"{SHEET}-0123456789abcdef.pdf").write_bytes(b"%PDF previous piece")
    real_replace = os.replace
    renamed: list[Path] = []
    failed: list[Path] = []

    def fails(target: Path) -> bool:
        if failing == "piece":
            return target.parent == reports / ".parts"
        return target == reports / f"{SHEET}.docx"

    def replace(source: str | Path, target: str | Path) -> None:
        if ".briefing-tmp" in str(source) and ".previous" not in str(source):
            if fails(Path(target)):
                failed.append(Path(target))
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            if Path(target).name != "manifest.json":  # saved before, and after, the renames
                renamed.append(Path(target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    before = state(project)
    code, out, err = run(project, *BUILD)
    [target] = failed  # the piece's name is the hash of its inputs: read where it failed
    assert (code, error_lines(err)) == (1, [
        f"sheet {SHEET}: cannot write {target}: Input/output error",
        "Error: 1 document(s) failed"])
    assert "Traceback" not in out + err
    documents = [reports / f"{SHEET}.{suffix}" for suffix in ("html", "pdf", "docx")]
    if failing == "piece":
        assert target.name.startswith(f"{SHEET}-")
        assert renamed == documents  # all three in place when the last rename failed
    else:
        assert renamed == documents[:2]
    assert state(project) == before  # put back, the previous piece kept, no temporary left


def test_another_build_in_the_same_folder_is_refused(project: Path) -> None:
    reports = previous_reports(project)
    with holding(reports, "reports"):
        refused(project, BUILD, ["Error: another build is running in reports; wait for it to "
                                 "end, or write elsewhere with --output"])


HOLDER = """
import sys, time
from pathlib import Path
from briefing.build.manifest import Entry, Manifest
from briefing.build.output import holding
with holding(Path(sys.argv[1]), "reports"):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_build_killed_while_holding_the_folder_does_not_keep_it(project: Path) -> None:
    reports = previous_reports(project)
    stale = reports / f".{SHEET}.pdf.x1y2z3{files.TEMPORARY_SUFFIX}"
    stale.write_bytes(b"half a PDF")  # left by a build killed while writing
    (reports / "packs").mkdir()
    stale_pack = reports / "packs" / f".kg.pdf.a1b2c3{files.TEMPORARY_SUFFIX}"
    stale_pack.write_bytes(b"half a pack")
    (reports / "review").mkdir()
    # What `review` may be writing right now: not the build's to remove.
    reviewing = reports / "review" / f".{SHEET}-ru.docx.q1w2e3{files.TEMPORARY_SUFFIX}"
    reviewing.write_bytes(b"a review copy being written")
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(reports)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "held\n"
        refused(project, BUILD, ["Error: another build is running in reports; wait for it to "
                                 "end, or write elsewhere with --output"])
    finally:
        holder.kill()
        holder.communicate()
    # Killed, the other build holds nothing any more: this one runs, and clears the remains.
    code, _, err = run(project, *BUILD, "--draft")
    assert code == 0, err
    assert not stale.exists()
    assert not stale_pack.exists()
    assert reviewing.exists()
    manifest = json.loads((reports / "manifest.json").read_text())
    for name, entry in manifest["outputs"].items():  # the manifest says what is on disk
        assert (reports / name).stat().st_size == entry["bytes"]


def test_two_builds_started_together_never_interleave(project: Path) -> None:
    previous_reports(project)
    command = [sys.executable, "-B", "-c",
               "import sys; from briefing.cli import main; sys.exit(main(sys.argv[1:]))",
               "--root", str(project), *BUILD, "--draft"]
    started = time.monotonic()
    builds = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True) for _ in range(2)]
    outcomes = sorted((b.wait(60), error_lines(b.communicate()[1])) for b in builds)
    assert time.monotonic() - started < 60
    busy = (1, ["Error: another build is running in reports; wait for it to end, or write "
                "elsewhere with --output"])
    # One ran and the other was turned away, or (if one ended before the other began) both ran.
    assert outcomes in ([(0, []), busy], [(0, []), (0, [])]), outcomes
    reports = project / "reports"
    manifest = json.loads((reports / "manifest.json").read_text())
    for name, entry in manifest["outputs"].items():
        assert (reports / name).stat().st_size == entry["bytes"]
    assert not [p for p in reports.rglob("*") if files.TEMPORARY_SUFFIX in p.name]
    assert state(project)["data/sheets/" + SHEET + ".yaml"]


@pytest.mark.parametrize(("folder", "within"), [
    ("data", "data"), ("data/sheets", "data"), ("templates", "templates"),
    ("fonts/reports", "fonts"),
])
def test_reports_never_go_among_the_inputs(project: Path, folder: str, within: str) -> None:
    shown = display_name(project / folder, project)  # fonts/ is a link here: named in full
    refused(project, [*BUILD, "--output", str(project / folder)], [
        f"Error: cannot write reports into {shown}: it is in the project's {within}/ folder, "
        "which documents are made from"])
    assert not (project / "templates" / "manifest.json").exists()


def test_an_output_name_the_system_refuses_is_one_line(project: Path) -> None:
    name = "x" * 300
    refused(project, [*BUILD, "--output", str(project / name)], [
        f"Error: cannot create the output folder {name}: {os.strerror(errno.ENAMETOOLONG)}"])
    refused(project, ["review", "--lang", "ru", "--output", str(project / name)], [
        f"Error: cannot create the folder {project / name / 'review'}: "
        f"{os.strerror(errno.ENAMETOOLONG)}"])


def test_a_first_build_that_writes_nothing_leaves_no_folder_behind(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up as the sheet's piece (its layout, kept for the compendium) is
    written: no document is put in place, and neither reports/ nor the folders made for
    the pieces are left, empty, behind."""
    reports = project / "reports"
    assert not reports.exists()
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        if "/.parts/" in os.readlink(f"/proc/self/fd/{descriptor}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    code, out, err = run(project, *BUILD)
    assert code == 1, out
    assert error_lines(err)[-1] == "Error: 1 document(s) failed"
    assert "No space left on device" in err
    assert not reports.exists()
