"""Rows → HTML, through Jinja2 templates that autoescape every value.

The templates decide the markup; the rows they iterate over come from
:mod:`briefing.core.rows`. Template failures become
:class:`~briefing.errors.TemplateError` naming the template's file and line.
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from .. import style
from ..core import markup
from ..core.files import read_bounded, resolve_inside
from ..core.labels import LABELS_FILE, Labels, labels_for, load_labels
from ..core.lang import language_name
from ..core.model import Sheet
from ..core.rows import group_rows, sheet_rows
from ..errors import BriefingError, TemplateError

#: The largest template read; a larger one is refused.
MAX_TEMPLATE_BYTES = 1024 * 1024


class ConfinedLoader(jinja2.BaseLoader):
    """Loads templates from one folder and nowhere else.

    Every name (``extends``, ``include``, ``import``) is resolved, links followed, and
    refused unless it lands inside the folder; only regular files are read, and no more
    than :data:`MAX_TEMPLATE_BYTES` of them.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))  # refuses ".."
        try:
            resolved = resolve_inside(path, self.folder)
            content = read_bounded(resolved, MAX_TEMPLATE_BYTES)
            mtime = os.stat(resolved).st_mtime
        except FileNotFoundError:
            raise jinja2.TemplateNotFound(template) from None
        except OSError as error:
            raise TemplateError(f"templates/{template}: cannot read: {error.strerror}") from None
        try:
            source = content.decode("utf-8")
        except UnicodeDecodeError as error:
            raise TemplateError(f"templates/{template}: not UTF-8 text "
                                f"(byte {error.start})") from None

        def uptodate() -> bool:
            try:
                return os.stat(resolved).st_mtime == mtime
            except OSError:
                return False

        return source, str(resolved), uptodate


class Renderer:
    """Renders the templates of one folder; shared by every document of a build."""

    def __init__(self, templates_dir: Path) -> None:
        self.templates_dir = templates_dir
        # Sandboxed: a template reaches no Python internals (``''.__class__.__mro__``) and
        # no unbounded range; it prints, it does not run code.
        self.environment = SandboxedEnvironment(
            loader=ConfinedLoader(templates_dir),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.environment.filters["rich"] = rich_text
        self.environment.filters["css_string"] = css_string
        self.environment.filters["plain"] = markup.plain
        self.environment.globals["language_name"] = language_name
        self.environment.globals["style"] = style
        self._labels: Labels | None = None
        self._labels_stat: tuple[int, int] | None = None

    @property
    def labels(self) -> Labels:
        """``labels.yaml``, read again once it changes: a renderer kept warm in a worker
        (watch mode) outlives edits of the templates, as Jinja's own cache does."""
        try:
            found = os.stat(self.templates_dir / LABELS_FILE)
            stat: tuple[int, int] | None = (found.st_mtime_ns, found.st_size)
        except OSError:
            stat = None
        if self._labels is None or stat != self._labels_stat:
            self._labels = load_labels(self.templates_dir)
            self._labels_stat = stat
        return self._labels

    def labels_for(self, languages: Iterable[str]) -> Labels:
        return labels_for(self.labels, languages)

    def render(self, template_name: str, **context: Any) -> str:
        """Render a template; a failure names the template file and line."""
        try:
            template = self.environment.get_template(template_name)
            return template.render(**context)
        except jinja2.TemplateSyntaxError as error:
            name = error.filename or error.name or template_name
            raise TemplateError(
                f"{_template_display(name, self.templates_dir)}:{error.lineno}: {error.message}"
            ) from None
        except jinja2.TemplateNotFound as error:
            raise TemplateError(f"template not found: {error.name}") from None
        except BriefingError:
            raise
        except RecursionError as error:
            where = _template_frame(error, self.templates_dir) or f"templates/{template_name}"
            raise TemplateError(f"{where}: the templates call themselves without end") from None
        except Exception as error:  # whatever a template's expressions raise (1/0, a refusal)
            where = _template_frame(error, self.templates_dir) or f"templates/{template_name}"
            raise TemplateError(f"{where}: {error}") from None

    def sheet_html(
        self, sheet: Sheet, *, draft: bool, fonts_url: str, first_page: int | None = None,
        total_pages: int | None = None, stamped: bool = False,
    ) -> str:
        """The sheet's page; ``first_page`` numbers it as a part of a larger document of
        ``total_pages`` pages; ``stamped`` leaves out its page numbers, to be stamped
        (:mod:`briefing.paged.stamp`)."""
        part = {} if first_page is None else {"first_page": first_page,
                                              "total_pages": total_pages or first_page}
        return self.render(
            "sheet.html.j2",
            sheet=sheet,
            languages=sheet.languages,
            labels=self.labels_for(sheet.languages),
            groups=group_rows(sheet_rows(sheet)),
            draft=draft,
            fonts_url=fonts_url,
            stamped=stamped,
            **part,
        )


def fonts_url(output_dir: Path, fonts_dir: Path) -> str:
    """The fonts folder as seen from where the HTML is written (a relative URL)."""
    return Path(os.path.relpath(fonts_dir.resolve(), output_dir.resolve())).as_posix()


def rich_text(text: str | None, lang: str, placeholder: str = "") -> Markup:
    """Marked-up text → escaped HTML with ``strong``, ``em`` and ``sup``."""
    if not text:
        return Markup('<span class="missing">{}</span>').format(placeholder)
    out = []
    for span in markup.parse(text, lang):
        piece = breakable(span.text)
        if span.superscript:
            piece = Markup("<sup>{}</sup>").format(piece)
        if span.italic:
            piece = Markup("<em>{}</em>").format(piece)
        if span.bold:
            piece = Markup("<strong>{}</strong>").format(piece)
        out.append(piece)
    return Markup("").join(out)


#: A run of this many characters without a space is no word of prose (a column holds about
#: 50): it is given a break opportunity every :data:`BREAK_EVERY` characters and is not
#: hyphenated, because the layout engine's hyphenation search costs the square of its length.
LONG_WORD = 40
BREAK_EVERY = 20
_LONG_WORD = re.compile(rf"\S{{{LONG_WORD},}}")


def breakable(text: str) -> Markup:
    """Escaped text in which a word longer than a line can break without a hyphenation
    search (in time linear in its length)."""
    out = []
    last = 0
    for match in _LONG_WORD.finditer(text):
        word = match.group()
        pieces = [escape(word[i:i + BREAK_EVERY]) for i in range(0, len(word), BREAK_EVERY)]
        out.append(escape(text[last:match.start()]))
        out.append(Markup('<span class="long-word" style="hyphens: manual">{}</span>')
                   .format(Markup("<wbr>").join(pieces)))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def css_string(value: str) -> Markup:
    """A value as a quoted CSS string, safe inside a ``<style>`` element."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,:;-_/()" else f"\\{ord(ch):x} " for ch in value
    )
    return Markup(f'"{escaped}"')


def _template_display(name: str, templates_dir: Path) -> str:
    path = Path(name)
    if path.is_absolute():
        try:
            return "templates/" + path.relative_to(templates_dir.resolve()).as_posix()
        except ValueError:
            return name
    return f"templates/{name}"


def _template_frame(error: BaseException, templates_dir: Path) -> str | None:
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        if frame.filename.endswith(".j2"):
            return f"{_template_display(frame.filename, templates_dir)}:{frame.lineno}"
    return None

