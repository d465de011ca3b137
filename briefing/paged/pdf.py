"""HTML → PDF through WeasyPrint: restricted fetching, PDF/A-3b and PDF/UA-1.

Stages: :func:`layout` (HTML → laid-out pages, fetching only from the allowed
folders), :func:`write_pdf` (pages → tagged PDF/A-3b bytes with the data files
attached; the tags follow the HTML's languages, header scopes, layout tables and
link texts, :mod:`.tagging`), :func:`finish_pdf` (running headers and footers as
artifacts, the ID tree, PDF/UA-1 declared in the XMP metadata), all behind
:func:`render_pdf`.

Importing this module loads neither WeasyPrint nor pikepdf (the stages do), so that a
build can first start :func:`start_renderer`: a process that loads them (half a second)
while this one still reads and checks the data and writes the HTML, and then renders
what :func:`render_pdf` (or :func:`start_pdf`) asks of it, byte for byte the PDF this
process would have made.
"""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import os
import pickle
import signal
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from ..core.files import FIXED_DATE
from ..errors import BriefingError, FetchRefusedError, RenderError

PDF_VARIANT = "pdf/a-3b"


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    description: str


@cache
def _fetcher_class() -> type[Any]:
    """The class of :func:`restricted_fetcher`, made once WeasyPrint is loaded (it extends
    WeasyPrint's)."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

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

    return RestrictedFetcher


def restricted_fetcher(allowed_roots: Iterable[Path]) -> Any:
    """A WeasyPrint URL fetcher that fetches ``file:`` URLs inside ``allowed_roots`` only;
    ``refused`` and ``failures`` say what it would not or could not fetch."""
    return _fetcher_class()(allowed_roots)


@dataclass(frozen=True)
class _Request:
    """What :func:`render_pdf` renders: its arguments, sent to the renderer process."""

    html: str
    base_url: Path
    allowed_roots: tuple[Path, ...]
    attachments: tuple[Attachment, ...]
    right_lang: str | None

    def render(self) -> bytes:
        fetcher = restricted_fetcher(self.allowed_roots)
        document = layout(self.html, base_url=self.base_url, fetcher=fetcher)
        return finish_pdf(write_pdf(document, self.attachments, fetcher), self.right_lang)


def render_pdf(
    html: str,
    *,
    base_url: Path,
    allowed_roots: Sequence[Path],
    attachments: Sequence[Attachment] = (),
    right_lang: str | None = None,
) -> bytes:
    """The PDF of ``html``; relative URLs resolve against ``base_url`` (a folder).

    Every element's language comes from the HTML's ``lang`` attributes;
    ``right_lang`` names the right-hand column's, for a table cell that has none.
    """
    return start_pdf(html, base_url=base_url, allowed_roots=allowed_roots,
                     attachments=attachments, right_lang=right_lang).result()


def start_pdf(
    html: str,
    *,
    base_url: Path,
    allowed_roots: Sequence[Path],
    attachments: Sequence[Attachment] = (),
    right_lang: str | None = None,
) -> PendingPdf:
    """:func:`render_pdf`, begun: in the renderer process if one is running and free (this
    returns at once, and this process may do other work, such as the DOCX, until
    :meth:`PendingPdf.result`), else here, when the result is asked for."""
    request = _Request(html, base_url, tuple(allowed_roots), tuple(attachments), right_lang)
    renderer = _renderer
    if renderer is not None and renderer.take():
        try:
            renderer.send(request)
        except OSError:
            renderer.release()
            renderer.stop()
        else:
            return PendingPdf(request, renderer)
    return PendingPdf(request, None)


class PendingPdf:
    """A PDF being rendered (see :func:`start_pdf`)."""

    def __init__(self, request: _Request, renderer: _Renderer | None) -> None:
        self._request = request
        self._renderer = renderer

    def result(self) -> bytes:
        """The PDF's bytes; raises :class:`BriefingError` as :func:`render_pdf` does. If the
        renderer process is lost, the PDF is rendered here."""
        renderer, self._renderer = self._renderer, None
        if renderer is not None:
            try:
                status, value, logged = renderer.receive()
            except (OSError, EOFError, pickle.UnpicklingError):
                renderer.stop()
            else:
                for level, message in logged:  # as WeasyPrint would have logged them here
                    logging.getLogger("weasyprint").log(level, "%s", message)
                if status == "ok" and isinstance(value, bytes):
                    return value
                if status == "error" and isinstance(value, BriefingError):
                    raise value
                raise RenderError(str(value))
            finally:
                renderer.release()
        return self._request.render()


class _Renderer:
    """The renderer process, as its parent sees it: one request at a time, both pipes."""

    def __init__(self, pid: int, requests: IO[bytes], replies: IO[bytes]) -> None:
        self.pid = pid
        self.owner = os.getpid()
        self._requests = requests
        self._replies = replies
        self._busy = threading.Lock()
        self.stopped = False

    def take(self) -> bool:
        """Reserve it for one request, if it is free, alive and this process's own (not a
        copy of the parent's, in a process forked since)."""
        if self.stopped or os.getpid() != self.owner:
            return False
        return self._busy.acquire(blocking=False)

    def release(self) -> None:
        self._busy.release()

    def send(self, request: _Request) -> None:
        pickle.dump(request, self._requests, protocol=pickle.HIGHEST_PROTOCOL)
        self._requests.flush()

    def receive(self) -> tuple[str, object, list[tuple[int, str]]]:
        """What the renderer made of the request sent: ``ok`` and the PDF, ``error`` and
        the BriefingError, or ``crash`` and what went wrong; and what WeasyPrint logged."""
        status, value, logged = pickle.load(self._replies)
        return str(status), value, list(logged)

    def stop(self) -> None:
        """End the process (idle, or still loading WeasyPrint) and collect it."""
        if self.stopped:
            return
        self.stopped = True
        for stream in (self._requests, self._replies):
            with contextlib.suppress(OSError):
                stream.close()
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(self.pid, 0)


