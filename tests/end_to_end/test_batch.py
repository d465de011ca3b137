"""The whole batch: everything built, incrementally, and a failing sheet kept apart from the
documents built beside it.

Every document of a project is built, so the project is a trimmed one (``trimmed_project``):
both sheets, the seed's cut to a page, with activities chosen so that each case still has
a document to rebuild and one to leave alone: Bulgaria's pack draws on the seed without
printing its changed activity, and draws nothing from the sample. The builds run in this
process (-j 1), where WeasyPrint is already warm, but for the compendium built once the
failure is mended: its parts are rendered in the worker pool (-j 2), whose failures and
retries tests/build/test_pool.py and tests/hostile/test_processes.py test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest

from tests.cli_runner import Result, run
from tests.conftest import SAMPLE_SHEET, SEED_SHEET, trimmed_project

#: The fictional sample (examples/data/), added to the project so packs draw on two sheets.
SAMPLE = SAMPLE_SHEET
EPOCH = "1772323200"
#: The seed's title, a paragraph, its contact, its Dushanbe meeting (Tajikistan alone) and
#: its Sofia meeting (Bulgaria, the host, and Tajikistan).
SEED_BLOCKS = ["description.title", "description.forum", "activities.2014-11-dushanbe",
               "activities.2015-03-sofia", "contact"]
#: The sample's description and contact, and its Khujand seminar (Tajikistan, Uzbekistan).
SAMPLE_BLOCKS = ["description", "activities.2019-05-khujand", "contact"]
COUNTRIES = ["bg", "tj", "uz"]
#: Countries whose pack draws on the sample sheet.
SAMPLE_COUNTRIES = {"tj", "uz"}
#: Every file a build writes: three per sheet, two per pack, the compendium.
FILES = 2 * 3 + 2 * len(COUNTRIES) + 1


def stats(reports: Path) -> dict[str, tuple[int, int]]:
    """Every file under reports/ with its inode and modification time."""
    return {p.relative_to(reports).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(reports.rglob("*")) if p.is_file()}


@pytest.fixture(autouse=True, scope="module")
def fixed_date() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        yield


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, fixed_date: None) -> Path:
    project = trimmed_project(tmp_path_factory.mktemp("batch") / "project",
                              seed=SEED_BLOCKS, sample=SAMPLE_BLOCKS)
    code, out, err = run(project, "-j", "1")
    assert code == 0, err
    assert "built compendium" in out
    return project


def test_no_arguments_build_sheets_packs_and_compendium(built: Path) -> None:
    reports = built / "reports"
    for sheet in (SEED_SHEET, SAMPLE):
        for suffix in ("html", "pdf", "docx"):
            assert (reports / f"{sheet}.{suffix}").is_file()
    assert sorted(p.name for p in (reports / "packs").iterdir()) == sorted(
        f"{cc}.{suffix}" for cc in COUNTRIES for suffix in ("pdf", "docx"))
    assert (reports / "compendium.pdf").is_file()


def test_manifest_lists_each_output_with_inputs_pages_and_size(built: Path) -> None:
    reports = built / "reports"
    outputs = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    on_disk = {p.relative_to(reports).as_posix() for p in reports.rglob("*")
               if p.is_file() and p.name != "manifest.json"
               and not {".parts", ".cache"} & set(p.relative_to(reports).parts)}
    documents = {name for name in outputs if not name.startswith(".parts/")}
    assert documents == on_disk
    # Each sheet's piece (its layout before numbering, the compendium's part) is recorded
    # with the sheet's own inputs, so that a missing piece rebuilds its sheet.
    pieces = {name.split("/")[1].rsplit("-", 1)[0]: outputs[name]["inputs"]
              for name in outputs if name.startswith(".parts/")}
    assert pieces == {name.removesuffix(".pdf"): entry["inputs"]
                      for name, entry in outputs.items()
                      if "/" not in name and name.endswith(".pdf") and name != "compendium.pdf"}
    for name, entry in outputs.items():
        path = reports / name
        assert entry["bytes"] == path.stat().st_size, name
        assert len(entry["inputs"]) == 64
        assert int(entry["inputs"], 16) >= 0
        if path.suffix == ".pdf":
            with pikepdf.open(path) as pdf:
                assert entry["pages"] == len(pdf.pages), name
        else:
            assert entry["pages"] is None
    sheet_inputs = {outputs[f"{SEED_SHEET}.{s}"]["inputs"] for s in ("html", "pdf", "docx")}
    assert len(sheet_inputs) == 1
    assert outputs["packs/tj.pdf"]["inputs"] != outputs["packs/uz.pdf"]["inputs"]


def test_an_unchanged_rebuild_touches_no_file(built: Path) -> None:
    before = stats(built / "reports")
    code, out, err = run(built, "-j", "1")
    assert code == 0, err
    assert stats(built / "reports") == before
    assert out.splitlines()[-1] == f"0 file(s) written, 0 unchanged, {FILES} up to date"
    assert "built" not in out


def test_a_changed_activity_rebuilds_only_what_prints_it(built: Path) -> None:
    reports = built / "reports"
    sheet = built / "data" / "sheets" / f"{SEED_SHEET}.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace(
        "labour migration\n            and protection", "labour migration\n            and the "
        "protection").replace("защите трудящихся", "защите прав трудящихся"), encoding="utf-8")
    before = stats(reports)
    code, out, err = run(built, "-j", "1")
    assert code == 0, err
    after = stats(reports)
    changed = {name for name in after if after[name] != before.get(name)}
    # The Dushanbe meeting names Tajikistan alone; Bulgaria's pack prints the seed's part.
    expected = {f"{SEED_SHEET}.{suffix}" for suffix in ("html", "pdf", "docx")}
    expected |= {f"packs/tj.{suffix}" for suffix in ("pdf", "docx")}
    expected |= {"compendium.pdf", "manifest.json", ".cache/data.json"}
    parts = {name for name in changed if name.startswith(".parts/")}
    assert changed - parts == expected
    # Of the sheets' pieces, the seed's alone is laid out again (by its sheet's job); of the
    # packs' (.parts/packs/), none of Bulgaria's, whose pack is not built again.
    [sheet_piece] = [name for name in parts if name.count("/") == 1]
    assert sheet_piece.startswith(f".parts/{SEED_SHEET}-")
    assert not [name for name in parts if name.startswith(".parts/packs/bg-")], parts
    assert "built sheet budapest-process" in out
    assert "built pack TJ" in out
    assert "pack BG" not in out
    assert "built sheet steppe-routes-initiative" not in out


def test_a_changed_description_rebuilds_every_pack_of_its_organisation(built: Path) -> None:
    reports = built / "reports"
    sheet = built / "data" / "sheets" / f"{SAMPLE}.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace(
        "Its secretariat of 6", "Its secretariat of six").replace(
        "секретариат из 6", "секретариат из шести"), encoding="utf-8")
    before = stats(reports)
    code, _, err = run(built, "-j", "1")
    assert code == 0, err
    after = stats(reports)
    packs = {name for name in after if name.startswith("packs/") and after[name] != before[name]}
    assert packs == {f"packs/{cc}.{suffix}" for cc in SAMPLE_COUNTRIES
                     for suffix in ("pdf", "docx")}


def test_force_renders_again_and_deterministic_output_is_left_alone(built: Path) -> None:
    before = stats(built / "reports")
    code, out, err = run(built, "packs", "--country", "TJ", "--force", "-j", "1")
    assert code == 0, err
    assert "unchanged pack TJ" in out
    assert out.splitlines()[-1] == "0 file(s) written, 2 unchanged, 0 up to date"
    assert stats(built / "reports") == before


#: Where the sample sheet fails: its sheet template, an undefined value for that sheet alone.
BROKEN = '{% if sheet.id == "steppe-routes-initiative" %}{{ no_such_value }}{% endif %}\n'


@pytest.fixture(scope="module")
def failed(tmp_path_factory: pytest.TempPathFactory, fixed_date: None
           ) -> tuple[Path, Result, bytes]:
    """A project built once, then again with its sample sheet failing: the project, what the
    failing build said, and the sample's PDF of the first build. Its seed has no Sofia
    meeting: two packs, both drawing on the failing sheet."""
    project = trimmed_project(tmp_path_factory.mktemp("failing") / "project",
                              seed=[block for block in SEED_BLOCKS if "sofia" not in block],
                              sample=SAMPLE_BLOCKS)
    code, _, err = run(project, "--sheet", SAMPLE, "-j", "1")
    assert code == 0, err
    previous = (project / "reports" / f"{SAMPLE}.pdf").read_bytes()
    template = project / "templates" / "sheet.html.j2"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "<body>\n", f"<body>\n{BROKEN}", 1), encoding="utf-8")
    return project, run(project, "-j", "1"), previous


def test_one_failing_sheet_does_not_stop_the_others(failed: tuple[Path, Result, bytes]
                                                    ) -> None:
    project, (code, out, err), previous = failed
    reports = project / "reports"
    assert code == 1
    lines = [line for line in err.splitlines() if ": warning: " not in line]
    assert lines[0].startswith("sheet steppe-routes-initiative: templates/sheet.html.j2:")
    assert lines[0].endswith(": 'no_such_value' is undefined")
    assert lines[1].startswith("compendium: 1 part(s) failed: compendium part "
                               "steppe-routes-initiative: templates/sheet.html.j2:")
    assert lines[2:] == ["Error: 2 document(s) failed"]
    assert "Traceback" not in err
    assert (reports / f"{SAMPLE}.pdf").read_bytes() == previous
    assert (reports / f"{SEED_SHEET}.pdf").is_file()
    assert sorted(p.name for p in (reports / "packs").glob("*.pdf")) == ["tj.pdf", "uz.pdf"]
    assert not (reports / "compendium.pdf").exists()
    assert "failed sheet steppe-routes-initiative" in out
    outputs = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    assert f"{SEED_SHEET}.pdf" in outputs
    assert "compendium.pdf" not in outputs


def test_once_mended_the_output_the_failure_left_is_up_to_date(
        failed: tuple[Path, Result, bytes]) -> None:
    """After the test above, on its project: the template mended, the sample's output that
    the failure left in place is up to date, and the compendium is built."""
    project, _, previous = failed
    reports = project / "reports"
    template = project / "templates" / "sheet.html.j2"
    template.write_text(template.read_text(encoding="utf-8").replace(BROKEN, ""),
                        encoding="utf-8")
    code, out, err = run(project, "--sheet", SAMPLE, "-j", "1")
    assert code == 0, err
    # Its inputs are again those of the output the failure left in place.
    assert out.splitlines()[-1] == "0 file(s) written, 0 unchanged, 3 up to date"
    assert (reports / f"{SAMPLE}.pdf").read_bytes() == previous
    code, out, err = run(project, "compendium", "-j", "2")
    assert code == 0, err
    assert "built compendium" in out
    assert (reports / "compendium.pdf").is_file()
