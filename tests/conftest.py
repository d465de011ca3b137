"""Shared fixtures: a private copy of the project's inputs for each test that writes.

The real data (``data/``) holds the seed sheet only; the fictional sample sheet lives in
``examples/data/``. Tests of documents drawing on several organisations add the sample to
a copy of the project (``project_with_sample``, or ``sample_root`` for a read-only one
shared by a session), so they still test multi-organisation packs. Tests that build every
document of a project build a trimmed one (``trimmed_project``): both sheets, a few of
their blocks, so a few packs of a few pages each.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Collection, Iterator
from pathlib import Path

import pytest

from briefing.core.load import load_project
from briefing.core.model import Project
from tests import pdftext

REPO = Path(__file__).resolve().parent.parent
SEED_SHEET = "budapest-process"
#: The fictional sample data, and its one sheet (``sample: true``).
EXAMPLES = REPO / "examples" / "data"
SAMPLE_SHEET = "steppe-routes-initiative"


def copy_project(root: Path, *, sample: bool = False) -> Path:
    """data/ and templates/ copied into ``root`` (fonts linked, they are read-only); with
    ``sample``, the example sheets added to the copy's data/sheets/."""
    root.mkdir(parents=True)
    for name in ("data", "templates"):
        shutil.copytree(REPO / name, root / name)
    (root / "fonts").symlink_to(REPO / "fonts", target_is_directory=True)
    if sample:
        add_examples(root)
    return root


def add_examples(root: Path) -> None:
    """The example sheets (the fictional sample) beside the project's own."""
    for sheet in sorted((EXAMPLES / "sheets").glob("*.yaml")):
        shutil.copy2(sheet, root / "data" / "sheets" / sheet.name)


def keep_blocks(sheet: Path, keys: Collection[str]) -> None:
    """Every block of a sheet's YAML cut out but those ``keys`` name (``contact`` names every
    block whose key begins ``contact.``), and every section left without a block. The lines
    kept are the file's own, so a test can still edit the text it keeps by its wording."""
    lines = sheet.read_text(encoding="utf-8").splitlines(keepends=True)
    # Sections are items at two spaces (`  - key: …`), their blocks items at six.
    starts = [index for index, line in enumerate(lines) if line.startswith("  - key: ")]
    assert starts, sheet.name
    kept = lines[:starts[0]]
    found = set()
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        blocks = [index for index in range(start, end) if lines[index].startswith("      - ")]
        assert blocks, lines[start]
        kept_blocks = []
        for first, last in zip(blocks, [*blocks[1:], end], strict=True):
            [key] = [m.group(1) for line in lines[first:last]
                     if (m := re.fullmatch(r"        key: (\S+)\n", line))]
            wanted = {name for name in keys if key == name or key.startswith(f"{name}.")}
            if wanted:
                kept_blocks.extend(lines[first:last])
                found |= wanted
        if kept_blocks:
            kept.extend([*lines[start:blocks[0]], *kept_blocks])
    assert found == set(keys), f"not in {sheet.name}: {sorted(set(keys) - found)}"
    sheet.write_text("".join(kept), encoding="utf-8")


def trimmed_project(root: Path, *, seed: Collection[str], sample: Collection[str]) -> Path:
    """As ``copy_project(root, sample=True)``, keeping only the blocks ``seed`` of the seed
    sheet and ``sample`` of the sample sheet (:func:`keep_blocks`): the countries of the
    activities kept have a pack."""
    copy_project(root, sample=True)
    sheets = root / "data" / "sheets"
    keep_blocks(sheets / f"{SEED_SHEET}.yaml", seed)
    keep_blocks(sheets / f"{SAMPLE_SHEET}.yaml", sample)
    return root


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that needs LibreOffice (``tests.docx_helpers.needs_soffice``) is marked
    ``libreoffice``: those are the only tests allowed more than 5 s, and
    ``-m "not libreoffice"`` runs the others."""
    unmarked = [item.nodeid for item in items
                if any("soffice" in str(mark.kwargs.get("reason", ""))
                       for mark in item.iter_markers("skipif"))
                and item.get_closest_marker("libreoffice") is None]
    if unmarked:
        raise pytest.UsageError("needs LibreOffice but is not marked libreoffice: "
                                + ", ".join(unmarked))


@pytest.fixture(autouse=True, scope="session")
def _close_pdfs() -> Iterator[None]:
    """The PDFs ``tests.pdftext`` kept open for the session, closed at its end."""
    yield
    pdftext.close_all()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of data/, templates/ and fonts/ (fonts linked, they are read-only)."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def project_with_sample(tmp_path: Path) -> Path:
    """As ``project``, with the sample sheet added: packs draw on two organisations."""
    return copy_project(tmp_path / "project", sample=True)


@pytest.fixture(scope="session")
def sample_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the project with the sample sheet, for the whole session: not to be
    changed by a test."""
    return copy_project(tmp_path_factory.mktemp("with-sample") / "project", sample=True)


@pytest.fixture(scope="session")
def with_sample(sample_root: Path) -> Project:
    """The seed and the sample sheet, loaded."""
    return load_project(sample_root / "data", sample_root).project


@pytest.fixture
def sheet_file(project: Path) -> Path:
    return project / "data" / "sheets" / f"{SEED_SHEET}.yaml"
