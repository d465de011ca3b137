"""What each country's pack holds, chosen from the model: which activities, in what order."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from briefing.core.load import load_project
from briefing.core.model import Project
from briefing.core.packs import (
    ActivityEntry,
    contacts_of,
    countries_named,
    country_pack,
    description_of,
    pack_briefing,
    pack_parts,
    participation,
    printed_data,
    years_of,
)
from tests.conftest import REPO, SAMPLE_SHEET, SEED_SHEET

#: The seed's activities whose text says "participation of … Kyrgyzstan …", in date order.
KYRGYZSTAN_IN_THE_SEED = [
    "activities.2010-11-istanbul",
    "activities.2011-02-sofia",
    "activities.2011-06-nevsehir",
    "activities.2011-11-ankara",
    "activities.2012-06-tbilisi",
    "activities.2012-11-sofia",
    "activities.2013-04-istanbul",
    "activities.2013-10-islamabad",
    "activities.2013-12-istanbul",
    "activities.2014-06-budapest-kick-off",
    "activities.2014-06-budapest-south-east-europe",
    "activities.2015-06-islamabad",
]
#: Kyrgyzstan's pack: those twelve, and the Almaty meeting of a project concentrating on
#: Kyrgyzstan among others (listed as a participant, though its ru text omits the name).
KYRGYZSTAN_PACK = [*KYRGYZSTAN_IN_THE_SEED[:-1], "activities.2015-05-almaty",
                   "activities.2015-06-islamabad"]


@pytest.fixture(scope="module")
def seed() -> Project:
    return load_project(REPO / "data", REPO, [SEED_SHEET]).project


@pytest.fixture(scope="module")
def everything(with_sample: Project) -> Project:
    """The seed and the fictional sample (examples/data/)."""
    return with_sample


def keys(project: Project, country: str) -> list[str]:
    return [activity.key for activity in country_pack(project, country).activities]


def test_kyrgyzstan_from_the_seed_holds_the_thirteen_activities_in_date_order(
    seed: Project,
) -> None:
    assert keys(seed, "KG") == KYRGYZSTAN_PACK


def test_the_twelve_are_those_whose_text_records_kyrgyzstan(seed: Project) -> None:
    sheet = seed.sheets[SEED_SHEET]
    said = {a.key for a in sheet.activities()
            if re.search(r"participation of [^:]*Kyrgyzstan", a.text["en"])}
    assert said == set(KYRGYZSTAN_IN_THE_SEED)


def test_no_activity_of_tajikistan_alone_is_in_kyrgyzstans_pack(seed: Project) -> None:
    tajik_only = {a.key for a in seed.sheets[SEED_SHEET].activities()
                  if "TJ" in a.countries and "KG" not in a.countries}
    assert tajik_only == {"activities.2014-11-dushanbe", "activities.2015-03-sofia"}
    assert not tajik_only & set(keys(seed, "KG"))
    assert tajik_only <= set(keys(seed, "TJ"))


def test_a_host_without_participants_has_the_activity_in_its_own_pack_only(
    seed: Project,
) -> None:
    dushanbe = "activities.2014-11-dushanbe"
    assert [country for country in countries_named(seed) if dushanbe in keys(seed, country)] \
        == ["TJ"]


def test_the_almaty_meeting_is_in_the_packs_of_the_countries_its_project_concentrates_on(
    seed: Project,
) -> None:
    almaty = "activities.2015-05-almaty"
    assert [country for country in countries_named(seed) if almaty in keys(seed, country)] \
        == ["KG", "KZ", "TJ", "TM", "UZ"]


#: Per country, the seed's activities with it as `host` or in `participants`, in date order
#: (read off data/sheets/budapest-process.yaml).
SEED_PACKS = {
    "BG": ["activities.2011-02-sofia", "activities.2012-11-sofia", "activities.2015-03-sofia"],
    "GE": ["activities.2012-06-tbilisi"],
    "HU": ["activities.2014-06-budapest-kick-off",
           "activities.2014-06-budapest-south-east-europe"],
    "KG": KYRGYZSTAN_PACK,
    "KZ": ["activities.2015-05-almaty", "activities.2015-06-islamabad"],
    "PK": ["activities.2013-10-islamabad", "activities.2015-06-islamabad"],
    "TJ": ["activities.2010-11-istanbul", "activities.2011-06-nevsehir",
           "activities.2012-11-sofia", "activities.2013-04-istanbul",
           "activities.2013-10-islamabad", "activities.2013-12-istanbul",
           "activities.2014-11-dushanbe", "activities.2015-03-sofia",
           "activities.2015-05-almaty"],
    "TM": ["activities.2015-05-almaty"],
    "TR": ["activities.2010-11-istanbul", "activities.2011-06-nevsehir",
           "activities.2011-11-ankara", "activities.2013-04-istanbul",
           "activities.2013-12-istanbul"],
    "UZ": ["activities.2012-11-sofia", "activities.2014-06-budapest-kick-off",
           "activities.2015-05-almaty"],
}


def test_every_seed_country_has_exactly_the_activities_naming_it(seed: Project) -> None:
    assert countries_named(seed) == sorted(SEED_PACKS)
    assert {country: keys(seed, country) for country in SEED_PACKS} == SEED_PACKS


def test_seed_packs_by_country() -> None:
    project = load_project(REPO / "data", REPO, [SEED_SHEET]).project
    assert keys(project, "UZ") == ["activities.2012-11-sofia",
                                   "activities.2014-06-budapest-kick-off",
                                   "activities.2015-05-almaty"]
    assert keys(project, "GE") == ["activities.2012-06-tbilisi"]
    assert keys(project, "TR") == ["activities.2010-11-istanbul", "activities.2011-06-nevsehir",
                                   "activities.2011-11-ankara", "activities.2013-04-istanbul",
                                   "activities.2013-12-istanbul"]


def test_organisations_are_grouped_by_their_first_activity_with_the_country(
    everything: Project,
) -> None:
    pack = country_pack(everything, "KG")
    assert [group.sheet.id for group in pack.groups] == [SEED_SHEET, SAMPLE_SHEET]
    for group in pack.groups:
        dates = [(a.start, a.last_day) for a in group.activities]
        assert dates == sorted(dates)
    turkmenistan = country_pack(everything, "TM")
    assert [group.sheet.id for group in turkmenistan.groups] == [SEED_SHEET, SAMPLE_SHEET]


def test_summary_counts_years_organisations_and_host_cities(everything: Project) -> None:
    summary = country_pack(everything, "TM").summary
    assert summary.count == 5
    assert (summary.first_year, summary.last_year) == (2015, 2022)
    assert [s.id for s in summary.organisations] == [SEED_SHEET, SAMPLE_SHEET]
    assert [(c.names["en"], c.country) for c in summary.cities] == [
        ("Almaty", "KZ"), ("Ashgabat", "TM"), ("Astana", "KZ"), ("Turkmenbashi", "TM"),
        ("Samarkand", "UZ")]


def test_host_cities_are_listed_once(seed: Project) -> None:
    cities = [c.names["en"] for c in country_pack(seed, "KG").summary.cities]
    assert cities == ["Istanbul", "Sofia", "Nevsehir", "Ankara", "Tbilisi", "Islamabad",
                      "Budapest", "Almaty"]


def test_description_and_contacts_come_from_the_sheet(seed: Project) -> None:
    sheet = seed.sheets[SEED_SHEET]
    description = description_of(sheet)
    assert description is not None
    assert description.key == "description"
    assert [c.key for c in contacts_of(sheet)] == ["contact.secretariat"]


def test_participation_matrix_counts_each_country_by_year(seed: Project) -> None:
    matrix = participation(seed, "en")
    assert matrix["KG"] == {2010: 1, 2011: 3, 2012: 2, 2013: 3, 2014: 2, 2015: 2}
    assert sum(matrix["KG"].values()) == 13
    assert matrix["KZ"] == {2015: 2}
    assert years_of(seed.sheets[SEED_SHEET].activities()) == list(range(2010, 2016))


def test_printed_data_changes_only_with_what_the_pack_prints(everything: Project) -> None:
    sheet = everything.sheets[SAMPLE_SHEET]
    khujand = next(a for a in sheet.activities() if a.key == "activities.2019-05-khujand")
    assert set(khujand.countries) == {"TJ", "UZ"}
    edited_activity = khujand.model_copy(update={"text": {**khujand.text, "en": "Changed"}})
    sections = [s.model_copy(update={"blocks": [edited_activity if b is khujand else b
                                                for b in s.blocks]})
                for s in sheet.sections]
    edited = Project(everything.countries, {**everything.sheets,
                                            SAMPLE_SHEET: sheet.model_copy(
                                                update={"sections": sections})})
    for country in ("TJ", "UZ"):
        assert printed_data(country_pack(edited, country)) != printed_data(
            country_pack(everything, country)), country
    for country in ("KG", "KZ", "TM"):
        assert printed_data(country_pack(edited, country)) == printed_data(
            country_pack(everything, country)), country


LOCALES = {"en": "en_150", "ru": "ru"}


def _entries(project: Project, country: str) -> dict[str, ActivityEntry]:
    return {entry.activity.key: entry
            for part in pack_parts(country_pack(project, country), project, LOCALES)
            for entry in part.entries}


def test_the_headline_is_not_printed_twice(seed: Project) -> None:
    """The pack prints the date and place as the headline; the text then starts after them,
    in both languages, and only where they are the activity's own."""
    entry = _entries(seed, "KG")["activities.2010-11-istanbul"]
    assert entry.text == {
        "en": "participation of Kyrgyzstan and Tajikistan in the 16th Meeting of the "
              "Budapest Process Senior Officials",
        "ru": "участие Кыргызстана и Таджикистана в 16-м совещании Старших должностных лиц "
              "Будапештского процесса"}


