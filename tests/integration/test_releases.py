"""Releases that respect learners, checked with the real Anki.

The scenario: release 1 of the fixture guide is imported, studied, and one of
its notes (X) edited by the learner. The author then changes item Y, removes
Z, adds W, bumps the version and date, runs `release` and builds release 2.
Importing release 2 must update exactly Y and Z, add W, keep X's edit and
every review, and flag Z as retired.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest
import yaml
from anki.collection import ImportAnkiPackageRequest

from exporter.anki import plan as anki_plan
from exporter.model.anchors import anchor
from exporter.releases import ledgers as releases
from exporter.source.loader import load_guide
from tests.checkers.anki import card_problems, fresh_collection, import_package, visible_text

from ..conftest import SMALL_GUIDE
from ..helpers import run_cli, snapshot

SOURCE = SMALL_GUIDE
GUIDE_ID = "orch-110"
ROOT_TAG = "ORCH-110"
X, Y, Z, W = "codling-moth", "winter-pruning", "trap-spray-first", "fire-blight"
LEARNER_EDIT = "Its larvae tunnel into fruit. My mnemonic: moths come at dusk."
Y_TEXT = "Done while the tree is dormant; it **provokes** strong regrowth in spring."
Z_REASON = "Monitoring is now part of the codling-moth card."
SUMMARY = "Winter pruning reworded; fire blight added."
# Release 2 is dated a little after the learner's edit (made between the releases): so
# only the ledger's per-note dates keep that edit (the release's date alone would be
# newer). Every release date lies in the past: `release` refuses a future one.
R2_TIME = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=12)).replace(microsecond=0)
R2_UPDATED = R2_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
LEARNER_EDIT_TIME = R2_TIME - dt.timedelta(hours=1)
LATER = (R2_TIME + dt.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M:%SZ")


def guid(item_id: str) -> str:
    return genanki.guid_for(GUIDE_ID, item_id)


def source_data() -> dict:
    return yaml.safe_load(SOURCE.read_text(encoding="utf-8"))


def write_source(folder: Path, data: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{GUIDE_ID}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def second_release(data: dict) -> dict:
    """The author's edit: Y changed, Z removed, W added, version and date bumped."""
    pruning, pests = data["domains"]
    pruning["concepts"][0]["text"] = Y_TEXT
    pests["traps"] = [trap for trap in pests["traps"] if trap["id"] != Z]
    pests["concepts"].append({"id": W, "term": "Fire blight", "tier": 2,
                              "text": "A bacterial disease that scorches shoots; cut well below the damage."})
    for question in data["practice_exam"]:
        question["tests"] = [ref for ref in question["tests"] if ref != Z]
    data["version"], data["updated"] = "1.3.0", R2_UPDATED
    return data


def release(source: Path, *args: str):
    return run_cli("release", str(source), *args)


def build(source: Path, out: Path, formats: str = "anki,epub", env: dict | None = None) -> dict[str, str]:
    result = run_cli("build", str(source), "--out", str(out), "--format", formats, env=env)
    assert result.returncode == 0, result.stderr
    return snapshot(out)


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """Release 1 and release 2, each recorded with `release` and built with `build`."""
    base = tmp_path_factory.mktemp("history")
    first = write_source(base / "r1", source_data())  # a guide without a ledger: no release yet
    result = release(first)
    assert result.returncode == 0, result.stderr
    build(first, base / "r1" / "dist")

    second = write_source(base / "r2", second_release(source_data()))
    shutil.copy(releases.ledger_path(first), releases.ledger_path(second))
    result = release(second, "--reason", f"{Z}={Z_REASON}", "--summary", SUMMARY)
    assert result.returncode == 0, result.stderr
    build(second, base / "r2" / "dist")
    return {"r1": first, "r2": second, "report": result.stdout,
            "apkg1": base / "r1" / "dist" / f"{GUIDE_ID}.apkg", "apkg2": base / "r2" / "dist" / f"{GUIDE_ID}.apkg",
            "epub1": base / "r1" / "dist" / f"{GUIDE_ID}.epub", "epub2": base / "r2" / "dist" / f"{GUIDE_ID}.epub"}


