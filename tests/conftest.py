"""Shared fixtures: a private copy of the project's inputs for each test that writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED_SHEET = "budapest-process"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of data/, templates/ and fonts/ (fonts linked, they are read-only)."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("data", "templates"):
        shutil.copytree(REPO / name, root / name)
    (root / "fonts").symlink_to(REPO / "fonts", target_is_directory=True)
    return root


@pytest.fixture
def sheet_file(project: Path) -> Path:
    return project / "data" / "sheets" / f"{SEED_SHEET}.yaml"
