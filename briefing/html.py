"""The model → HTML, through Jinja2 templates that autoescape every value.

The templates decide the markup; this module only prepares what they iterate
over (rows of unit pairs, grouped so that a heading never ends a page) and
turns template failures into :class:`~briefing.errors.TemplateError` naming the
template's file and line.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale, UnknownLocaleError
from markupsafe import Markup, escape

from . import markup
from .errors import DataError, TemplateError
from .model import CONTACT_PLAIN_FIELDS, Contact, Sheet, Unit
from .yamlio import load_yaml

LABELS_FILE = "labels.yaml"
#: Unit kinds that must stay on the page of the row that follows them.
_GLUED_TO_NEXT = frozenset({"document-title", "organisation", "heading", "title", "subheading"})
_CONTACT_KINDS = frozenset({"contact-field", "contact-plain"})


@dataclass(frozen=True)
class Row:
    """One line of the two-column table: the same unit in each language."""

    key: str
    kind: str
    texts: Mapping[str, str]
    field: str = ""

    def text(self, lang: str) -> str | None:
        return self.texts.get(lang) or None


@dataclass(frozen=True)
class RowGroup:
    """Rows laid out as one ``tbody``; ``keep`` ones are never split by a page."""

    rows: tuple[Row, ...]
    keep: bool


def sheet_rows(sheet: Sheet) -> list[Row]:
    """The rows of a sheet, in reading order; each contact field is a row of its own."""
    rows: list[Row] = []
    units = list(sheet.units())
    for index, unit in enumerate(units):
        rows.append(Row(unit.key, unit.kind, unit.texts, _field_name(unit)))
        following = units[index + 1].source if index + 1 < len(units) else None
        if isinstance(unit.source, Contact) and following is not unit.source:
            rows.extend(_plain_contact_rows(unit.source, sheet.languages))
    return rows


def _plain_contact_rows(contact: Contact, languages: Iterable[str]) -> list[Row]:
    return [
        Row(f"{contact.key}.{name}", "contact-plain", dict.fromkeys(languages, value), name)
        for name in CONTACT_PLAIN_FIELDS
        if (value := getattr(contact, name))
    ]


def group_rows(rows: Sequence[Row]) -> list[RowGroup]:
    """Glue each heading to the row after it, and a contact block's rows together."""
    groups: list[RowGroup] = []
    pending: list[Row] = []
    for index, row in enumerate(rows):
        pending.append(row)
        following = rows[index + 1] if index + 1 < len(rows) else None
        if row.kind in _GLUED_TO_NEXT and following is not None:
            continue
        if row.kind in _CONTACT_KINDS and following is not None \
                and following.kind in _CONTACT_KINDS:
            continue
        groups.append(RowGroup(tuple(pending), keep=len(pending) > 1))
        pending = []
    return groups


def _field_name(unit: Unit) -> str:
    return unit.key.rsplit(".", 1)[-1] if unit.kind == "contact-field" else ""


class Renderer:
    """Renders the templates of one folder; shared by every document of a build."""

    def __init__(self, templates_dir: Path) -> None:
        self.templates_dir = templates_dir
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates_dir),
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
        self._labels: dict[str, Any] | None = None

    @property
    def labels(self) -> dict[str, Any]:
        if self._labels is None:
            path = self.templates_dir / LABELS_FILE
            try:
                data = load_yaml(path, f"templates/{LABELS_FILE}").data
            except DataError as error:
                raise TemplateError(str(error)) from None
            if not isinstance(data, dict):
                raise TemplateError(f"templates/{LABELS_FILE}: expected a mapping per language")
            self._labels = data
        return self._labels

    def labels_for(self, languages: Iterable[str]) -> dict[str, Any]:
        labels = self.labels
        missing = [lang for lang in languages if lang not in labels]
        if missing:
            raise TemplateError(
                f"templates/{LABELS_FILE}: no labels for language(s) {', '.join(missing)}"
            )
        return labels

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
        except (jinja2.UndefinedError, TypeError, ValueError, KeyError) as error:
            where = _template_frame(error, self.templates_dir) or f"templates/{template_name}"
            raise TemplateError(f"{where}: {error}") from None

    def sheet_html(
        self, sheet: Sheet, *, draft: bool, fonts_url: str, first_page: int | None = None
    ) -> str:
        """The sheet's page; ``first_page`` numbers it as a part of a larger document."""
        part = {} if first_page is None else {"first_page": first_page}
        return self.render(
            "sheet.html.j2",
            sheet=sheet,
            languages=sheet.languages,
            labels=self.labels_for(sheet.languages),
            groups=group_rows(sheet_rows(sheet)),
            draft=draft,
            fonts_url=fonts_url,
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
        piece = escape(span.text)
        if span.superscript:
            piece = Markup("<sup>{}</sup>").format(piece)
        if span.italic:
            piece = Markup("<em>{}</em>").format(piece)
        if span.bold:
            piece = Markup("<strong>{}</strong>").format(piece)
        out.append(piece)
    return Markup("").join(out)


def css_string(value: str) -> Markup:
    """A value as a quoted CSS string, safe inside a ``<style>`` element."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,:;-_/()" else f"\\{ord(ch):x} " for ch in value
    )
    return Markup(f'"{escaped}"')


@cache
def language_name(lang: str) -> str:
    """The language's own name for itself, capitalised ("English", "Русский")."""
    try:
        name = Locale.parse(lang).get_display_name(lang) or lang
    except (UnknownLocaleError, ValueError):
        return lang
    return name[:1].upper() + name[1:]


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

