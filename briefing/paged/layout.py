"""One document to lay out, as a value: laid out here or handed to another process.

A :class:`Layout` holds :func:`.pdf.render_pdf`'s arguments and pickles, so that the
process that prepares a document need not be the one that lays it out (a one-sheet build
lays its sheet out in a process that imported WeasyPrint while the build read and checked
the data: :mod:`briefing.build.early`). Whoever lays documents out is a :data:`LayOut`:
given a layout, it starts it (or not yet) and returns how to get its PDF; :func:`here` lays
it out in this process, when asked. This module imports no WeasyPrint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path


@dataclass(frozen=True)
class Layout:
    """An HTML document to lay out as PDF (:func:`.pdf.render_pdf`'s arguments)."""

    html: str
    base_url: Path
    allowed_roots: tuple[Path, ...]
    right_lang: str | None = None


def lay_out(layout: Layout) -> bytes:
    """The PDF of ``layout``, laid out in this process."""
    from .pdf import render_pdf

    return render_pdf(layout.html, base_url=layout.base_url,
                      allowed_roots=layout.allowed_roots, right_lang=layout.right_lang)


#: Starts laying out a document, wherever it does; calling what it returns waits for the
#: PDF (or raises what laying it out raised).
LayOut = Callable[[Layout], Callable[[], bytes]]


def here(layout: Layout) -> Callable[[], bytes]:
    """Lay ``layout`` out in this process, when its PDF is asked for."""
    return partial(lay_out, layout)