def test_a_text_whose_opening_disagrees_with_the_data_is_printed_whole(
        seed: Project) -> None:
    sheet = seed.sheets[SEED_SHEET]
    activities = {a.key: a for a in sheet.activities()}
    moved = activities["activities.2010-11-istanbul"].model_copy(
        update={"start": activities["activities.2010-11-istanbul"].start.replace(day=4)})
    sections = [section.model_copy(update={"blocks": [
        moved if getattr(block, "key", "") == moved.key else block for block in section.blocks]})
        for section in sheet.sections]
    changed = Project(seed.countries, {
        **seed.sheets, SEED_SHEET: sheet.model_copy(update={"sections": sections})})
    entry = _entries(changed, "KG")["activities.2010-11-istanbul"]
    assert entry.text == dict(moved.text)


def test_participation_lists_countries_in_alphabetical_order_of_their_names(
        everything: Project) -> None:
    """Kazakhstan before Kyrgyzstan, Turkey before Turkmenistan: by name, not by ISO code;
    in Russian, as Russian sorts (Ё after Е), not by code point."""
    for lang in ("en", "ru"):
        names = [everything.country_name(code, lang) for code in participation(everything, lang)]
        assert len(names) == 10
        assert names == sorted(names, key=lambda name: name.replace("Ё", "Е\uffff")
                               .replace("ё", "е\uffff").casefold())
    english = [everything.country_name(code, "en") for code in participation(everything, "en")]
    assert english.index("Kazakhstan") < english.index("Kyrgyzstan")
    assert english.index("Turkey") < english.index("Turkmenistan")


