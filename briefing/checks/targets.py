"""What ``check PATHS…`` means: which of the project's sheets, and which files from
elsewhere. Loads no model, so that a ``check`` answered from the cache stays cheap."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core.yamlio import COUNTRIES_FILE, SHEETS_DIR
from ..errors import UsageError

#: The key terms, beside ``countries.yaml`` in the data folder.
GLOSSARY_FILE = "glossary.yaml"
#: What ``check`` takes besides sheet files.
_GIVE = "give sheet files (.yaml), data/ or data/sheets/"


@dataclass(frozen=True)
class CheckTargets:
    """What ``check PATHS…`` means: project sheets by id (``None``: all) and other files."""

    sheets: list[str] | None = None
    files: list[Path] = field(default_factory=list)


def targets_for_paths(paths: Sequence[Path], data_dir: Path, root: Path) -> CheckTargets:
    """The sheets that ``check PATHS…`` means: sheet files anywhere, ``data/`` or
    ``data/sheets/`` (all of the project's). A relative path is taken from the current
    folder, else from the project folder. A path that is no sheet file is refused here,
    before anything is read."""
    sheets_dir = (data_dir / SHEETS_DIR).resolve()
    data_files = {(data_dir / name).resolve() for name in (COUNTRIES_FILE, GLOSSARY_FILE)}
    chosen: list[str] = []
    files: dict[Path, Path] = {}
    for path in paths:
        found = next((p for p in (path, root / path) if os.path.lexists(p)), None)
        if found is None:
            raise UsageError(f"{path}: no such file or folder")
        resolved = found.resolve()
        if resolved in (data_dir.resolve(), sheets_dir) or resolved in data_files:
            return CheckTargets()
        _refuse_non_sheet(path, resolved)
        if resolved.parent == sheets_dir and resolved.suffix == ".yaml":
            chosen.append(resolved.stem)
        else:
            files.setdefault(resolved, found)
    return CheckTargets(chosen, list(files.values()))


def wanted_sheets(targets: CheckTargets, data_dir: Path) -> list[str]:
    """The ids of the project's sheets that ``targets`` names, sorted: all when none is
    named (``None``)."""
    if targets.sheets is not None:
        return sorted(set(targets.sheets))
    return sorted(path.stem for path in (data_dir / SHEETS_DIR).glob("*.yaml"))


def _refuse_non_sheet(path: Path, resolved: Path) -> None:
    try:
        mode = resolved.stat().st_mode
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror}") from None
    if stat.S_ISDIR(mode):
        raise UsageError(f"{path}: a folder, not data/ or data/sheets/; {_GIVE}")
    if not stat.S_ISREG(mode):
        raise UsageError(f"{path}: not a regular file; {_GIVE}")
    if resolved.suffix not in (".yaml", ".yml"):
        raise UsageError(f"{path}: not a sheet file (.yaml); {_GIVE}")