def note_of(col, item_id: str):
    (note,) = [note for note in map(col.get_note, col.find_notes("")) if note.guid == guid(item_id)]
    return note


def card_state(card) -> tuple:
    card.load()
    return (card.type, card.queue, card.due, card.ivl, card.reps, card.lapses, card.factor, card.did)


def revlog_count(col, note) -> int:
    ids = ",".join(str(card.id) for card in note.cards())
    return col.db.scalar(f"select count() from revlog where cid in ({ids})")


# --- the release command's report and the ledger --------------------------------------


@pytest.mark.slow
def test_release_reports_added_changed_with_a_word_diff_and_retired(history):
    report = history["report"]
    assert f"+ {W} (concept): Fire blight" in report
    assert f"~ {Y} (concept): Winter pruning" in report
    assert "[-encourages vigorous-] {+provokes strong+}" in report
    assert f"- {Z} (trap): Spraying is always the first control to try. (why: {Z_REASON})" in report
    assert report.count("\n  ~ ") == 1 and report.count("\n  + ") == 1 and report.count("\n  - ") == 1


@pytest.mark.slow
def test_the_ledger_is_sorted_pretty_json_and_records_both_releases(history):
    path = releases.ledger_path(history["r2"])
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    first, second = data["releases"]
    assert (first["version"], first["updated"], second["version"], second["updated"]) == (
        "1.2.0", "2026-03-01", "1.3.0", R2_UPDATED)
    assert set(second["added"]) == {W} and set(second["changed"]) == {Y}
    assert second["retired"] == {Z: {"reason": Z_REASON}} and second["summary"] == SUMMARY
    assert len(first["added"]) == len(anki_plan.current_notes(load_guide(history["r1"])).notes)


# --- an existing learner updates --------------------------------------------------------


@pytest.fixture(scope="module")
def updated(history):
    """Release 1 studied and edited by a learner, then release 2 imported with the default options."""
    with fresh_collection() as col:
        import_package(col, history["apkg1"])
        before = {"notes": col.note_count(), "cards": col.card_count()}
        for item_id in (X, Y, Z):
            card = note_of(col, item_id).cards()[0]
            card.start_timer()
            col.sched.answerCard(card, 3)
        learner = note_of(col, X)
        learner["Explanation"] = LEARNER_EDIT  # as the editor would: the note's time becomes now
        col.update_note(learner)
        # ...made between the two releases, as a learner would have: the editor stamps the
        # wall clock, so the time is set back to then.
        col.db.execute("update notes set mod = ? where id = ?", int(LEARNER_EDIT_TIME.timestamp()), learner.id)
        assert note_of(col, X).mod < R2_TIME.timestamp()
        states = {item_id: card_state(note_of(col, item_id).cards()[0]) for item_id in (X, Y, Z)}
        reviews = {item_id: revlog_count(col, note_of(col, item_id)) for item_id in (X, Y, Z)}
        assert all(reviews.values())
        log = import_package(col, history["apkg2"])
        yield col, log, before, states, reviews


@pytest.mark.slow
def test_the_learners_edit_to_an_untouched_note_survives(updated):
    col, *_ = updated
    assert note_of(col, X)["Explanation"] == LEARNER_EDIT


@pytest.mark.slow
def test_the_changed_note_has_the_new_text_its_tag_and_its_review_history(updated):
    col, _, _, states, reviews = updated
    note = note_of(col, Y)
    assert "<strong>provokes</strong> strong regrowth" in note["Explanation"]
    assert f"{ROOT_TAG}::changed::1.3.0" in note.tags
    assert card_state(note.cards()[0]) == states[Y]
    assert revlog_count(col, note) == reviews[Y]


@pytest.mark.slow
def test_the_new_item_arrives_as_a_new_card(updated):
    col, log, *_ = updated
    note = note_of(col, W)
    assert [card.type for card in note.cards()] == [0]
    assert {col.get_note(entry.id.nid).guid for entry in log.new} == {guid(W)}