def test_parts_know_their_place_and_whether_they_are_a_sample(everything: Project) -> None:
    parts = pack_parts(country_pack(everything, "KG"), everything, LOCALES)
    assert [(part.sheet.id, part.index, part.sample) for part in parts] == [
        (SEED_SHEET, 0, False), (SAMPLE_SHEET, 1, True)]


def test_the_briefing_counts_the_pack(everything: Project) -> None:
    pack = country_pack(everything, "KG")
    parts = pack_parts(pack, everything, LOCALES)
    briefing = pack_briefing(pack, parts, LOCALES, dt.date(2026, 3, 1))
    assert briefing.count == 20
    assert briefing.period == {"en": "3 November 2010 – 27 April 2022",
                               "ru": "3 ноября 2010\u202fг. – 27 апреля 2022\u202fг."}
    assert [(part.sheet.id, count) for part, count in briefing.by_organisation] == [
        (SEED_SHEET, 13), (SAMPLE_SHEET, 7)]
    activities = pack.activities
    assert (briefing.organised, briefing.participated) == (
        sum(a.role == "organised" for a in activities),
        sum(a.role == "participated" for a in activities))
    assert briefing.organised + briefing.participated == 20
    assert briefing.held_in_country == sum(a.host == "KG" for a in activities) == 2


def test_the_briefing_divides_latest_from_planned_at_the_build_date(
        everything: Project) -> None:
    pack = country_pack(everything, "KG")
    parts = pack_parts(pack, everything, LOCALES)
    late = pack_briefing(pack, parts, LOCALES, dt.date(2026, 3, 1))
    assert [item.entry.number for item in late.recent] == [20, 19, 18]
    assert late.planned == ()
    # On the day the 2015 Islamabad meeting began, it is among the latest, not planned.
    middle = pack_briefing(pack, parts, LOCALES, dt.date(2015, 6, 8))
    assert [item.entry.activity.key for item in middle.recent] == [
        "activities.2015-06-islamabad", "activities.2015-05-almaty",
        "activities.2014-06-budapest-south-east-europe"]
    assert [item.entry.activity.key for item in middle.planned] == [
        "activities.2016-03-almaty", "activities.2016-09-tashkent",
        "activities.2017-10-dushanbe"]
    assert {item.part.sheet.id for item in middle.planned} == {SAMPLE_SHEET}
    early = pack_briefing(pack, parts, LOCALES, dt.date(2000, 1, 1))
    assert early.recent == ()
    assert [item.entry.number for item in early.planned] == [1, 2, 3]


def test_the_briefing_has_a_contact_line_per_contact_block(everything: Project) -> None:
    pack = country_pack(everything, "KG")
    parts = pack_parts(pack, everything, LOCALES)
    lines = pack_briefing(pack, parts, LOCALES, dt.date(2026, 3, 1)).contacts
    assert [line.part.sheet.id for line in lines] == [SEED_SHEET, SAMPLE_SHEET]
    seed_line, sample_line = lines
    assert seed_line.details["en"] == "ICMPD, Budapest Process Secretariat, 1010 Vienna, Austria"
    assert [name for name, _ in seed_line.fields] == ["telephone", "email", "website"]
    # The sheet's own organisation is not repeated in its contact line.
    assert not sample_line.details["en"].startswith("Steppe Routes")


def test_a_pack_of_no_activities_has_an_empty_briefing(everything: Project) -> None:
    pack = country_pack(everything, "FR")
    briefing = pack_briefing(pack, pack_parts(pack, everything, LOCALES), LOCALES,
                             dt.date(2026, 3, 1))
    assert (briefing.count, briefing.period, briefing.recent, briefing.contacts) == (
        0, {}, (), ())
