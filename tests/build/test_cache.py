"""The read cache (reports/.cache/data.json): a rebuild with nothing changed parses no YAML
and checks no sheet; an edit, to a sheet or to what sheets depend on, is seen; a damaged
cache is ignored; loading and findings are the same with the cache as without it."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import briefing.build.cache as cache_module
import briefing.build.targets as targets_module
import briefing.core.load as load_module
from briefing import checks
from briefing.build.cache import CACHE_DIR, CACHE_FILE, BuildCache
from briefing.build.manifest import InputHasher
from briefing.build.options import BuildOptions, ProjectPaths
from briefing.build.pipeline import build
from briefing.build.targets import plan
from briefing.checks import Finding, build_findings
from briefing.core import packs, yamlio
from briefing.core.load import LoadedProject, load_project
from briefing.core.model import Sheet
from briefing.errors import DataError
from tests.conftest import SEED_SHEET

#: A second organisation whose activities' texts name no country: a warning per country
#: (activity-country), each at its file:line:col; and one text awaiting translation.
EXTRA = {
    "id": "extra-org", "languages": ["en", "ru"],
    "title": {"en": "Participant Information", "ru": "Информация участника"},
    "organisation": {"en": "Extra Organisation", "ru": "Дополнительная организация"},
    "sections": [
        {"key": "activities", "heading": {"en": "Activities", "ru": "Мероприятия"},
         "blocks": [
             {"type": "activity", "key": f"activities.a{index}", "start": f"201{index}-03-0{index}",
              "city": {"en": "Vienna", "ru": "Вена"}, "host": "AT", "participants": ["KG"],
              "role": "organised",
              "text": {"en": f"Meeting number {index}.", "ru": f"Встреча номер {index}."}}
             for index in range(1, 4)]},
        {"key": "notes", "heading": {"en": "Notes", "ru": "Заметки"},
         "blocks": [{"type": "paragraph", "key": "notes.p1", "text": {"en": "Awaiting."}}]},
    ],
}


@pytest.fixture
def root(project: Path) -> Path:
    (project / "data" / "sheets" / "extra-org.yaml").write_text(
        yaml.safe_dump(EXTRA, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return project


class Counted:
    """Counts the calls of the YAML parser and of the checks, as the build makes them."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.parsed: list[str] = []
        self.checked: list[str] = []
        parse, check = yamlio.parse_yaml, checks.run_checks

        def counting_parse(text: str, shown: str, **kwargs: Any) -> Any:
            self.parsed.append(shown)
            return parse(text, shown, **kwargs)

        def counting_check(loaded: LoadedProject, *args: Any) -> list[Finding]:
            self.checked.extend(loaded.project.sheets)
            return check(loaded, *args)

        monkeypatch.setattr(load_module, "parse_yaml", counting_parse)
        monkeypatch.setattr(cache_module, "run_checks", counting_check)

    def reset(self) -> None:
        self.parsed.clear()
        self.checked.clear()


def uncached(root: Path) -> tuple[LoadedProject, list[Finding]]:
    loaded = load_project(root / "data", root)
    return loaded, build_findings(loaded)


def cached(root: Path, output: Path, caches: list[BuildCache] | None = None
           ) -> tuple[LoadedProject, list[Finding]]:
    """Load and check through the cache in ``output``, then save it, as a build does."""
    cache = BuildCache.load(output, root / "templates")
    if caches is not None:
        caches.append(cache)
    loaded = load_project(root / "data", root, cache=cache)
    findings = cache.findings(loaded)
    cache.save(everything=True)
    return loaded, findings


def same(first: tuple[LoadedProject, list[Finding]],
         second: tuple[LoadedProject, list[Finding]]) -> None:
    assert first[0].project == second[0].project
    assert first[0].files == second[0].files
    assert [str(f) for f in first[1]] == [str(f) for f in second[1]]
    assert first[1] == second[1]


