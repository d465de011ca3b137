from __future__ import annotations

from pathlib import Path

import pytest

from briefing.core.load import load_project
from briefing.errors import DataError, UsageError
from tests.conftest import REPO

COUNTRIES = """\
KG:
  name: {en: Kyrgyzstan, ru: Кыргызстан}
TR:
  name: {en: Turkey, ru: Турция}
"""

SHEET = """\
id: demo
languages: [en, ru]
title: {en: Participant Information, ru: Информация участника}
organisation: {en: Demo, ru: Демо}
sections:
  - key: intro
    heading: {en: Intro, ru: Введение}
    blocks:
      - type: paragraph
        key: intro.text
        text: {en: Hello., ru: Привет.}
      - type: activity
        key: intro.meeting
        start: 2011-06-07
        end: 2011-06-08
        city: {en: Nevsehir, ru: Невсехир}
        host: TR
        participants: [KG]
        role: participated
        text: {en: "7-8 June 2011, Nevsehir", ru: "7-8 июня 2011 г., Невсехир"}
"""


def write_project(root: Path, sheet: str, countries: str = COUNTRIES) -> Path:
    (root / "data" / "sheets").mkdir(parents=True)
    (root / "data" / "countries.yaml").write_text(countries, encoding="utf-8")
    (root / "data" / "sheets" / "demo.yaml").write_text(sheet, encoding="utf-8")
    return root


def problems(tmp_path: Path, sheet: str, countries: str = COUNTRIES) -> list[str]:
    root = write_project(tmp_path, sheet, countries)
    with pytest.raises(DataError) as caught:
        load_project(root / "data", root)
    return caught.value.lines()


def test_a_valid_sheet_loads_into_the_model(tmp_path: Path) -> None:
    root = write_project(tmp_path, SHEET)
    loaded = load_project(root / "data", root)
    sheet = loaded.project.sheets["demo"]
    assert [u.key for u in sheet.units()] == [
        "title", "organisation", "intro", "intro.text", "intro.meeting"]
    activity = next(sheet.activities())
    assert activity.countries == ["TR", "KG"]
    assert str(activity.last_day) == "2011-06-08"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("        start: 2011-06-07\n", "        strat: 2011-06-07\n", [
            "data/sheets/demo.yaml:14:9: sections[0].blocks[1].strat: unknown key "
            "(did you mean 'start'?)",
        ]),
        ("start: 2011-06-07", "start: 2011-06-31", [
            "data/sheets/demo.yaml:14:16: sections[0].blocks[1].start: not a valid date: "
            "'2011-06-31' (day is out of range for month)",
        ]),
        ("start: 2011-06-07", "start: next week", [
            "data/sheets/demo.yaml:14:16: sections[0].blocks[1].start: not a valid ISO date "
            "(YYYY-MM-DD): 'next week'",
        ]),
        ("host: TR", "host: XX", [
            "data/sheets/demo.yaml:17:15: sections[0].blocks[1].host: unknown country code "
            "'XX' (not in countries.yaml)",
        ]),
        ("participants: [KG]", "participants: [kg]", [
            "data/sheets/demo.yaml:18:24: sections[0].blocks[1].participants[0]: not a country "
            "code: 'kg'; use the code KG (Kyrgyzstan)",
        ]),
        ("key: intro.meeting", "key: intro.text", [
            "data/sheets/demo.yaml:13:14: sections[0].blocks[1].key: duplicate key "
            "'intro.text' (first used on line 10); keys are unique in a sheet: give this one "
            "another",
        ]),
        ("role: participated", "role: attended", [
            "data/sheets/demo.yaml:19:15: sections[0].blocks[1].role: must be one of "
            "'organised' or 'participated', not 'attended'",
        ]),
        ("type: paragraph", "type: paragraf", [
            "data/sheets/demo.yaml:9:9: sections[0].blocks[0]: unknown block type 'paragraf'; "
            "expected one of 'title', 'paragraph', 'subheading', 'list', 'activity', 'contact'",
        ]),
        ("text: {en: Hello., ru: Привет.}", "text: {en: '', ru: ' '}", [
            "data/sheets/demo.yaml:11:15: sections[0].blocks[0].text: intro.text: has no text "
            "in any language; write it in en or ru",
        ]),
        ("text: {en: Hello., ru: Привет.}", "text: {en: Hello., de: Hallo.}", [
            "data/sheets/demo.yaml:11:28: sections[0].blocks[0].text.de: language 'de' is not "
            "one of the sheet's languages (en, ru); give the text in one of them",
        ]),
        ("text: {en: Hello., ru: Привет.}", "text: {en: 42, ru: Привет.}", [
            "data/sheets/demo.yaml:11:20: sections[0].blocks[0].text.en: YAML reads 42 as a "
            'number; put it in quotes to make it text: en: "42"',
        ]),
        ("end: 2011-06-08", "end: 2011-06-01", [
            "data/sheets/demo.yaml:15:14: sections[0].blocks[1].end: ends (2011-06-01) before "
            "it starts (2011-06-07)",
        ]),
        ("id: demo", "id: other", [
            "data/sheets/demo.yaml:1:5: id: sheet id 'other' differs from the file name "
            "'demo'; write id: demo, or name the file other.yaml",
        ]),
        ("key: intro.text", "key: Intro Text", [
            "data/sheets/demo.yaml:10:14: sections[0].blocks[0].key: not a valid key: use "
            "lower-case letters, digits, '-' and '.': 'Intro Text'; write key: intro-text",
        ]),
        ("languages: [en, ru]", "languages: [en, en]", [
            "data/sheets/demo.yaml:2:12: languages: the two languages must differ",
        ]),
        ("text: {en: Hello., ru: Привет.}", 'text: {en: "Bell \\a here", ru: Привет.}', [
            "data/sheets/demo.yaml:11:20: sections[0].blocks[0].text.en: contains the control "
            "character U+0007; remove it",
        ]),
        ("key: intro.text", "key: title", [
            "data/sheets/demo.yaml:10:14: sections[0].blocks[0].key: key 'title' is reserved "
            "for the sheet itself; choose another",
        ]),
    ],
)
def test_each_problem_has_one_exact_line(
    tmp_path: Path, old: str, new: str, expected: list[str]
) -> None:
    assert old in SHEET
    assert problems(tmp_path, SHEET.replace(old, new, 1)) == expected


