"""The contract: a guide that `validate` passes builds, and into sound artifacts.

Each seed gives one generated guide (`tests/generated.py`), stretching one
dimension in turn and others a little. For each: `validate` exits 0, one
`build` of all the seeds' guides writes its artifacts and reports no problem
with it, and then
- the book: every document well-formed XML with unique ids, every internal link
  leading to a document and an id that exist, and EPUBCheck clean;
- the deck: imported into a fresh collection by the real Anki with no
  conflicts, every note and card id above 0, a clean database check, and
  every card rendering no sound, no LaTeX image, no MathJax and no template
  error, with each concept's term shown as typed;
- the sheet: both papers pass qpdf, have their paper size and two pages,
  links that lead somewhere, and every character inside the margins with no
  two glyphs overlapping.

`make test` runs one guide per dimension; `make fuzz` runs GENERATED_GUIDES
of them (200 by default), and GENERATED_FIRST picks where the seeds start.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from exporter.build.registry import EXPORTERS
from exporter.source.loader import load_guide

from ..checkers.anki import inert_text_problems
from ..checkers.epub import epubcheck, structure_problems
from ..checkers.pdf import layout_problems
from ..conftest import made_once
from ..generated import DIMENSIONS, generated_guide, stretch_for
from ..helpers import run_cli, run_main

pytestmark = pytest.mark.slow

FIRST = int(os.environ.get("GENERATED_FIRST", "0"))
COUNT = int(os.environ.get("GENERATED_GUIDES", str(len(DIMENSIONS))))
SEEDS = range(FIRST, FIRST + COUNT)


def write_source(seed: int, folder: Path) -> Path:
    data = generated_guide(seed)
    source = folder / f"{data['id']}.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=80), encoding="utf-8")
    return source


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    """Every seed's guide, written and built by one `studyguide build`, as an author builds many
    guides at once, made once for the run: the folder and what the build printed. Each guide's
    artifacts are written all together or not at all, so a guide's artifacts show it built."""
    def build(folder: Path) -> dict:
        sources = [str(write_source(seed, folder)) for seed in SEEDS]
        return {"stderr": run_cli("build", *sources, "--out", str(folder / "dist")).stderr}

    folder, made = made_once(tmp_path_factory, f"generated-{FIRST}-{COUNT}", build)
    return folder, made["stderr"]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda seed: f"{seed}-{stretch_for(seed).dimension}")
def test_a_valid_generated_guide_builds_sound_artifacts(seed, built):
    folder, stderr = built
    source = folder / f"{generated_guide(seed)['id']}.yaml"
    validated = run_main("validate", str(source))
    assert validated.returncode == 0, f"the generator made an invalid guide:\n{validated.stderr}"
    assert "Traceback" not in stderr
    assert [line for line in stderr.splitlines() if line.startswith(f"{source}:")] == []
    guide = load_guide(source)
    out = folder / "dist"
    artifacts = {name: [out / artifact for artifact in exporter.artifact_names(guide.id)]
                 for name, exporter in EXPORTERS.items()}
    assert all(path.is_file() for paths in artifacts.values() for path in paths), stderr
    book, deck = artifacts["epub"][0], artifacts["anki"][0]
    problems = (structure_problems(book) + epubcheck(book) + inert_text_problems(deck, guide)
                + [problem for path in artifacts["pdf"] for problem in layout_problems(path)])
    assert problems == [], f"{source.name} ({stretch_for(seed)}):\n" + "\n".join(problems[:30])
