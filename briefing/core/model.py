"""The typed model of the data: countries, sheets, sections, blocks and units.

This module is the schema, declared once. It knows nothing of files, YAML, HTML,
PDF or DOCX. :func:`Sheet.units` flattens a sheet into the translatable units
that every renderer, the DOCX round trip and the checks iterate over, each with
a stable key and the path of its texts in the data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

KEY_PATTERN = r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$"
LANG_PATTERN = r"^[a-z]{2,3}$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"
SHEET_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Key = Annotated[str, StringConstraints(pattern=KEY_PATTERN)]
LangCode = Annotated[str, StringConstraints(pattern=LANG_PATTERN)]
CountryCode = Annotated[str, StringConstraints(pattern=COUNTRY_PATTERN)]
#: What :func:`_printable` refuses, found in one pass: the control characters (category Cc:
#: U+0000–U+001F, U+007F–U+009F) but line break and tab, the noncharacters (U+FDD0–U+FDEF
#: and the last two code points of every plane) and the lone surrogates.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ud800-\udfff"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + "]")


def _printable(text: str) -> str:
    """Refuse control characters, noncharacters (U+FFFE, U+FDD0…) and lone surrogates: no
    PDF, HTML or DOCX can hold them (a line break or tab is allowed here and left for
    ``check`` to report)."""
    found = _UNPRINTABLE.search(text)
    if found is None:
        return text
    for char in found.group():
        code = ord(char)
        if unicodedata.category(char) == "Cc" and char not in "\n\t":
            raise ValueError(f"contains the control character U+{code:04X}; remove it")
        if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
            raise ValueError(f"contains the noncharacter U+{code:04X}; remove it")
        if 0xD800 <= code <= 0xDFFF:
            raise ValueError(f"contains the lone surrogate U+{code:04X}; remove it")
    return text


Text = Annotated[str, AfterValidator(_printable)]
#: A text in each language, keyed by language code; a language may be missing
#: while it awaits translation.
Texts = dict[LangCode, Text]

#: Unit keys the sheet itself uses for its title and organisation name.
RESERVED_KEYS = frozenset({"title", "organisation"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Country(_Strict):
    name: Texts
    forms: dict[LangCode, list[str]] = Field(default_factory=dict)
    central_asia: bool = False


class Ignore(_Strict):
    """Silences one known finding of ``check`` for the unit that carries it."""

    rule: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+$")]
    lang: LangCode | None = None
    reason: Annotated[str, StringConstraints(min_length=1)]


class _Unit(_Strict):
    key: Key
    text: Texts
    ignore: list[Ignore] = Field(default_factory=list)


class Title(_Unit):
    type: Literal["title"]


class Paragraph(_Unit):
    type: Literal["paragraph"]


class Subheading(_Unit):
    type: Literal["subheading"]


class ListItem(_Unit):
    pass


class ListBlock(_Strict):
    type: Literal["list"]
    key: Key
    items: Annotated[list[ListItem], Field(min_length=1)]


ActivityRole = Literal["organised", "participated"]


class Activity(_Unit):
    type: Literal["activity"]
    start: dt.date
    end: dt.date | None = None
    city: Texts
    host: CountryCode
    participants: list[CountryCode] = Field(default_factory=list)
    role: ActivityRole

    @property
    def last_day(self) -> dt.date:
        return self.end or self.start

    @property
    def countries(self) -> list[str]:
        """The host first, then participants, each once."""
        return list(dict.fromkeys([self.host, *self.participants]))


#: Contact fields that are texts per language, in the order they are printed.
CONTACT_TEXT_FIELDS = ("organisation", "unit", "street", "city")
#: Contact fields that are the same in every language, in the order they are printed.
CONTACT_PLAIN_FIELDS = ("telephone", "fax", "email", "website", "facebook")


class Contact(_Strict):
    type: Literal["contact"]
    key: Key
    organisation: Texts
    unit: Texts | None = None
    street: Texts | None = None
    city: Texts | None = None
    telephone: Text | None = None
    fax: Text | None = None
    email: Text | None = None
    website: Text | None = None
    facebook: Text | None = None
    ignore: list[Ignore] = Field(default_factory=list)


#: Review states, as in XLIFF 2: not yet translated, translated, reviewed, final.
REVIEW_STATUSES = ("initial", "translated", "reviewed", "final")
ReviewStatus = Literal["initial", "translated", "reviewed", "final"]
#: A verdict on the translation of a source text that has changed since falls back to this.
STALE_FALLBACK = {"reviewed": "translated", "final": "translated"}
SOURCE_HASH_PATTERN = r"^[0-9a-f]{12}$"


def source_hash(text: str | None) -> str:
    """A short digest of the source text a review verdict was given for."""
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()[:12]


class Review(_Strict):
    """A reviewer's verdict on one unit in one language, and the source text it judged.

    ``source_hash`` is :func:`source_hash` of the unit's text in the other
    language when the verdict was given; once that text changes, a ``reviewed``
    or ``final`` verdict no longer holds (see :meth:`Sheet.verdict`).
    """

    status: ReviewStatus | None = None
    comment: Text = ""
    source_hash: Annotated[str, StringConstraints(pattern=SOURCE_HASH_PATTERN)] | None = None


@dataclass(frozen=True)
class Verdict:
    """A unit's review verdict in one language, as it stands against the current texts."""

    #: The status as recorded ("" when none).
    recorded: str
    comment: str
    #: The source text changed since a ``reviewed`` or ``final`` verdict (or no hash
    #: records which text it judged): the verdict falls back to ``translated``.
    stale: bool
    #: :func:`source_hash` of the current source text.
    current_hash: str

    @property
    def status(self) -> str:
        """The status that holds now: the recorded one, or its fallback when stale."""
        return STALE_FALLBACK.get(self.recorded, self.recorded) if self.stale else self.recorded


