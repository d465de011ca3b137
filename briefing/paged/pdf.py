"""HTML → PDF through WeasyPrint: restricted fetching, PDF/A-3b and PDF/UA-1.

Stages: :func:`layout` (HTML → laid-out pages, fetching only from the allowed
folders), :func:`write_pdf` (pages → tagged PDF/A-3b bytes with the data files
attached; the tags follow the HTML's languages, header scopes, layout tables and
link texts, :mod:`.tagging`), :func:`finish_pdf` (running headers and footers as
artifacts, the ID tree, PDF/UA-1 declared in the XMP metadata), all behind
:func:`render_pdf`.
"""

from __future__ import annotations

import io
import logging
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pikepdf

from ..core.files import FIXED_DATE
from ..core.memo import remember
from ..errors import BriefingError, FetchRefusedError, RenderError
from .pdffile import Attachment, struct_kids
from .tagging import html_semantics, make_accessible
from .weasy import FatalURLFetchingError, FontConfiguration, URLFetcher, weasyprint

PDF_VARIANT = "pdf/a-3b"


class RestrictedFetcher(URLFetcher):  # type: ignore[misc]
    """Fetches ``file:`` URLs inside the allowed folders and refuses everything else."""

    def __init__(self, allowed_roots: Iterable[Path]) -> None:
        super().__init__(allowed_protocols=["file"], fail_on_errors=True)
        self.allowed_roots = [root.resolve() for root in allowed_roots]
        self.refused: list[str] = []
        #: Files inside the folders that could not be read: ``cannot read …: why``.
        self.failures: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            # Only regular files: a pipe or a device inside the folders would never end.
            if any(path.is_relative_to(root) for root in self.allowed_roots) and \
                    (path.is_file() or not path.exists()):
                try:
                    return super().fetch(url, headers)
                except OSError as error:  # a file missing from fonts/ is no refusal
                    reason = getattr(error, "reason", error)  # urllib's URLError wraps it
                    why = getattr(reason, "strerror", None) or str(reason)
                    self.failures.append(f"cannot read {path}: {why}")
                    raise
        self.refused.append(url)
        raise FatalURLFetchingError(f"refused to fetch {url}")


def render_pdf(
    html: str,
    *,
    base_url: Path,
    allowed_roots: Sequence[Path],
    attachments: Sequence[Attachment] = (),
    right_lang: str | None = None,
    stubs: int = 0,
) -> bytes:
    """The PDF of ``html``; relative URLs resolve against ``base_url`` (a folder).

    Every element's language comes from the HTML's ``lang`` attributes;
    ``right_lang`` names the right-hand column's, for a table cell that has none.
    The last ``stubs`` pages are laid out only for the page numbers the rest prints
    (a pack's contents count its parts' first pages on them) and are left out.
    """
    fetcher = RestrictedFetcher(allowed_roots)
    document = layout(html, base_url=base_url, fetcher=fetcher)
    if stubs:
        document = _without_stubs(document, stubs)
    return finish_pdf(write_pdf(document, attachments, fetcher), right_lang)


def _without_stubs(document: Any, stubs: int) -> Any:
    """The laid-out ``document`` without its last ``stubs`` pages."""
    kept = len(document.pages) - stubs
    if kept < 1:
        raise RenderError(f"{stubs} stub page(s) asked for, {len(document.pages)} laid out")
    return document.copy(document.pages[:kept])


def layout(html: str, *, base_url: Path, fetcher: RestrictedFetcher) -> Any:
    base = base_url.resolve().as_uri() + "/"
    split = _without_style(html)
    try:
        if split is None:
            with _quiet_weasyprint():
                return weasyprint.HTML(string=html, base_url=base,
                                       url_fetcher=fetcher).render(pdf_tags=True)
        bare, style = split
        sheet, fonts = _stylesheet(style, base, fetcher)
        with _quiet_weasyprint():
            return weasyprint.HTML(string=bare, base_url=base, url_fetcher=fetcher).render(
                pdf_tags=True, stylesheets=[sheet], font_config=fonts)
    except FatalURLFetchingError:
        raise _refusal(fetcher) from None


def _without_style(html: str) -> tuple[str, str] | None:
    """The HTML without its style sheet, and the sheet, if that is its only one: one
    ``<style>`` in its ``<head>`` (as every template makes it: data reaches the HTML
    escaped) and no other ``<style>`` or ``<link>``, whose order it would then change;
    else ``None``."""
    head_end = html.find("</head>")
    start = html.find("<style>")
    if head_end < 0 or not 0 <= start < head_end:
        return None
    end = html.find("</style>", start)
    if not start < end < head_end or html.find("<style", end) >= 0 or "<link" in html:
        return None
    return html[:start] + html[end + len("</style>"):], html[start + len("<style>"):end]