def test_contact_field_keys_are_taken_even_for_absent_fields(tmp_path: Path) -> None:
    contact = ("      - type: contact\n        key: intro.c\n"
               "        organisation: {en: ICMPD, ru: МЦРМП}\n")
    sheet = SHEET.replace("key: intro.text", "key: intro.c.telephone") + contact
    assert problems(tmp_path, sheet) == [
        "data/sheets/demo.yaml:22:14: sections[0].blocks[2].key: duplicate key "
        "'intro.c.telephone' (first used on line 10); keys are unique in a sheet: give this "
        "one another",
    ]


def test_all_problems_of_all_files_are_reported_together(tmp_path: Path) -> None:
    sheet = SHEET.replace("host: TR", "host: XX").replace("role: participated", "role: x")
    countries = COUNTRIES.replace("TR:\n", "tr:\n")
    found = problems(tmp_path, sheet, countries)
    assert found == [
        "data/countries.yaml:3:1: tr: not an ISO 3166-1 alpha-2 country code (two capital "
        "letters): 'tr'",
        "data/sheets/demo.yaml:17:15: sections[0].blocks[1].host: unknown country code 'XX' "
        "(not in countries.yaml)",
        "data/sheets/demo.yaml:19:15: sections[0].blocks[1].role: must be one of 'organised' "
        "or 'participated', not 'x'",
    ]


def test_a_missing_language_is_allowed_while_it_awaits_translation(tmp_path: Path) -> None:
    root = write_project(tmp_path, SHEET.replace("text: {en: Hello., ru: Привет.}",
                                                 "text: {en: Hello.}"))
    sheet = load_project(root / "data", root).project.sheets["demo"]
    unit = next(unit for unit in sheet.units() if unit.key == "intro.text")
    assert unit.text("en") == "Hello."
    assert unit.text("ru") is None


