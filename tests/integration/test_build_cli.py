"""`studyguide build`: its summary, and the warning that protects learners'
decks when an author forgets to bump `updated:`."""

from __future__ import annotations

import shutil

from exporter.build.registry import EXPORTERS

from ..conftest import SMALL_GUIDE
from ..helpers import run_cli

SOURCE = SMALL_GUIDE


def test_build_summary_names_each_artifact_with_its_size(tmp_path):
    result = run_cli("build", str(SOURCE), "--out", str(tmp_path), "--format", "anki,epub")
    assert result.returncode == 0, result.stderr
    for name in ("anki", "epub"):
        for artifact in EXPORTERS[name].artifact_names(SOURCE.stem):
            line = next(line for line in result.stdout.splitlines() if line.startswith(str(tmp_path / artifact)))
            assert "KiB" in line and line.endswith(" s")
    assert f"{SOURCE.stem}: 2 domains, 4 concepts, 2 traps, 1 pair, 2 quick checks," in result.stdout
    assert not list(tmp_path.glob("*.pdf")), "--format limits what is built"


def test_editing_without_bumping_updated_warns_and_bumping_clears_it(tmp_path):
    source = tmp_path / SOURCE.name
    shutil.copy(SOURCE, source)
    out = tmp_path / "dist"
    build = ("build", str(source), "--out", str(out), "--format", "anki")

    assert "warning" not in run_cli(*build).stderr
    assert "warning" not in run_cli(*build).stderr, "an unchanged rebuild is fine"

    source.write_text(source.read_text().replace("Tree anatomy and", "Tree anatomy, then"))
    edited = run_cli(*build)
    assert edited.returncode == 0
    assert "changed since the last build but `updated:` did not move forward" in edited.stderr

    source.write_text(source.read_text().replace("updated: 2026-03-01", "updated: 2026-03-02"))
    assert "warning" not in run_cli(*build).stderr
