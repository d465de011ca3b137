"""Pieces of a document laid out once and kept between builds, under the hash of their HTML.

A pack is joined from pieces (:mod:`briefing.paged.pack`): each organisation's part
and the front. A piece's HTML is everything its layout depends on, beside the
templates, fonts and program (``shared``, :attr:`.manifest.InputHasher.shared`), so
the hash of both names its file: a rebuild lays out only the pieces whose HTML
changed (one activity's text: its organisation's part, and the front only if the
briefing prints that activity). Pieces are a cache, written where they are laid out
and read back by the join; a damaged or missing one is laid out again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection
from pathlib import Path

from ..core.files import read_bounded
from ..errors import BriefingError
from .output import Output, commit

#: The largest piece read back (a pack's part is well under a MiB).
MAX_PIECE_BYTES = 256 * 1024 * 1024


class PieceCache:
    """The pieces of one document, ``prefix``-named, in ``folder``."""

    def __init__(self, folder: Path, prefix: str, shared: str, *, force: bool) -> None:
        self.folder = folder
        self.prefix = prefix
        self.shared = shared
        self.force = force
        self._laid_out: set[Path] = set()
        self._pages: dict[Path, int] = {}

    def get(self, name: str, html: str, lay_out: Callable[[str], bytes]) -> Path:
        """The piece ``name`` laid out from ``html``: kept, or laid out now."""
        digest = hashlib.sha256(f"{self.shared}\0{html}".encode()).hexdigest()[:16]
        path = self.folder / f"{self.prefix}-{name}-{digest}.pdf"
        if (self.force and path not in self._laid_out) or not path.is_file():
            commit([Output(path, lay_out(html))])
            self._laid_out.add(path)
        return path

    @property
    def laid_out(self) -> int:
        """How many pieces this build laid out (the others were kept)."""
        return len(self._laid_out)

    def pages(self, path: Path) -> int:
        from ..paged.pdf import page_count

        if path not in self._pages:
            self._pages[path] = page_count(self.read(path))
        return self._pages[path]

    def read(self, path: Path) -> bytes:
        try:
            return read_bounded(path, MAX_PIECE_BYTES, within=self.folder)
        except OSError as error:
            raise BriefingError(f"cannot read the piece {path}: {error.strerror}") from None

    def kept(self, name: str) -> list[Path]:
        """The pieces ``name`` kept from before (the last build's, unless removed)."""
        return sorted(self.folder.glob(f"{self.prefix}-{name}-*.pdf"))

    def keep_only(self, used: Collection[Path]) -> None:
        """Remove this document's pieces other than ``used``: those of an earlier state, and
        any laid out on the way (a front numbered from a wrong guess of its length)."""
        for path in self.folder.glob(f"{self.prefix}-*.pdf"):
            if path not in used:
                path.unlink(missing_ok=True)