_renderer: _Renderer | None = None


@contextlib.contextmanager
def renderer_started() -> Iterator[None]:
    """A renderer process while the block runs (:func:`start_renderer`), ended after it."""
    started = start_renderer()
    try:
        yield
    finally:
        if started:
            stop_renderer()


def start_renderer() -> bool:
    """Fork a process that loads WeasyPrint, pikepdf and the tagging now, then renders the
    PDFs :func:`start_pdf` sends it, one at a time, while this process goes on (its own
    DOCX, say). Worth it only with a core to spare, which is when it is started; returns
    whether it was. Called before this process has threads (it forks)."""
    global _renderer
    if _renderer is not None or not _spare_core() or not hasattr(os, "fork") \
            or threading.current_thread() is not threading.main_thread():
        return False
    request_read, request_write = os.pipe()
    reply_read, reply_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the renderer process (its work is tested through it)
        code = 1
        try:
            os.close(request_write)
            os.close(reply_read)
            _serve(request_read, reply_write)
            code = 0
        finally:
            os._exit(code)  # never back into the parent's code, nor its exit handlers
    os.close(request_read)
    os.close(reply_write)
    _renderer = _Renderer(pid, os.fdopen(request_write, "wb"), os.fdopen(reply_read, "rb"))
    return True


def _spare_core() -> bool:
    """More than one core, and (as far as the last minute's load tells) one to spare: on a
    busy machine a second process only adds its own start (measured: +0.14 s of CPU, and
    a slower build at a load of 4 on 2 cores)."""
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:  # not known here: take the core
        load = 0.0
    return cores > 1 and load < cores - 0.5


def stop_renderer() -> None:
    """End the renderer process, if one was started here."""
    global _renderer
    renderer, _renderer = _renderer, None
    if renderer is not None and renderer.owner == os.getpid():
        renderer.stop()


def _serve(request_read: int, reply_write: int) -> None:  # pragma: no cover - see above
    """The renderer process: load, then render each request until the parent closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to report
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)  # what goes wrong goes back to the parent, as its error
    os.close(quiet)
    import pikepdf  # noqa: F401 - loaded now, while the parent reads the data
    import weasyprint  # noqa: F401

    from . import tagging  # noqa: F401

    # What is loaded lives as long as this process: kept out of the collections that laying
    # out a document sets off (they traversed it all, a tenth of a second per sheet).
    gc.freeze()

    logged = _Logged()
    logging.getLogger("weasyprint").addHandler(logged)
    with os.fdopen(request_read, "rb") as requests, os.fdopen(reply_write, "wb") as replies:
        while True:
            try:
                request = pickle.load(requests)
            except EOFError:
                return
            logged.records.clear()
            reply: tuple[str, object]
            try:
                reply = ("ok", request.render())
            except BriefingError as error:
                reply = ("error", error)
            except Exception as error:  # a bug: said as the in-process render would
                reply = ("crash", f"{type(error).__name__}: {error}")
            try:
                data = pickle.dumps((*reply, logged.records),
                                    protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # an error that does not pickle
                data = pickle.dumps(("crash", str(reply[1]), logged.records))
            replies.write(data)
            replies.flush()


class _Logged(logging.Handler):  # pragma: no cover - in the renderer process
    """What WeasyPrint logs in the renderer process (past :class:`_quiet_weasyprint`'s
    filter), to be logged again by the process that asked for the PDF."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage()))


def layout(html: str, *, base_url: Path, fetcher: Any) -> Any:
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    try:
        with _quiet_weasyprint():
            return weasyprint.HTML(
                string=html, base_url=base_url.resolve().as_uri() + "/", url_fetcher=fetcher
            ).render(pdf_tags=True)
    except FatalURLFetchingError:
        raise _refusal(fetcher) from None


def write_pdf(document: Any, attachments: Sequence[Attachment], fetcher: Any) -> bytes:
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    from .tagging import html_semantics

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
    import pikepdf

    from .tagging import make_accessible

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
    import pikepdf

    from .tagging import struct_kids

    stack = list(struct_kids(root))
    while stack:
        element = stack.pop()
        if element.get("/S") == "/TR":
            cells = [kid for kid in struct_kids(element) if kid.get("/S") in ("/TD", "/TH")]
            if len(cells) >= 2 and "/Lang" not in cells[1]:
                cells[1].Lang = pikepdf.String(lang)
        stack.extend(struct_kids(element))


def _refusal(fetcher: Any) -> BriefingError:
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


def page_count(content: bytes) -> int:
    """The number of pages of a PDF."""
    import pikepdf

    with pikepdf.open(io.BytesIO(content)) as document:
        return len(document.pages)
