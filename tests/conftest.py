"""Shared fixtures: a private copy of the project's inputs for each test that writes.

The real data (``data/``) holds the seed sheet only; the fictional sample sheet lives in
``examples/data/``. Tests of documents drawing on several organisations add the sample to
a copy of the project (``project_with_sample``, or ``sample_root`` for a read-only one
shared by a session), so they still test multi-organisation packs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefing.core.load import load_project
from briefing.core.model import Project

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
