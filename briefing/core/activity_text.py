"""An activity's structured fields, read back from its texts in every language.

An activity's text opens with its dates, city and host country, then says what the
organisation did::

    19-20 May 2015, Almaty, Kazakhstan: organisation of the 3rd meeting …
    19-20 мая 2015 г., Алматы, Казахстан: организация 3-го совещания …

:func:`read_activity` reads ``start``, ``end``, ``city``, ``host``, ``participants`` and
``role`` from each language's text and returns them when the languages agree
(:class:`ActivityReading`); otherwise it returns one line per problem
(:class:`Unreadable`): what could not be read and what to write, and both readings where
the languages disagree. :func:`key_for` gives a new activity its key, :func:`describe` the
line a person confirms. Pure: no files, no format library.

What is read from each language's text (markup removed):

- **dates**: the text must start with them, in the forms the sheets write: "3 November
  2010", "19-20 May 2015", "28 - 29 June 2012", "30 November - 1 December 2024",
  "30 December 2015 - 2 January 2016", "May 19-20, 2015", with a hyphen, en dash or em
  dash; "19-20 мая 2015 г.", "30 ноября - 1 декабря 2024 г.". Month names (wide and
  abbreviated, format and stand-alone: Russian genitives) and the year's suffix ("г.")
  are CLDR's, through Babel.
- **city and host**: the place between the date's comma and the first colon. Its last
  comma-separated part, when it is a country (a name or form in ``countries.yaml``), is the
  host and the rest is the city. A text that names no country there ("9-10 December 2013,
  Istanbul: …", as the seed prints it) takes the host from the other language, with a note.
- **role**: the first role wording after the colon. "organisation of", "organised",
  "organising" ("организация", "организовал…") mean ``organised``; "participation of/in",
  "participated", "took part" ("участие", "участвовал…") mean ``participated``. "with
  (the) participation of" and "с участием" tell who else took part, not what the
  organisation did, and do not count.
- **participants**: every country the text names after the colon, in order of first
  mention, except the host. The host counts as a participant only where the text names it
  among those taking part ("participation of Turkey and Kyrgyzstan", "с участием
  Турции"): otherwise its part is recorded by ``host`` alone, which already puts the
  activity in its pack.

A language whose text is empty is not read (a draft awaiting translation); the others
give the fields, with a note. Countries are found as :class:`CountryNames` finds them:
every form of ``countries.yaml``, whole words, case as written (what ``check`` does too).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from babel import UnknownLocaleError
from babel.dates import get_date_format, get_month_names

from .markup import plain
from .model import Activity, ActivityRole, Country

KEY_PREFIX = "activities"

#: What to write, per language, in a problem's message (English for a language not listed).
_EXAMPLES = {
    "en": "19-20 May 2015, Tashkent, Uzbekistan: …",
    "ru": "19-20 мая 2015 г., Ташкент, Узбекистан: …",
}
_ROLE_EXAMPLES = {
    "en": '"organisation of …" or "participation of …"',
    "ru": '"организация …" or "участие …"',
}
#: Wording that says what the organisation did, per language; the leftmost one counts.
_ROLE_WORDS: dict[str, dict[ActivityRole, str]] = {
    "en": {
        "organised": r"(?:co-?)?organi[sz](?:ation\s+of|ed|ing)",
        "participated": r"(?<!with\s)(?<!with\sthe\s)participation\s+(?:of|in)"
                        r"|participated|t(?:ook|aking)\s+part",
    },
    "ru": {
        "organised": r"(?:со)?организаци[яю]|(?:со)?организова\w*",
        "participated": r"участие|участвова\w*",
    },
}
#: Wording after which the countries listed are said to take part.
_PARTICIPATION_CUES = {
    "en": r"participation\s+of|together\s+with",
    "ru": r"участие|участием|совместно\s+с",
}
_LIST_SEPARATORS = {
    "en": r"\s*,\s*(?:and\s+)?(?:the\s+)?|\s+and\s+(?:the\s+)?",
    "ru": r"\s*,\s*(?:и\s+)?|\s+и\s+",
}
_DASH = r"\s*[-‐‑–—]\s*"


# --- Countries --------------------------------------------------------------------------

@dataclass(frozen=True)
class Mention:
    """A country named in a text: its code and where the name stands."""

    code: str
    start: int
    end: int


class CountryNames:
    """Finds the countries a text of one language names.

    Every ``forms`` entry and the ``name`` of ``countries.yaml``, as whole words and with
    their case, the longest first, so that "Kyrgyz Republic" wins over a shorter form
    inside it and "turkey" the bird is not Turkey.
    """

    def __init__(self, countries: Mapping[str, Country], lang: str) -> None:
        codes: dict[str, str] = {}
        for code, country in countries.items():
            for form in country_forms(country, lang):
                codes.setdefault(form, code)
        self.lang = lang
        self._codes = codes
        alternatives = "|".join(re.escape(form) for form in sorted(codes, key=len, reverse=True))
        self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)") if codes else None

    def mentions(self, text: str) -> list[Mention]:
        if self._pattern is None:
            return []
        return [Mention(self._codes[m.group()], m.start(), m.end())
                for m in self._pattern.finditer(text)]

    def named(self, text: str) -> list[str]:
        """Codes of the countries ``text`` names, in order of first mention."""
        return list(dict.fromkeys(mention.code for mention in self.mentions(text)))

    def country(self, phrase: str) -> str | None:
        """The code of the country ``phrase`` is the name of, all of it."""
        return self._codes.get(" ".join(phrase.split()))


def country_forms(country: Country, lang: str) -> list[str]:
    """Every form that names ``country`` in ``lang``, its name included."""
    forms = list(country.forms.get(lang, []))
    name = country.name.get(lang)
    if name and name not in forms:
        forms.append(name)
    return forms


# --- Dates ------------------------------------------------------------------------------

@dataclass(frozen=True)
class DatesRead:
    """The day or span of days a text gives: as written, and as dates (``None`` when the
    text names a day that does not exist, such as 31 June)."""

    shown: str
    start: dt.date | None
    end: dt.date | None
    #: Where the text continues after the dates (and the year's suffix, "г.").
    stop: int


class DateForms:
    """The dates of one language, read with the month names and year suffix of CLDR."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._months, pattern = _date_pattern(lang)
        self._pattern = re.compile(pattern, re.IGNORECASE)

    def at_start(self, text: str) -> DatesRead | None:
        """The dates ``text`` starts with."""
        match = re.match(r"\s*", text)
        return self._read(self._pattern.match(text, match.end() if match else 0))

    def first(self, text: str) -> DatesRead | None:
        """The first dates ``text`` gives, wherever they stand."""
        return self._read(self._pattern.search(text))

    def _read(self, match: re.Match[str] | None) -> DatesRead | None:
        if match is None:
            return None
        parts = {name: value for name, value in match.groupdict().items() if value}
        shown = match.group().strip()

        def month(name: str) -> int:
            return self._months[parts[name].lower().rstrip(".")]

        try:
            if "m0" in parts:
                day = dt.date(int(parts["y0"]), month("m0"), int(parts["d0"]))
                return DatesRead(shown, day, day, match.end())
            if "m3" in parts:
                year, m = int(parts["y3"]), month("m3")
                start = dt.date(year, m, int(parts["d3"]))
                end = dt.date(year, m, int(parts.get("d4", parts["d3"])))
                return DatesRead(shown, start, end, match.end())
            end = dt.date(int(parts["y2"]), month("m2"), int(parts["d2"]))
            start = dt.date(int(parts.get("y1", parts["y2"])),
                            month("m1" if "m1" in parts else "m2"), int(parts["d1"]))
            return DatesRead(shown, start, end, match.end())
        except ValueError:
            return DatesRead(shown, None, None, match.end())


