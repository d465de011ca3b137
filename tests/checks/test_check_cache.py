"""``check`` answered from the cache (reports/.cache/data.json): a warm check prints, line
for line, what a cold one does (text, JSON, --strict, --draft, named files), whether the
entries were kept by an earlier check or by a build; checks nothing and loads no model when
nothing changed; sees every edit to what a sheet's findings depend on; and ignores a
damaged cache."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import briefing.checks.runner as runner
from briefing.build.cache import CACHE_DIR, CACHE_FILE, BuildCache
from briefing.checks import check_paths
from briefing.core.load import load_project
from tests.cli_runner import Result, run, run_in_fresh_process
from tests.conftest import EXAMPLES, SEED_SHEET, add_examples

#: What ``check`` is asked, each compared warm against cold.
ARGVS = [
    [],
    ["--format", "json"],
    ["--strict"],
    ["--draft"],
    ["--format", "json", "--draft"],
    ["{project}/data/sheets/" + SEED_SHEET + ".yaml"],
    ["{project}/data/sheets"],
]


def cache_file(project: Path) -> Path:
    return project / "reports" / CACHE_DIR / CACHE_FILE


def cold(project: Path, *argv: str) -> Result:
    """``check`` with nothing kept: the reports folder moved away while it runs (``check``
    makes none, so nothing is kept either)."""
    reports = project / "reports"
    aside = project.parent / "reports-aside"
    if reports.exists():
        reports.rename(aside)
    try:
        result = run(project, "check", *argv)
        assert not reports.exists()
    finally:
        if aside.exists():
            aside.rename(reports)
    assert result.out == run_uncached(project, *argv).out
    return result


def run_uncached(project: Path, *argv: str) -> Result:
    """The same command through the runner's own ``check_paths``, which knows no cache."""
    import briefing.build.cache as cache_module

    def uncached(data_dir: Path, root: Path, output_dir: Path, paths: Any, *,
                 draft: bool = False) -> Any:
        return check_paths(data_dir, root, paths, draft=draft)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache_module, "check_with_cache", uncached)
        return run(project, "check", *argv)


class Forbidden(AssertionError):
    pass


def warm(project: Path, monkeypatch: pytest.MonkeyPatch, *argv: str) -> Result:
    """``check`` that must answer from the cache alone: reading, validating or checking a
    sheet, or the glossary and labels, fails the test."""
    def forbidden(*args: object, **kwargs: object) -> object:
        raise Forbidden("checked again")

    with monkeypatch.context() as patch:
        for name in ("load_part", "part_outcome", "project_outcome", "run_checks"):
            patch.setattr(runner, name, forbidden)
        return run(project, "check", *argv)


@pytest.fixture
def reports(project: Path) -> Path:
    folder = project / "reports"
    folder.mkdir()
    return folder


def with_problems(project: Path) -> None:
    """The sample beside the seed, a translation missing from the seed, a sheet that does
    not validate, an ignore entry naming no rule, and a glossary term without a form."""
    add_examples(project)
    seed = project / "data" / "sheets" / f"{SEED_SHEET}.yaml"
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace("      ru: Передовые практики\n", "", 1), encoding="utf-8")
    sample = next((project / "data" / "sheets").glob("steppe*.yaml"))
    broken = project / "data" / "sheets" / "broken-org.yaml"
    broken.write_text(sample.read_text(encoding="utf-8").replace(
        f"id: {sample.stem}", "id: broken-org").replace("host:", "hots:", 1), encoding="utf-8")
    with (project / "data" / "glossary.yaml").open("a", encoding="utf-8") as stream:
        stream.write("empty-term: {en: []}\n")


@pytest.mark.parametrize("argv", ARGVS, ids=" ".join)
@pytest.mark.parametrize("data", ["seed", "with problems"])
def test_a_warm_check_prints_what_a_cold_one_does(
        project: Path, reports: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str],
        data: str) -> None:
    if data == "with problems":
        with_problems(project)
    argv = [arg.replace("{project}", str(project)) for arg in argv]
    reference = cold(project, *argv)
    assert reference.out
    first = run(project, "check", *argv)  # checks, and keeps what it found
    assert cache_file(project).is_file()
    again = warm(project, monkeypatch, *argv)
    assert first == reference
    assert again == reference
    if data == "with problems":
        assert reference.code == 1
        assert "[schema]" in reference.out or '"schema"' in reference.out