Block = Annotated[
    Title | Paragraph | Subheading | ListBlock | Activity | Contact,
    Field(discriminator="type"),
]


class Section(_Strict):
    key: Key
    heading: Texts
    blocks: list[Block] = Field(default_factory=list)
    ignore: list[Ignore] = Field(default_factory=list)


class Sheet(_Strict):
    id: Annotated[str, StringConstraints(pattern=SHEET_ID_PATTERN)]
    languages: Annotated[list[LangCode], Field(min_length=2, max_length=2)]
    sample: bool = False
    title: Texts
    organisation: Texts
    sections: list[Section]
    #: Per language, per unit key: a reviewer's verdict, from ``import-docx`` of a review copy.
    review: dict[LangCode, dict[Key, Review]] = Field(default_factory=dict)

    @field_validator("languages")
    @classmethod
    def _languages_differ(cls, languages: list[str]) -> list[str]:
        if len(set(languages)) != len(languages):
            raise ValueError("the two languages must differ")
        return languages

    def units(self) -> Iterator[Unit]:
        """Every translatable text of the sheet, in reading order."""
        yield Unit("title", "document-title", self.title, ("title",), None)
        yield Unit("organisation", "organisation", self.organisation, ("organisation",), None)
        for s_index, section in enumerate(self.sections):
            s_path: DataPath = ("sections", s_index)
            yield Unit(section.key, "heading", section.heading, (*s_path, "heading"), section)
            for b_index, block in enumerate(section.blocks):
                b_path: DataPath = (*s_path, "blocks", b_index)
                yield from _block_units(block, b_path)

    def verdict(self, lang: str, unit: Unit) -> Verdict | None:
        """The review verdict on ``unit`` in the target language ``lang``, if one is recorded."""
        entry = self.review.get(lang, {}).get(unit.key)
        if entry is None:
            return None
        source = next((code for code in self.languages if code != lang), lang)
        current = source_hash(unit.text(source))
        recorded = entry.status or ""
        stale = recorded in STALE_FALLBACK and entry.source_hash != current
        return Verdict(recorded, entry.comment, stale, current)

    def activities(self) -> Iterator[Activity]:
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, Activity):
                    yield block


DataPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Unit:
    """One translatable text: a stable key, its texts and where they live in the data.

    ``kind`` is one of ``document-title``, ``organisation``, ``heading`` (a
    section's), ``title``, ``subheading``, ``paragraph``, ``list-item``,
    ``activity`` and ``contact-field``; ``source`` is the block (or section)
    the unit belongs to, ``None`` for the sheet's own title and organisation.
    """

    key: str
    kind: str
    texts: dict[str, str]
    path: DataPath
    source: Section | Block | ListItem | None

    def text(self, lang: str) -> str | None:
        value = self.texts.get(lang)
        return value if value else None

    @property
    def ignores(self) -> list[Ignore]:
        return list(getattr(self.source, "ignore", []))


def _block_units(block: Block, path: DataPath) -> Iterator[Unit]:
    match block:
        case Title():
            yield Unit(block.key, "title", block.text, (*path, "text"), block)
        case Paragraph() | Subheading():
            yield Unit(block.key, block.type, block.text, (*path, "text"), block)
        case Activity():
            yield Unit(block.key, "activity", block.text, (*path, "text"), block)
        case ListBlock():
            for index, item in enumerate(block.items):
                yield Unit(item.key, "list-item", item.text, (*path, "items", index, "text"), item)
        case Contact():
            for name in CONTACT_TEXT_FIELDS:
                texts = getattr(block, name)
                if texts is not None:
                    yield Unit(f"{block.key}.{name}", "contact-field", texts, (*path, name), block)


@dataclass(frozen=True)
class Project:
    """Everything the data folder holds, validated."""

    countries: dict[str, Country]
    sheets: dict[str, Sheet]

    def country_name(self, code: str, lang: str) -> str:
        country = self.countries.get(code)
        if country is None:
            return code
        return country.name.get(lang) or next(iter(country.name.values()), code)