#: Style sheets parsed in this process, with the fonts their ``@font-face`` rules loaded:
#: every document of a build shares one of a few, and parsing it and loading its fonts
#: anew took a sixth of laying out a two-page piece (0.21 → 0.175 s, the same bytes).
_stylesheets: dict[tuple[object, ...], tuple[Any, Any]] = {}
#: Style sheets kept at most (watch mode makes another after each edit of a template).
MAX_STYLESHEETS = 16
_URL = re.compile(r"""url\(\s*(["']?)(.*?)\1\s*\)""")


def _stylesheet(style: str, base: str, fetcher: RestrictedFetcher) -> tuple[Any, Any]:
    """``style`` parsed and its fonts loaded, once per process while the files it names are
    unchanged (as their sizes and times say: watch mode sees a font replaced)."""
    named = []
    for _, url in _URL.findall(style):
        parts = urlsplit(urljoin(base, url))
        try:
            stat = os.stat(unquote(parts.path)) if parts.scheme == "file" else None
        except (OSError, ValueError):  # no such file, or no path at all (a NUL in it)
            stat = None
        named.append((url, stat and (stat.st_size, stat.st_mtime_ns, stat.st_ino)))
    key = (style, base, tuple(fetcher.allowed_roots), tuple(named))
    if key not in _stylesheets:
        fonts = FontConfiguration()
        with _quiet_weasyprint():  # a font that does not load is refused, and not kept
            sheet = weasyprint.CSS(string=style, base_url=base, url_fetcher=fetcher,
                                   font_config=fonts)
        remember(_stylesheets, key, (sheet, fonts), MAX_STYLESHEETS)
    return _stylesheets[key]


def write_pdf(
    document: Any, attachments: Sequence[Attachment], fetcher: RestrictedFetcher
) -> bytes:
    files = [
        weasyprint.Attachment(
            string=item.content, name=item.name, description=item.description,
            created=FIXED_DATE, modified=FIXED_DATE, relationship="Source",
            url_fetcher=fetcher,
        )
        for item in attachments
    ]
    try:
        with _quiet_weasyprint(), html_semantics():
            output = document.write_pdf(
                pdf_variant=PDF_VARIANT, pdf_tags=True, attachments=files,
                pdf_identifier=b"briefing", uncompressed_pdf=False,
            )
    except FatalURLFetchingError:
        raise _refusal(fetcher) from None
    if not isinstance(output, bytes):  # pragma: no cover - WeasyPrint's contract
        raise RenderError("WeasyPrint returned no PDF")
    return output


def finish_pdf(pdf: bytes, right_lang: str | None = None) -> bytes:
    """WeasyPrint's PDF made PDF/UA-1 (:func:`.tagging.make_accessible`).

    With ``right_lang``, the second cell of a table row that the HTML gave no
    language of its own gets that one; a screen reader would otherwise read the
    right-hand column with the document's (left-hand) language.
    """
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root.get("/StructTreeRoot")
        if root is not None and right_lang:
            tag_right_cells(root, right_lang)
        make_accessible(document)
        out = io.BytesIO()
        document.save(out, deterministic_id=True, compress_streams=True,
                      object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()


def tag_right_cells(root: Any, lang: str) -> None:
    """Every table row's second cell without a ``/Lang`` gets ``lang``."""
    stack = list(struct_kids(root))
    while stack:
        element = stack.pop()
        if element.get("/S") == "/TR":
            cells = [kid for kid in struct_kids(element) if kid.get("/S") in ("/TD", "/TH")]
            if len(cells) >= 2 and "/Lang" not in cells[1]:
                cells[1].Lang = pikepdf.String(lang)
        stack.extend(struct_kids(element))


def _refusal(fetcher: RestrictedFetcher) -> BriefingError:
    if fetcher.failures and not fetcher.refused:
        return RenderError(fetcher.failures[-1])
    url = fetcher.refused[-1] if fetcher.refused else "a resource"
    return FetchRefusedError(
        f"refused to fetch {url}: documents may only use files inside the project's "
        "templates/, fonts/ and data/ folders"
    )


class _quiet_weasyprint:
    """WeasyPrint logs fetch failures and CSS warnings; our errors say it instead. A font
    it cannot load is only a warning to WeasyPrint (it prints with another face): here it
    is an error, raised once the block ends."""

    def __enter__(self) -> None:
        self.logger = logging.getLogger("weasyprint")
        self.level = self.logger.level
        self.fonts: list[str] = []
        self.logger.setLevel(logging.WARNING)
        self.logger.addFilter(self._filter)

    def _filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR:
            return True
        if str(record.msg).startswith("Font-face"):
            self.fonts.append(str(record.args[0]) if record.args else "?")  # type: ignore[index]
        return False

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.logger.removeFilter(self._filter)
        self.logger.setLevel(self.level)
        if kind is None and self.fonts:
            raise RenderError(f"the font {self.fonts[0]!r} cannot be loaded: a file of it in "
                              "fonts/ is missing or damaged")
