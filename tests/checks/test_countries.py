"""Rules country-mismatch and activity-country."""

from __future__ import annotations

from pathlib import Path

from tests.checks_support import activity, hits, paragraph


def test_a_country_named_in_one_language_only_is_reported(tmp_path: Path) -> None:
    found = hits(tmp_path, "country-mismatch",
                 paragraph("Afghanistan, Bangladesh, Iran, Iraq and Pakistan",
                           "Афганистан, Бангладеш, Ирак, Иран, Китай и Пакистан"))
    assert found == ["s.p.en: China (CN) is named in ru but not in en"]


def test_countries_in_any_case_form_match_and_common_words_do_not(tmp_path: Path) -> None:
    found = hits(
        tmp_path, "country-mismatch",
        paragraph("participation of Kyrgyzstan and Tajikistan in Turkey",
                  "участие Кыргызстана и Таджикистана в Турции"),
        paragraph("a Kyrgyz delegation ate turkey", "делегация съела индейку", key="s.q"),
        paragraph("The Kyrgyz Republic", "Киргизия", key="s.r"),
    )
    assert found == []


def test_an_activitys_own_countries_must_be_named_in_both_texts(tmp_path: Path) -> None:
    found = hits(
        tmp_path, "activity-country",
        activity("9-10 December 2013, Istanbul: participation of Kyrgyzstan",
                 "9-10 декабря 2013 г., Стамбул, Турция: участие Кыргызстана",
                 "2013-12-09", "2013-12-10", host="TR", participants=("KG",)),
        activity("Almaty, Kazakhstan: Kyrgyzstan and Tajikistan",
                 "Алматы, Казахстан: Кыргызстан", "2015-05-19", key="s.b",
                 participants=("KG", "TJ")),
    )
    assert found == ["s.a.en: host Turkey (TR) is not named in en",
                     "s.b.ru: participant Tajikistan (TJ) is not named in ru"]
    # Each is one finding: the country-mismatch rule does not repeat it.
    assert hits(tmp_path, "country-mismatch",
                activity("Istanbul: Kyrgyzstan", "Стамбул, Турция: Кыргызстан", "2013-12-09",
                         host="TR", participants=("KG",))) == []


def test_an_activity_naming_its_countries_is_not_reported(tmp_path: Path) -> None:
    found = hits(tmp_path, "activity-country",
                 activity("Almaty, Kazakhstan: participation of Kyrgyzstan",
                          "Алматы, Казахстан: участие Кыргызской Республики", "2015-05-19",
                          participants=("KG",)))
    assert found == []