def test_asking_for_an_unknown_sheet_names_the_sheets_there(tmp_path: Path) -> None:
    root = write_project(tmp_path, SHEET)
    (root / "data" / "sheets" / "other.yaml").write_text(SHEET.replace("id: demo", "id: other"),
                                                         encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        load_project(root / "data", root, ["nope", "demo", "gone"])
    assert caught.value.lines() == [
        "Error: no sheet named 'gone', 'nope' in data/sheets/; its sheets: demo, other"]


def test_asking_for_a_sheet_where_there_is_none(tmp_path: Path) -> None:
    root = write_project(tmp_path, SHEET)
    (root / "data" / "sheets" / "demo.yaml").unlink()
    with pytest.raises(UsageError) as caught:
        load_project(root / "data", root, ["demo"])
    assert caught.value.lines() == [
        "Error: no sheet named 'demo' in data/sheets/; it holds no sheet yet"]


def test_the_seed_data_is_valid() -> None:
    repo = REPO
    loaded = load_project(repo / "data", repo, ["budapest-process"])
    sheet = loaded.project.sheets["budapest-process"]
    assert len(list(sheet.activities())) == 15
    assert all(unit.text(lang) for unit in sheet.units() for lang in sheet.languages)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("host: TR", "host: Kyrgyzstan",
         "17:15: sections[0].blocks[1].host: not a country code: 'Kyrgyzstan'; use the code KG "
         "(Kyrgyzstan)"),
        ("host: TR", "host: Кыргызстане",
         "17:15: sections[0].blocks[1].host: not a country code: 'Кыргызстане'; use the code KG "
         "(Kyrgyzstan)"),
        ("host: TR", "host: Kyrgyz Republic",
         "17:15: sections[0].blocks[1].host: not a country code: 'Kyrgyz Republic'; use the code "
         "KG (Kyrgyzstan)"),
        ("host: TR", "host: Kyrgystan",
         "17:15: sections[0].blocks[1].host: not a country code: 'Kyrgystan'; use the code KG "
         "(Kyrgyzstan)"),
        ("host: TR", "host: Atlantis",
         "17:15: sections[0].blocks[1].host: not a country code: 'Atlantis'; use the country's "
         "two-letter code from countries.yaml"),
        ("host: TR", "host: NO",
         '17:15: sections[0].blocks[1].host: YAML reads NO as false; put it in quotes to make it '
         'text: host: "NO"'),
        ("participants: [KG]", "participants: [KG, no]",
         '18:28: sections[0].blocks[1].participants[1]: YAML reads no as false; put it in quotes '
         'to make it text: "no"'),
        ("participants: [KG]", "participants: KG",
         "18:23: sections[0].blocks[1].participants: expected a list, got text; write it in "
         "brackets: participants: [KG]"),
        ("start: 2011-06-07", "start: 7 June 2011",
         "14:16: sections[0].blocks[1].start: not an ISO date: '7 June 2011'; write "
         "start: 2011-06-07"),
        ("start: 2011-06-07", "start: 2011-6-7",
         "14:16: sections[0].blocks[1].start: not an ISO date: '2011-6-7'; write "
         "start: 2011-06-07"),
        ("start: 2011-06-07", "start: 07.06.2011",
         "14:16: sections[0].blocks[1].start: not an ISO date: '07.06.2011'; write "
         "start: 2011-06-07"),
        ("text: {en: Hello., ru: Привет.}", "text: {EN: Hello., ru: Привет.}",
         "11:20: sections[0].blocks[0].text.EN: not a language code (two or three lower-case "
         "letters): 'EN'; write en:"),
        ("languages: [en, ru]", "languages: [en]",
         "2:12: languages: a sheet has two languages, the left column's first: write "
         "languages: [en, ru]"),
        ("languages: [en, ru]", "languages: [EN, ru]",
         "2:13: languages[0]: not a language code (two or three lower-case letters): 'EN'; "
         "write en"),
        ("id: demo", "id: Demo Sheet",
         "1:5: id: sheet id 'Demo Sheet' differs from the file name 'demo'; write id: demo"),
        ("key: intro.meeting", "key: intro.Meeting 2011",
         "13:14: sections[0].blocks[1].key: not a valid key: use lower-case letters, digits, "
         "'-' and '.': 'intro.Meeting 2011'; write key: intro.meeting-2011"),
        ("text: {en: Hello., ru: Привет.}", "text: Hello.",
         '11:15: sections[0].blocks[0].text: a text is given per language; write '
         'text: {en: "Hello."}'),
        ("text: {en: Hello., ru: Привет.}", "text: {en: 2011-06-07, ru: Привет.}",
         '11:20: sections[0].blocks[0].text.en: YAML reads 2011-06-07 as a date; put it in '
         'quotes to make it text: en: "2011-06-07"'),
        ("text: {en: Hello., ru: Привет.}", "text: {en: yes, ru: Привет.}",
         '11:20: sections[0].blocks[0].text.en: YAML reads yes as true; put it in quotes to '
         'make it text: en: "yes"'),
        ("text: {en: Hello., ru: Привет.}", "text: {en: , ru: Привет.}",
         '11:20: sections[0].blocks[0].text.en: no value; write it after "en:" (or leave it out '
         'while it awaits translation)'),
        ("        key: intro.text\n", "        key: intro.text\n        colour: red\n",
         "11:9: sections[0].blocks[0].colour: unknown key; the keys here are key, text, ignore"),
        ("      - type: paragraph\n        key: intro.text\n", "      - key: intro.text\n",
         "9:9: sections[0].blocks[0]: block has no 'type'; add one of: title, paragraph, "
         "subheading, list, activity, contact"),
        ("        text: {en: Hello., ru: Привет.}\n",
         "        text:\n\ten: Hello.\n",
         "12:1: a tab indents this line; indent with spaces, not tabs"),
        ("        text: {en: Hello., ru: Привет.}\n",
         "        text:\n          en: Hello: world\n          ru: Привет.\n",
         '12:20: malformed YAML: a text holding ": " must be in quotes: en: "Hello: world"'),
    ],
)
def test_each_mistake_is_one_line_saying_what_to_write(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in SHEET
    countries = COUNTRIES.replace(
        "  name: {en: Kyrgyzstan, ru: Кыргызстан}\n",
        "  name: {en: Kyrgyzstan, ru: Кыргызстан}\n"
        "  forms: {en: [Kyrgyzstan, Kyrgyz Republic], ru: [Кыргызстан, Кыргызстане]}\n")
    assert problems(tmp_path, SHEET.replace(old, new, 1), countries) == \
        [f"data/sheets/demo.yaml:{expected}"]


def test_an_unquoted_telephone_number_is_shown_quoted(tmp_path: Path) -> None:
    contact = ("      - type: contact\n        key: intro.c\n"
               "        organisation: {en: ICMPD, ru: МЦРМП}\n"
               "        telephone: +996312123456\n")
    assert problems(tmp_path, SHEET + contact) == [
        'data/sheets/demo.yaml:24:20: sections[0].blocks[2].telephone: YAML reads '
        '+996312123456 as a number; put it in quotes to make it text: '
        'telephone: "+996312123456"']


def test_a_sheet_file_from_elsewhere_is_read_with_the_projects_countries(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", SHEET)
    outside = tmp_path / "mail" / "arrived.yaml"
    outside.parent.mkdir()
    outside.write_text(SHEET.replace("id: demo", "id: arrived").replace("host: TR", "host: XX"),
                       encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_project(root / "data", root, [], files=[outside])
    assert caught.value.lines() == [
        f"{outside}:17:15: sections[0].blocks[1].host: unknown country code 'XX' (not in "
        "countries.yaml)"]
    outside.write_text(SHEET.replace("id: demo", "id: arrived"), encoding="utf-8")
    loaded = load_project(root / "data", root, [], files=[outside])
    assert list(loaded.project.sheets) == ["arrived"]
    assert loaded.files == {"arrived": outside}
