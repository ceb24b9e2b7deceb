"""What an update can do to a card a learner already has, in the real Anki: nothing.

A learner imports ORCH-110 1.2.0, studies one card and edits one note; the
author then retires a concept, a trap, a pair and a quick check and releases
1.3.0. Anki's package importer updates an existing note's fields and tags,
but it never touches an existing card: it adds a card row only for a
(note, card template) pair the collection lacks (rslib's
import_export/package/apkg/import/cards.rs, `import_cards`). So no content of
the .apkg can move or suspend a card the learner already has, not even one
never studied, whatever the row says (same card id, newer mtime, queue -1,
another deck) and whatever the import options. These tests pin that down:
if a future Anki starts applying card rows, they fail, and the deck can then
move never-studied retired cards out of the guide's decks.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import time
import zipfile
from pathlib import Path

import anki.buildinfo
import genanki
import pytest
import yaml
from anki.collection import ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition

from exporter.releases import ledgers
from tests.checkers.anki import fresh_collection, visible_text

from ..conftest import SMALL_GUIDE
from ..helpers import run_cli

GUIDE_ID = "orch-110"
ROOT = "ORCH-110"
STUDIED = "trap-spray-first"  # retired after the learner studied it
NEVER_STUDIED = ("summer-pruning", "pair-pruning-seasons", "qc-scab")  # retired, never studied
RETIRED = (STUDIED, *NEVER_STUDIED)
RETIRED_FACT = "replaces"  # an exam fact the data no longer gives
EDITED = "codling-moth"  # a note the release leaves alone, edited by the learner
LEARNER_EDIT = "Its larvae tunnel into fruit. My mnemonic: moths come at dusk."
RELEASE_TIME = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=12)).replace(microsecond=0)
EDIT_TIME = RELEASE_TIME - dt.timedelta(hours=1)
NOT_APPLIED = (f"Anki {anki.buildinfo.version} applied a card row of the package to a card the learner "
               "already had: the deck can now move or suspend never-studied retired cards on update "
               "(and README's 'Retired cards' should say so)")


def guid(*names: str) -> str:
    return genanki.guid_for(GUIDE_ID, *names)


def without_retired(data: dict) -> dict:
    """The author's release: the four items removed, every reference to them too."""
    for domain in data["domains"]:
        for kind in ("concepts", "traps", "questions"):
            domain[kind] = [item for item in domain.get(kind, []) if item["id"] not in RETIRED]
    data["pairs"] = [pair for pair in data["pairs"] if pair["id"] not in RETIRED]
    for domain in data["domains"]:
        for question in domain.get("questions", []):
            question["tests"] = [ref for ref in question["tests"] if ref not in RETIRED]
    for question in data["practice_exam"]:
        question["tests"] = [ref for ref in question["tests"] if ref not in RETIRED]
    del data["exam"]["replaces"]
    data["version"], data["updated"] = "1.3.0", RELEASE_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    return data


def build_deck(source: Path, out: Path) -> Path:
    result = run_cli("build", str(source), "--out", str(out), "--format", "anki")
    assert result.returncode == 0, result.stderr
    return out / f"{GUIDE_ID}.apkg"


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """The fixture's 1.2.0 as learners have it, and the 1.3.0 that retires four items."""
    base = tmp_path_factory.mktemp("retired")
    first = base / "r1" / SMALL_GUIDE.name
    first.parent.mkdir()
    data = yaml.safe_load(SMALL_GUIDE.read_text(encoding="utf-8"))
    data["exam"]["replaces"] = "ORCH-100"
    write_source(first, data)
    result = run_cli("release", str(first))  # its first release: every note as 1.2.0 ships it
    assert result.returncode == 0, result.stderr
    second = base / "r2" / SMALL_GUIDE.name
    second.parent.mkdir()
    write_source(second, without_retired(data))
    shutil.copy(ledgers.ledger_path(first), ledgers.ledger_path(second))
    result = run_cli("release", str(second))
    assert result.returncode == 0, result.stderr
    assert all(f"- {item}" in result.stdout for item in (*RETIRED, f"exam-fact/{RETIRED_FACT}")), result.stdout
    return build_deck(first, base / "r1" / "dist"), build_deck(second, base / "r2" / "dist")


