"""Reads that never end: a device, a pipe or a file whose size lies is refused, or read no
further than the cap allows, wherever the tool reads (data, labels, templates, manifest)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from briefing.build.manifest import Manifest
from briefing.core.files import FileRefusedError, read_bounded
from tests.cli_runner import run
from tests.hostile.support import BUILD, SHEET, link, refused, sheet_file


def test_the_bounded_reader_stops_at_its_cap_whatever_st_size_says() -> None:
    status = Path("/proc/self/status")
    assert status.stat().st_size == 0  # a regular file that claims to be empty
    with pytest.raises(FileRefusedError) as caught:
        read_bounded(status, 10)
    assert caught.value.strerror == "file is larger than the 10 bytes allowed"
    assert b"Name:" in read_bounded(status, 1 << 20)


@pytest.mark.parametrize(("path", "kind"), [
    ("/dev/zero", "a character device"), ("/dev/urandom", "a character device"),
    ("/proc/self", "a folder"),
])
def test_the_bounded_reader_refuses_what_is_no_regular_file(path: str, kind: str) -> None:
    with pytest.raises(FileRefusedError) as caught:
        read_bounded(Path(path), 1 << 20)
    assert caught.value.strerror == f"not a regular file ({kind})"


def test_the_bounded_reader_refuses_a_pipe_without_waiting_for_a_writer(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(FileRefusedError) as caught:
        read_bounded(pipe, 1 << 20)
    assert caught.value.strerror == "not a regular file (a pipe)"


def test_the_bounded_reader_refuses_a_link_out_of_its_folder(tmp_path: Path) -> None:
    (tmp_path / "inside").mkdir()
    (tmp_path / "secret").write_text("secret", encoding="utf-8")
    link(tmp_path / "inside" / "x", tmp_path / "secret")
    with pytest.raises(FileRefusedError) as caught:
        read_bounded(tmp_path / "inside" / "x", 100, within=tmp_path / "inside")
    assert caught.value.strerror == f"a link to {tmp_path / 'secret'}, outside inside/"


def test_a_sheet_linked_to_dev_zero_is_refused(project: Path) -> None:
    link(project / "data" / "sheets" / "zero.yaml", Path("/dev/zero"))
    refused(project, ["build", "-j", "1"], [
        "data/sheets/zero.yaml: cannot read: a link to /dev/zero, outside sheets/"])


def test_a_sheet_that_is_a_pipe_is_refused_without_waiting(project: Path) -> None:
    os.mkfifo(project / "data" / "sheets" / "pipe.yaml")
    refused(project, ["build", "-j", "1"], [
        "data/sheets/pipe.yaml: not a regular file; give a YAML file"])


def test_labels_linked_to_dev_zero_are_refused(project: Path) -> None:
    link(project / "templates" / "labels.yaml", Path("/dev/zero"))
    refused(project, BUILD, ["Error: templates/labels.yaml: cannot read: a link to /dev/zero, "
                             "outside templates/"])


def test_a_template_that_is_a_pipe_is_refused_without_waiting(project: Path) -> None:
    os.mkfifo(project / "templates" / "extra.css")
    refused(project, BUILD, ["Error: templates/extra.css: cannot read: not a regular file "
                             "(a pipe)"])


def test_a_manifest_linked_to_dev_zero_is_not_read_and_is_replaced(project: Path) -> None:
    reports = project / "reports"
    reports.mkdir()
    link(reports / "manifest.json", Path("/dev/zero"))
    code, _, err = run(project, *BUILD)
    assert code == 0, err
    manifest = reports / "manifest.json"
    assert not manifest.is_symlink()
    # The sheet's three files, and its piece (the compendium's part, named after its inputs).
    piece, *documents = sorted(json.loads(manifest.read_text())["outputs"])
    assert documents == [f"{SHEET}.docx", f"{SHEET}.html", f"{SHEET}.pdf"]
    assert re.fullmatch(rf"\.parts/{SHEET}-[0-9a-f]{{16}}\.pdf", piece), piece
    assert (reports / piece).is_file()


def test_a_report_linked_to_dev_zero_is_replaced_not_read(project: Path) -> None:
    reports = project / "reports"
    reports.mkdir()
    link(reports / f"{SHEET}.html", Path("/dev/zero"))
    code, out, err = run(project, *BUILD)
    assert code == 0, err
    assert f"wrote reports/{SHEET}.html" in out
    assert (reports / f"{SHEET}.html").read_bytes().startswith(b"<!DOCTYPE html>")
    assert sheet_file(project).exists()


DAMAGED_MANIFESTS = [
    b"[" * 100_000 + b"]" * 100_000, b"\xff\xfe not UTF-8", b'{"format": 1, "outputs": 5}',
    b'{"format": 1, "outputs": {"x.pdf": {"inputs": [], "bytes": "many"}}}',
]


@pytest.mark.parametrize("content", DAMAGED_MANIFESTS)
def test_a_damaged_manifest_is_read_as_none(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "manifest.json").write_bytes(content)
    assert Manifest.load(tmp_path).entries == {}


def test_a_build_over_a_damaged_manifest_rebuilds_everything(project: Path) -> None:
    reports = project / "reports"
    reports.mkdir()
    (reports / "manifest.json").write_bytes(DAMAGED_MANIFESTS[0])
    code, out, err = run(project, *BUILD)
    assert code == 0, err
    # The sheet's piece is written too, but counted apart: it is no document.
    assert out.splitlines()[-1] == "3 file(s) written, 0 unchanged, 0 up to date"
    assert len(list((reports / ".parts").glob(f"{SHEET}-*.pdf"))) == 1
