"""The command line as a user meets it: exit codes, one line per problem, nothing lost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_runner import run
from tests.conftest import REPO, SEED_SHEET
from tests.pdftext import column_text, pages


def test_generate_py_documents_every_command() -> None:
    result = subprocess.run([sys.executable, str(REPO / "generate.py"), "--help"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "usage: briefing" in result.stdout
    for word in ("build", "--draft", "--output", "--sheet"):
        assert word in result.stdout


def test_unknown_option_is_a_usage_error() -> None:
    code, _, err = run(None, "--no-such-option")
    assert code == 2
    assert err == "Error: unrecognized arguments: --no-such-option (see --help)\n"


def test_missing_data_folder_is_named(tmp_path: Path) -> None:
    code, _, err = run(None, "--root", str(tmp_path))
    assert code == 2
    assert err == f"Error: no data/ folder in {tmp_path}; pass the project folder to --root\n"


def test_root_is_found_from_a_subfolder(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project / "data" / "sheets")
    code, out, err = run(None, "check")
    assert (code, err) == (0, "")
    assert out.endswith("1 sheet checked: 0 errors, 6 warnings (activity-country 2, "
                        "country-mismatch 1, double-space 1, term-mismatch 1, "
                        "wrong-language 1)\n")


def test_outside_a_project_says_how_to_name_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(None, "check")
    assert code == 2
    assert err == (f"Error: no project here: neither {tmp_path} nor a folder above it holds "
                   "data/ and templates/; run inside the project or pass --root DIR\n")


def test_root_is_accepted_after_the_command(project: Path) -> None:
    code, out, _ = run(None, "check", "--root", str(project))
    assert code == 0
    assert out.endswith("6 warnings (activity-country 2, country-mismatch 1, double-space 1, "
                        "term-mismatch 1, wrong-language 1)\n")


def test_validation_problems_one_line_each_exit_1_no_traceback(
    project: Path, sheet_file: Path
) -> None:
    text = sheet_file.read_text(encoding="utf-8")
    text = text.replace("        host: TR\n", "        host: XX\n", 1)
    text = text.replace("        role: organised\n", "        role: organized\n", 1)
    sheet_file.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(REPO / "generate.py"), "--root", str(project), "build"],
        capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("data/sheets/budapest-process.yaml:")
    assert lines[0].endswith(": sections[1].blocks[0].role: must be one of 'organised' or "
                             "'participated', not 'organized'")
    assert lines[1].endswith(": sections[1].blocks[1].host: unknown country code 'XX' "
                             "(not in countries.yaml)")


@pytest.fixture
def built_once(project: Path) -> Path:
    code, _, err = run(None, "--root", str(project), "build", "--sheet", SEED_SHEET)
    assert code == 0, err
    return project / "reports"


def test_a_failed_build_leaves_the_previous_reports_untouched(
    built_once: Path, project: Path, sheet_file: Path
) -> None:
    before = _files(built_once)
    assert {f"{SEED_SHEET}.pdf", f"{SEED_SHEET}.html"} <= set(before)
    # The data changes, but the template breaks while rendering: nothing may be written.
    sheet_file.write_text(sheet_file.read_text(encoding="utf-8").replace(
        "en: Participant Information", "en: Participant Info", 1), encoding="utf-8")
    cells = project / "templates" / "_cells.html.j2"
    cells.write_text(cells.read_text(encoding="utf-8").replace(
        "{{ text }}</p>\n{% endif %}", "{{ text }}{{ no_such_value }}</p>\n{% endif %}"),
        encoding="utf-8")
    code, _, err = run(None, "--root", str(project), "build", "--sheet", SEED_SHEET)
    assert code == 1
    assert [line for line in err.splitlines() if ": warning: " not in line] == [
        f"sheet {SEED_SHEET}: templates/_cells.html.j2:19: 'no_such_value' is undefined",
        "Error: 1 document(s) failed",
    ]
    after = _files(built_once)
    assert after == before


def test_missing_translations_refuse_a_final_build_but_not_a_draft(
    project: Path, sheet_file: Path
) -> None:
    text = sheet_file.read_text(encoding="utf-8")
    text = text.replace("          ru: Передовые практики\n", "", 1)
    text = text.replace("      ru: Передовые практики\n", "", 1)
    sheet_file.write_text(text, encoding="utf-8")
    code, _, err = run(None, "--root", str(project), "build", "--sheet", SEED_SHEET)
    assert code == 1
    assert err.splitlines()[-1] == (
        "Error: 1 error(s) found by check (1 text(s) still await translation); fix them, or "
        "build with --draft to show placeholders")
    assert err.splitlines()[0].endswith(
        ": error: best-practices.ru: no ru translation yet [missing-translation]")
    assert not (project / "reports" / f"{SEED_SHEET}.pdf").exists()

    code, _, err = run(None, "--root", str(project), "build", "--draft", "--sheet", SEED_SHEET)
    assert code == 0, err
    pdf = project / "reports" / f"{SEED_SHEET}.pdf"
    assert "Перевод ожидается" in column_text(pdf, 1)
    assert "DRAFT / ЧЕРНОВИК" in pages(pdf)[0].extract_text()


def test_a_build_prints_check_warnings_and_still_builds(project: Path) -> None:
    code, out, err = run(None, "--root", str(project), "build", "--sheet", SEED_SHEET)
    assert code == 0
    warnings = err.splitlines()
    assert len(warnings) == 6
    assert all(line.startswith("data/sheets/budapest-process.yaml:") for line in warnings)
    assert all(": warning: " in line for line in warnings)
    assert f"wrote reports/{SEED_SHEET}.pdf" in out.splitlines()


def test_build_options_count_before_and_after_the_command(tmp_path: Path) -> None:
    for argv in (["--output", str(tmp_path / "a"), "build"], ["build", "--output",
                                                                str(tmp_path / "b")]):
        code, _, err = run(None, "--root", str(REPO), *argv, "--sheet", SEED_SHEET, "-j", "1")
        assert code == 0, err
    assert (tmp_path / "a" / f"{SEED_SHEET}.pdf").read_bytes() == \
        (tmp_path / "b" / f"{SEED_SHEET}.pdf").read_bytes()


def test_sheet_does_not_combine_with_packs() -> None:
    code, _, err = run(None, "--root", str(REPO), "--sheet", SEED_SHEET, "packs")
    assert code == 2
    assert err == "Error: --sheet builds sheets; it does not apply to 'packs'\n"


@pytest.mark.parametrize("argv", [
    ["--help"],
    ["check"],
    ["review", "--lang", "ru", "--output", "{out}"],
    ["import-docx", "--dry-run", "{out}/missing.docx"],
])
def test_commands_that_render_no_pdf_never_import_weasyprint(
    project: Path, tmp_path: Path, argv: list[str]
) -> None:
    """``import briefing`` is cheap, and only building loads the paged layer."""
    argv = [arg.replace("{out}", str(tmp_path)) for arg in argv]
    program = (
        "import sys, io\n"
        "import briefing\n"
        "assert 'weasyprint' not in sys.modules and 'docx' not in sys.modules, 'import briefing'\n"
        "from briefing.cli import main\n"
        f"main(['--root', {str(project)!r}, *{argv!r}], io.StringIO(), io.StringIO())\n"
        "print(sorted(m for m in ('weasyprint', 'pikepdf', 'jinja2') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"


def _files(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (the build's cache included) and its bytes."""
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}