def test_a_noop_rebuild_parses_no_yaml_and_checks_no_sheet(
        root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    options = BuildOptions(ProjectPaths(root), tmp_path / "reports", workers=1, draft=True,
                           targets=("sheets",))
    warned: list[str] = []
    first = build(options, warn=warned.append)
    assert len(first.written) == 6
    assert (tmp_path / "reports" / CACHE_DIR / CACHE_FILE).is_file()
    counted = Counted(monkeypatch)
    warned_again: list[str] = []
    again = build(options, warn=warned_again.append)
    assert counted.parsed == []
    assert counted.checked == []
    assert warned_again == warned
    assert any(":" in line and "[activity-country]" in line
                                          for line in warned)
    assert again.written == []
    assert len(again.up_to_date) == 6


def test_results_are_the_same_with_and_without_the_cache(root: Path, tmp_path: Path) -> None:
    reference = uncached(root)
    assert any(f.severity == "warning" for f in reference[1])
    assert any(f.rule == "missing-translation" for f in reference[1])
    same(cached(root, tmp_path), reference)  # writes the cache
    from_cache = cached(root, tmp_path)  # reads it
    same(from_cache, reference)
    # A location asked for later, in a sheet that came from the cache, is where it was.
    path = ("sections", 0, "blocks", 1, "host")
    assert from_cache[0].locate("extra-org", path) == reference[0].locate("extra-org", path)


def test_an_edit_is_seen_and_only_the_edited_sheet_is_read_again(
        root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached(root, tmp_path)
    counted = Counted(monkeypatch)
    sheet = root / "data" / "sheets" / "extra-org.yaml"
    text = sheet.read_text(encoding="utf-8")
    stat = sheet.stat()
    edited = text.replace("Meeting number 2.", "Meeting number 7.")  # same size
    assert len(edited) == len(text)
    assert edited != text
    sheet.write_text(edited, encoding="utf-8")
    os.utime(sheet, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even the same mtime
    loaded, findings = cached(root, tmp_path)
    assert counted.parsed == ["data/sheets/extra-org.yaml"]
    assert counted.checked == ["extra-org"]
    assert "Meeting number 7." in str(loaded.project.sheets["extra-org"].model_dump())
    same((loaded, findings), uncached(root))


@pytest.mark.parametrize(("changed", "validated"), [
    ("data/countries.yaml", 3),  # countries and both sheets validated again
    ("data/glossary.yaml", 0),  # no file validated again (parsed only to locate findings)
    ("templates/labels.yaml", 0),
])
def test_what_sheets_depend_on_invalidates_them(
        root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changed: str,
        validated: int) -> None:
    cached(root, tmp_path)
    counted = Counted(monkeypatch)
    cached(root, tmp_path)
    assert counted.parsed == []
    assert counted.checked == []
    with (root / changed).open("a", encoding="utf-8") as stream:
        stream.write("\n# edited\n")
    caches: list[BuildCache] = []
    result = cached(root, tmp_path, caches)
    assert caches[0].parsed == validated
    assert sorted(counted.checked) == sorted(["extra-org", SEED_SHEET])  # checked again
    same(result, uncached(root))
    counted.reset()
    cached(root, tmp_path)
    assert counted.parsed == []
    assert counted.checked == []


def test_a_sheet_with_problems_is_never_kept(
        root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sheet = root / "data" / "sheets" / "extra-org.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("host: AT", "hots: AT", 1),
                     encoding="utf-8")
    with pytest.raises(DataError) as expected:
        load_project(root / "data", root)
    for _ in range(2):
        cache = BuildCache.load(tmp_path, root / "templates")
        with pytest.raises(DataError) as error:
            load_project(root / "data", root, cache=cache)
        assert error.value.lines() == expected.value.lines()
        cache.save(everything=True)
    counted = Counted(monkeypatch)
    with pytest.raises(DataError):
        load_project(root / "data", root, cache=BuildCache.load(tmp_path, root / "templates"))
    assert counted.parsed == ["data/sheets/extra-org.yaml"]


def rewrite(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Change the cache's payload and write it back with a matching checksum."""
    payload = json.loads(path.read_bytes().partition(b"\n")[2])
    change(payload)
    body = json.dumps(payload).encode()
    header = json.dumps({"format": 1, "sha256": hashlib.sha256(body).hexdigest()}).encode()
    path.write_bytes(header + b"\n" + body)


def spoil_entries(payload: dict[str, Any]) -> None:
    for entry in payload["sheets"].values():
        entry["sheet"] = {"id": 5}
    for entry in payload["countries"].values():
        entry["value"] = [1]
    for entry in payload["findings"].values():
        entry["findings"] = [["x", -1, "y", "fatal", None, 1, 2]]
    payload["glossary"] = {"glossary": {"key": None}}
    for entry in payload["packs"].values():
        entry["sheets"] = ["no-such-sheet"]


def into_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


DAMAGES: dict[str, Callable[[Path], object]] = {
    "emptied": lambda path: path.write_bytes(b""),
    "truncated": lambda path: path.write_bytes(path.read_bytes()[:1000]),
    "a byte changed": lambda path: path.write_bytes(path.read_bytes()[:-5] + b"X}}}}"),
    "not JSON": lambda path: path.write_bytes(b"\xff\xfe garbage\n{{{"),
    "another format": lambda path: path.write_bytes(
        path.read_bytes().replace(b'"format": 1', b'"format": 99', 1)),
    "nested too deep": lambda path: path.write_bytes(b"[" * 100_000 + b"\n" + b"[" * 100_000),
    "entries of the wrong shape": lambda path: rewrite(path, spoil_entries),
    "sections of the wrong type": lambda path: rewrite(
        path, lambda payload: payload.update({name: [] for name in payload if name != "code"})),
    "another code": lambda path: rewrite(path, lambda payload: payload.update(code="other")),
    "a folder": into_folder,
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_cache_is_ignored(root: Path, tmp_path: Path, damage: str) -> None:
    reference = uncached(root)
    output = tmp_path / "reports"
    options = BuildOptions(ProjectPaths(root), output, workers=1, draft=True,
                           targets=("packs",), countries=["KG"])
    cache = BuildCache.load(output, root / "templates")
    loaded = load_project(root / "data", root, cache=cache)
    cache.findings(loaded)
    hasher = InputHasher("test", [root / "templates", root / "fonts"], root / "data")
    planned = [(job.name, job.inputs) for job in plan(loaded, options, hasher).jobs]
    assert [(job.name, job.inputs) for job in plan(loaded, options, hasher, cache).jobs] == planned
    cache.save(everything=True)
    DAMAGES[damage](output / CACHE_DIR / CACHE_FILE)
    cache_module._validated.clear()  # as a new process finds it
    cache = BuildCache.load(output, root / "templates")
    loaded = load_project(root / "data", root, cache=cache)
    same((loaded, cache.findings(loaded)), reference)
    assert [(job.name, job.inputs) for job in plan(loaded, options, hasher, cache).jobs] == planned
    assert cache.parsed == 3
    assert cache.checked == 2


def test_the_tool_s_version_is_read_from_metadata_when_its_folder_name_has_none(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Building the wheel leaves briefing.egg-info in the source tree, first on sys.path when
    # generate.py runs there; the installed one is found when the `briefing` command runs.
    tree, installed = tmp_path / "tree", tmp_path / "site-packages"
    (tree / "briefing.egg-info").mkdir(parents=True)
    (tree / "briefing.egg-info" / "PKG-INFO").write_text(
        "Metadata-Version: 2.1\nName: briefing\nVersion: 0.1.0\n\nVersion: not this\n",
        encoding="utf-8")
    (installed / "briefing-0.1.0.dist-info").mkdir(parents=True)
    (installed / "pydantic-2.0.0.dist-info").mkdir()
    monkeypatch.setattr("sys.path", [str(tree), str(installed)])
    from_tree = cache_module.installed_versions(["briefing", "pydantic", "pyyaml"])
    monkeypatch.setattr("sys.path", [str(installed)])
    assert from_tree == cache_module.installed_versions(["briefing", "pydantic", "pyyaml"]) \
        == ["briefing 0.1.0", "pydantic 2.0.0", "pyyaml ?"]


def test_an_edit_plans_again_only_the_packs_of_the_countries_the_sheet_names(
        root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "reports"
    options = BuildOptions(ProjectPaths(root), output, workers=1, draft=True,
                           targets=("packs",))
    hasher = InputHasher("test", [root / "templates", root / "fonts"], root / "data")
    computed: list[str] = []

    def counting(project: Any, country: str) -> Any:
        computed.append(country)
        return packs.country_pack(project, country)

    monkeypatch.setattr(targets_module, "country_pack", counting)

    def planned() -> list[tuple[str, str]]:
        cache = BuildCache.load(output, root / "templates")
        loaded = load_project(root / "data", root, cache=cache)
        cache.findings(loaded)
        jobs = [(job.name, job.inputs) for job in plan(loaded, options, hasher, cache).jobs]
        cache.save(everything=True)
        return jobs

    def uncached_plan() -> list[tuple[str, str]]:
        loaded = load_project(root / "data", root)
        return [(job.name, job.inputs) for job in plan(loaded, options, hasher).jobs]

    everything = planned()
    assert {"pack AT", "pack KG", "pack TJ"} <= {name for name, _ in everything}
    computed.clear()
    assert planned() == everything
    assert computed == []
    sheet = root / "data" / "sheets" / "extra-org.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("Meeting number 2.",
                                                               "Meeting number 7."),
                     encoding="utf-8")
    edited = planned()
    assert sorted(computed) == ["AT", "KG"]  # extra-org names Austria and Kyrgyzstan only
    assert edited == uncached_plan()
    assert [job for job in edited if job not in everything] == \
        [job for job in edited if job[0] in ("pack AT", "pack KG")]
    # A country the sheet names from now on (a line more: every error below it moves): its
    # pack draws on the sheet, and is planned again, with the sheet's own.
    text = sheet.read_text(encoding="utf-8")
    assert "    participants:\n    - KG\n" in text
    sheet.write_text(text.replace("    participants:\n    - KG\n",
                                  "    participants:\n    - KG\n    - TJ\n", 1), encoding="utf-8")
    computed.clear()
    edited = planned()
    assert sorted(computed) == ["AT", "KG", "TJ"]
    assert edited == uncached_plan()


def test_sheets_validated_once_in_a_process_are_not_validated_again(
        root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Watch mode builds in one process after every save.
    monkeypatch.setattr(cache_module, "_validated", {})
    cached(root, tmp_path)
    validated: list[object] = []
    model_validate = Sheet.model_validate

    def counting(data: object) -> Sheet:
        validated.append(data)
        return model_validate(data)

    monkeypatch.setattr(Sheet, "model_validate", counting)
    again = cached(root, tmp_path)
    assert validated == []
    same(again, uncached(root))
    cache_module._validated.clear()  # another process: validated from the cache on disk
    same(cached(root, tmp_path), uncached(root))
    assert len(validated) == 2
    # Entries spoiled on disk under their keys: what this process validated stands, and
    # the entries it validated them from are what is kept again.
    rewrite(tmp_path / CACHE_DIR / CACHE_FILE, spoil_entries)
    same(cached(root, tmp_path), uncached(root))
    cache_module._validated.clear()
    caches: list[BuildCache] = []
    same(cached(root, tmp_path, caches), uncached(root))
    assert caches[0].parsed == 0
