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
    (dt.date(2015, 5, 19), dt.date(2015, 5, 20), "19–20 May 2015", f"19—20 мая 2015{NNBSP}г."),
    (dt.date(2010, 11, 3), None, "3 Nov 2010", f"3 нояб. 2010{NNBSP}г."),
    (dt.date(2013, 4, 19), dt.date(2013, 4, 19), "19 Apr 2013", f"19 апр. 2013{NNBSP}г."),
    (dt.date(2014, 5, 30), dt.date(2014, 6, 2), "30 May\u2009–\u20092 Jun 2014",
     f"30 мая — 2 июн. 2014{NNBSP}г."),
    (dt.date(2015, 12, 30), dt.date(2016, 1, 2), "30 Dec 2015\u2009–\u20092 Jan 2016",
     f"30 дек. 2015{NNBSP}г. — 2 янв. 2016{NNBSP}г."),
])
def test_ranges_in_both_languages(
    locale_of: dict[str, str], start: dt.date, end: dt.date | None, english: str, russian: str
) -> None:
    assert date_range(start, end, locale_of["en"]) == english
    assert date_range(start, end, locale_of["ru"]) == russian


def test_an_unknown_locale_names_labels_yaml() -> None:
    with pytest.raises(TemplateError, match=r"unknown locale 'xx_YY' for dates \(see "
                                            r"templates/labels.yaml\)"):
        date_range(dt.date(2015, 5, 19), None, "xx_YY")


def test_year_span() -> None:
    assert year_span(2010, 2015) == "2010–2015"
    assert year_span(2015, 2015) == "2015"
