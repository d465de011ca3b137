"""A build that follows a series of edits ends where a clean build of the final data does:
the same files, byte for byte (every output is deterministic), hence the same text, outline
and page count in every document."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
import yaml

from briefing.build.manifest import Manifest
from briefing.build.options import PARTS_DIR, BuildOptions, BuildReport, ProjectPaths
from briefing.build.pipeline import build
from tests.conftest import REPO

GENERATED = dt.date(2026, 11, 29)
COUNTRIES = {"AT": ("Austria", "Австрия"), "KZ": ("Kazakhstan", "Казахстан")}


def activity(index: int, host: str, participants: list[str]) -> dict[str, Any]:
    return {"type": "activity", "key": f"activities.a{index}",
            "start": f"201{index}-03-0{index}", "city": {"en": "Vienna", "ru": "Вена"},
            "host": host, "participants": participants, "role": "organised",
            "text": {"en": f"Meeting number {index} of the working group.",
                     "ru": f"Встреча номер {index} рабочей группы."}}


def sheet(number: int, activities: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": f"org-{number}", "languages": ["en", "ru"],
        "title": {"en": "Participant Information", "ru": "Информация участника"},
        "organisation": {"en": f"Organisation {number}", "ru": f"Организация {number}"},
        "sections": [
            {"key": "description", "heading": {"en": "Description", "ru": "Описание"},
             "blocks": [{"type": "paragraph", "key": "description.p1",
                         "text": {"en": "A regional forum on labour mobility.",
                                  "ru": "Региональный форум по трудовой мобильности."}}]},
            {"key": "activities", "heading": {"en": "Activities", "ru": "Мероприятия"},
             "blocks": activities},
        ],
    }


def write_sheet(root: Path, data: dict[str, Any]) -> None:
    (root / "data" / "sheets" / f"{data['id']}.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def tiny_project(root: Path) -> Path:
    (root / "data" / "sheets").mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "fonts").symlink_to(REPO / "fonts", target_is_directory=True)
    (root / "data" / "countries.yaml").write_text(yaml.safe_dump(
        {code: {"name": {"en": en, "ru": ru}} for code, (en, ru) in COUNTRIES.items()},
        allow_unicode=True), encoding="utf-8")
    write_sheet(root, sheet(1, [activity(1, "AT", [])]))
    write_sheet(root, sheet(2, [activity(2, "AT", [])]))
    return root


def build_all(root: Path, output: Path) -> BuildReport:
    """Every document of ``root``, built into ``output``; the jobs run in this process (the
    renderer stays warm from one build to the next, as in watch mode)."""
    options = BuildOptions(ProjectPaths(root), output, generated=GENERATED)
    with ThreadPoolExecutor(max_workers=1) as executor:
        return build(options, executor=executor)


def documents(output: Path) -> dict[str, bytes]:
    """Every document a build left in ``output``."""
    return {path.relative_to(output).as_posix(): path.read_bytes()
            for path in sorted(output.rglob("*"))
            if path.is_file() and path.suffix in (".pdf", ".docx", ".html")
            and ".cache" not in path.parts and "parts" not in path.parts}


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the tiny project (project/) and its documents (incremental/),
    built once for the module: each test builds on a copy (:func:`copy_of`)."""
    folder = tmp_path_factory.mktemp("first")
    build_all(tiny_project(folder / "project"), folder / "incremental")
    return folder


def copy_of(first_build: Path, folder: Path) -> tuple[Path, Path]:
    """The project and its documents as the first build left them, copied into ``folder``
    (the manifest, the cache and the compendium's pieces with them): the project's root
    and the output folder."""
    for name in ("project", "incremental"):
        shutil.copytree(first_build / name, folder / name, symlinks=True)
    return folder / "project", folder / "incremental"


