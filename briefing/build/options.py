"""What a build is asked to do, and what it reports back."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: What a build can make; a build with no targets named makes them all.
TARGETS = ("sheets", "packs", "compendium")
PACKS_DIR = "packs"
COMPENDIUM_FILE = "compendium.pdf"
#: Pieces laid out once and used in several documents (a sheet's, in its PDF and the
#: compendium), kept between builds under the hash of their inputs.
PARTS_DIR = ".parts"
#: What each output came from, in the output folder (:mod:`.manifest`).
MANIFEST_FILE = "manifest.json"


@dataclass(frozen=True)
class ProjectPaths:
    """Where a project keeps its inputs; outputs go to ``reports`` unless told otherwise.

    ``data_dir`` is another data folder than the project's ``data/`` (``--data``, such as
    ``examples/data``): its reports go to a folder of their own, ``reports/<name>/``.
    """

    root: Path
    data_dir: Path | None = None

    @property
    def data(self) -> Path:
        return self.data_dir if self.data_dir is not None else self.root / "data"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def fonts(self) -> Path:
        return self.root / "fonts"

    @property
    def reports(self) -> Path:
        """``reports/``; for another data folder, ``reports/<name>/``, named after the folder
        (``examples/data`` → ``reports/examples``), so that its documents never replace
        those built from the project's own data."""
        if self.data_dir is None or self.data_dir.resolve() == (self.root / "data").resolve():
            return self.root / "reports"
        folder = self.data_dir.resolve()
        name = folder.parent.name if folder.name == "data" else folder.name
        return self.root / "reports" / (name or "data")

    @property
    def fetchable(self) -> tuple[Path, ...]:
        """The only folders a renderer may read from."""
        return self.templates, self.fonts, self.data


@dataclass(frozen=True)
class BuildOptions:
    paths: ProjectPaths
    output_dir: Path
    draft: bool = False
    #: Only these sheets (and then only their own documents, no packs or compendium).
    sheets: Sequence[str] | None = None
    targets: Sequence[str] = TARGETS
    #: Only the packs of these countries (ISO codes).
    countries: Sequence[str] | None = None
    #: Worker processes; ``None`` is one per core.
    workers: int | None = None
    #: Rebuild even what the manifest says is up to date.
    force: bool = False
    #: The date printed as the generation date; ``None`` is SOURCE_DATE_EPOCH's, else today.
    generated: dt.date | None = None

    @property
    def worker_count(self) -> int:
        """Worker processes the build runs (:attr:`workers`, else one per core)."""
        return self.workers or os.cpu_count() or 1


@dataclass
class BuildReport:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    #: Outputs of documents the data no longer makes, removed.
    removed: list[Path] = field(default_factory=list)
    #: Pieces written (:data:`PARTS_DIR`): no document of their own, so not counted above.
    pieces: list[Path] = field(default_factory=list)


def is_piece(path: Path) -> bool:
    return path.parent.name == PARTS_DIR


class Progress:
    """Where a build tells what it does: one line per document. A display that shows a
    bar overrides :meth:`expect` to learn how many documents are coming."""

    def __call__(self, line: str) -> None:
        """One document done (``built …``, ``unchanged …``, ``failed …``)."""

    def expect(self, documents: int) -> None:
        """``documents`` more documents are coming."""


class LineProgress(Progress):
    """Passes each line to a function (``print``, ``list.append``)."""

    def __init__(self, tell: Callable[[str], None]) -> None:
        self._tell = tell

    def __call__(self, line: str) -> None:
        self._tell(line)


def wanted_targets(options: BuildOptions) -> tuple[str, ...]:
    """With ``--sheet``, only those sheets' own documents: a pack or compendium drawn from
    part of the data would replace the whole one."""
    if options.sheets is not None:
        return ("sheets",)
    return tuple(t for t in TARGETS if t in options.targets)


def generation_date(options: BuildOptions) -> dt.date:
    """The date printed on covers: given, else SOURCE_DATE_EPOCH's (reproducible builds)."""
    if options.generated is not None:
        return options.generated
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def sheet_paths(sheet_id: str, options: BuildOptions) -> list[Path]:
    """What a sheet's job writes, known before it runs (to judge what is current)."""
    return [options.output_dir / f"{sheet_id}.{suffix}" for suffix in ("html", "pdf", "docx")]


def piece_path(sheet_id: str, inputs: str, options: BuildOptions) -> Path:
    """Where a sheet's job keeps its piece, laid out from ``inputs`` (the job's)."""
    return options.output_dir / PARTS_DIR / f"{sheet_id}-{inputs[:16]}.pdf"


def pack_paths(country: str, options: BuildOptions) -> list[Path]:
    folder = options.output_dir / PACKS_DIR
    return [folder / f"{country.lower()}.{suffix}" for suffix in ("pdf", "docx")]


def compendium_path(options: BuildOptions) -> Path:
    return options.output_dir / COMPENDIUM_FILE