@cache
def _date_pattern(lang: str) -> tuple[dict[str, int], str]:
    months: dict[str, int] = {}
    try:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, lang).items():
                    months.setdefault(str(name).lower().rstrip("."), number)
        long_date = str(get_date_format("long", locale=lang).pattern)
    except (UnknownLocaleError, ValueError, LookupError):
        return {}, r"(?!)"
    if lang == "en":
        months["sept"] = 9
    alternatives = "|".join(re.escape(name) for name in sorted(months, key=len, reverse=True))
    # The letters CLDR writes after the year in a long date ("2015 г."), if any.
    after_year = long_date.rpartition("y")[2].replace("'", "")
    suffix_match = re.match(r"\s*([^\W\d_]+\.?)", after_year)
    suffix = ""
    if suffix_match:
        letters = suffix_match.group(1)
        suffix = rf"(?:\s*{re.escape(letters.rstrip('.'))}\.?(?!\w))?"

    def m(group: str) -> str:
        return rf"(?P<{group}>(?:{alternatives})\.?)(?![^\W\d_])"

    def d(group: str) -> str:
        return rf"(?P<{group}>\d{{1,2}})"

    def y(group: str) -> str:
        return rf"(?P<{group}>\d{{4}}){suffix}"

    pattern = (
        rf"(?<!\d)(?:"
        rf"{d('d1')}(?:\s+{m('m1')}(?:\s+{y('y1')})?)?{_DASH}{d('d2')}\s+{m('m2')},?\s+{y('y2')}"
        rf"|{d('d0')}\s+{m('m0')},?\s+{y('y0')}"
        rf"|{m('m3')}\s+{d('d3')}(?:{_DASH}{d('d4')})?,\s*{y('y3')}"
        rf")(?!\d)"
    )
    return months, pattern


