"""What a country's briefing pack holds, chosen from the model alone.

Pure functions: no files, no templates. A country's pack holds every activity
that names it, as host or as participant, in date order, grouped by the
organisation whose sheet records it; each organisation brings its short
description (the section keyed ``description``) and its contact blocks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .activity_text import ActivityReader, TextReading
from .lang import collation_key, date_range
from .model import Activity, Contact, Project, Section, Sheet
from .rows import Row, RowGroup, group_rows, sheet_rows

DESCRIPTION_SECTION = "description"
#: The languages of a pack when it draws on no sheet (left column first).
DEFAULT_LANGUAGES = ("en", "ru")
_SHEET_OWN_KINDS = frozenset({"document-title", "organisation", "heading"})


@dataclass(frozen=True)
class ActivityEntry:
    number: int
    activity: Activity
    when: dict[str, str]
    where: dict[str, str]
    #: The text as the pack prints it under the headline: without the date and place it
    #: opens with when they are the activity's own (they are in the headline already).
    text: dict[str, str]


@dataclass(frozen=True)
class OrganisationPart:
    anchor: str
    sheet: Sheet
    entries: tuple[ActivityEntry, ...]
    about: tuple[RowGroup, ...]
    contacts: tuple[RowGroup, ...]
    #: Its place among the pack's organisations (from 0): its colour in the timeline.
    index: int = 0

    @property
    def sample(self) -> bool:
        """Drawn from a fictional sample sheet: every place it appears carries the mark."""
        return self.sheet.sample


#: How many of the latest activities, and of the next planned ones, the briefing lists.
RECENT = 3
PLANNED = 3
#: The contact fields of an organisation's contact line on the briefing page.
CONTACT_LINE_FIELDS = ("telephone", "email", "website")


@dataclass(frozen=True)
class Listed:
    """An activity as the briefing page lists it: with the part it is printed in."""

    part: OrganisationPart
    entry: ActivityEntry


@dataclass(frozen=True)
class ContactLine:
    """One contact block of an organisation, on one line: who, where, how to reach them."""

    part: OrganisationPart
    #: The contact's organisation (unless it is the sheet's own), unit and city, per
    #: language: "ICMPD, Budapest Process Secretariat, 1010 Vienna, Austria".
    details: dict[str, str]
    #: (field, value): telephone, e-mail, website, those the block has.
    fields: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Briefing:
    """What a desk officer reads first: the pack's figures, latest and next activities,
    and whom to call."""

    count: int
    #: From the first activity's first day to the last one's last day, per language.
    period: dict[str, str]
    by_organisation: tuple[tuple[OrganisationPart, int], ...]
    organised: int
    participated: int
    #: Activities the country hosted.
    held_in_country: int
    #: The latest activities begun on or before the build date, the latest first.
    recent: tuple[Listed, ...]
    #: The activities beginning after the build date, the soonest first.
    planned: tuple[Listed, ...]
    contacts: tuple[ContactLine, ...]


def pack_languages(pack: Pack) -> tuple[str, str]:
    """The languages of the first sheet the pack draws on; other sheets print theirs."""
    for sheet in pack.sheets:
        return sheet.languages[0], sheet.languages[1]
    return DEFAULT_LANGUAGES




@dataclass(frozen=True)
class OrganisationActivities:
    """One organisation's activities in a pack, in date order."""

    sheet: Sheet
    activities: tuple[Activity, ...]


@dataclass(frozen=True)
class HostCity:
    """A city that hosted at least one of the pack's activities."""

    names: dict[str, str]
    country: str


@dataclass(frozen=True)
class Summary:
    count: int
    first_year: int
    last_year: int
    organisations: tuple[Sheet, ...]
    cities: tuple[HostCity, ...]


@dataclass(frozen=True)
class Pack:
    country: str
    groups: tuple[OrganisationActivities, ...]

    @property
    def activities(self) -> list[Activity]:
        """Every activity of the pack, in date order across organisations."""
        return sorted((a for g in self.groups for a in g.activities), key=activity_order)

    @property
    def sheets(self) -> list[Sheet]:
        return [group.sheet for group in self.groups]

    @property
    def summary(self) -> Summary:
        activities = self.activities
        years = [a.start.year for a in activities] + [a.last_day.year for a in activities]
        cities: dict[tuple[str, tuple[tuple[str, str], ...]], HostCity] = {}
        for activity in activities:
            key = (activity.host, tuple(sorted(activity.city.items())))
            cities.setdefault(key, HostCity(activity.city, activity.host))
        return Summary(
            count=len(activities),
            first_year=min(years, default=0),
            last_year=max(years, default=0),
            organisations=tuple(self.sheets),
            cities=tuple(cities.values()),
        )