def reading(pdf: bytes) -> tuple[int, list[tuple[str, int]]]:
    """A PDF's page count and outline (title, page), to name what differs."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages: dict[tuple[int, int], int] = {
            page.obj.objgen: index for index, page in enumerate(document.pages)}
        with document.open_outline() as outline:
            items = [(str(item.title), pages.get(_target(item), -1)) for item in outline.root]
        return len(document.pages), items


def _target(item: pikepdf.OutlineItem) -> tuple[int, int]:
    destination = item.destination
    assert isinstance(destination, pikepdf.Array)
    return destination[0].objgen


def edit_text(root: Path) -> None:
    path = root / "data" / "sheets" / "org-1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Meeting number 1", "First meeting number 1"), encoding="utf-8")


def add_activity_with_a_new_country(root: Path) -> None:
    write_sheet(root, sheet(2, [activity(2, "AT", []), activity(3, "KZ", [])]))


def remove_a_sheet(root: Path) -> None:
    (root / "data" / "sheets" / "org-1.yaml").unlink()


EDITS: dict[str, Callable[[Path], None]] = {
    "an activity's text": edit_text,
    "an activity naming a new country": add_activity_with_a_new_country,
    "a sheet removed": remove_a_sheet,
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_an_incremental_build_ends_as_a_clean_build(first_build: Path, tmp_path: Path,
                                                    edit: str) -> None:
    root, output = copy_of(first_build, tmp_path)
    EDITS[edit](root)
    report = build_all(root, output)
    # Each edit leaves a sheet's documents as they were: the copy's reports were reused.
    assert report.up_to_date
    incremental = documents(output)
    build_all(root, tmp_path / "clean")
    clean = documents(tmp_path / "clean")
    assert sorted(incremental) == sorted(clean)
    for name, content in clean.items():
        if name.endswith(".pdf"):
            assert reading(incremental[name]) == reading(content), name
        assert incremental[name] == content, name
    recorded_pages_are_true(output)


def recorded_pages_are_true(output: Path) -> None:
    """Every PDF's page count in the manifest, given by whoever joined or laid it out, is
    its own: the compendium, the packs, the sheets and their pieces."""
    kinds = set()
    for path, entry in Manifest.load(output).items():
        if path.suffix == ".pdf":
            with pikepdf.open(path) as pdf:
                assert entry.pages == len(pdf.pages), path
            kinds.add("compendium" if path.name == "compendium.pdf" else path.parent.name)
    assert kinds == {"compendium", "packs", PARTS_DIR, output.name}


def test_an_edited_text_lays_out_only_its_sheets_part_of_the_compendium(
    first_build: Path, tmp_path: Path
) -> None:
    root, output = copy_of(first_build, tmp_path)
    parts = output / PARTS_DIR

    def pieces() -> dict[str, int]:
        return {path.name: path.stat().st_mtime_ns for path in parts.glob("*.pdf")}

    before = pieces()
    # The front: once with placeholder numbers (its length), once final; the matrix once
    # (no page numbers of its own: every page is stamped at the join); each sheet's.
    assert sorted(name.rsplit("-", 1)[0] for name in before) == [
        "compendium-front", "compendium-front", "compendium-matrix", "org-1", "org-2"]
    edit_text(root)
    build_all(root, output)
    after = pieces()
    laid_out = {name for name, stamp in after.items() if before.get(name) != stamp}
    assert [name.rsplit("-", 1)[0] for name in laid_out] == ["org-1"]
    assert set(before) - set(after) == {n for n in before if n.startswith("org-1-")}


def grow_a_page(root: Path) -> None:
    """org-1's description made longer by a page or more: five paragraphs of which a page
    holds about four."""
    data = yaml.safe_load((root / "data" / "sheets" / "org-1.yaml").read_text(encoding="utf-8"))
    data["sections"][0]["blocks"] += [
        {"type": "paragraph", "key": f"description.filler{n}",
         "text": {"en": "Words of English. " * 30, "ru": "Русские слова. " * 30}}
        for n in range(5)]
    write_sheet(root, data)


def footer_lines(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as document:
        return [(page.extract_text() or "").splitlines()[-1] for page in document.pages]


def test_a_sheet_grown_by_a_page_lays_out_no_other_sheets_part(
    first_build: Path, tmp_path: Path
) -> None:
    """org-1 grows; the compendium alone is built again. Its part is laid out anew (its
    sheet's job did not run); org-2's, now standing further on, is not laid out again,
    nor the matrix: page numbers are stamped at the join. The front is, its contents
    pointing at org-2's new first page. Every footer counts the new total."""
    root, output = copy_of(first_build, tmp_path)
    parts = output / PARTS_DIR
    compendium = output / "compendium.pdf"

    def pieces() -> dict[str, int]:
        return {path.name: path.stat().st_mtime_ns for path in parts.glob("*.pdf")}

    def page_count(path: Path) -> int:
        with pikepdf.open(path) as document:
            return len(document.pages)

    before, pages_before = pieces(), page_count(compendium)
    [old_part] = parts.glob("org-1-*.pdf")
    part_before = page_count(old_part)
    grow_a_page(root)
    options = BuildOptions(ProjectPaths(root), output, generated=GENERATED,
                           targets=("compendium",))
    with ThreadPoolExecutor(max_workers=1) as executor:
        report = build(options, executor=executor)
    assert report.written == [compendium]
    after = pieces()
    laid_out = {name for name, stamp in after.items() if before.get(name) != stamp}
    assert sorted(name.rsplit("-", 1)[0] for name in laid_out) == ["compendium-front", "org-1"]
    kept = [name for name in before if name.startswith(("org-2-", "compendium-matrix-"))]
    assert len(kept) == 2
    assert [after.get(name) for name in kept] == [before[name] for name in kept]
    [new_part] = [parts / name for name in laid_out if name.startswith("org-1-")]
    grown = page_count(new_part) - part_before
    assert grown >= 1
    total = page_count(compendium)
    assert total == pages_before + grown
    assert footer_lines(compendium) == [f"page {n} of {total} стр. {n} из {total}"
                                        for n in range(1, total + 1)]
