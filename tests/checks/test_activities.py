"""Rule activity-unlisted-country: a country an activity's text names is its host or a
participant, or the country's pack misses the activity."""

from __future__ import annotations

from pathlib import Path

from briefing.checks import check_project
from tests.checks_support import activity, findings, hits, paragraph
from tests.conftest import EXAMPLES, REPO

RULE = "activity-unlisted-country"


def test_a_country_named_but_not_listed_is_reported_once_on_the_first_text_naming_it(
    tmp_path: Path,
) -> None:
    found = hits(
        tmp_path, RULE,
        activity("19-20 May 2015, Almaty, Kazakhstan: organisation of a meeting on "
                 "Kyrgyzstan, Tajikistan and Uzbekistan",
                 "19-20 мая 2015 г., Алматы, Казахстан: организация совещания по "
                 "Таджикистану, Узбекистану и Туркменистану",
                 "2015-05-19", "2015-05-20", participants=("TJ",)),
    )
    assert found == [
        "s.a.en: Kyrgyzstan (KG) is named in en but is neither the host nor a participant",
        "s.a.en: Uzbekistan (UZ) is named in en and ru but is neither the host nor a "
        "participant",
        "s.a.ru: Turkmenistan (TM) is named in ru but is neither the host nor a participant",
    ]


def test_host_and_participants_in_any_form_are_not_reported(tmp_path: Path) -> None:
    assert hits(
        tmp_path, RULE,
        activity("7-8 June 2011, Nevsehir, Türkiye: participation of the Kyrgyz Republic and "
                 "Tajikistan",
                 "7-8 июня 2011 г., Невсехир, Турция: участие Киргизии и Таджикистана",
                 "2011-06-07", "2011-06-08", host="TR", participants=("KG", "TJ")),
        # The host named again after the colon is still the host.
        activity("22 May 2019, Khujand, Tajikistan: participation in a meeting of services of "
                 "Tajikistan and Uzbekistan",
                 "22 мая 2019 г., Худжанд, Таджикистан: участие во встрече служб "
                 "Таджикистана и Узбекистана", "2019-05-22", host="TJ", participants=("UZ",),
                 key="s.b"),
        # Not a country: the bird, an adjective.
        activity("19 May 2015, Almaty, Kazakhstan: organisation of a Kyrgyz dinner with turkey",
                 "19 мая 2015 г., Алматы, Казахстан: организация ужина", "2015-05-19",
                 key="s.c"),
    ) == []


def test_only_activities_are_checked(tmp_path: Path) -> None:
    assert hits(tmp_path, RULE, paragraph("Kyrgyzstan and Tajikistan",
                                          "Кыргызстан и Таджикистан")) == []


def test_an_empty_language_is_not_read(tmp_path: Path) -> None:
    block = activity("19 May 2015, Almaty, Kazakhstan: organisation, Kyrgyzstan", "",
                     "2015-05-19")
    block["text"] = {"en": block["text"]["en"]}
    assert hits(tmp_path, RULE, block) == [
        "s.a.en: Kyrgyzstan (KG) is named in en but is neither the host nor a participant"]


def test_an_ignore_entry_silences_a_mere_mention(tmp_path: Path) -> None:
    block = activity("19 May 2015, Almaty, Kazakhstan: organisation of a meeting on the "
                     "Istanbul Declaration adopted in Turkey",
                     "19 мая 2015 г., Алматы, Казахстан: организация совещания по Стамбульской "
                     "декларации, принятой в Турции", "2015-05-19")
    block["ignore"] = [{"rule": RULE, "reason": "Turkey is where the declaration was adopted"}]
    assert [f.rule for f in findings(tmp_path, block)] == []


def test_the_seed_and_the_sample_list_every_country_their_activities_name() -> None:
    for data in (REPO / "data", EXAMPLES):
        result = check_project(data, REPO)
        assert [str(f) for f in result.findings if f.rule == RULE] == []


def test_the_seed_almaty_meeting_without_its_participants_names_four_unlisted_countries(
    project: Path,
) -> None:
    sheet = project / "data" / "sheets" / "budapest-process.yaml"
    text = sheet.read_text(encoding="utf-8")
    listed = "participants: [KG, TJ, TM, UZ]"
    assert text.count(listed) == 1
    sheet.write_text(text.replace(listed, "participants: []"), encoding="utf-8")
    result = check_project(project / "data", project, ["budapest-process"])
    assert [f"{f.key_path}: {f.message}" for f in result.findings if f.rule == RULE] == [
        f"activities.2015-05-almaty.en: {name} is named in en{also} but is neither the host "
        "nor a participant"
        for name, also in (("Kyrgyzstan (KG)", ""), ("Tajikistan (TJ)", " and ru"),
                           ("Turkmenistan (TM)", " and ru"), ("Uzbekistan (UZ)", " and ru"))]
