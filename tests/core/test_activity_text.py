"""An activity's fields read back from its texts: the seed as printed, every date form,
disagreements between the languages, texts that cannot be read, keys and the summary line."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from briefing.core.activity_text import (
    ActivityReader,
    ActivityReading,
    DateForms,
    TextReading,
    Unreadable,
    describe,
    key_for,
    read_activity,
    slug,
)
from briefing.core.model import Activity, Country, Project
from tests.conftest import SAMPLE_SHEET, SEED_SHEET

LANGUAGES = ("en", "ru")
D = dt.date


@pytest.fixture(scope="module")
def everything(with_sample: Project) -> Project:
    """The seed and the fictional sample (examples/data/)."""
    return with_sample


@pytest.fixture(scope="module")
def countries(everything: Project) -> dict[str, Country]:
    return everything.countries


@pytest.fixture(scope="module")
def reader(countries: dict[str, Country]) -> ActivityReader:
    return ActivityReader(countries, LANGUAGES)


def read(reader: ActivityReader, en: str | None, ru: str | None) -> ActivityReading | Unreadable:
    return reader.read({"en": en, "ru": ru})


def problems(reader: ActivityReader, en: str | None, ru: str | None) -> list[str]:
    reading = read(reader, en, ru)
    assert isinstance(reading, Unreadable), reading
    return list(reading.problems)


def reading_of(reader: ActivityReader, en: str | None, ru: str | None) -> ActivityReading:
    reading = read(reader, en, ru)
    assert isinstance(reading, ActivityReading), reading
    return reading


def fields_of(activity: Activity) -> dict[str, object]:
    return {"start": activity.start, "end": activity.last_day, "city": activity.city,
            "host": activity.host, "participants": list(activity.participants),
            "role": activity.role}


def text_fields(reading: TextReading) -> dict[str, object]:
    return {"start": reading.start, "end": reading.end, "city": reading.city,
            "host": reading.host, "participants": list(reading.participants),
            "role": reading.role}


# --- The seed, as printed ----------------------------------------------------------------

#: Where one printed text says less than the activity's fields (check reports both).
PRINTED_DIFFERENCES: dict[tuple[str, str], dict[str, object]] = {
    # "concentrating on Казахстану, Таджикистану, …": the ru text leaves out Kyrgyzstan.
    ("activities.2015-05-almaty", "ru"): {"participants": ["TJ", "TM", "UZ"]},
    # "9-10 December 2013, Istanbul: …": the en text names no country after the city.
    ("activities.2013-12-istanbul", "en"): {"host": None},
}


def test_every_seed_text_reads_back_to_its_activitys_fields(
    everything: Project, reader: ActivityReader
) -> None:
    activities = list(everything.sheets[SEED_SHEET].activities())
    assert len(activities) == 15
    for activity in activities:
        for lang in LANGUAGES:
            read = reader.read_text(activity.text[lang], lang)
            assert isinstance(read, TextReading), (activity.key, lang, read)
            expected = fields_of(activity) | {"city": activity.city[lang]} | \
                PRINTED_DIFFERENCES.get((activity.key, lang), {})
            assert text_fields(read) == expected, (activity.key, lang)


def test_every_seed_activity_reads_back_whole_except_the_printed_disagreement(
    everything: Project, countries: dict[str, Country]
) -> None:
    for activity in everything.sheets[SEED_SHEET].activities():
        reading = read_activity(activity.text, countries, LANGUAGES)
        if activity.key == "activities.2015-05-almaty":
            assert reading == Unreadable(("participants differ: en KG TJ TM UZ, ru TJ TM UZ",))
            continue
        assert isinstance(reading, ActivityReading), (activity.key, reading)
        assert {"start": reading.start, "end": reading.end, "city": dict(reading.city),
                "host": reading.host, "participants": list(reading.participants),
                "role": reading.role} == fields_of(activity), activity.key
        expected_notes = (
            ("the en text names no country after its city (“Istanbul”): the host TR is read "
             "from ru",) if activity.key == "activities.2013-12-istanbul" else ())
        assert reading.notes == expected_notes


def test_every_sample_activity_reads_back_too(
    everything: Project, countries: dict[str, Country]
) -> None:
    for activity in everything.sheets[SAMPLE_SHEET].activities():
        reading = read_activity(activity.text, countries, LANGUAGES)
        assert isinstance(reading, ActivityReading), (activity.key, reading)
        assert reading.fields() == activity.model_dump(
            include={"start", "end", "city", "host", "participants", "role"}, exclude_none=True)


def test_describe_is_the_line_to_confirm(everything: Project, reader: ActivityReader) -> None:
    by_key = {a.key: a for a in everything.sheets[SEED_SHEET].activities()}
    nevsehir = reader.read(by_key["activities.2011-06-nevsehir"].text)
    dushanbe = reader.read(by_key["activities.2014-11-dushanbe"].text)
    istanbul = reader.read(by_key["activities.2010-11-istanbul"].text)
    assert isinstance(nevsehir, ActivityReading)
    assert isinstance(dushanbe, ActivityReading)
    assert isinstance(istanbul, ActivityReading)
    assert describe(nevsehir) == \
        "new activity 2011-06-07..2011-06-08, Nevsehir (TR), participants KG TJ, participated"
    assert describe(dushanbe, "activities.2014-11-dushanbe:") == \
        "activities.2014-11-dushanbe: 2014-11-11..2014-11-12, Dushanbe (TJ), no participants, " \
        "organised"
    assert describe(istanbul) == \
        "new activity 2010-11-03, Istanbul (TR), participants KG TJ, participated"


def test_the_issues_example(reader: ActivityReader) -> None:
    reading = reading_of(
        reader,
        "10-11 March 2026, Tashkent, Uzbekistan: participation of Kyrgyzstan and Tajikistan "
        "in a regional meeting",
        "10-11 марта 2026 г., Ташкент, Узбекистан: участие Кыргызстана и Таджикистана в "
        "региональном совещании")
    assert describe(reading) == \
        "new activity 2026-03-10..2026-03-11, Tashkent (UZ), participants KG TJ, participated"
    assert reading.city == {"en": "Tashkent", "ru": "Ташкент"}
    assert reading.fields() == {"start": D(2026, 3, 10), "end": D(2026, 3, 11),
                                "city": {"en": "Tashkent", "ru": "Ташкент"}, "host": "UZ",
                                "participants": ["KG", "TJ"], "role": "participated"}


# --- Date forms --------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "text", "start", "end"), [
    ("en", "19-20 May 2015", D(2015, 5, 19), D(2015, 5, 20)),
    ("en", "28 - 29 June 2012", D(2012, 6, 28), D(2012, 6, 29)),
    ("en", "30 November - 1 December 2024", D(2024, 11, 30), D(2024, 12, 1)),
    ("en", "3 November 2010", D(2010, 11, 3), D(2010, 11, 3)),
    ("en", "14–15 March 2016", D(2016, 3, 14), D(2016, 3, 15)),
    ("en", "30 June – 1 July 2015", D(2015, 6, 30), D(2015, 7, 1)),
    ("en", "30 December 2015 — 2 January 2016", D(2015, 12, 30), D(2016, 1, 2)),
    ("en", "May 19-20, 2015", D(2015, 5, 19), D(2015, 5, 20)),
    ("en", "9 Sept 2014", D(2014, 9, 9), D(2014, 9, 9)),
    ("ru", "19-20 мая 2015 г.", D(2015, 5, 19), D(2015, 5, 20)),
    ("ru", "28 - 29 июня 2012 г.", D(2012, 6, 28), D(2012, 6, 29)),
    ("ru", "30 ноября - 1 декабря 2024 г.", D(2024, 11, 30), D(2024, 12, 1)),
    ("ru", "3 ноября 2010 г.", D(2010, 11, 3), D(2010, 11, 3)),
    ("ru", "14–15 марта 2016 г.", D(2016, 3, 14), D(2016, 3, 15)),
    ("ru", "30 декабря 2015 г. – 2 января 2016 г.", D(2015, 12, 30), D(2016, 1, 2)),
    ("ru", "19-20 мая 2015\u202fг.", D(2015, 5, 19), D(2015, 5, 20)),
    ("ru", "19-20 мая 2015", D(2015, 5, 19), D(2015, 5, 20)),
])
def test_date_forms(lang: str, text: str, start: dt.date, end: dt.date) -> None:
    found = DateForms(lang).at_start(f"{text}, Almaty: …")
    assert found is not None
    assert (found.start, found.end, found.shown) == (start, end, text)


def test_a_whole_text_in_each_date_form_reads(reader: ActivityReader) -> None:
    reading = reading_of(
        reader,
        "30 November - 1 December 2024, Almaty, Kazakhstan: organisation of a seminar",
        "30 ноября - 1 декабря 2024 г., Алматы, Казахстан: организация семинара")
    assert (reading.start, reading.end, reading.role) == (D(2024, 11, 30), D(2024, 12, 1),
                                                          "organised")


# --- Places, roles and participants ------------------------------------------------------

def test_a_city_may_hold_commas_and_markup_is_read_through(reader: ActivityReader) -> None:
    reading = reading_of(
        reader,
        "**7-8 June 2011**, Nevsehir, Cappadocia, Turkey: *participation* of Kyrgyzstan",
        "7-8 июня 2011 г., Невсехир, Каппадокия, Турция: участие Кыргызстана")
    assert reading.city == {"en": "Nevsehir, Cappadocia", "ru": "Невсехир, Каппадокия"}
    assert (reading.host, reading.participants) == ("TR", ("KG",))


def test_the_host_is_a_participant_only_where_the_text_says_it_takes_part(
    reader: ActivityReader,
) -> None:
    named_again = reading_of(
        reader,
        "19 April 2013, Istanbul, Turkey: participation of Kyrgyzstan in the conference "
        "hosted by Turkey",
        "19 апреля 2013 г., Стамбул, Турция: участие Кыргызстана в конференции, "
        "принимаемой Турцией")
    assert named_again.participants == ("KG",)
    taking_part = reading_of(
        reader,
        "19 April 2013, Istanbul, Turkey: organisation of a meeting with the participation "
        "of Kyrgyzstan, Turkey and Tajikistan",
        "19 апреля 2013 г., Стамбул, Турция: организация совещания с участием Кыргызстана, "
        "Турции и Таджикистана")
    assert taking_part.participants == ("KG", "TR", "TJ")
    assert taking_part.role == "organised"


def test_the_first_role_wording_counts_and_with_participation_of_is_not_one(
    reader: ActivityReader,
) -> None:
    steppe = reading_of(
        reader,
        "14–15 March 2016, Almaty, Kazakhstan: organisation of a workshop, with participation "
        "of Kyrgyzstan",
        "14–15 марта 2016 г., Алматы, Казахстан: организация семинара с участием Кыргызстана")
    assert steppe.role == "organised"
    assert problems(
        reader,
        "14 March 2016, Almaty, Kazakhstan: a workshop with participation of Kyrgyzstan",
        "14 марта 2016 г., Алматы, Казахстан: семинар с участием Кыргызстана") == [
        'the en text does not say whether the organisation organised the activity or took '
        'part: write "organisation of …" or "participation of …" after the colon',
        'the ru text does not say whether the organisation organised the activity or took '
        'part: write "организация …" or "участие …" after the colon',
    ]


def test_an_empty_language_is_a_draft_read_from_the_other(reader: ActivityReader) -> None:
    reading = reading_of(reader, "", "10 марта 2026 г., Ташкент, Узбекистан: участие "
                                     "Кыргызстана в семинаре")
    assert describe(reading) == \
        "new activity 2026-03-10, Ташкент (UZ), participants KG, participated"
    assert reading.notes == ("no en text yet (a draft): read from ru alone",)
    assert reading.fields()["city"] == {"ru": "Ташкент"}
    assert reading_of(reader, "10 March 2026, Tashkent, Uzbekistan: participation of "
                              "Kyrgyzstan", None).notes == (
        "no ru text yet (a draft): read from en alone",)


# --- Disagreements -----------------------------------------------------------------------

def test_dates_that_differ_show_both_readings(reader: ActivityReader) -> None:
    assert problems(
        reader,
        "10-11 March 2026, Tashkent, Uzbekistan: participation of Kyrgyzstan",
        "10-12 марта 2026 г., Ташкент, Узбекистан: участие Кыргызстана") == [
        "dates differ: en 2026-03-10..2026-03-11, ru 2026-03-10..2026-03-12"]


def test_host_participants_and_role_that_differ_show_both_readings(
    reader: ActivityReader,
) -> None:
    assert problems(
        reader,
        "10 March 2026, Tashkent, Uzbekistan: participation of Kyrgyzstan and Tajikistan",
        "10 марта 2026 г., Алматы, Казахстан: организация семинара для Кыргызстана") == [
        "participants differ: en KG TJ, ru KG",
        "role differs: en participated, ru organised",
        "host differs: en UZ, ru KZ",
    ]


# --- Texts that cannot be read -----------------------------------------------------------

EN_EXAMPLE = '"19-20 May 2015, Tashkent, Uzbekistan: …"'
RU_EXAMPLE = '"19-20 мая 2015 г., Ташкент, Узбекистан: …"'
GOOD_RU = "10 марта 2026 г., Ташкент, Узбекистан: участие Кыргызстана"


@pytest.mark.parametrize(("en", "expected"), [
    ("Tashkent, Uzbekistan, 10 March 2026: participation of Kyrgyzstan",
     f"the en text does not start with a date such as {EN_EXAMPLE}"),
    ("10 Marhc 2026, Tashkent, Uzbekistan: participation of Kyrgyzstan",
     f"the en text does not start with a date such as {EN_EXAMPLE}"),
    ("31 June 2026, Tashkent, Uzbekistan: participation of Kyrgyzstan",
     "the en text starts with “31 June 2026”, which is not a day of the calendar: correct "
     "the day or the month"),
    ("11-10 March 2026, Tashkent, Uzbekistan: participation of Kyrgyzstan",
     "the en text gives “11-10 March 2026”, which ends before it starts: write the first "
     "day first"),
    ("10 March 2026 in Tashkent, participation of Kyrgyzstan",
     f"the en text gives no city and country between its date and a colon: write {EN_EXAMPLE}"),
    ("10 March 2026: participation of Kyrgyzstan",
     f"the en text gives no city and country between its date and a colon: write {EN_EXAMPLE}"),
    ("10 March 2026, Uzbekistan: participation of Kyrgyzstan",
     f"the en text names no city before “Uzbekistan”: write {EN_EXAMPLE}"),
    ("10 March 2026, Almaty, Kazakhstan, Tashkent, Uzbekistan: participation of Kyrgyzstan",
     "the en text names more than one country before the colon (“Almaty, Kazakhstan, "
     f"Tashkent, Uzbekistan”): write the city and the host country only, as in {EN_EXAMPLE}"),
])
def test_an_unreadable_en_text_says_what_to_write(
    reader: ActivityReader, en: str, expected: str
) -> None:
    assert problems(reader, en, GOOD_RU) == [expected]


def test_an_unreadable_ru_text_gives_a_russian_example(reader: ActivityReader) -> None:
    assert problems(reader, "10 March 2026, Tashkent, Uzbekistan: participation of Kyrgyzstan",
                    "Ташкент, 10 марта 2026 г.: участие Кыргызстана") == [
        f"the ru text does not start with a date such as {RU_EXAMPLE}"]


def test_a_host_named_in_no_language_cannot_be_read(reader: ActivityReader) -> None:
    assert problems(reader, "10 March 2026, Tashkent, Uzbekistn: participation of Kyrgyzstan",
                    "10 марта 2026 г., Ташкент: участие Кыргызстана") == [
        "no text names a host country of countries.yaml after the city (en: “Tashkent, "
        f"Uzbekistn”; ru: “Ташкент”): write it as in {EN_EXAMPLE}"]


def test_no_text_at_all(reader: ActivityReader) -> None:
    assert problems(reader, "", None) == ["no text to read: write the activity in en or ru"]


def test_every_problem_of_both_texts_is_listed(reader: ActivityReader) -> None:
    assert problems(reader, "March 2026: a meeting", "10 марта 2026 г.: встреча") == [
        f"the en text does not start with a date such as {EN_EXAMPLE}",
        f"the ru text gives no city and country between its date and a colon: write "
        f"{RU_EXAMPLE}",
    ]


# --- Changes against the data, keys ------------------------------------------------------

def test_changes_against_an_activity(everything: Project, reader: ActivityReader) -> None:
    by_key = {a.key: a for a in everything.sheets[SEED_SHEET].activities()}
    sofia = by_key["activities.2011-02-sofia"]
    edited = reader.read({
        "en": sofia.text["en"].replace("9-10 February 2011, Sofia", "9-11 February 2011, Varna"),
        "ru": sofia.text["ru"].replace("9-10 февраля 2011 г., София",
                                       "9-11 февраля 2011 г., Варна"),
    })
    assert isinstance(edited, ActivityReading)
    assert edited.changes(sofia) == ["dates 2011-02-09..2011-02-10 → 2011-02-09..2011-02-11",
                                     "city.en Sofia → Varna", "city.ru София → Варна"]
    unchanged = reader.read(sofia.text)
    assert isinstance(unchanged, ActivityReading)
    assert unchanged.changes(sofia) == []
    assert dataclasses.replace(unchanged, participants=("KG", "TJ"), role="organised",
                               host="RO").changes(sofia) == [
        "host BG → RO", "participants KG → KG TJ", "role participated → organised"]


def test_keys_are_slugs_made_unique() -> None:
    march = D(2026, 3, 10)
    assert key_for(march, "Tashkent", set()) == "activities.2026-03-tashkent"
    taken = {"activities.2026-03-tashkent", "activities.2026-03-tashkent-2"}
    assert key_for(march, "Tashkent", taken) == "activities.2026-03-tashkent-3"
    assert key_for(march, "Tashkent", {"activities.2026-03-tashkent"}) == \
        "activities.2026-03-tashkent-2"
    assert key_for(D(2011, 6, 7), "Nevşehir", ()) == "activities.2011-06-nevsehir"
    assert key_for(march, "Ташкент", ()) == "activities.2026-03-tashkent"
    assert key_for(march, "  Nur-Sultan (Astana)  ", ()) == "activities.2026-03-nur-sultan-astana"
    assert key_for(march, "—", ()) == "activities.2026-03-activity"
    assert slug("Шымкент, Қазақстан") == "shymkent-kazakstan"


def test_seed_keys_come_back_from_their_fields(everything: Project) -> None:
    for activity in everything.sheets[SEED_SHEET].activities():
        assert activity.key.startswith(key_for(activity.start, activity.city["en"], ()))
