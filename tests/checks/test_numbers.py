"""Rules number-mismatch and date-mismatch."""

from __future__ import annotations

from pathlib import Path

from tests.checks_support import activity, hits, paragraph


def test_a_number_missing_on_one_side_is_reported(tmp_path: Path) -> None:
    found = hits(tmp_path, "number-mismatch",
                 paragraph("over 50 governments and 10 organisations since 2006",
                           "более 50 правительств и 12 организаций с 2006 г."))
    assert found == ["s.p.en: number 12 in ru has no counterpart in en",
                     "s.p.ru: number 10 in en has no counterpart in ru"]


def test_numbers_written_differently_but_equal_are_not_reported(tmp_path: Path) -> None:
    pairs = [
        ("In 2014-2017 the project", "В 2014-2017 гг. проект"),
        ("In 2014-17 the project", "В 2014-2017 гг. проект"),
        ("officials from 20 to 40 countries", "лицами из 20-40 стран"),
        ("the 3rd meeting and the 21st meeting", "3-го совещания и 21-го совещания"),
        ("more than 20 years", "более чем 20-летнюю"),
        ("1,500.5 euro", "1 500,5 евро"),
        ("three working groups", "3 рабочие группы"),
        ("the 5th Ministerial Conference", "пятой Министерской конференции"),
        ("the 2nd meeting", "второе совещание"),
        ("Silk Routes I", "Шелковый путь I"),
        ("Phone +43 1 504 4677 0", "Телефон +43 1 504 4677 0"),
    ]
    blocks = [paragraph(en, ru, key=f"s.p{index}") for index, (en, ru) in enumerate(pairs)]
    assert hits(tmp_path, "number-mismatch", *blocks) == []


def test_dates_that_disagree_with_the_activity_are_reported(tmp_path: Path) -> None:
    found = hits(
        tmp_path, "date-mismatch",
        activity("19-21 May 2015, Almaty, Kazakhstan: meeting",
                 "19-20 мая 2015 г., Алматы, Казахстан: совещание", "2015-05-19", "2015-05-20"),
        activity("3 November 2011, Almaty, Kazakhstan: meeting",
                 "3 ноября 2010 г., Алматы, Казахстан: совещание", "2010-11-03", key="s.b"),
        activity("31 June 2012, Almaty, Kazakhstan: meeting",
                 "30 июня 2012 г., Алматы, Казахстан: совещание", "2012-06-30", key="s.c"),
    )
    assert found == [
        "s.a.en: en text gives “19-21 May 2015”, but the activity runs from 2015-05-19 "
        "to 2015-05-20",
        "s.b.en: en text gives “3 November 2011”, but the activity is on 2010-11-03",
        "s.c.en: en text gives “31 June 2012”, which is not a valid date",
    ]


def test_dates_in_their_usual_forms_agree(tmp_path: Path) -> None:
    blocks = [
        activity("28 - 29 June 2012, Tbilisi, Kazakhstan", "28-29 июня 2012 г., Казахстан",
                 "2012-06-28", "2012-06-29", key="s.a"),
        activity("30 June – 1 July 2015, Kazakhstan", "30 июня – 1 июля 2015 г., Казахстан",
                 "2015-06-30", "2015-07-01", key="s.b"),
        activity("May 19-20, 2015, Kazakhstan", "19—20 мая 2015 г., Казахстан",
                 "2015-05-19", "2015-05-20", key="s.c"),
        activity("3 Nov. 2010, Kazakhstan, follow-up of 1 March 2009",
                 "3 ноября 2010 г., Казахстан, по итогам 1 марта 2009 г.", "2010-11-03",
                 key="s.d"),
    ]
    assert hits(tmp_path, "date-mismatch", *blocks) == []
