"""A pack's timeline laid out once, for every format: where each mark stands and how it looks.

One mark per activity, placed by date along a line with a tick per year; an activity
of several days is a bar from its first to its last day. Marks that would overlap move
to a lane above, and each carries the activity's number in the pack. The colour of a
mark is its organisation's (:func:`organisation_colour`, the legend's too); a filled
mark is an activity the organisation organised, a hollow one an activity it took part
in. The SVG of the PDF (:mod:`briefing.paged.timeline`) and the PNG of the DOCX
(:mod:`briefing.word.timeline`) draw this same layout, in its units (a drawing
:data:`WIDTH` wide).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from babel import Locale

from .. import style
from ..errors import TemplateError
from .lang import year_span
from .packs import OrganisationPart, Pack

WIDTH = 1000
MARGIN = 30
LANE_HEIGHT = 26
MARK_RADIUS = 6
AXIS_SPACE = 34
#: The outline of a hollow mark.
STROKE = 2.5
#: Room beside a mark for its number before the next mark in the lane.
CLEARANCE = 2 * MARK_RADIUS + 16
NUMBER_SIZE = 11
YEAR_SIZE = 13


@dataclass(frozen=True)
class Mark:
    """One activity on the line: its number in the pack, key, dates, the index of its
    organisation among the pack's, and whether that organisation organised it."""

    number: int
    key: str
    start: dt.date
    end: dt.date
    organisation: int = 0
    organised: bool = True


@dataclass(frozen=True)
class PlacedMark:
    mark: Mark
    start_x: float
    end_x: float
    #: The middle of the mark, vertically.
    y: float

    @property
    def bar(self) -> bool:
        """Several days wide enough to show: a bar, else a dot."""
        return self.end_x - self.start_x > MARK_RADIUS

    @property
    def colour(self) -> style.Colour:
        return organisation_colour(self.mark.organisation)

    @property
    def label_x(self) -> float:
        return self.start_x + MARK_RADIUS + 2

    @property
    def label_y(self) -> float:
        """The baseline of the number, above and to the right of the mark's start."""
        return self.y - MARK_RADIUS


@dataclass(frozen=True)
class Year:
    year: int
    #: The tick at 1 January.
    x: float
    #: The middle of the year, where its label stands.
    middle: float


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    axis_y: float
    years: tuple[Year, ...]
    #: The tick closing the last year.
    end_x: float
    marks: tuple[PlacedMark, ...]

    @property
    def year_label_y(self) -> float:
        return self.axis_y + 20


def organisation_colour(index: int) -> style.Colour:
    """The colour of the pack's ``index``-th organisation (from 0), in the timeline and its
    legend; the palette repeats after its last colour."""
    return style.ORGANISATION_COLOURS[index % len(style.ORGANISATION_COLOURS)]


def layout(marks: Sequence[Mark], *, today: dt.date | None = None) -> Layout:
    """Where every mark stands; with no marks, an axis over ``today``'s year alone."""
    empty_year = (today or dt.date.today()).year
    first_year = min((m.start.year for m in marks), default=empty_year)
    last_year = max((m.end.year for m in marks), default=first_year)
    origin = dt.date(first_year, 1, 1)
    days = (dt.date(last_year + 1, 1, 1) - origin).days

    def x_of(day: dt.date) -> float:
        return round(MARGIN + (day - origin).days / days * (WIDTH - 2 * MARGIN), 2)

    lanes = _lanes([(x_of(m.start), x_of(m.end), m) for m in marks])
    height = (max((lane for *_, lane in lanes), default=0) + 1) * LANE_HEIGHT + AXIS_SPACE + 8
    axis_y = height - AXIS_SPACE
    years = tuple(
        Year(year, x_of(dt.date(year, 1, 1)),
             round((x_of(dt.date(year, 1, 1)) + x_of(dt.date(year + 1, 1, 1))) / 2, 2))
        for year in range(first_year, last_year + 1))
    placed = tuple(PlacedMark(mark, start_x, end_x, axis_y - 12 - lane * LANE_HEIGHT)
                   for start_x, end_x, mark, lane in lanes)
    return Layout(WIDTH, height, axis_y, years, x_of(dt.date(last_year + 1, 1, 1)), placed)


def _lanes(spans: Sequence[tuple[float, float, Mark]]) -> list[tuple[float, float, Mark, int]]:
    """Put each mark in the lowest lane where it clears the marks already there."""
    lane_ends: list[float] = []
    placed = []
    for start_x, end_x, mark in sorted(spans, key=lambda s: (s[0], s[2].number)):
        lane = next((i for i, end in enumerate(lane_ends) if start_x - end >= CLEARANCE),
                    len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(end_x)
        else:
            lane_ends[lane] = end_x
        placed.append((start_x, end_x, mark, lane))
    return placed


def timeline_marks(parts: Sequence[OrganisationPart]) -> list[Mark]:
    """One mark per activity printed, numbered as printed, in its organisation's colour,
    filled where the organisation organised it."""
    return sorted((Mark(e.number, e.activity.key, e.activity.start, e.activity.last_day,
                        part.index, e.activity.role == "organised")
                   for part in parts for e in part.entries), key=lambda mark: mark.number)


def timeline_alt(pack: Pack, labels: Mapping[str, Any], locale_of: Mapping[str, str]) -> str:
    """The timeline's alternative text in the pack's languages, English then Russian:
    "Timeline of 12 activities, 2010–2015 / Хронология 12 мероприятий, 2010–2015"."""
    summary = pack.summary
    years = year_span(summary.first_year, summary.last_year) if summary.count else "–"
    return " / ".join(
        timeline_description(labels[lang]["pack"].get("timeline_alt", {}), locale,
                             summary.count, years)
        for lang, locale in locale_of.items())


def timeline_description(forms: Mapping[str, str], locale: str, count: int, years: str) -> str:
    """What the timeline shows, in one language: "Timeline of 12 activities, 2010–2015".

    ``forms`` holds the sentence per CLDR plural category of ``count`` (``one``,
    ``few``, ``many``, ``other``) in ``locale``; ``other`` stands in for a missing one.
    """
    form = Locale.parse(locale).plural_form(count)
    try:
        sentence = forms.get(form) or forms["other"]
        return str(sentence).format(count=count, years=years)
    except (KeyError, IndexError, AttributeError, TypeError, ValueError) as error:
        raise TemplateError(f"templates/labels.yaml: pack.timeline_alt ({locale}): "
                            f"needs 'other', with {{count}} and {{years}} only ({error})") \
            from None