def date_span(start: dt.date, end: dt.date | None = None) -> str:
    """``2026-03-10..2026-03-11``, or the one day."""
    if end is None or end == start:
        return start.isoformat()
    return f"{start.isoformat()}..{end.isoformat()}"


# --- Reading ----------------------------------------------------------------------------

@dataclass(frozen=True)
class TextReading:
    """What one language's text says."""

    lang: str
    start: dt.date
    end: dt.date
    city: str
    #: ``None`` when the text names no country after its city.
    host: str | None
    participants: tuple[str, ...]
    #: ``None`` in a language whose role wording is not known here.
    role: ActivityRole | None
    #: The place as written, for a message when it names no country.
    place: str


@dataclass(frozen=True)
class ActivityReading:
    """The fields the texts agree on, ready to become (or update) an activity."""

    start: dt.date
    end: dt.date
    #: Per language read (an empty text is not read).
    city: Mapping[str, str]
    host: str
    participants: tuple[str, ...]
    role: ActivityRole
    #: What the person should know but need not fix: a text left empty, a host read
    #: from one language only.
    notes: tuple[str, ...] = ()
    readings: tuple[TextReading, ...] = field(default=(), repr=False)

    def fields(self) -> dict[str, Any]:
        """The activity's fields as the data writes them (no ``end`` for a single day)."""
        fields: dict[str, Any] = {"start": self.start}
        if self.end != self.start:
            fields["end"] = self.end
        fields.update(city=dict(self.city), host=self.host,
                      participants=list(self.participants), role=self.role)
        return fields

    def changes(self, activity: Activity) -> list[str]:
        """What differs from ``activity``'s fields, one line each (``old → new``)."""
        changes: list[str] = []
        old_span, new_span = date_span(activity.start, activity.end), date_span(self.start,
                                                                                self.end)
        if old_span != new_span:
            changes.append(f"dates {old_span} → {new_span}")
        for lang, city in self.city.items():
            if activity.city.get(lang) != city:
                changes.append(f"city.{lang} {activity.city.get(lang) or '(none)'} → {city}")
        if activity.host != self.host:
            changes.append(f"host {activity.host} → {self.host}")
        if set(activity.participants) != set(self.participants):
            changes.append(f"participants {_codes(activity.participants)} → "
                           f"{_codes(self.participants)}")
        if activity.role != self.role:
            changes.append(f"role {activity.role} → {self.role}")
        return changes


@dataclass(frozen=True)
class Unreadable:
    """Why the texts do not give an activity's fields: one line per problem."""

    problems: tuple[str, ...]