@pytest.mark.slow
def test_the_retired_item_shows_the_notice_is_tagged_and_keeps_its_history(updated):
    col, _, _, states, reviews = updated
    note = note_of(col, Z)
    assert f"{ROOT_TAG}::retired" in note.tags
    assert not [tag for tag in note.tags if "::domain::" in tag or "::tier::" in tag]
    card = note.cards()[0]
    text = visible_text(card.question()) + " " + visible_text(card.answer())
    assert "Retired in version 1.3.0" in text and f"Why: {Z_REASON}" in text
    assert "no longer part of the guide" in text
    assert card_state(card) == states[Z]  # an update never moves or reschedules a card
    assert revlog_count(col, note) == reviews[Z]
    assert col.find_notes(f"tag:{ROOT_TAG}::retired") == [note.id]


@pytest.mark.slow
def test_an_updating_learner_meets_a_retired_card_as_a_notice_never_as_a_quiz(updated):
    """An update never moves a card, so a retired card the learner had not studied yet stays
    new in its domain's deck: its front says it is retired instead of asking its question."""
    col, *_ = updated
    card = note_of(col, Z).cards()[0]
    assert col.decks.name(card.did).startswith(f"{ROOT_TAG}::")  # where it was
    front = visible_text(card.question())
    assert front.startswith("Retired in version 1.3.0")  # no stray separator before it
    assert "no longer part of the guide" in front
    assert "True or false" not in front and "Wrong" not in visible_text(card.answer())


@pytest.mark.slow
def test_an_updating_learner_is_told_why_the_retired_cards_deck_is_empty(updated):
    col, *_ = updated
    deck = col.decks.by_name(f"{ROOT_TAG} (retired cards)")
    assert deck is not None  # Anki makes every deck of the package, though no card goes there
    assert col.find_cards(f'"deck:{ROOT_TAG} (retired cards)"') == []
    assert "If this deck is empty, you already had those cards" in visible_text(deck["desc"])


@pytest.mark.slow
def test_a_learners_edit_after_importing_a_release_survives_reimporting_the_same_file(history):
    with fresh_collection() as col:
        import_package(col, history["apkg2"])
        note = note_of(col, X)
        note["Explanation"] = LEARNER_EDIT  # stamped with the wall clock, after the import
        col.update_note(note)
        log = import_package(col, history["apkg2"])
        assert note_of(col, X)["Explanation"] == LEARNER_EDIT
        assert (len(log.updated), len(log.new)) == (0, 0)


@pytest.mark.slow
def test_release_refuses_a_date_in_the_future_while_validate_and_build_only_warn(released, tmp_path):
    tomorrow = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    edit_source(released, bump(updated=tomorrow))
    line = released.read_text(encoding="utf-8").split("\n").index(f"updated: '{tomorrow}'") + 1
    assert_refused(released, f"{released}:{line}:1: updated: {tomorrow[:10]} {tomorrow[11:19]} UTC is later "
                             "than now", "re-importing the deck would overwrite learners' own edits")
    for command in (("validate",), ("build", "--format", "anki", "--out", str(tmp_path / "dist"))):
        result = run_cli(command[0], str(released), *command[1:])
        assert result.returncode == 0, result.stderr
        assert f"warning: {GUIDE_ID}: `updated:`: {tomorrow[:10]}" in result.stderr
        assert "`release` refuses it" in result.stderr


@pytest.mark.slow
def test_the_import_updates_exactly_one_note_besides_the_retired_one_and_duplicates_nothing(updated):
    col, log, before, *_ = updated
    assert {col.get_note(entry.id.nid).guid for entry in log.updated} == {guid(Y), guid(Z)}
    assert (len(log.conflicting), len(log.missing_notetype), len(log.missing_deck)) == (0, 0, 0)
    assert (col.note_count(), col.card_count()) == (before["notes"] + 1, before["cards"] + 1)
    guids = [col.get_note(nid).guid for nid in col.find_notes("")]
    assert len(guids) == len(set(guids))
    assert col._backend.check_database() == []
    assert card_problems(col) == []


# --- a new learner imports release 2 --------------------------------------------------------


def import_fresh(path: Path, with_progress: bool):
    col_context = fresh_collection()
    col = col_context.__enter__()
    options = col._backend.get_import_anki_package_presets()
    options.with_scheduling = with_progress
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path.resolve()), options=options))
    return col_context, col


