"""A country's pack → the HTML handed to WeasyPrint, through ``templates/pack.html.j2``.

The choice of what the pack holds is :mod:`briefing.packs`'; this module only
prepares what the template iterates over: texts per language (dates through
Babel, names from ``countries.yaml``), the rows of each organisation's
description and contacts (the sheet's own rows, as the sheet prints them) and
the timeline drawing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from babel.dates import format_date
from markupsafe import Markup

from .dates import date_range, year_span
from .html import Renderer, Row, RowGroup, group_rows, sheet_rows
from .model import Activity, Project, Section, Sheet
from .packs import Pack, contacts_of, description_of
from .timeline import Mark, timeline_svg

#: The languages of a pack when it draws on no sheet (left column first).
DEFAULT_LANGUAGES = ("en", "ru")
_SHEET_OWN_KINDS = frozenset({"document-title", "organisation", "heading"})


@dataclass(frozen=True)
class ActivityEntry:
    number: int
    activity: Activity
    when: dict[str, str]
    where: dict[str, str]


@dataclass(frozen=True)
class OrganisationPart:
    anchor: str
    sheet: Sheet
    entries: tuple[ActivityEntry, ...]
    about: tuple[RowGroup, ...]
    contacts: tuple[RowGroup, ...]


def pack_languages(pack: Pack) -> tuple[str, str]:
    """The languages of the first sheet the pack draws on; other sheets print theirs."""
    for sheet in pack.sheets:
        return sheet.languages[0], sheet.languages[1]
    return DEFAULT_LANGUAGES


def locales(labels: dict[str, Any], languages: tuple[str, str]) -> dict[str, str]:
    """The Babel locale of each language: ``locale`` in labels.yaml, else the code itself."""
    return {lang: str(labels[lang].get("locale", lang)) for lang in languages}


def pack_html(
    renderer: Renderer, pack: Pack, project: Project, *,
    draft: bool, fonts_url: str, generated: dt.date,
) -> str:
    languages = pack_languages(pack)
    labels = renderer.labels_for(languages)
    locale_of = locales(labels, languages)
    parts = pack_parts(pack, project, locale_of)
    marks = sorted((Mark(e.number, e.activity.key, e.activity.start, e.activity.last_day)
                    for part in parts for e in part.entries), key=lambda mark: mark.number)
    summary = pack.summary
    return renderer.render(
        "pack.html.j2",
        pack=pack,
        country={lang: project.country_name(pack.country, lang) for lang in languages},
        country_name=project.country_name,
        languages=languages,
        labels=labels,
        generated={lang: format_date(generated, "long", locale=locale_of[lang])
                   for lang in languages},
        summary=summary,
        years=year_span(summary.first_year, summary.last_year) if summary.count else "–",
        parts=parts,
        timeline=Markup(timeline_svg(marks)),  # built by ElementTree, which escapes all text
        draft=draft,
        fonts_url=fonts_url,
    )


def pack_parts(pack: Pack, project: Project,
               locale_of: dict[str, str]) -> tuple[OrganisationPart, ...]:
    """Each organisation's activities (numbered in date order across the pack), short
    description and contacts, as the PDF and the DOCX print them."""
    numbers = {id(a): n for n, a in enumerate(pack.activities, start=1)}
    return tuple(
        OrganisationPart(
            anchor=f"org-{group.sheet.id}",
            sheet=group.sheet,
            entries=tuple(_entry(numbers[id(a)], a, project, locale_of) for a in group.activities),
            about=tuple(_section_groups(group.sheet, description_of(group.sheet))),
            contacts=tuple(_contact_groups(group.sheet)),
        )
        for group in pack.groups
    )


def _entry(number: int, activity: Activity, project: Project,
           locale_of: dict[str, str]) -> ActivityEntry:
    when = {lang: date_range(activity.start, activity.end, locale)
            for lang, locale in locale_of.items()}
    where = {lang: ", ".join(filter(None, [activity.city.get(lang),
                                           project.country_name(activity.host, lang)]))
             for lang in locale_of}
    return ActivityEntry(number, activity, when, where)


def _section_groups(sheet: Sheet, section: Section | None) -> list[RowGroup]:
    if section is None:
        return []
    return group_rows(_own_rows(sheet.model_copy(update={"sections": [section]})))


def _contact_groups(sheet: Sheet) -> list[RowGroup]:
    contacts = contacts_of(sheet)
    if not contacts:
        return []
    holder = Section(key="contacts", heading={}, blocks=list(contacts))
    return group_rows(_own_rows(sheet.model_copy(update={"sections": [holder]})))


def _own_rows(sheet: Sheet) -> list[Row]:
    """The sheet's rows without its title, organisation and section heading."""
    return [row for row in sheet_rows(sheet) if row.kind not in _SHEET_OWN_KINDS]
