"""WeasyPrint, imported without running a compiler to find its libraries.

WeasyPrint loads GObject, Pango, HarfBuzz and fontconfig through cffi, trying each
under its Windows and macOS names before its Linux soname. On Linux each name that is
no file makes cffi ask ``ctypes.util.find_library``, which runs ``ldconfig -p``, then
``gcc`` and ``ld`` (WeasyPrint #1125): 57 processes and 0.27 s of every import (0.67 →
0.40 s, medians of five), in every process that lays pages out, before the soname that
``dlopen`` finds at once. Here that search is skipped while WeasyPrint is imported, so
that each library is loaded by its soname, as the search would have found it. A library
that no soname WeasyPrint names can load (another version's) is then searched for the
usual way.

The other modules of this layer take WeasyPrint from here.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def _found_by_soname() -> Iterator[None]:
    """While the block runs, ``find_library`` finds nothing (on Linux, where WeasyPrint
    names every library's soname too); a process imports WeasyPrint before it starts
    threads that could ask meanwhile."""
    if not sys.platform.startswith("linux"):
        yield
        return
    search = ctypes.util.find_library
    ctypes.util.find_library = _not_searched
    try:
        yield
    finally:
        ctypes.util.find_library = search


def _not_searched(name: str) -> None:
    return None


try:
    with _found_by_soname():
        import weasyprint
except OSError:  # a library under a soname WeasyPrint does not name: the usual search
    import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.pdf import tags as weasyprint_tags
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

__all__ = ["AbsolutePlaceholder", "FatalURLFetchingError", "FontConfiguration", "URLFetcher",
           "boxes", "weasyprint", "weasyprint_tags"]