def activity_order(activity: Activity) -> tuple[dt.date, dt.date, str]:
    return activity.start, activity.last_day, activity.key


def involves(activity: Activity, country: str) -> bool:
    """The activity names the country, as its host or among its participants."""
    return country == activity.host or country in activity.participants


def countries_named(project: Project) -> list[str]:
    """Every country any activity names, host or participant, by code."""
    return sorted(sheets_naming(project))


def sheets_naming(project: Project) -> dict[str, list[str]]:
    """Per country (by code), the sheets whose activities name it: all its pack draws on,
    with the country names."""
    naming: dict[str, list[str]] = {}
    for sheet in project.sheets.values():
        for code in sorted({code for activity in sheet.activities()
                            for code in activity.countries}):
            naming.setdefault(code, []).append(sheet.id)
    return naming


def country_pack(project: Project, country: str) -> Pack:
    """The pack of ``country``: organisations ordered by their first activity with it."""
    groups = []
    for sheet in project.sheets.values():
        chosen = sorted((a for a in sheet.activities() if involves(a, country)),
                        key=activity_order)
        if chosen:
            groups.append(OrganisationActivities(sheet, tuple(chosen)))
    groups.sort(key=lambda group: (activity_order(group.activities[0]), group.sheet.id))
    return Pack(country, tuple(groups))


def description_of(sheet: Sheet) -> Section | None:
    """The sheet's short description of its organisation, if it has one."""
    return next((s for s in sheet.sections if s.key == DESCRIPTION_SECTION), None)


def contacts_of(sheet: Sheet) -> list[Contact]:
    return [block for section in sheet.sections for block in section.blocks
            if isinstance(block, Contact)]


def printed_data(pack: Pack) -> list[dict[str, Any]]:
    """Everything of the model the pack prints, as plain data: what its output hangs on.

    An edit elsewhere in a sheet (another country's activity, another section) leaves the
    pack as it is, so it need not be rebuilt.
    """
    return [
        {
            "sheet": group.sheet.model_dump(
                mode="json", include={"id", "languages", "sample", "title", "organisation"}),
            "activities": [a.model_dump(mode="json") for a in group.activities],
            "description": (section.model_dump(mode="json")
                            if (section := description_of(group.sheet)) else None),
            "contacts": [c.model_dump(mode="json") for c in contacts_of(group.sheet)],
        }
        for group in pack.groups
    ]


def printed_units(pack: Pack) -> dict[str, frozenset[str]]:
    """Sheet id → the keys of the units the pack prints from that sheet, named as ``check``
    names them: the organisation, its activities (and their cities), its description's
    texts and its contacts. What is wrong in another unit of the sheet is not the pack's."""
    printed: dict[str, frozenset[str]] = {}
    for group in pack.groups:
        sheet = group.sheet
        chosen = {id(activity) for activity in group.activities}
        description = next((("sections", index) for index, section in enumerate(sheet.sections)
                            if section.key == DESCRIPTION_SECTION), None)
        keys = {"organisation"}
        keys.update(f"{activity.key}.city" for activity in group.activities)
        for unit in sheet.units():
            in_description = unit.kind != "heading" and unit.path[:2] == description
            if in_description or id(unit.source) in chosen or isinstance(unit.source, Contact):
                keys.add(unit.key)
        printed[sheet.id] = frozenset(keys)
    return printed


def participation(project: Project, lang: str) -> dict[str, dict[int, int]]:
    """Country → year → how many activities named it that year (by the first day), the
    countries in the alphabetical order of their names in ``lang``."""
    return dict(sorted(counted_participation(project).items(),
                       key=lambda item: collation_key(project.country_name(item[0], lang))))


def counted_participation(project: Project) -> dict[str, dict[int, int]]:
    """:func:`participation`'s counts, in no particular order (what the matrix prints,
    to tell whether it changed, without loading the collation)."""
    matrix: dict[str, dict[int, int]] = {}
    for sheet in project.sheets.values():
        for activity in sheet.activities():
            for code in activity.countries:
                years = matrix.setdefault(code, {})
                years[activity.start.year] = years.get(activity.start.year, 0) + 1
    return matrix