@pytest.mark.slow
def test_the_package_holds_the_retired_cards_suspended_and_no_other(history, tmp_path):
    with zipfile.ZipFile(history["apkg2"]) as archive:
        (tmp_path / "collection.anki2").write_bytes(archive.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        queues = dict(db.execute("select n.guid, min(c.queue) from cards c join notes n on n.id = c.nid "
                                 "group by n.guid").fetchall())
        assert db.execute("select min(id) from notes").fetchone()[0] > 0
    finally:
        db.close()
    assert queues.pop(guid(Z)) == -1
    assert set(queues.values()) == {0}


@pytest.mark.slow
def test_a_fresh_import_with_learning_progress_keeps_the_retired_cards_suspended(history):
    context, col = import_fresh(history["apkg2"], with_progress=True)
    try:
        retired = set(col.find_cards(f"tag:{ROOT_TAG}::retired"))
        assert retired and {col.get_card(cid).queue for cid in retired} == {-1}
        others = [col.get_card(cid) for cid in col.find_cards("") if cid not in retired]
        assert {(card.type, card.queue) for card in others} == {(0, 0)}
        assert col._backend.check_database() == []
    finally:
        context.__exit__(None, None, None)


@pytest.mark.slow
def test_a_fresh_default_import_keeps_the_retired_cards_out_of_the_guides_deck(history):
    """Anki's default import makes every incoming card new, a suspended one too; so the
    retired cards sit in a deck beside the guide's, never in what a learner studies."""
    context, col = import_fresh(history["apkg2"], with_progress=False)
    try:
        retired = set(col.find_cards(f"tag:{ROOT_TAG}::retired"))
        assert retired
        assert not retired & set(col.find_cards(f'"deck:{ROOT_TAG}"'))  # the deck and its subdecks
        assert retired == set(col.find_cards(f'"deck:{ROOT_TAG} (retired cards)"'))
        others = [col.get_card(cid) for cid in col.find_cards("") if cid not in retired]
        assert {(card.type, card.queue) for card in others} == {(0, 0)}
        description = col.decks.by_name(ROOT_TAG)["desc"]
        assert "Version 1.3.0" in description and SUMMARY in description
        assert "What's new in 1.3.0: 1 new note, 1 changed, 1 retired." in visible_text(description)
        assert f"tag:{ROOT_TAG}::changed::1.3.0" in description
    finally:
        context.__exit__(None, None, None)


# --- the book -----------------------------------------------------------------------------


def book_files(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".xhtml")}


@pytest.mark.slow
def test_the_book_says_whats_new_with_links_to_each_item(history):
    files = book_files(history["epub2"])
    page = files["EPUB/text/whats-new.xhtml"]
    assert "What&#39;s new in 1.3.0" in page
    newest, earlier = page.index("Version 1.3.0"), page.index("Version 1.2.0")
    assert newest < earlier  # newest first
    assert f'href="domain-pests.xhtml#{anchor("concept", W)}"' in page
    assert f'href="domain-pruning.xhtml#{anchor("concept", Y)}"' in page
    assert (f'<li>Trap: Spraying is always the first control to try.<br/><span class="reason">Why: {Z_REASON}'
            f'</span></li>') in page  # retired: no link
    for target in (f'id="{anchor("concept", W)}"', f'id="{anchor("concept", Y)}"'):
        assert any(target in text for text in files.values())
    spine = zipfile.ZipFile(history["epub2"]).read("EPUB/content.opf").decode()
    assert spine.index('href="text/how-to-use.xhtml"') < spine.index('href="text/whats-new.xhtml"') \
        < spine.index('href="text/exam.xhtml"')


@pytest.mark.slow
def test_a_book_with_one_release_has_no_whats_new(history):
    assert "EPUB/text/whats-new.xhtml" not in book_files(history["epub1"])


# --- same bytes ------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_release_builds_the_same_bytes_twice_and_under_another_time_zone_and_locale(history, tmp_path):
    once = build(history["r2"], tmp_path / "once")
    again = build(history["r2"], tmp_path / "again")
    elsewhere = build(history["r2"], tmp_path / "elsewhere",
                      env={"TZ": "Pacific/Kiritimati", "LANG": "tr_TR.UTF-8", "LC_ALL": "tr_TR.UTF-8",
                           "PYTHONHASHSEED": "4321"})
    assert once == again == elsewhere
    assert once[f"{GUIDE_ID}.apkg"] == snapshot(history["apkg2"].parent)[f"{GUIDE_ID}.apkg"]


