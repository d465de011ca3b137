"""``list``: the sheets and the countries of the data, in aligned columns.

Read with :func:`~briefing.core.load.read_project`, so one file that does not
validate does not hide the others: it is listed with a pointer to ``check``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .load import COUNTRIES_FILE, SHEETS_DIR, LoadedProject, display_name
from .model import Activity, Sheet

NOT_VALID = "(does not validate; run check)"


def missing_translations(sheet: Sheet) -> int:
    """Units lacking a text in one of the sheet's languages (an activity's city included)."""
    count = 0
    for unit in sheet.units():
        texts = [unit.texts]
        if isinstance(unit.source, Activity):
            texts.append(unit.source.city)
        if any(not (each.get(lang) or "").strip() for each in texts for lang in sheet.languages):
            count += 1
    return count


def listing(loaded: LoadedProject, data_dir: Path, root: Path) -> list[str]:
    """The lines ``list`` prints: sheets, then countries, each a table with a header."""
    project = loaded.project
    sheet_rows = []
    for path in sorted((data_dir / SHEETS_DIR).glob("*.yaml")):
        sheet = project.sheets.get(path.stem)
        if sheet is None:
            sheet_rows.append((path.stem, NOT_VALID, "-", "-"))
            continue
        left = sheet.languages[0]
        name = sheet.organisation.get(left) or next(iter(sheet.organisation.values()), "")
        sheet_rows.append((sheet.id, name, " ".join(sheet.languages),
                           str(missing_translations(sheet))))
    lines = [f"{len(sheet_rows)} sheet(s)"]
    lines += aligned([("id", "organisation", "languages", "missing translations"),
                      *sheet_rows])
    lines.append("")
    countries = project.countries
    if countries:
        lines.append(f"{len(countries)} countries")
        lines += aligned([("code", "name"),
                          *((code, country.name.get("en") or next(iter(country.name.values())))
                            for code, country in sorted(countries.items()))])
    else:
        lines.append(f"countries: {display_name(data_dir / COUNTRIES_FILE, root)} {NOT_VALID}")
    return lines


def aligned(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows as lines, each column as wide as its widest cell, two spaces apart."""
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            .rstrip() for row in rows]
