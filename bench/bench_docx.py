"""Time of the DOCX round trip, in this process, against the sheet's own validation.

Prints medians over ``--runs`` runs of: loading and validating the data (the
baseline, ``load_project``), writing the sheet DOCX (``render_docx``), reading it
back (``read_docx``), a whole ``import-docx --dry-run`` of one edited cell
(``import_docx``: read, compare, edit and validate the YAML, not write it),
writing the review copy (``render_review``), and — once,
as a fresh process — LibreOffice's DOCX → DOCX re-save, which is what the
round-trip tests pay per ``soffice`` run.

    .venv/bin/python bench/bench_docx.py [--runs 20]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from timing import median_ms  # noqa: E402

from briefing.core.load import load_project  # noqa: E402
from briefing.paged.render import Renderer  # noqa: E402
from briefing.word.merge import ImportOptions, import_docx  # noqa: E402
from briefing.word.read import read_docx  # noqa: E402
from briefing.word.review import render_review  # noqa: E402
from briefing.word.sheet import render_docx  # noqa: E402
from tests.docx_helpers import replace_in_cell  # noqa: E402

SHEET = "budapest-process"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    data = REPO / "data"
    sheet = load_project(data, REPO, [SHEET]).project.sheets[SHEET]
    labels = Renderer(REPO / "templates").labels_for(sheet.languages)
    content = render_docx(sheet, labels, draft=False)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        edited = work / "edited.docx"
        edited.write_bytes(replace_in_cell(content, 2, 1, "участника", "участников"))
        baseline = median_ms(lambda: load_project(data, REPO, [SHEET]), runs)
        write = median_ms(lambda: render_docx(sheet, labels, draft=False), runs)
        read = median_ms(lambda: read_docx(content, "x.docx"), runs)
        whole = median_ms(lambda: import_docx(edited, data, REPO, ImportOptions(dry_run=True)),
                          runs)
        review = median_ms(lambda: render_review(sheet, "ru"), runs)
        print(f"sheet {SHEET}: {len(content)} bytes of DOCX, {runs} runs (medians)")
        print(f"validation (load_project):     {baseline:7.1f} ms")
        print(f"write DOCX (render_docx):      {write:7.1f} ms  ({write / baseline:.2f}x)")
        print(f"read DOCX (read_docx):         {read:7.1f} ms  ({read / baseline:.2f}x)")
        print(f"import --dry-run, one change:  {whole:7.1f} ms  ({whole / baseline:.2f}x)")
        print(f"review copy (render_review):   {review:7.1f} ms  ({review / baseline:.2f}x)")
        if shutil.which("soffice"):
            source = work / "sheet.docx"
            source.write_bytes(content)
            start = time.perf_counter()
            subprocess.run(["soffice", f"-env:UserInstallation={(work / 'p').as_uri()}",
                            "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir",
                            str(work / "out"), str(source)], check=True, capture_output=True)
            resave = (time.perf_counter() - start) * 1000
            print(f"LibreOffice re-save (1 run):   {resave:7.1f} ms  ({resave / baseline:.0f}x)")


if __name__ == "__main__":
    main()
