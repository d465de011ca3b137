"""Pieces of a document laid out once and kept between builds, under the hash of their HTML.

A pack is joined from pieces (:mod:`briefing.paged.pack`): each organisation's part
and the front; the compendium's front and matrix are pieces too, named by the hash of
what they print. A piece's HTML is everything its layout depends on, beside the
templates, fonts and program (``shared``, :attr:`.manifest.InputHasher.shared`), so
the hash of both names its file: a rebuild lays out only the pieces whose HTML
changed (one activity's text: its organisation's part, and the front only if the
briefing prints that activity). Pieces are a cache, written where they are laid out
and read back by the join; a damaged or missing one is laid out again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Collection
from pathlib import Path

from ..core.files import read_bounded
from ..errors import BriefingError
from .output import Output, commit

#: The prefix of the pieces several documents share (an organisation's description and
#: contacts, in every pack naming it): no one document may remove them (:func:`sweep_shared`).
SHARED_PIECES = "about"
#: How many versions of a shared piece a sweep keeps: those last used (the draft and the
#: final one, when packs of both kinds print it).
KEEP_SHARED = 2

#: Where the page numbers' specimens (:mod:`briefing.paged.stamp`) are kept, below the
#: pieces' folder, and how many a sweep keeps: those last used.
SPECIMENS_DIR = "specimens"
KEEP_SPECIMENS = 8

#: The largest piece read back (a sheet's or a pack's part is well under a MiB).
MAX_PIECE_BYTES = 256 * 1024 * 1024


class PieceCache:
    """The pieces of one document, ``prefix``-named, in ``folder``."""

    def __init__(self, folder: Path, prefix: str, shared: str, *, force: bool,
                 touch: bool = False) -> None:
        """``touch``: mark each piece used (its time), for :func:`sweep_shared` to keep."""
        self.folder = folder
        self.prefix = prefix
        self.shared = shared
        self.force = force
        self.touch = touch
        self._laid_out: set[Path] = set()
        self._pages: dict[Path, int] = {}

    def get(self, name: str, key: str, lay_out: Callable[[], bytes]) -> Path:
        """The piece ``name`` whose layout depends on ``key`` (its HTML, or the hash of
        what it prints) beside the templates, fonts and program: kept, or laid out now."""
        digest = hashlib.sha256(f"{self.shared}\0{key}".encode()).hexdigest()[:16]
        path = self.folder / f"{self.prefix}-{name}-{digest}.pdf"
        if (self.force and path not in self._laid_out) or not path.is_file():
            commit([Output(path, lay_out())])
            self._laid_out.add(path)
        elif self.touch:
            with contextlib.suppress(OSError):
                os.utime(path)
        return path

    def pages(self, path: Path) -> int:
        from ..paged.pdffile import page_count

        if path not in self._pages:
            self._pages[path] = page_count(self.read(path))
        return self._pages[path]

    def read(self, path: Path) -> bytes:
        try:
            return read_bounded(path, MAX_PIECE_BYTES, within=self.folder)
        except OSError as error:
            raise BriefingError(f"cannot read the piece {path}: {error.strerror}") from None

    def keep_only(self, used: Collection[Path]) -> None:
        """Remove this document's pieces other than ``used``: those of an earlier state."""
        for path in self.folder.glob(f"{self.prefix}-*.pdf"):
            if path not in used:
                path.unlink(missing_ok=True)


def kept_specimens(folder: Path, shared: str, *,
                   force: bool) -> Callable[[str, Callable[[], bytes]], bytes]:
    """Specimens kept in ``folder`` under the hash of their HTML, with the templates, fonts
    and program (``shared``): laid out once for every process of every build, while their
    inputs stay the same (for :func:`briefing.paged.stamp.specimen_for`); with ``force``,
    laid out again, as every piece is."""
    pieces = PieceCache(folder, "specimen", shared, force=force, touch=True)

    def keep(html: str, lay_out: Callable[[], bytes]) -> bytes:
        return pieces.read(pieces.get("a4", html, lay_out))

    return keep


def sweep_specimens(folder: Path) -> list[Path]:
    """Remove all but the :data:`KEEP_SPECIMENS` specimens last used; returns those removed."""
    paths = sorted(folder.glob("specimen-*.pdf"), key=_last_used, reverse=True)
    for path in paths[KEEP_SPECIMENS:]:
        path.unlink(missing_ok=True)
    return paths[KEEP_SPECIMENS:]


def sweep_shared(folder: Path, names: Collection[str]) -> list[Path]:
    """Remove the shared pieces of names no longer made (a sheet removed), and of each name
    all but the :data:`KEEP_SHARED` last used; done after a build of everything, when no
    document is being assembled. Returns the pieces removed."""
    versions: dict[str, list[Path]] = {}
    for path in folder.glob(f"{SHARED_PIECES}-*.pdf"):
        name = path.stem.removeprefix(f"{SHARED_PIECES}-").rsplit("-", 1)[0]
        versions.setdefault(name, []).append(path)
    removed = []
    for name, paths in versions.items():
        paths.sort(key=_last_used, reverse=True)
        removed += paths if name not in names else paths[KEEP_SHARED:]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def _last_used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
