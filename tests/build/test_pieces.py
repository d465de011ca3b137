"""Render once, assemble many: a pack is joined from pieces, each laid out only when its HTML
changes, and an organisation's description and contacts are laid out once for every pack
naming it (``reports/.parts/packs/``)."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest

from briefing.build.options import PACKS_DIR, PARTS_DIR, BuildOptions, ProjectPaths
from briefing.build.pieces import (
    KEEP_SHARED,
    KEEP_SPECIMENS,
    SPECIMENS_DIR,
    sweep_shared,
    sweep_specimens,
)
from briefing.build.pipeline import build
from briefing.paged import pdf as pdf_module
from tests.build.test_incremental import (
    GENERATED,
    activity,
    build_all,
    sheet,
    tiny_project,
    write_sheet,
)
from tests.cli_runner import run_in_fresh_process

#: The date the builds of these tests print, as the command line takes it.
EPOCH = str(int(dt.datetime.combine(GENERATED, dt.time(), dt.UTC).timestamp()))


def pieces(output: Path) -> dict[str, int]:
    """Each pack piece kept, by file name: its inode, which a piece laid out again (written
    beside, then renamed over) changes, and a piece reused (its time touched) keeps."""
    folder = output / PARTS_DIR / PACKS_DIR
    return {path.name: path.stat().st_ino for path in sorted(folder.glob("*.pdf"))}


def edit_and_rebuild(root: Path, output: Path, old: str, new: str) -> tuple[dict[str, int],
                                                                         list[str]]:
    """org-1's text ``old`` replaced by ``new``, everything built again: the pieces kept
    now, and the names (without their hash) of those laid out anew."""
    before = pieces(output)
    path = root / "data" / "sheets" / "org-1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    build_all(root, output)
    after = pieces(output)
    return after, sorted(name.rsplit("-", 1)[0] for name in set(after) - set(before))


def two_countries(root: Path) -> Path:
    """Organisation 1 in the packs of Austria and Kazakhstan; organisation 2 in Austria's."""
    tiny_project(root)
    write_sheet(root, sheet(1, [activity(1, "AT", []), activity(2, "KZ", [])]))
    return root


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    root, output = two_countries(tmp_path / "project"), tmp_path / "reports"
    build_all(root, output)
    return root, output


def test_a_description_is_laid_out_once_for_every_pack_naming_it(
        built: tuple[Path, Path]) -> None:
    _, output = built
    kept = pieces(output)
    shared = sorted(name.rsplit("-", 1)[0] for name in kept if name.startswith("about-"))
    assert shared == ["about-org-1", "about-org-2"]  # one each, though org-1 is in two packs
    own = sorted(name.rsplit("-", 1)[0] for name in kept if not name.startswith("about-"))
    assert own == ["at-front", "at-headers", "at-org-org-1", "at-org-org-2",
                   "kz-front", "kz-headers", "kz-org-org-1"]
    # Each pack heads the shared pages with its own country.
    for code, country in (("at", "Austria"), ("kz", "Kazakhstan")):
        with pdfplumber.open(output / PACKS_DIR / f"{code}.pdf") as pdf:
            about = [page for page in pdf.pages if "About the organisation" in
                     (page.extract_text() or "")]
            assert about, code
            for page in about:
                header = page.crop((0, 0, page.width / 2, 50)).extract_text() or ""
                assert header.startswith(f"Briefing pack: {country} · Organisation "), code


def test_an_edited_activity_lays_out_only_the_pieces_that_print_it(
        built: tuple[Path, Path]) -> None:
    root, output = built
    before = pieces(output)
    after, changed = edit_and_rebuild(root, output, "Meeting number 2", "Second meeting number 2")
    # Kazakhstan's part of org-1 and its front (the briefing lists the activity); neither
    # description, nor anything of Austria's pack, which does not print that activity.
    assert changed == ["kz-front", "kz-org-org-1"]
    assert {name: after[name] for name in after if name in before} == \
        {name: before[name] for name in after if name in before}
    with pdfplumber.open(output / PACKS_DIR / "kz.pdf") as pdf:
        assert "Second meeting number 2" in "".join(p.extract_text() or "" for p in pdf.pages)


