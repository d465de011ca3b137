"""Rules wrong-language, wrong-script and mixed-script."""

from __future__ import annotations

from pathlib import Path

from tests.checks_support import hits, paragraph


def test_a_heading_in_the_other_columns_language_is_reported(tmp_path: Path) -> None:
    found = hits(tmp_path, "wrong-language", heading=("Контактная информация",
                                                      "Контактная информация"))
    assert found == ["s.en: heading “Контактная информация” is in Cyrillic script, not the "
                     "Latin of en (it is the ru text, left in the en column)"]


def test_latin_only_text_in_the_russian_column_is_reported(tmp_path: Path) -> None:
    found = hits(tmp_path, "wrong-language",
                 paragraph("Budapest Process Secretariat", "Budapest Process Secretariat"),
                 paragraph("ICMPD", "ICMPD", key="s.acronym"),
                 paragraph("Facebook page", "Facebook", key="s.name"))
    assert found == ["s.p.ru: text “Budapest Process Secretariat” is in Latin script, not the "
                     "Cyrillic of ru (it is the en text, left in the ru column)"]


def test_words_in_the_wrong_script_are_reported_beyond_names_and_acronyms(tmp_path: Path) -> None:
    found = hits(
        tmp_path, "wrong-script",
        paragraph("The secretariat is ICMPD.", "Секретариатом является meeting ICMPD."),
        paragraph("See www.icmpd.org, write to info@icmpd.org, follow us on Facebook, EU, CIS.",
                  "См. www.icmpd.org, пишите на info@icmpd.org, Facebook, ЕС, СНГ, Silk Routes I.",
                  key="s.fine"),
        paragraph("The Секретариат of the process.", "Секретариат процесса.", key="s.cyr"),
    )
    assert found == [
        "s.p.ru: Latin word(s) in the ru text (Cyrillic expected): “meeting”",
        "s.cyr.en: Cyrillic word(s) in the en text (Latin expected): “Секретариат”",
    ]


def test_a_word_mixing_scripts_is_reported(tmp_path: Path) -> None:
    # "Кыргызстaн" with a Latin a (U+0061) in the middle of Cyrillic letters.
    found = hits(tmp_path, "mixed-script",
                 paragraph("Kyrgyzstan", "Кыргызстaн"),
                 paragraph("ICMPD project", "ICMPD-проект", key="s.hyphen"))
    assert found == ["s.p.ru: word “Кыргызстaн” mixes Cyrillic and Latin letters "
                     "(Latin 'a' U+0061)"]