class ActivityReader:
    """Reads activities of one sheet: its languages, the countries it may name.

    Build it once and call :meth:`read` for every activity; :func:`read_activity` is the
    same for a single one.
    """

    def __init__(self, countries: Mapping[str, Country], languages: Sequence[str]) -> None:
        self.languages = tuple(languages)
        self._names = {lang: CountryNames(countries, lang) for lang in self.languages}
        self._dates = {lang: DateForms(lang) for lang in self.languages}

    def read(self, texts: Mapping[str, str | None]) -> ActivityReading | Unreadable:
        present = {lang: " ".join(plain(texts.get(lang) or "").split())
                   for lang in self.languages}
        present = {lang: text for lang, text in present.items() if text}
        if not present:
            return Unreadable((f"no text to read: write the activity in "
                               f"{' or '.join(self.languages)}",))
        readings: list[TextReading] = []
        problems: list[str] = []
        for lang, text in present.items():
            read = self.read_text(text, lang)
            if isinstance(read, TextReading):
                readings.append(read)
            else:
                problems.extend(read)
        notes = [f"no {lang} text yet (a draft): read from {_and(list(present))} alone"
                 for lang in self.languages if lang not in present]
        problems.extend(_disagreements(readings))
        host = self._host(readings, present, problems, notes)
        roles = [r.role for r in readings if r.role is not None]
        if readings and not roles:
            problems.append("no text says whether the organisation organised the activity "
                            "or took part: write "
                            f"{_ROLE_EXAMPLES['en']} after the colon")
        if problems or host is None:
            return Unreadable(tuple(problems))
        first = readings[0]
        return ActivityReading(
            start=first.start, end=first.end,
            city={r.lang: r.city for r in readings}, host=host,
            participants=first.participants, role=roles[0],
            notes=tuple(notes), readings=tuple(readings),
        )

    def read_text(self, text: str, lang: str) -> TextReading | list[str]:
        """What one language's text says, or its problems."""
        text = " ".join(plain(text).split())
        example = _EXAMPLES.get(lang, _EXAMPLES["en"])
        dates = self._dates[lang].at_start(text)
        if dates is None:
            return [f'the {lang} text does not start with a date such as "{example}"']
        problems: list[str] = []
        if dates.start is None or dates.end is None:
            problems.append(f"the {lang} text starts with {_quoted(dates.shown)}, which is "
                            "not a day of the calendar: correct the day or the month")
        elif dates.end < dates.start:
            problems.append(f"the {lang} text gives {_quoted(dates.shown)}, which ends before "
                            "it starts: write the first day first")
        place_match = re.match(r"\s*,\s*([^:]*?)\s*:", text[dates.stop:])
        if place_match is None or not place_match.group(1):
            problems.append(f"the {lang} text gives no city and country between its date and "
                            f'a colon: write "{example}"')
            return problems
        place = place_match.group(1)
        body = text[dates.stop + place_match.end():]
        names = self._names[lang]
        parts = [part.strip() for part in place.split(",")]
        host = names.country(parts[-1])
        city = ", ".join(parts[:-1]) if host is not None else place
        if not city:
            problems.append(f"the {lang} text names no city before {_quoted(parts[-1])}: "
                            f'write "{example}"')
        elif names.mentions(city):
            problems.append(f"the {lang} text names more than one country before the colon "
                            f"({_quoted(place)}): write the city and the host country only, "
                            f'as in "{example}"')
        role = self._role(body, lang)
        if role is None and lang in _ROLE_WORDS:
            problems.append(f"the {lang} text does not say whether the organisation organised "
                            f"the activity or took part: write "
                            f"{_ROLE_EXAMPLES.get(lang, _ROLE_EXAMPLES['en'])} after the colon")
        if problems or dates.start is None or dates.end is None:
            return problems
        return TextReading(lang, dates.start, dates.end, city, host,
                           self._participants(body, lang, host), role, place)

    def _role(self, body: str, lang: str) -> ActivityRole | None:
        words = _ROLE_WORDS.get(lang)
        if not words:
            return None
        found: list[tuple[int, ActivityRole]] = []
        for role, pattern in words.items():
            match = re.search(rf"(?<!\w)(?:{pattern})(?!\w)", body, re.IGNORECASE)
            if match:
                found.append((match.start(), role))
        return min(found)[1] if found else None

    def _participants(self, body: str, lang: str, host: str | None) -> tuple[str, ...]:
        mentions = self._names[lang].mentions(body)
        taking_part = _listed_after_cues(body, mentions, lang)
        return tuple(dict.fromkeys(
            mention.code for mention in mentions
            if mention.code != host or mention.start in taking_part))

    def _host(self, readings: list[TextReading], present: Mapping[str, str],
              problems: list[str], notes: list[str]) -> str | None:
        hosts = {r.lang: r.host for r in readings if r.host is not None}
        if len(set(hosts.values())) > 1:
            problems.append("host differs: " + ", ".join(f"{lang} {code}"
                                                         for lang, code in hosts.items()))
            return None
        if not hosts:
            if readings and len(readings) == len(present):
                unknown = "; ".join(f"{r.lang}: {_quoted(r.place)}" for r in readings)
                problems.append("no text names a host country of countries.yaml after the "
                                f"city ({unknown}): write it as in "
                                f'"{_EXAMPLES.get(readings[0].lang, _EXAMPLES["en"])}"')
            return None
        host = next(iter(hosts.values()))
        for reading in readings:
            if reading.host is None:
                notes.append(f"the {reading.lang} text names no country after its city "
                             f"({_quoted(reading.place)}): the host {host} is read from "
                             f"{_and(list(hosts))}")
        return host