# --- refusals ------------------------------------------------------------------------------


@pytest.fixture
def released(history, tmp_path):
    """A copy of release 2 (source and ledger) to try the next release on."""
    source = tmp_path / f"{GUIDE_ID}.yaml"
    shutil.copy(history["r2"], source)
    shutil.copy(releases.ledger_path(history["r2"]), releases.ledger_path(source))
    return source


def edit_source(source: Path, edit) -> None:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    edit(data)
    source.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def assert_refused(source: Path, *messages: str, args: tuple[str, ...] = ()) -> None:
    ledger = releases.ledger_path(source)
    before = ledger.read_bytes()
    result = release(source, *args)
    assert result.returncode == 1, result.stdout + result.stderr
    for message in messages:
        assert message in result.stderr, result.stderr
    assert result.stderr.rstrip().endswith("release refused; nothing was written.")
    assert ledger.read_bytes() == before
    assert sorted(path.name for path in source.parent.iterdir()) == [ledger.name, source.name]


def bump(version: str | None = "1.4.0", updated: str | None = LATER):
    def edit(data):
        data["domains"][0]["concepts"][1]["text"] = "Done after the growth flush; it slows growth."
        if version:
            data["version"] = version
        if updated:
            data["updated"] = updated
    return edit


@pytest.mark.slow
def test_release_refuses_an_unbumped_version(released):
    edit_source(released, bump(version=None))
    assert_refused(released, f"{released}:", f"version: 1.3.0 is the version of the last release ({R2_UPDATED}); "
                                               "bump `version:` for a new release")


@pytest.mark.slow
def test_release_refuses_an_unbumped_date(released):
    edit_source(released, bump(updated=None))
    assert_refused(released, f"updated: {R2_UPDATED} is not later than {R2_UPDATED}, the date of the last release "
                             f"(1.3.0)")


@pytest.mark.slow
def test_release_refuses_a_version_that_goes_backwards(released):
    edit_source(released, bump(version="1.2.9"))
    assert_refused(released, "version: 1.2.9 is lower than 1.3.0, the last release's; versions only go forward")


@pytest.mark.slow
def test_release_refuses_a_retired_id_that_comes_back_meaning_something_else(released):
    def reuse(data):
        bump()(data)
        data["domains"][1]["traps"].append({"id": Z, "myth": "Pheromone traps kill every moth.",
                                            "truth": "They only show when moths fly."})
    edit_source(released, reuse)
    assert_refused(released, f"id: '{Z}' was retired in 1.3.0 as trap 'Spraying is always the first control "
                             f"to try.' and now names 'Pheromone traps kill every moth.'; ids are never reused")


@pytest.mark.slow
def test_release_refuses_an_id_that_changes_its_note_type(released):
    def retype(data):
        bump()(data)
        concept = data["domains"][1]["concepts"].pop()
        data["domains"][1]["traps"].append({"id": concept["id"], "myth": "Fire blight is a fungus.",
                                            "truth": "It is a bacterium."})
    edit_source(released, retype)
    assert_refused(released, f"id: '{W}' was a concept in 1.3.0 and is now a trap; ids are never reused")


@pytest.mark.slow
def test_release_refuses_a_reason_for_an_item_it_does_not_retire(released):
    edit_source(released, bump())
    assert_refused(released, f"--reason: '{X}' is not retired by this release", args=("--reason", f"{X}=Old."))


@pytest.mark.slow
def test_a_retired_item_may_come_back_as_itself(released):
    def restore(data):
        bump()(data)
        data["domains"][1]["traps"].append({"id": Z, "myth": "Spraying is always the first control to try.",
                                            "truth": "Monitor first, then act on thresholds.", "tier": 2})
    edit_source(released, restore)
    result = release(released)
    assert result.returncode == 0, result.stderr
    assert f"~ {Z} (trap) (restored)" in result.stdout
    layout = anki_plan.plan(load_guide(released))
    assert not [note for note in layout.notes if note.suspended]


