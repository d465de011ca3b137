"""The fictional sample lives in examples/data/, apart from the real data, and is built with
``--data``: the real data draws on no sample sheet, and the sample's reports go elsewhere."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from briefing.core.load import load_project
from tests.cli_runner import run
from tests.conftest import EXAMPLES, REPO, SAMPLE_SHEET


def test_the_real_data_holds_no_sample_sheet() -> None:
    sheets = load_project(REPO / "data", REPO).project.sheets
    assert sheets
    assert [sheet.id for sheet in sheets.values() if sheet.sample] == []


def test_every_example_sheet_is_marked_as_a_sample() -> None:
    sheets = load_project(EXAMPLES, REPO).project.sheets
    assert list(sheets) == [SAMPLE_SHEET]
    assert all(sheet.sample for sheet in sheets.values())


def test_the_examples_countries_are_those_of_the_real_data() -> None:
    def read(path: Path) -> dict[str, object]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict)
        return data

    real = read(REPO / "data" / "countries.yaml")
    examples = read(EXAMPLES / "countries.yaml")
    assert {code: real.get(code) for code in examples} == examples


def test_data_option_builds_the_examples_into_a_folder_of_their_own(project: Path) -> None:
    shutil.copytree(EXAMPLES, project / "examples" / "data")
    code, out, err = run(project, "--data", str(project / "examples" / "data"), "packs",
                         "--country", "KG", "-j", "1")
    assert code == 0, err
    assert "wrote reports/examples/packs/kg.pdf" in out.splitlines()
    assert not (project / "reports" / "packs").exists()
    code, out, err = run(project, "check", "--data", str(project / "examples" / "data"))
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "1 sheet checked: no findings"


def test_data_option_names_a_folder_that_is_no_data_folder(project: Path,
                                                           tmp_path: Path) -> None:
    assert run(project, "--data", str(tmp_path / "none"), "list") == (
        2, "", f"Error: --data {tmp_path / 'none'}: no such folder\n")
    assert run(project, "list", "--data", str(project / "templates")) == (
        2, "", f"Error: --data {project / 'templates'}: no countries.yaml in it; a data "
               "folder holds countries.yaml and sheets/ (as data/ does)\n")
