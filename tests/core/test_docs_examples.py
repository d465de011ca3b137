"""Every YAML example of docs/data-format.md is valid when copied into a project.

Each block is placed where it belongs: the country into countries.yaml, the sheet as a
sheet file, the review mapping at the end of that sheet, a list of blocks in place of the
sheet's blocks with the same keys (else as a section of their own), the glossary as
glossary.yaml. Then the project is loaded and checked: no example may
give a validation error.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from briefing.checks import check_project
from briefing.core.load import load_project
from tests.conftest import REPO

DOCS = REPO / "docs" / "data-format.md"
BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.M | re.S)


def _examples() -> dict[str, list[str]]:
    """The YAML blocks of the document, by where they go."""
    kinds: dict[str, list[str]] = {"countries": [], "sheet": [], "review": [], "blocks": [],
                                   "glossary": []}
    for text in BLOCK.findall(DOCS.read_text(encoding="utf-8")):
        data = yaml.safe_load(text)
        if isinstance(data, list):
            kinds["blocks"].append(text)
        elif "id" in data:
            kinds["sheet"].append(text)
        elif "review" in data:
            kinds["review"].append(text)
        elif all(re.fullmatch(r"[A-Z]{2}", str(key)) for key in data):
            kinds["countries"].append(text)
        else:
            kinds["glossary"].append(text)
    return kinds


def test_every_yaml_example_is_placed() -> None:
    kinds = _examples()
    assert {kind: len(texts) for kind, texts in kinds.items()} == {
        "countries": 1, "sheet": 1, "review": 1, "blocks": 1, "glossary": 1}


def test_the_examples_load_and_check_without_a_validation_error(tmp_path: Path) -> None:
    kinds = _examples()
    data = tmp_path / "data"
    (data / "sheets").mkdir(parents=True)
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    countries = yaml.safe_load((REPO / "data" / "countries.yaml").read_text(encoding="utf-8"))
    for text in kinds["countries"]:
        countries.update(yaml.safe_load(text))
    _dump(data / "countries.yaml", countries)
    (data / "glossary.yaml").write_text(kinds["glossary"][0], encoding="utf-8")
    [sheet_text] = kinds["sheet"]
    sheet = yaml.safe_load(sheet_text)
    for text in kinds["blocks"]:
        _place(sheet, "examples", yaml.safe_load(text))
    for text in kinds["review"]:
        sheet.update(yaml.safe_load(text))
    sheet_file = data / "sheets" / f"{sheet['id']}.yaml"
    _dump(sheet_file, sheet)

    loaded = load_project(data, tmp_path)  # raises on any validation problem
    assert list(loaded.project.sheets) == [sheet["id"]]
    findings = check_project(data, tmp_path).findings
    assert [str(f) for f in findings if f.severity == "error"] == []
    # The review example's hash is that of the example's own source text.
    assert [f.rule for f in findings if f.rule == "review-stale"] == []


def test_the_example_blocks_can_be_copied_into_a_real_sheet(tmp_path: Path) -> None:
    """Copied into the seed, which has the usual sections (a `contact` one among them), no
    example block's key collides with a key the sheet already uses for something else."""
    kinds = _examples()
    shutil.copytree(REPO / "data", tmp_path / "data")
    seed_file = tmp_path / "data" / "sheets" / "budapest-process.yaml"
    seed = yaml.safe_load(seed_file.read_text(encoding="utf-8"))
    for section in yaml.safe_load(kinds["sheet"][0])["sections"]:
        _place(seed, section["key"], section["blocks"])
    for text in kinds["blocks"]:
        _place(seed, "activities", yaml.safe_load(text))
    _dump(seed_file, seed)
    load_project(tmp_path / "data", tmp_path, ["budapest-process"])


def _place(sheet: dict[str, Any], section_key: str, blocks: list[dict[str, Any]]) -> None:
    """Each block in place of the sheet's block with the same key (the example shows that
    block changed, an ignore added), else at the end of the section ``section_key``."""
    for block in blocks:
        places = [(section["blocks"], index) for section in sheet["sections"]
                  for index, old in enumerate(section["blocks"]) if old["key"] == block["key"]]
        for found, index in places:
            found[index] = block
        if places:
            continue
        section = next((s for s in sheet["sections"] if s["key"] == section_key), None)
        if section is None:
            section = {"key": section_key, "heading": {"en": "Examples", "ru": "Примеры"},
                       "blocks": []}
            sheet["sections"].append(section)
        section["blocks"].append(block)


def _dump(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