# --- what a digest covers ------------------------------------------------------------------


def digests(guide) -> dict[str, str]:
    return {note.key: note.content().digest for note in anki_plan.current_notes(guide).notes}


def test_a_digest_ignores_how_a_character_is_escaped_but_not_what_anki_would_read():
    fields = {"Key": "01 concept x", "Term": "Don't", "Explanation": "a  <em>b</em>\n c"}
    same = {"Key": "01 concept x", "Term": "Don&#x27;t", "Explanation": "a <em>b</em> c"}
    assert releases.digest("concept", fields, ["t"]) == releases.digest("concept", same, ["t"])
    cloze, literal = {"Text": "{{c1::700}}"}, {"Text": "&#123;&#123;c1::700&#125;&#125;"}
    assert releases.digest("fact", cloze, []) != releases.digest("fact", literal, [])
    assert releases.digest("fact", literal, []) == releases.digest("fact", {"Text": "&lbrace;&#123;c1::700}}"
                                                                        .replace("}}", "&#125;&#x7d;")}, [])
    assert releases.digest("concept", fields, ["t"]) != releases.digest("concept", fields, ["t", "u"])
    assert releases.digest("concept", fields, []) != releases.digest("trap", fields, [])
    bold = dict(fields, Explanation="a <strong>b</strong> c")
    assert releases.digest("concept", fields, []) != releases.digest("concept", bold, [])


def test_a_digest_follows_what_a_note_shows_and_nothing_else():
    guide = load_guide(SOURCE)
    before = digests(guide)

    def changed_by(update) -> set[str]:
        data = guide.model_dump(mode="python")
        update(data)
        after = digests(type(guide).model_validate(data))
        return {key for key in before if after.get(key) != before[key]}

    def retitle(data):
        data["domains"][1]["title"] = "Manage Pests"

    def retest(data):
        data["practice_exam"][1]["tests"] = ["codling-moth"]

    def redefine(data):
        data["glossary"][0]["definition"] = "The winter rest of a deciduous tree."

    def mistake(data):
        data["mistakes"][0]["text"] = "Spraying by date wastes effort."

    pests = {note.key for note in anki_plan.current_notes(guide).notes if note.domain_id == "pests"}
    assert changed_by(retitle) == pests  # the Domain label (and the weight's sentence) shows the title
    assert changed_by(retest) == set()  # a question's `tests` is not on its card
    assert changed_by(redefine) == {"winter-pruning"}  # the concept that shows the entry
    assert changed_by(mistake) == set()  # book only


def test_a_missing_ledger_means_no_release_yet(tmp_path):
    source = tmp_path / SOURCE.name
    shutil.copy(SOURCE, source)
    guide = load_guide(source)
    assert guide.ledger is None
    layout = anki_plan.plan(guide)
    assert {note.mod for note in layout.notes} == {None}  # the build time, as before releases
    assert not [note for note in layout.notes if note.suspended or "::changed::" in " ".join(note.tags)]


def test_a_broken_ledger_is_reported_with_file_line_and_column(tmp_path):
    from exporter.source.loader import SourceError

    source = tmp_path / SOURCE.name
    shutil.copy(SOURCE, source)
    ledger = releases.ledger_path(source)
    ledger.write_text('{\n  "guide": "orch-110",\n  "releases": [\n', encoding="utf-8")
    with pytest.raises(SourceError) as error:
        load_guide(source)
    assert str(error.value).startswith(f"{ledger}:4:1: (file): is not valid JSON")
    ledger.write_text('{"guide": "another", "releases": []}', encoding="utf-8")
    with pytest.raises(SourceError) as error:
        load_guide(source)
    assert f"{ledger}: guide: is 'another', but the source's id is 'orch-110'" in str(error.value)


def test_word_diff_shows_the_changed_words_with_a_little_context():
    old = "one two three four five six seven eight nine ten"
    new = "one two three four five SIX seven eight nine ten"
    assert releases.word_diff(old, new, context=2) == "… four five [-six-] {+SIX+} seven eight …"


