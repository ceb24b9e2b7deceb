"""`studyguide stats` counts what a fresh Anki import of the deck holds.

Every guide in `sources/` and the fixtures (those with retired items among
them) is imported into a fresh collection with real Anki, and the numbers
`stats` prints are compared with Anki's: the total, the general exam facts,
the retired cards and each domain's cards.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exporter.source.loader import load_guide

from ..checkers.anki import fresh_collection, import_package
from ..conftest import ALL_GUIDES, ROOT, built_once
from ..helpers import run_main

pytestmark = pytest.mark.slow

LANGUAGE_GUIDES = sorted((ROOT / "tests" / "fixtures" / "languages").glob("*.yaml"))


def stats_rows(source: Path) -> dict[str, int]:
    """The first column of each row of `stats`, and its last (the cards)."""
    result = run_main("stats", str(source))  # the command line's main() (test_lint.py compares it with the real command)
    assert result.returncode == 0, result.stderr
    rows = {}
    for line in result.stdout.splitlines()[1:]:
        match = re.fullmatch(r"(.+?)\s{2,}.*?(\d+)", line)
        if match:
            rows[match.group(1).strip()] = int(match.group(2))
    return rows


def anki_counts(deck: Path, guide) -> dict[str, int]:
    code = guide.exam_code.plain
    with fresh_collection() as col:
        import_package(col, deck)
        counts = {"total": col.card_count(), "retired": len(col.find_cards(f"tag:{code}::retired"))}
        facts = [name for name in col.decks.all_names_and_ids() if name.name.startswith(f"{code}::00 ")]
        counts["general"] = sum(len(col.find_cards(f'"deck:{name.name}"')) for name in facts)
        for domain in guide.domains:
            counts[domain.id] = len(col.find_cards(f"tag:{code}::domain::{domain.number} -tag:{code}::retired"))
    return counts


def check(source: Path, deck: Path) -> None:
    guide = load_guide(source)
    rows, anki = stats_rows(source), anki_counts(deck, guide)
    assert rows["total"] == anki["total"]
    assert rows["general: exam facts"] == anki["general"]
    assert rows.get(f"retired: tag:{guide.exam_code.plain}::retired", 0) == anki["retired"]
    for domain in guide.domains:
        # A pair's cards count in its first domain (its deck), though tagged with each of its domains.
        shared = sum(2 for pair in guide.pairs if domain.id in pair.domains[1:])
        assert rows[f"{domain.number}. {domain.title}"] == anki[domain.id] - shared, domain.id


@pytest.mark.parametrize("source", ALL_GUIDES, ids=lambda path: path.stem)
def test_stats_counts_what_a_fresh_import_holds(source, exported):
    (deck,) = exported[source.stem]["anki"]
    check(source, deck)


@pytest.mark.parametrize("source", LANGUAGE_GUIDES, ids=lambda path: path.stem)
def test_stats_counts_what_a_fresh_import_holds_in_other_languages(source, tmp_path_factory):
    out, result = built_once(tmp_path_factory, source, source.stem)  # the build test_i18n.py reads
    assert result["returncode"] == 0, result["stderr"]
    check(source, out / f"{source.stem}.apkg")


def test_a_guide_with_retired_items_is_among_them():
    assert any("retired:" in " ".join(stats_rows(source)) for source in ALL_GUIDES + LANGUAGE_GUIDES)
