"""Property: any valid guide, of any size and with any Unicode text, builds all
three artifacts; the deck imports into real Anki, the sheet has two pages (or one that says so),
and the book passes EPUBCheck."""

from __future__ import annotations

import itertools
import os
import subprocess
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from exporter.build import registry
from exporter.source.loader import load_guide
from exporter.text.characters import shows_nothing
from exporter.text.markup import Text

from ..checkers.anki import fresh_collection, import_package
from ..checkers.epub import epubcheck
from ..checkers.pdf import check_page_count
from ..helpers import export

pytestmark = pytest.mark.slow

def _drawable() -> list[int]:
    """Code points some installed outline font has: the build refuses a character no
    font can draw (the glyph check), so a guide of any other is no valid input.
    Colour bitmap fonts do not count: the cover cannot scale them."""
    listing = subprocess.run(["fc-list", "--format", "%{file}\t%{charset}\n"], capture_output=True, text=True,
                             check=True).stdout
    codes: set[int] = set()
    for line in listing.splitlines():
        file, _, charset = line.partition("\t")
        if "Color" in file:
            continue
        for part in charset.split():
            first, _, last = part.partition("-")
            codes.update(range(int(first, 16), int(last or first, 16) + 1))
    # Characters the sheet's condensed faces lack but DejaVu Sans has are in too: Pango sets
    # them in a substitute face, which the WeasyPrint adapter keeps apart (one PDF font per file).
    return sorted(code for code in codes
                  if unicodedata.category(chr(code)) not in ("Cs", "Cc", "Cn", "Co"))


# Any printable Unicode an installed font has: letters of every script, symbols,
# emoji, marks. Not the noncharacters U+FFFE and U+FFFF, which the model refuses
# (XML cannot carry them); this strategy once drew them and the book failed to build.
# Nor a text that shows nothing (a lone soft hyphen, a code span of spaces): the model refuses it.
TEXT = st.text(
    alphabet=st.sampled_from([chr(code) for code in _drawable() if code not in (0xFFFE, 0xFFFF)]),
    min_size=1, max_size=60,
).filter(lambda text: text.strip() and not shows_nothing(Text(text.strip()).shown))


@st.composite
def guides(draw) -> dict:
    counter = itertools.count(1)

    def item_id(prefix: str) -> str:
        return f"{prefix}-{next(counter)}"

    domain_count = draw(st.integers(1, 3))
    weights = [100 // domain_count] * domain_count
    weights[0] += 100 - sum(weights)
    domains = []
    for number in range(1, domain_count + 1):
        concepts = [
            {"id": item_id("concept"), "term": draw(TEXT), "text": draw(TEXT), "tier": draw(st.integers(1, 3))}
            for _ in range(draw(st.integers(1, 6)))
        ]
        traps = [{"id": item_id("trap"), "myth": draw(TEXT), "truth": draw(TEXT)} for _ in range(draw(st.integers(0, 3)))]
        questions = []
        for _ in range(draw(st.integers(0, 2))):
            options = [{"id": letter, "text": draw(TEXT), "why": draw(TEXT)} for letter in "abcd"[: draw(st.integers(3, 4))]]
            questions.append({
                "id": item_id("question"), "stem": f"{draw(TEXT)} {next(counter)}", "options": options,
                "answer": [draw(st.sampled_from([option["id"] for option in options]))],
                "explanation": draw(TEXT), "tests": [concepts[0]["id"]],
            })
        domains.append({
            "id": f"domain-{number}", "number": number, "title": draw(TEXT), "weight": weights[number - 1],
            "summary": draw(TEXT), "key_topics": [draw(TEXT)], "concepts": concepts, "traps": traps,
            "questions": questions,
        })
    return {
        "id": "generated", "exam_code": draw(TEXT), "title": draw(TEXT), "certification": draw(TEXT),
        "vendor": draw(TEXT), "version": "1.0", "updated": "2026-01-02", "language": "en",
        "publisher": draw(TEXT), "authors": [draw(TEXT)], "license": draw(TEXT), "summary": draw(TEXT),
        "exam": {
            "question_count": {"min": 10, "max": 20}, "duration_minutes": 60, "question_types": [draw(TEXT)],
            "score_scale": {"min": 0, "max": 100}, "pass_mark": 70, "guessing_penalty": draw(st.booleans()),
            "fee": {"amount": 50, "currency": "EUR"}, "delivery": [draw(TEXT)],
        },
        "preparation": {"study_weeks": {"min": 1, "max": 2}},
        "tiers": [{"level": level, "name": draw(TEXT), "meaning": draw(TEXT)} for level in (1, 2, 3)],
        "domains": domains,
        "pairs": [{"id": item_id("pair"), "domains": ["domain-1"], "a": {"name": draw(TEXT), "use_when": draw(TEXT)},
                   "b": {"name": draw(TEXT), "use_when": draw(TEXT)}, "trap": draw(TEXT)}
                  for _ in range(draw(st.integers(0, 2)))],
        "mistakes": [{"id": item_id("mistake"), "title": draw(TEXT), "text": draw(TEXT)}
                     for _ in range(draw(st.integers(0, 3)))],
        "checklist": [{"id": item_id("check"), "text": draw(TEXT)} for _ in range(draw(st.integers(0, 3)))],
        "glossary": [{"id": item_id("term"), "term": draw(TEXT), "definition": draw(TEXT)}
                     for _ in range(draw(st.integers(0, 3)))],
    }


# Each example lays out two sheets and imports a deck: CI, which replays the same
# examples every run (conftest.py), runs fewer of them than a developer's machine.
EXAMPLES = 3 if os.environ.get("CI") else 6


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=guides())
def test_any_valid_guide_builds_every_artifact(data, tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    source = folder / "generated.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    guide = load_guide(source)
    paths: dict[str, list[Path]] = {
        name: export(guide, name, folder / "dist") for name in registry.EXPORTERS
    }
    assert all(path.stat().st_size > 0 for group in paths.values() for path in group)
    assert [check_page_count(PdfReader(path)) for path in paths["pdf"]] == [[], []]  # two pages, or one saying so
    with fresh_collection() as col:
        log = import_package(col, paths["anki"][0])
        assert len(log.new) > 0
        assert col._backend.check_database() == []
    assert epubcheck(paths["epub"][0]) == []  # a fraction of a second, in the JVM already running