def write_source(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def note_of(col, item_id: str, seed: tuple[str, ...] = ()):
    (note_id,) = [nid for nid in col.find_notes("") if col.get_note(nid).guid == guid(*seed, item_id)]
    return col.get_note(note_id)


def cards_of(col, item_ids) -> list:
    return [card for item_id in item_ids for card in note_of(col, item_id).cards()]


def card_state(card) -> tuple:
    card.load()
    return (card.did, card.type, card.queue, card.due, card.ivl, card.reps, card.lapses, card.factor)


def history(col, card) -> int:
    return col.db.scalar("select count() from revlog where cid = ?", card.id)


def learner(col, first_release: Path) -> None:
    """1.2.0 imported with the default options, one card studied, one note edited before 1.3.0."""
    import_with(col, first_release, {})
    card = note_of(col, STUDIED).cards()[0]
    card.start_timer()
    col.sched.answerCard(card, 3)
    note = note_of(col, EDITED)
    note["Explanation"] = LEARNER_EDIT
    col.update_note(note)
    col.db.execute("update notes set mod = ? where id = ?", int(EDIT_TIME.timestamp()), note.id)


def import_with(col, package: Path, options: dict):
    presets = col._backend.get_import_anki_package_presets()  # what desktop's dialog starts from
    for name, value in options.items():
        setattr(presets, name, value)
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package.resolve()), options=presets)).log


def with_card_rows_applied(package: Path, learner_cards: dict[tuple[str, int], int], out: Path) -> Path:
    """The package, its retired cards' rows rewritten in every way that might reach a learner's
    card: the learner's card ids, a newer modification time, suspended, in the retired cards'
    deck (they are there already)."""
    with zipfile.ZipFile(package) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    database = out / "collection.anki2"
    database.write_bytes(entries["collection.anki2"])
    db = sqlite3.connect(database)
    try:
        now = int(time.time())
        rows = db.execute("select c.id, n.guid, c.ord from cards c join notes n on n.id = c.nid").fetchall()
        rewritten = [(learner_cards[note_guid, ordinal], now, card_id)
                     for card_id, note_guid, ordinal in rows if (note_guid, ordinal) in learner_cards]
        assert len(rewritten) == len(learner_cards)  # every retired card of the learner's has its row
        db.executemany("update cards set id = ?, mod = ?, queue = -1 where id = ?", rewritten)
        db.commit()
    finally:
        db.close()
    entries["collection.anki2"] = database.read_bytes()
    crafted = out / package.name
    with zipfile.ZipFile(crafted, "w") as archive:
        for name, payload in entries.items():
            archive.writestr(name, payload)
    return crafted


DEFAULT = {}
WITH_PROGRESS = {"with_scheduling": True}
EVERYTHING = {"with_scheduling": True, "with_deck_configs": True, "merge_notetypes": True,
              "update_notes": ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS,
              "update_notetypes": ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS}


@pytest.mark.slow
@pytest.mark.parametrize("options", [DEFAULT, WITH_PROGRESS, EVERYTHING], ids=["default", "with-progress", "all"])
@pytest.mark.parametrize("rows", ["as-built", "card-rows-applied"])
def test_an_update_leaves_the_learners_cards_as_they_were(releases, tmp_path, options, rows):
    """Whatever the package says of a card and however it is imported, a card the learner
    has keeps its deck, queue and history; only the note's text and tags change."""
    first, second = releases
    with fresh_collection() as col:
        learner(col, first)
        before = {card.id: card_state(card) for card in cards_of(col, RETIRED)}
        studied = note_of(col, STUDIED).cards()[0]
        reviews = history(col, studied)
        assert reviews and len(before) == 5
        assert {col.decks.name(did).split("::")[0] for did, *_ in before.values()} == {ROOT}
        if rows == "card-rows-applied":
            second = with_card_rows_applied(
                second, {(col.get_note(card.nid).guid, card.ord): card.id for card in cards_of(col, RETIRED)},
                tmp_path)
        log = import_with(col, second, options)
        assert {col.get_note(entry.id.nid).guid for entry in log.updated} >= {guid(item) for item in RETIRED}
        after = {card.id: card_state(card) for card in cards_of(col, RETIRED)}
        assert after == before, NOT_APPLIED
        assert history(col, studied) == reviews
        if options is DEFAULT:
            assert note_of(col, EDITED)["Explanation"] == LEARNER_EDIT


@pytest.mark.slow
def test_a_retired_card_left_in_a_domains_deck_says_what_to_do_on_its_front(releases):
    first, second = releases
    with fresh_collection() as col:
        learner(col, first)
        import_with(col, second, DEFAULT)
        cards = [*cards_of(col, NEVER_STUDIED), *note_of(col, RETIRED_FACT, ("exam-fact",)).cards()]
        assert len(cards) == 5 and {card.queue for card in cards} == {0}  # new, in the guide's decks
        for card in cards:
            front = " ".join(visible_text(card.question()).split())
            assert front.startswith("Retired in version 1.3.0"), front
            assert "This card is no longer part of the guide. Suspend or delete it" in front, front