def test_an_edited_description_lays_out_its_shared_piece_once(
        built: tuple[Path, Path]) -> None:
    root, output = built
    _, new = edit_and_rebuild(root, output, "A regional forum", "An interregional forum")
    assert new == ["about-org-1"]  # one layout, both packs
    for code in ("at", "kz"):
        with pdfplumber.open(output / PACKS_DIR / f"{code}.pdf") as pdf:
            text = "".join(p.extract_text() or "" for p in pdf.pages)
            assert "An interregional forum" in text, code


def test_a_sweep_keeps_the_last_used_versions_of_the_sheets_still_made(
        tmp_path: Path) -> None:
    folder = tmp_path
    for number, name in enumerate(["about-org-1-aaaa", "about-org-1-bbbb", "about-org-1-cccc",
                                   "about-org-2-dddd", "at-org-1-eeee"]):
        path = folder / f"{name}.pdf"
        path.write_bytes(b"%PDF")
        os.utime(path, ns=(number * 10**9, number * 10**9))
    removed = sweep_shared(folder, ["org-1"])
    assert sorted(path.name for path in removed) == ["about-org-1-aaaa.pdf",
                                                     "about-org-2-dddd.pdf"]
    assert sorted(path.name for path in folder.glob("*.pdf")) == [
        "about-org-1-bbbb.pdf", "about-org-1-cccc.pdf", "at-org-1-eeee.pdf"]
    assert KEEP_SHARED == 2


def test_a_compendium_joined_from_kept_pieces_loads_no_weasyprint(
        built: tuple[Path, Path]) -> None:
    # As after an edit of one sheet: its job kept its piece, the front and matrix are kept,
    # and so are the page numbers' specimens: the join lays out nothing.
    root, output = built
    specimens = sorted((output / PARTS_DIR / SPECIMENS_DIR).glob("specimen-a4-*.pdf"))
    assert len(specimens) == 3  # the compendium's portrait and landscape pages; the packs'
    joined = (output / "compendium.pdf").read_bytes()
    (output / "compendium.pdf").unlink()
    assert run_in_fresh_process(root, "--output", str(output), "compendium", "-j", "1",
                                report="'weasyprint' in sys.modules",
                                env={"SOURCE_DATE_EPOCH": EPOCH}) == "0 False"
    assert (output / "compendium.pdf").read_bytes() == joined


def test_a_sweep_keeps_the_specimens_last_used(tmp_path: Path) -> None:
    for number in range(KEEP_SPECIMENS + 2):
        path = tmp_path / f"specimen-a4-{number:04}.pdf"
        path.write_bytes(b"%PDF")
        os.utime(path, ns=(number * 10**9, number * 10**9))
    removed = sweep_specimens(tmp_path)
    assert sorted(path.name for path in removed) == ["specimen-a4-0000.pdf",
                                                     "specimen-a4-0001.pdf"]
    assert len(list(tmp_path.glob("*.pdf"))) == KEEP_SPECIMENS


def test_a_pack_s_front_of_several_pages_is_laid_out_once(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The contents count their page numbers on stub pages: no second layout once the
    # front's own length is known, though nothing was kept from an earlier build.
    fronts: list[int] = []
    render = pdf_module.render_pdf

    def counted(html: str, **given: Any) -> bytes:
        laid_out = render(html, **given)
        if '<section class="front">' in html:
            with pikepdf.open(io.BytesIO(laid_out)) as document:
                fronts.append(len(document.pages))
        return laid_out

    monkeypatch.setattr(pdf_module, "render_pdf", counted)
    options = BuildOptions(ProjectPaths(project), tmp_path / "reports", targets=("packs",),
                           countries=["KG"], generated=GENERATED, workers=1)
    build(options)
    assert fronts == [2]  # the briefing, then the contents and the timeline (their
    # numbers: tests/end_to_end/test_packs_build.py)
