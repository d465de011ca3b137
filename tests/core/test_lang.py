"""Dates per language, as Babel (CLDR) prints them for the locales of labels.yaml."""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.core.labels import locales
from briefing.core.lang import date_range, year_span
from briefing.errors import TemplateError
from briefing.paged.render import Renderer
from tests.conftest import REPO

NNBSP = "\u202f"  # CLDR's narrow no-break space before "г."


@pytest.fixture(scope="module")
def locale_of() -> dict[str, str]:
    return locales(Renderer(REPO / "templates").labels, ("en", "ru"))


def test_labels_choose_european_english_and_russian(locale_of: dict[str, str]) -> None:
    assert locale_of == {"en": "en_150", "ru": "ru"}


@pytest.mark.parametrize(("start", "end", "english", "russian"), [
    (dt.date(2015, 5, 19), dt.date(2015, 5, 20), "19–20 May 2015", "19–20 мая 2015 г."),
    (dt.date(2011, 6, 7), dt.date(2011, 6, 8), "7–8 June 2011", "7–8 июня 2011 г."),
    (dt.date(2010, 11, 3), None, "3 November 2010", "3 ноября 2010 г."),
    (dt.date(2013, 4, 19), dt.date(2013, 4, 19), "19 April 2013", "19 апреля 2013 г."),
    (dt.date(2024, 11, 30), dt.date(2024, 12, 1), "30 November – 1 December 2024",
     "30 ноября – 1 декабря 2024 г."),
    (dt.date(2015, 12, 30), dt.date(2016, 1, 2), "30 December 2015 – 2 January 2016",
     "30 декабря 2015 г. – 2 января 2016 г."),
])
def test_ranges_in_both_languages(
    locale_of: dict[str, str], start: dt.date, end: dt.date | None, english: str, russian: str
) -> None:
    assert date_range(start, end, locale_of["en"]) == english
    assert date_range(start, end, locale_of["ru"]).replace(NNBSP, " ") == russian


def test_a_locale_that_writes_the_month_first_keeps_its_order() -> None:
    """CLDR has no full-month interval for en_US: its abbreviated one, month first."""
    assert date_range(dt.date(2011, 6, 7), dt.date(2011, 6, 8), "en_US") == \
        "Jun 7\u2009–\u20098, 2011"


def test_an_unknown_locale_names_labels_yaml() -> None:
    with pytest.raises(TemplateError, match=r"unknown locale 'xx_YY' for dates \(see "
                                            r"templates/labels.yaml\)"):
        date_range(dt.date(2015, 5, 19), None, "xx_YY")


def test_year_span() -> None:
    assert year_span(2010, 2015) == "2010–2015"
    assert year_span(2015, 2015) == "2015"
