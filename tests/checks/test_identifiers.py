"""Rule identifier-mismatch: e-mail addresses, URLs and telephone numbers."""

from __future__ import annotations

from pathlib import Path

from tests.checks_support import hits, paragraph


def test_addresses_that_differ_or_are_missing_are_reported(tmp_path: Path) -> None:
    found = hits(
        tmp_path, "identifier-mismatch",
        paragraph("Write to info@icmpd.org.", "Пишите на info@icmpd.ru."),
        paragraph("See www.budapestprocess.org", "См. сайт процесса", key="s.url"),
        paragraph("Call +43 1 504 4677 0", "Звоните +43 1 504 4677 1", key="s.phone"),
    )
    assert found == [
        "s.p.ru: e-mail address info@icmpd.org in en differs from info@icmpd.ru in ru",
        "s.url.ru: URL www.budapestprocess.org in en is not in ru",
        "s.phone.ru: telephone number +43 1 504 4677 0 in en differs from +43 1 504 4677 1 in ru",
    ]


def test_the_same_addresses_however_cased_or_spaced_are_not_reported(tmp_path: Path) -> None:
    found = hits(
        tmp_path, "identifier-mismatch",
        paragraph("Write to Info@ICMPD.org.", "Пишите на info@icmpd.org."),
        paragraph("See www.budapestprocess.org/.", "См. www.budapestprocess.org", key="s.url"),
        paragraph("Call +43 1 504 4677 0", "Звоните +43 (1) 504-4677-0", key="s.phone"),
    )
    assert found == []