def years_of(activities: Iterable[Activity]) -> list[int]:
    """Every year from the first activity's to the last's, gaps included."""
    found = [a.start.year for a in activities]
    return list(range(min(found), max(found) + 1)) if found else []


def pack_parts(pack: Pack, project: Project,
               locale_of: dict[str, str]) -> tuple[OrganisationPart, ...]:
    """Each organisation's activities (numbered in the order they are printed: by
    organisation, then by date), short description and contacts, as the PDF and the DOCX
    print them."""
    printed = (activity for group in pack.groups for activity in group.activities)
    numbers = {id(a): n for n, a in enumerate(printed, start=1)}
    reader = ActivityReader(project.countries, list(locale_of))
    return tuple(
        OrganisationPart(
            anchor=f"org-{group.sheet.id}",
            sheet=group.sheet,
            entries=tuple(_entry(numbers[id(a)], a, project, locale_of, reader)
                          for a in group.activities),
            about=tuple(_section_groups(group.sheet, description_of(group.sheet))),
            contacts=tuple(_contact_groups(group.sheet)),
            index=index,
        )
        for index, group in enumerate(pack.groups)
    )


def pack_briefing(pack: Pack, parts: Sequence[OrganisationPart], locale_of: dict[str, str],
                  today: dt.date) -> Briefing:
    """The pack's first page: its figures, the :data:`RECENT` latest activities begun by
    ``today`` (the build date), the :data:`PLANNED` next ones after it, and each
    organisation's contact lines."""
    listed = [Listed(part, entry) for part in parts for entry in part.entries]
    activities = [item.entry.activity for item in listed]
    first = min((a.start for a in activities), default=None)
    last = max((a.last_day for a in activities), default=None)
    period = {lang: date_range(first, None if last == first else last, locale)
              for lang, locale in locale_of.items()} if first and last else {}
    by_date = sorted(listed, key=lambda item: (activity_order(item.entry.activity),
                                               item.entry.number))
    return Briefing(
        count=len(activities),
        period=period,
        by_organisation=tuple((part, len(part.entries)) for part in parts),
        organised=sum(a.role == "organised" for a in activities),
        participated=sum(a.role == "participated" for a in activities),
        held_in_country=sum(a.host == pack.country for a in activities),
        recent=tuple(item for item in reversed(by_date)
                     if item.entry.activity.start <= today)[:RECENT],
        planned=tuple(item for item in by_date if item.entry.activity.start > today)[:PLANNED],
        contacts=tuple(_contact_line(part, contact, locale_of)
                       for part in parts for contact in contacts_of(part.sheet)),
    )


def _contact_line(part: OrganisationPart, contact: Contact,
                  locale_of: dict[str, str]) -> ContactLine:
    own = part.sheet.organisation
    details = {lang: ", ".join(filter(None, [
        organisation if (organisation := contact.organisation.get(lang)) != own.get(lang)
        else None, (contact.unit or {}).get(lang), (contact.city or {}).get(lang)]))
        for lang in locale_of}
    fields = tuple((name, value) for name in CONTACT_LINE_FIELDS
                   if (value := getattr(contact, name)))
    return ContactLine(part, details, fields)


def _entry(number: int, activity: Activity, project: Project, locale_of: dict[str, str],
           reader: ActivityReader) -> ActivityEntry:
    when = {lang: date_range(activity.start, activity.end, locale)
            for lang, locale in locale_of.items()}
    where = {lang: ", ".join(filter(None, [activity.city.get(lang),
                                           project.country_name(activity.host, lang)]))
             for lang in locale_of}
    text = {lang: _without_headline(reader, activity, lang) for lang in locale_of
            if activity.text.get(lang)}
    return ActivityEntry(number, activity, when, where, text)


def _without_headline(reader: ActivityReader, activity: Activity, lang: str) -> str:
    """``3 November 2010, Istanbul, Turkey: participation of …`` → ``participation of …``
    when the opening reads as the activity's own dates and place; else the whole text."""
    text = activity.text[lang]
    colon = text.find(":")
    reading = reader.read_text(text, lang)
    if colon < 0 or not isinstance(reading, TextReading):
        return text
    same = (reading.start, reading.end) == (activity.start, activity.last_day) \
        and reading.city == activity.city.get(lang) \
        and reading.host in (None, activity.host)
    rest = text[colon + 1:].strip()
    return rest if same and rest else text


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
