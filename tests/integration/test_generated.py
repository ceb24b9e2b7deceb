"""The contract: a guide that `validate` passes builds, and into sound artifacts.

Each seed gives one generated guide (`tests/generated.py`), stretching one
dimension in turn and others a little. For each: `validate` exits 0, `build`
exits 0, and then
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


@pytest.mark.parametrize("seed", SEEDS, ids=lambda seed: f"{seed}-{stretch_for(seed).dimension}")
def test_a_valid_generated_guide_builds_sound_artifacts(seed, tmp_path):
    source = write_source(seed, tmp_path)
    validated = run_main("validate", str(source))
    assert validated.returncode == 0, f"the generator made an invalid guide:\n{validated.stderr}"
    out = tmp_path / "dist"
    built = run_cli("build", str(source), "--out", str(out))
    assert built.returncode == 0, built.stderr
    assert "Traceback" not in built.stderr
    guide = load_guide(source)
    artifacts = {name: [out / artifact for artifact in exporter.artifact_names(guide.id)]
                 for name, exporter in EXPORTERS.items()}
    book, deck = artifacts["epub"][0], artifacts["anki"][0]
    problems = (structure_problems(book) + epubcheck(book) + inert_text_problems(deck, guide)
                + [problem for path in artifacts["pdf"] for problem in layout_problems(path)])
    assert problems == [], f"{source.name} ({stretch_for(seed)}):\n" + "\n".join(problems[:30])