def read_activity(
    texts: Mapping[str, str | None], countries: Mapping[str, Country], languages: Sequence[str]
) -> ActivityReading | Unreadable:
    """An activity's fields, read from its ``texts`` (keyed by language) in ``languages``."""
    return ActivityReader(countries, languages).read(texts)


def describe(reading: ActivityReading, what: str = "new activity") -> str:
    """One line for the person to confirm:
    ``new activity 2026-03-10..2026-03-11, Tashkent (UZ), participants KG TJ, participated``."""
    city = next(iter(reading.city.values()), "")
    who = f"participants {_codes(reading.participants)}" if reading.participants \
        else "no participants"
    return (f"{what} {date_span(reading.start, reading.end)}, {city} ({reading.host}), "
            f"{who}, {reading.role}")


def key_for(start: dt.date, city: str, existing_keys: Collection[str]) -> str:
    """``activities.YYYY-MM-city``, made unique among ``existing_keys`` with -2, -3…

    The city becomes ASCII lower case with hyphens ("Nevşehir" → ``nevsehir``, "Ташкент"
    → ``tashkent``); a city with no letters left gives ``activity``.
    """
    base = f"{KEY_PREFIX}.{start:%Y-%m}-{slug(city) or 'activity'}"
    key, number = base, 1
    while key in existing_keys:
        number += 1
        key = f"{base}-{number}"
    return key


_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіў",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
     "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
     "a", "g", "k", "n", "o", "u", "u", "h", "i", "u"],
    strict=True,
))


def slug(text: str) -> str:
    """ASCII lower-case words joined by hyphens."""
    lowered = "".join(_CYRILLIC.get(char, char) for char in text.lower())
    ascii_text = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text))


# --- Helpers ----------------------------------------------------------------------------

def _disagreements(readings: list[TextReading]) -> Iterable[str]:
    if len(readings) < 2:
        return
    spans = {r.lang: date_span(r.start, r.end) for r in readings}
    if len(set(spans.values())) > 1:
        yield "dates differ: " + ", ".join(f"{lang} {span}" for lang, span in spans.items())
    if len({frozenset(r.participants) for r in readings}) > 1:
        yield "participants differ: " + ", ".join(f"{r.lang} {_codes(r.participants)}"
                                                  for r in readings)
    roles = {r.lang: r.role for r in readings if r.role is not None}
    if len(set(roles.values())) > 1:
        yield "role differs: " + ", ".join(f"{lang} {role}" for lang, role in roles.items())


def _listed_after_cues(body: str, mentions: list[Mention], lang: str) -> set[int]:
    """Where the countries named in a list right after participation wording start."""
    cue, separator = _PARTICIPATION_CUES.get(lang), _LIST_SEPARATORS.get(lang, r"\s*,\s*")
    if cue is None:
        return set()
    by_start = {mention.start: mention for mention in mentions}
    listed: set[int] = set()
    article = r"(?:the\s+)?" if lang == "en" else ""
    for match in re.finditer(rf"(?<!\w)(?:{cue})(?!\w)\s+{article}", body, re.IGNORECASE):
        position = match.end()
        while position in by_start:
            listed.add(position)
            after = re.compile(separator).match(body, by_start[position].end)
            if after is None:
                break
            position = after.end()
    return listed


def _codes(codes: Iterable[str]) -> str:
    return " ".join(codes) or "none"


def _and(items: list[str]) -> str:
    return " and ".join(items)


def _quoted(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit // 2 - 1] + "…" + flat[-(limit // 2 - 1):]
    return f"“{flat}”"
