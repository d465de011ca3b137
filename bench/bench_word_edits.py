"""Importing a sheet DOCX that a member organisation edited heavily, against writing it.

A synthetic sheet with ``--activities`` activities (the seed's sheet with its activity
section replaced) is written as DOCX; then, as Word would, ``--added`` activity rows are
added (copies of existing rows, retyped) and ``--deleted`` rows deleted. Prints medians
over ``--runs`` runs, in this process, of writing the DOCX (``render_docx``, the
baseline) and of ``import-docx --dry-run --allow-delete`` of the edited file (read,
match rows, read the new activities' fields, arrange the YAML, validate it), and their
ratio.

    .venv/bin/python bench/bench_word_edits.py [--activities 60 --added 10 --deleted 5 --runs 10]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import io
import shutil
import sys
import tempfile
from pathlib import Path

import docx
from babel.dates import get_month_names

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from timing import median_ms  # noqa: E402

from briefing.core.load import load_project  # noqa: E402
from briefing.core.yamledit import YamlEditor  # noqa: E402
from briefing.paged.render import Renderer  # noqa: E402
from briefing.word.merge import ImportOptions, import_docx  # noqa: E402
from briefing.word.sheet import render_docx  # noqa: E402
from tests.docx_helpers import W  # noqa: E402

SHEET = "budapest-process"
#: city, host code, city and country in Russian (the participant is always Tajikistan).
PLACES = [("Tashkent", "UZ", "Ташкент", "Узбекистан"), ("Bishkek", "KG", "Бишкек", "Кыргызстан"),
          ("Almaty", "KZ", "Алматы", "Казахстан"), ("Ankara", "TR", "Анкара", "Турция"),
          ("Sofia", "BG", "София", "Болгария")]
COUNTRY_EN = {"UZ": "Uzbekistan", "KG": "Kyrgyzstan", "KZ": "Kazakhstan", "TR": "Turkey",
              "BG": "Bulgaria"}


def activity_texts(number: int) -> dict[str, object]:
    """A plausible activity, as the sheets print them, numbered to be unique."""
    city, host, city_ru, country_ru = PLACES[number % len(PLACES)]
    start = dt.date(2016 + number // 12, number % 12 + 1, 10)
    month_en = get_month_names("wide", locale="en")[start.month]
    month_ru = get_month_names("wide", locale="ru")[start.month]
    return {
        "type": "activity", "key": f"activities.bench-{number}", "start": start,
        "end": start + dt.timedelta(days=1), "city": {"en": city, "ru": city_ru},
        "host": host, "participants": ["TJ"], "role": "participated",
        "text": {"en": f"10-11 {month_en} {start.year}, {city}, {COUNTRY_EN[host]}: "
                       f"participation of Tajikistan in working meeting number {number}",
                 "ru": f"10-11 {month_ru} {start.year} г., {city_ru}, {country_ru}: участие "
                       f"Таджикистана в рабочем совещании номер {number}"},
    }


def make_project(root: Path, activities: int) -> None:
    for name in ("data", "templates"):
        shutil.copytree(REPO / name, root / name)
    sheet_file = root / "data" / "sheets" / f"{SHEET}.yaml"
    editor = YamlEditor(sheet_file.read_text(encoding="utf-8"), sheet_file.name)
    editor.arrange(("sections", 1, "blocks"), [activity_texts(n) for n in range(activities)],
                   flow=("city",))
    sheet_file.write_text(editor.text(), encoding="utf-8")


def edit_as_word_would(content: bytes, added: int, deleted: int, activities: int) -> bytes:
    document = docx.Document(io.BytesIO(content))
    rows = document.tables[0]._tbl.findall(f"{W}tr")
    first = next(index for index, tr in enumerate(rows)
                 if "working meeting number 0" in "".join(t.text or "" for t in tr.iter(f"{W}t")))
    activity_rows = rows[first:first + activities]
    for number in range(added):
        source = activity_rows[number * 2]
        duplicate = copy.deepcopy(source)
        texts = activity_texts(activities + number)["text"]
        assert isinstance(texts, dict)
        for tc, lang in zip(duplicate.findall(f"{W}tc"), ("en", "ru"), strict=True):
            runs = list(tc.iter(f"{W}t"))
            runs[0].text = texts[lang]
            for other in runs[1:]:
                other.text = ""
        source.addnext(duplicate)
    table = document.tables[0]._tbl
    for tr in activity_rows[-deleted:] if deleted else []:
        table.remove(tr)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=60)
    parser.add_argument("--added", type=int, default=10)
    parser.add_argument("--deleted", type=int, default=5)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        make_project(root, args.activities)
        sheet = load_project(root / "data", root, [SHEET]).project.sheets[SHEET]
        labels = Renderer(root / "templates").labels_for(sheet.languages)
        content = render_docx(sheet, labels, draft=False)
        edited = root / "edited.docx"
        edited.write_bytes(edit_as_word_would(content, args.added, args.deleted,
                                              args.activities))
        options = ImportOptions(dry_run=True, allow_delete=True)
        report = import_docx(edited, root / "data", root, options)
        added = sum(1 for change in report.changes if "new activity" in change.new)
        gone = sum(1 for change in report.changes if change.new.startswith("deleted"))
        if (added, gone) != (args.added, args.deleted):
            sys.exit(f"the import saw {added} added and {gone} deleted rows, not "
                     f"{args.added} and {args.deleted}: {report.changes[:3]}")
        write = median_ms(lambda: render_docx(sheet, labels, draft=False), args.runs)
        whole = median_ms(lambda: import_docx(edited, root / "data", root, options), args.runs)
    print(f"sheet with {args.activities} activities; DOCX edited: {args.added} rows added, "
          f"{args.deleted} deleted; {args.runs} runs (medians)")
    print(f"write the DOCX (render_docx)               {write:7.1f} ms")
    print(f"import it (--dry-run --allow-delete)       {whole:7.1f} ms  "
          f"({whole / write:.2f}x writing)")


if __name__ == "__main__":
    main()