@pytest.mark.slow
def test_release_refuses_a_date_anki_cannot_store(tmp_path):
    data = source_data()
    data["updated"] = "1969-12-31"
    source = write_source(tmp_path, data)
    result = release(source)
    assert result.returncode == 1
    # The model refuses it, as for every command: the dates zip files and Anki's note ids can hold.
    assert "updated: must be between 1980-01-01 and 2107-12-31 (UTC)" in result.stderr
    assert not releases.ledger_path(source).exists()
    data["updated"] = "2108-01-01"
    source = write_source(tmp_path, data)
    result = release(source)
    assert result.returncode == 1
    assert "updated: must be between 1980-01-01 and 2107-12-31 (UTC)" in result.stderr
    assert not releases.ledger_path(source).exists()


def test_a_release_date_is_recorded_in_utc_whatever_the_local_zone(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    try:
        assert releases.format_updated(dt.datetime(2026, 6, 14, 15, 0)) == "2026-06-14T15:00:00Z"
        assert releases.format_updated(dt.date(2026, 6, 14)) == "2026-06-14"
        assert releases.parse_updated("2026-06-14T15:00:00Z").timestamp() == 1781449200
    finally:
        monkeypatch.undo()
        time.tzset()


def question_note(folder: Path, data: dict, key: str = "mock-1") -> releases.Note:
    source = write_source(folder / str(len(list(folder.iterdir()))), data)
    (note,) = [n.content() for n in anki_plan.current_notes(load_guide(source)).notes if n.key == key]
    return note


def test_the_release_diff_keeps_fields_and_options_apart(tmp_path):
    """One line per changed field, and per changed option: words of two options, or of an
    option's text and its why, never run together."""
    before = question_note(tmp_path, source_data())
    data = source_data()
    data["practice_exam"][0]["options"][1]["why"] = "Summer pruning slows growth, which a weak tree cannot afford."
    data["practice_exam"][0]["explanation"] = "A weak tree needs the strong response of winter pruning."
    lines = releases.entry_diff(before.entry(), question_note(tmp_path, data).entry())
    assert lines == [
        "Option B, why: Summer pruning slows [-growth further.-] {+growth, which a weak tree cannot afford.+}",
        "Explanation: … weak tree needs the [-invigorating-] {+strong+} response of winter pruning.",
    ], lines


def test_the_release_diff_gives_each_added_removed_or_moved_option_a_line_of_its_own(tmp_path):
    before = question_note(tmp_path, source_data())
    data = source_data()
    options = data["practice_exam"][0]["options"]
    options.append({"id": "d", "text": "Feed it at 200 kg", "why": "Feeding cannot replace new wood."})
    options[1]["text"] = "Prune in late summer"
    lines = releases.entry_diff(before.entry(), question_note(tmp_path, data).entry())
    assert lines == [
        "Option B: Prune in {+late+} summer",
        "Option D (added): Feed it at 200 kg",
        "Option D (added), why: ✗ Wrong: Feeding cannot replace new wood.",
    ], lines

    data = source_data()  # an option inserted before B: the old B and C are found by their text
    options = data["practice_exam"][0]["options"]
    options.insert(1, {"id": "b", "text": "Feed it at 200 kg", "why": "Feeding cannot replace new wood."})
    for option, letter in zip(options[2:], "cd"):
        option["id"] = letter
    lines = releases.entry_diff(before.entry(), question_note(tmp_path, data).entry())
    assert lines == [
        "Option B (added): Feed it at 200 kg",
        "Option B (added), why: ✗ Wrong: Feeding cannot replace new wood.",
        "Option C (was B): Prune in summer",
        "Option D (was C): Stop all pruning",
    ], lines

    data = source_data()  # B, reworded, is the new answer
    question = data["practice_exam"][0]
    question["options"][1]["text"] = "Prune in early summer"
    question["answer"] = ["b"]
    lines = releases.entry_diff(before.entry(), question_note(tmp_path, data).entry())
    assert lines == [
        "Option A, verdict: [-✓ Correct:-] {+✗ Wrong:+}",
        "Option B: Prune in {+early+} summer",
        "Option B, verdict: [-✗ Wrong:-] {+✓ Correct:+}",
        "Answer: [-A-] {+B+}",
    ], lines

    before = question_note(tmp_path, source_data(), "qc-scab")
    data = source_data()  # C removed, D now C
    options = data["domains"][1]["questions"][0]["options"]
    del options[2]
    options[2]["id"] = "c"
    lines = releases.entry_diff(before.entry(), question_note(tmp_path, data, "qc-scab").entry())
    assert lines == ["Option C (was D): Prune harder in winter", "Option C (removed): Hang pheromone traps"], lines


def test_the_release_diff_reads_the_options_of_an_older_ledger_apart(tmp_path):
    """Ledgers written before options had lines ran letter, text and why together
    ("BPlant resistant varietiesResistant trees…"): their options are told apart by
    their text, and a field whose lines they joined is unchanged if its words are."""
    recorded = load_guide(SOURCE).ledger.state()
    assert recorded["qc-scab"].entry.text["Options explained"].startswith(
        "A✓ Correct: Rake up fallen leavesThe fungus")  # the older form, as the fixture's ledger holds it
    data = source_data()
    data["domains"][1]["questions"][0]["options"][1]["why"] = "Resistant varieties resist infection."
    lines = releases.entry_diff(recorded["qc-scab"].entry, question_note(tmp_path, data, "qc-scab").entry())
    assert lines == ["Domain: … Manage Pests and Diseases {+· Book § 2.5+}",
                     "Option B, why: Resistant [-trees-] {+varieties+} resist infection."], lines

    data = source_data()
    data["practice_exam"][0]["options"][1]["text"] = "Prune in late summer"
    lines = releases.entry_diff(recorded["mock-1"].entry, question_note(tmp_path, data).entry())
    assert lines == ["Domain: … Prune and Train Trees {+· Book: practice exam+}",
                     "Option B: Prune in {+late+} summer"], lines

    old_glossary = recorded["winter-pruning"].entry  # "Dormancy The leafless…", the lines joined
    lines = releases.entry_diff(old_glossary, question_note(tmp_path, source_data(), "winter-pruning").entry())
    assert lines == ["Domain: … Prune and Train Trees {+· Book § 1.2+}"], lines


def test_a_field_whose_lines_cannot_be_matched_is_diffed_with_its_lines_apart():
    """When lines come and go (or an older ledger's options cannot be told apart),
    the field is diffed whole, a `|` between the words of two lines."""
    assert releases.word_diff("Dormancy The winter rest.", "Dormancy\nThe leafless winter rest.\nBud\nA shoot.") == (
        "Dormancy | The {+leafless+} winter rest. {+| Bud | A shoot.+}")
    old = releases.Entry(kind="question", digest="0" * 64, tags=[],
                         text={"Options": "AYes BNo", "Options explained": "AYesBecause. BNoBecause not."})
    new = releases.Entry(kind="question", digest="1" * 64, tags=[],
                         text={"Options": "A Yes\nB No", "Options explained": "A ✓ Right: Yes Because.\nB ✗ Wrong: No Not so."})
    assert releases.recorded_options(old) is None  # no verdict marks: where a text ends is lost
    assert releases.entry_diff(old, new) == [
        "Options: [-AYes BNo-] {+A Yes | B No+}",
        "Options explained: [-AYesBecause. BNoBecause not.-] {+A ✓ Right: Yes Because. | B ✗ Wrong: No Not so.+}",
    ]


def test_six_options_with_a_line_break_inside_one_are_diffed_whole():
    """Six options, the last with a hard line break: seven lines, more than there are letters."""
    letters = "ABCDEF"
    options = "\n".join(f"{letter} Option {letter}" for letter in letters) + "\nsecond line"
    explained = "\n".join(f"{letter} ✗ Wrong: Option {letter} No." for letter in letters) + "\nsecond line"
    old = releases.Entry(kind="question", digest="0" * 64, tags=[],
                         text={"Options": options, "Options explained": explained})
    new = releases.Entry(kind="question", digest="1" * 64, tags=[],
                         text={"Options": options.replace("second line", "other line"),
                               "Options explained": explained})
    assert releases.recorded_options(old) is None
    assert releases.entry_diff(old, new) == ["Options 7: [-second-] {+other+} line"]  # the field's seventh line
