"""Reading generated PDFs the way a reader (or a screen reader) would: text, by column."""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf

HYPHENS = "\\-\u2010\u2011"


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    top: float
    size: float


def _version(pdf_path: Path) -> tuple[str, int, int]:
    """What identifies one PDF file's content for the caches: parsed once per session."""
    stat = pdf_path.stat()
    return str(pdf_path.resolve()), stat.st_size, stat.st_mtime_ns


#: PDFs open for reading, the most recently read last; each page parsed when first read.
_OPEN: OrderedDict[tuple[str, int, int], Any] = OrderedDict()
#: PDFs kept open at once: a pack's seven pages, parsed, hold some 45 MB.
OPEN_AT_ONCE = 4


def pages(pdf_path: Path) -> list[Any]:
    """A PDF's pdfplumber pages, shared by every test that reads the same file: parsing a
    page's content (some 0.15 s) is done once, however many crops of it are read. The
    file is closed when others have been read since (``OPEN_AT_ONCE``), or at the end of
    the session (:func:`close_all`): keep no page across a call for another file."""
    version = _version(pdf_path)
    pdf = _OPEN.pop(version, None)
    if pdf is None:
        pdf = pdfplumber.open(version[0])
    _OPEN[version] = pdf
    while len(_OPEN) > OPEN_AT_ONCE:
        _OPEN.popitem(last=False)[1].close()
    found: list[Any] = pdf.pages
    return found


def close_all() -> None:
    """Closes every PDF :func:`pages` holds open."""
    while _OPEN:
        _OPEN.popitem()[1].close()


def column_text(pdf_path: Path, column: int) -> str:
    """All text of the left (0) or right (1) half of every page, page after page."""
    return _column_text(_version(pdf_path), column)


@lru_cache(maxsize=64)
def _column_text(version: tuple[str, int, int], column: int) -> str:
    parts = []
    for page in pages(Path(version[0])):
        middle = page.width / 2
        box = (0, 0, middle, page.height) if column == 0 else (middle, 0, page.width,
                                                                page.height)
        parts.append(page.crop(box).extract_text() or "")
    return "\n".join(parts)


def comparable(text: str) -> str:
    """Text with whitespace and hyphens removed: line breaks and hyphenation vanish."""
    return re.sub(rf"[\s{HYPHENS}]+", "", text)


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?;:])\s+", text) if s.strip()]


def words(pdf_path: Path) -> list[Word]:
    return list(_words(_version(pdf_path)))


@lru_cache(maxsize=64)
def _words(version: tuple[str, int, int]) -> tuple[Word, ...]:
    found = []
    for number, page in enumerate(pages(Path(version[0])), start=1):
        for word in page.extract_words(extra_attrs=["size"]):
            found.append(Word(number, word["text"], word["x0"], word["top"], word["size"]))
    return tuple(found)


class ColumnStream:
    """The words of one column in reading order, searchable by text across line breaks."""

    def __init__(self, all_words: list[Word], page_width: float, column: int) -> None:
        middle = page_width / 2
        self.words = [w for w in all_words if (w.x0 < middle) == (column == 0)]
        self.stream = ""
        self.owner: list[int] = []
        for index, word in enumerate(self.words):
            piece = comparable(word.text)
            self.stream += piece
            self.owner.extend([index] * len(piece))
        self.cursor = 0

    def find(self, text: str, probe: int = 30) -> tuple[Word, Word]:
        """First and last word of ``text``, searched from where the last match ended."""
        wanted = comparable(text)
        start = self.stream.find(wanted[:probe], self.cursor)
        if start < 0:
            raise LookupError(f"not found after position {self.cursor}: {text[:60]!r}")
        end = self.stream.find(wanted[-probe:], start + max(0, len(wanted) - probe - 5))
        if end < 0:
            raise LookupError(f"end not found: {text[-60:]!r}")
        last_char = end + len(wanted[-probe:]) - 1
        self.cursor = last_char + 1
        return self.words[self.owner[start]], self.words[self.owner[last_char]]


def struct_children(element: Any) -> list[Any]:
    """The structure elements directly below ``element`` (marked content skipped)."""
    kids = element.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [kid for kid in items if isinstance(kid, pikepdf.Dictionary)]


def struct_elements(pdf: pikepdf.Pdf, role: str) -> list[Any]:
    """Every structure element of ``role`` (e.g. ``/TR``), in document order."""
    found = []
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if node.get("/S") == role:
            found.append(node)
        stack.extend(reversed(struct_children(node)))
    return found