def test_a_check_after_a_build_reads_what_the_build_checked(
        project: Path, reports: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_examples(project)
    reference = cold(project)
    cache = BuildCache.load(reports, project / "templates")
    loaded = load_project(project / "data", project, cache=cache)
    cache.findings(loaded)
    cache.save(everything=True)
    assert warm(project, monkeypatch) == reference
    assert warm(project, monkeypatch, "--format", "json") == cold(project, "--format", "json")


def test_a_build_keeps_what_check_kept(project: Path, reports: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A build of everything forgets no ``check`` entry of a sheet still there, and a build
    of one sheet none at all."""
    add_examples(project)
    run(project, "check")
    entries = json.loads(cache_file(project).read_bytes().partition(b"\n")[2])["check"]
    for everything in (False, True):
        cache = BuildCache.load(reports, project / "templates")
        cache.findings(load_project(project / "data", project, cache=cache))
        cache.save(everything=everything)
        payload = json.loads(cache_file(project).read_bytes().partition(b"\n")[2])
        assert payload["check"] == entries
    assert warm(project, monkeypatch) == cold(project)


Edit = Callable[[str], str]
EDITS: dict[str, tuple[str, Edit]] = {
    "a sheet's text, same size and time": (
        f"data/sheets/{SEED_SHEET}.yaml", lambda text: text.replace("Silk", "Sulk", 1)),
    "a sheet that no longer validates": (
        f"data/sheets/{SEED_SHEET}.yaml", lambda text: text.replace("host:", "hots:", 1)),
    "a country's forms": (
        "data/countries.yaml", lambda text: text.replace("Kyrgyzstan", "Kirgizia", 1)),
    "the glossary": ("data/glossary.yaml", lambda text: text + "\nnew-term: {en: [Silk]}\n"),
    "the glossary broken": ("data/glossary.yaml", lambda text: text + "\n- a list item\n"),
    "the labels without ru": (
        "templates/labels.yaml",
        lambda text: text.replace("\nru:", "\nzz:", 1)),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_an_edit_to_what_findings_depend_on_is_seen(
        project: Path, reports: Path, monkeypatch: pytest.MonkeyPatch, edit: str) -> None:
    run(project, "check")
    name, change = EDITS[edit]
    path = project / name
    text = path.read_text(encoding="utf-8")
    edited = change(text)
    assert edited != text
    status = path.stat()
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    reference = cold(project)
    assert run(project, "check") == reference  # checked again, and kept
    assert warm(project, monkeypatch) == reference


def test_a_sheet_added_or_removed_is_seen(project: Path, reports: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    run(project, "check")
    sample = next((EXAMPLES / "sheets").glob("*.yaml"))
    shutil.copy2(sample, project / "data" / "sheets" / sample.name)
    with_sample = cold(project)
    assert run(project, "check") == with_sample
    assert warm(project, monkeypatch) == with_sample
    (project / "data" / "sheets" / sample.name).unlink()
    assert warm(project, monkeypatch) == cold(project)


def test_a_file_from_elsewhere_is_always_checked(
        project: Path, reports: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "sent-by-mail.yaml"
    shutil.copy2(next((EXAMPLES / "sheets").glob("*.yaml")), outside)
    reference = cold(project, str(outside))
    assert run(project, "check", str(outside)) == reference
    assert run(project, "check", str(outside)) == reference
    with pytest.raises(Forbidden):
        warm(project, monkeypatch, str(outside))
    payload = json.loads(cache_file(project).read_bytes().partition(b"\n")[2])
    assert not any(str(outside) in name for name in payload["check"])


@pytest.mark.parametrize("damage", [
    "garbage", "entries of the wrong shape", "findings of the wrong shape", "another code"])
def test_a_damaged_cache_gives_the_same_lines(
        project: Path, reports: Path, damage: str) -> None:
    reference = cold(project)
    run(project, "check")
    path = cache_file(project)
    header, _, body = path.read_bytes().partition(b"\n")
    payload = json.loads(body)
    if damage == "garbage":
        path.write_bytes(header + b"\n" + body[:-20])
    else:
        if damage == "entries of the wrong shape":
            payload["check"] = {name: [1, 2] for name in payload["check"]}
        elif damage == "findings of the wrong shape":
            for entry in payload["check"].values():
                entry["findings"] = [["x", -1, 0, "fatal", "", "", ""]]
        else:
            payload["code"] = "another"
        body = json.dumps(payload).encode()
        head = {"format": 1, "sha256": hashlib.sha256(body).hexdigest()}
        path.write_bytes(json.dumps(head).encode() + b"\n" + body)
    assert run(project, "check") == reference
    assert run(project, "check") == reference


def test_a_warm_check_loads_no_model(project: Path, reports: Path) -> None:
    """Nothing that validates or checks is imported: pydantic's models, the rules, Babel."""
    run(project, "check")
    assert run_in_fresh_process(project, "check", report=(
        "sorted(m for m in ('pydantic', 'briefing.core.model', 'briefing.checks.runner', "
        "'babel', 'weasyprint', 'docx') if m in sys.modules)")) == "0 []"
