"""The Anki deck, checked with the real Anki: import, render, rebuild, update."""

from __future__ import annotations

import functools
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import genanki
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporter.anki import deck as anki
from exporter.anki import package as anki_package
from exporter.anki import plan as anki_plan
from exporter.build import templates as build_templates
from exporter.model.clock import build_time
from exporter.model.guide import Concept
from exporter.releases import ledgers as releases
from exporter.source.loader import load_guide
from exporter.text.i18n import labels_for
from tests.checkers.anki import (
    card_problems,
    check_artifacts,
    fresh_collection,
    import_package,
    visible_text,
)
from tests.conftest import ALL_GUIDES, SMALL_GUIDE
from tests.helpers import export

pytestmark = pytest.mark.slow


# --- one build and one fresh import per guide ----------------------------------------


@pytest.fixture(scope="module", params=ALL_GUIDES, ids=lambda path: path.stem)
def built(request, exported):
    """Each guide's deck, from the build of every guide that the tests share (conftest.py)."""
    guide = load_guide(request.param)
    (path,) = exported[guide.id]["anki"]
    return guide, path


@pytest.fixture(scope="module")
def imported(built):
    guide, path = built
    with fresh_collection() as col:
        log = import_package(col, path)
        yield guide, col, log


def tag_root(guide) -> str:
    return guide.exam_code.plain.replace("::", ":").replace(" ", "_")


def notes_by_guid(col) -> dict[str, object]:
    return {note.guid: note for note in (col.get_note(nid) for nid in col.find_notes(""))}


def expected_facts(guide) -> int:
    # pass mark, duration, question count, fee, guessing rule, one weight per domain, and `replaces` if given
    return 5 + len(guide.domains) + (1 if guide.exam.replaces else 0)


# --- fresh import ---------------------------------------------------------------------


def retired_count(guide) -> int:
    """Items a recorded release retired: they stay in the deck, flagged."""
    current = {note.key for note in anki_plan.current_notes(guide).notes}
    return len(releases.retired_items(guide.ledger, current))


def test_note_count_per_note_type_matches_the_source(imported):
    guide, col, log = imported
    root = tag_root(guide)
    per_type = Counter(col.get_note(nid).note_type()["name"].removeprefix(guide.exam_code.plain + " ")
                       for nid in col.find_notes(f"-tag:{root}::retired"))
    name = labels_for(guide).gettext  # note type names are in the guide's language
    expected = Counter({
        name("anki.type.concept"): sum(len(d.concepts) for d in guide.domains),
        name("anki.type.trap"): sum(len(d.traps) for d in guide.domains),
        name("anki.type.comparison"): len(guide.pairs),
        name("anki.type.question"): len(guide.all_questions),
        name("anki.type.fact"): expected_facts(guide),
    })
    assert per_type == +expected  # Counter equality ignores the zero counts
    retired = len(col.find_notes(f"tag:{root}::retired"))
    assert retired == retired_count(guide)
    assert len(log.new) == sum(expected.values()) + retired
    assert len(col.find_cards(f"-tag:{root}::retired")) == sum(expected.values()) + len(guide.pairs)  # a pair: two cards


def test_every_card_renders_question_and_answer_without_leftovers(imported):
    _, col, _ = imported
    assert col.card_count() > 0
    assert card_problems(col) == []


def test_each_domain_subdeck_holds_exactly_that_domains_cards(imported):
    guide, col, _ = imported
    notes = notes_by_guid(col)
    for domain in guide.domains:
        ids = [c.id for c in domain.concepts] + [t.id for t in domain.traps] + [q.id for q in domain.questions]
        ids += [p.id for p in guide.pairs if p.domains[0] == domain.id]
        expected = {genanki.guid_for(guide.id, item) for item in ids}
        expected.add(genanki.guid_for(guide.id, "exam-fact", f"weight-{domain.id}"))
        deck_name = f"{tag_root(guide)}::{domain.number:02d} {domain.title.plain}"
        in_deck = {col.get_card(cid).note().guid for cid in col.find_cards(f'"deck:{deck_name}"')}
        assert in_deck == expected, deck_name
        assert all(f"{tag_root(guide)}::domain::{domain.number}" in notes[guid].tags for guid in in_deck)


def test_subdecks_sort_in_exam_order(imported):
    guide, col, _ = imported
    root = tag_root(guide)
    names = [d.name for d in col.decks.all_names_and_ids() if d.name.startswith(f"{root}::")]
    labels = labels_for(guide)  # "Exam facts", "Practice exam" in the guide's language
    facts, practice_exam = labels.gettext("anki.deck.exam-facts"), labels.gettext("anki.deck.practice-exam")
    expected = ([f"{root}::00 {facts}"]
                + [f"{root}::{d.number:02d} {d.title.plain}" for d in sorted(guide.domains, key=lambda d: d.number)]
                + ([f"{root}::{len(guide.domains) + 1:02d} {practice_exam}"] if guide.practice_exam else []))
    assert sorted(names) == expected
    practice = col.find_cards(f'"deck:{root}::{len(guide.domains) + 1:02d} {practice_exam}"')
    assert len(practice) == len(guide.practice_exam)


def test_collection_passes_check_database(imported):
    _, col, _ = imported
    assert col._backend.check_database() == []


def test_tags_are_hierarchical_and_name_each_item(imported):
    guide, col, _ = imported
    root = tag_root(guide)
    notes = notes_by_guid(col)
    for domain in guide.domains:
        for concept in domain.concepts:
            tags = notes[genanki.guid_for(guide.id, concept.id)].tags
            assert {f"{root}::domain::{domain.number}", f"{root}::tier::{concept.tier}",
                    f"{root}::kind::concept", f"{root}::id::{concept.id}"} <= set(tags)
        for trap in domain.traps:
            assert f"{root}::kind::trap" in notes[genanki.guid_for(guide.id, trap.id)].tags
    tier_one = sum(1 for d in guide.domains for item in (*d.concepts, *d.traps) if item.tier == 1)
    assert len(col.find_notes(f"tag:{root}::tier::1")) == tier_one


def squeezed(text: str) -> str:
    return "".join(text.split())


def test_questions_show_lettered_options_and_say_how_many_to_choose(imported):
    guide, col, _ = imported
    notes = notes_by_guid(col)
    for question in guide.all_questions:
        card = notes[genanki.guid_for(guide.id, question.id)].cards()[0]
        front, back = visible_text(card.question()), visible_text(card.answer())
        # Inline markup (`code`, *emphasis*) becomes tags, which visible_text turns into
        # spaces; compare without whitespace so a code span in a `why` still matches.
        front_text, back_text = squeezed(front), squeezed(back)
        for option in question.options:
            assert option.id.upper() in front and squeezed(option.text.plain) in front_text
            assert squeezed(option.why.plain) in back_text
        assert squeezed(question.explanation.plain) in back_text
        if question.kind == "multiple":  # "Choose two answers." in the guide's language (test_i18n checks the words)
            count = len(question.answer)
            words = labels_for(guide).gettext(anki_plan._NUMBER_WORDS[count])
            assert labels_for(guide).ngettext("anki.choose-answers", "anki.choose-answers", count, words=words) in front


def test_exam_facts_are_cloze_cards_made_from_the_exam_data(imported):
    guide, col, _ = imported
    notes = notes_by_guid(col)
    card = notes[genanki.guid_for(guide.id, "exam-fact", "pass-mark")].cards()[0]
    assert str(guide.exam.pass_mark) not in visible_text(card.question())
    assert str(guide.exam.pass_mark) in visible_text(card.answer())
    for domain in guide.domains:
        card = notes[genanki.guid_for(guide.id, "exam-fact", f"weight-{domain.id}")].cards()[0]
        weight = labels_for(guide).share(domain)  # "25%" ("25 %" in German), or a range "25–30%"
        assert weight in visible_text(card.answer())
        assert weight not in visible_text(card.question())


def test_parent_deck_description_names_version_and_source(imported):
    guide, col, _ = imported
    description = col.decks.by_name(tag_root(guide))["desc"]
    assert guide.version in description and guide.title.plain in description
    assert (guide.homepage or f"sources/{guide.id}.yaml") in description


def test_notes_carry_the_date_of_the_release_that_last_changed_them(imported):
    """From the ledger: the last release naming a note, if the note still reads as it recorded;
    else (edited since, or no release yet) the build time."""
    guide, col, _ = imported
    last_named: dict[str, releases.Release] = {}
    recorded: dict[str, str] = {}
    for release in guide.ledger.releases if guide.ledger else ():
        for key in (*release.added, *release.changed, *release.retired):
            last_named[key] = release
        recorded.update({key: entry.digest for key, entry in (*release.added.items(), *release.changed.items())})
    current = {genanki.guid_for(*note.seed): note for note in anki_plan.current_notes(guide).notes}
    keys = {genanki.guid_for(guide.id, *key.split("/")): key for key in last_named}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        plan = current.get(note.guid)
        if plan is None:  # retired
            assert note.mod == last_named[keys[note.guid]].timestamp
        elif recorded.get(plan.key) == plan.content().digest:
            assert note.mod == last_named[plan.key].timestamp, plan.key
        else:
            assert note.mod == int(build_time(guide).timestamp()), plan.key


def test_cards_by_domain_matches_the_imported_deck(imported):
    guide, col, _ = imported
    counts = anki.cards_by_domain(guide)
    assert set(counts) == {d.id for d in guide.domains} | {anki.GENERAL_CARDS, anki.RETIRED_CARDS}
    assert sum(counts.values()) == col.card_count()  # every card of the deck, counted once
    assert counts[anki.RETIRED_CARDS] == len(col.find_cards(f"tag:{tag_root(guide)}::retired"))
    for domain in guide.domains:
        found = len(col.find_cards(f"tag:{tag_root(guide)}::domain::{domain.number}"))
        # a pair spanning two domains counts for its first one only
        shared = sum(2 for p in guide.pairs if domain.id in p.domains[1:])
        assert counts[domain.id] == found - shared


def test_make_check_finds_nothing_wrong(built):
    _, path = built
    assert check_artifacts([path]) == []


# --- identity and rebuilds ------------------------------------------------------------


def test_identical_rebuild_is_byte_identical_and_imports_nothing_new(built, tmp_path):
    guide, first = built
    (second,) = export(guide, "anki", tmp_path)
    assert second.read_bytes() == first.read_bytes()
    with fresh_collection() as col:
        import_package(col, first)
        notes, cards = col.note_count(), col.card_count()
        log = import_package(col, second)
        assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 0, notes)
        assert (col.note_count(), col.card_count()) == (notes, cards)


def test_export_leaves_no_temp_files(built, tmp_path, monkeypatch):
    guide, _ = built
    temp_root = tmp_path / "tmp"
    temp_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp_root))
    out = tmp_path / "out"
    export(guide, "anki", out)
    assert [p.name for p in out.iterdir()] == [f"{guide.id}.apkg"]
    assert list(temp_root.iterdir()) == []


def test_ids_come_from_stable_names_not_text():
    guide = load_guide(SMALL_GUIDE)
    retitled = guide.model_copy(update={"title": guide.title + " (revised)"})
    assert [m.model_id for m in anki_package._models(guide).values()] == [m.model_id for m in anki_package._models(retitled).values()]
    assert all(1 << 30 <= anki_package.stable_id("x", str(n)) < 1 << 31 for n in range(100))


# --- updates keep the review history ----------------------------------------------------


def write_variant(tmp_path: Path, name: str, edit) -> Path:
    """A copy of the fixture guide with `edit(data)` applied."""
    data = yaml.safe_load(SMALL_GUIDE.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / name / f"{data['id']}.yaml"  # the loader wants the file named after the id
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    ledger = releases.ledger_path(SMALL_GUIDE)
    if ledger.exists():  # an edit between releases: the ledger stays as it is
        shutil.copy(ledger, releases.ledger_path(path))
    return path


def card_state(card) -> tuple:
    card.load()
    return (card.type, card.queue, card.due, card.ivl, card.reps, card.lapses, card.factor, card.did)


def all_fields(col) -> dict[str, list[str]]:
    return {guid: list(note.fields) for guid, note in notes_by_guid(col).items()}


@pytest.fixture
def reviewed(tmp_path):
    """The fixture deck imported, with its first concept's card answered once."""
    guide = load_guide(SMALL_GUIDE)
    (path,) = export(guide, "anki", tmp_path / "v1")
    concept = guide.domains[0].concepts[0]
    with fresh_collection() as col:
        import_package(col, path)
        card = notes_by_guid(col)[genanki.guid_for(guide.id, concept.id)].cards()[0]
        card.start_timer()
        col.sched.answerCard(card, 4)  # "Easy": the card graduates to review
        assert card.reps == 1 and card.ivl > 0
        yield guide, col, card, concept


def test_edited_source_updates_that_note_in_place_and_keeps_its_review(reviewed, tmp_path):
    guide, col, card, concept = reviewed
    before_state, before_fields = card_state(card), all_fields(col)
    before_counts = (col.note_count(), col.card_count(), col.db.scalar("select count() from revlog"))

    def edit(data):
        data["domains"][0]["concepts"][0]["text"] = "Done in **late winter**; it provokes strong regrowth."
        data["updated"] = "2026-04-01"

    (path,) = export(load_guide(write_variant(tmp_path, "edited", edit)), "anki", tmp_path / "v2")
    log = import_package(col, path)

    assert len(log.new) == 0 and len(log.conflicting) == 0
    after_fields = all_fields(col)
    changed = {guid for guid in after_fields if after_fields[guid] != before_fields[guid]}
    guid = genanki.guid_for(guide.id, concept.id)
    assert changed == {guid}
    assert "<strong>late winter</strong>" in after_fields[guid][2]
    assert guid in {col.get_note(entry.id.nid).guid for entry in log.updated}
    assert card_state(card) == before_state
    assert (col.note_count(), col.card_count(), col.db.scalar("select count() from revlog")) == before_counts


def test_edit_without_a_newer_timestamp_is_not_applied(reviewed, tmp_path):
    """Why authors bump `updated`: Anki keeps a note whose incoming time is not newer."""
    guide, col, card, concept = reviewed
    before_fields = all_fields(col)

    def edit(data):
        data["domains"][0]["concepts"][0]["text"] = "An edit that forgot to bump the date."

    (path,) = export(load_guide(write_variant(tmp_path, "stale", edit)), "anki", tmp_path / "v2")
    log = import_package(col, path)
    assert (len(log.new), len(log.updated)) == (0, 0)
    assert all_fields(col) == before_fields


# --- hostile text -----------------------------------------------------------------------


def test_hostile_text_comes_out_as_text(tmp_path):
    def edit(data):
        data["exam_code"] = "ORCH 110::X"
        concept = data["domains"][0]["concepts"][0]
        concept["term"] = '<img src=x onerror="alert(1)">'
        concept["text"] = "<script>alert(1)</script> and [click](javascript:alert(1)) and {{Term}}"
        data["domains"][1]["title"] = "Pests::<b>bold</b>"
        data["exam"]["replaces"] = "{{c2::a second cloze}} and :: a hint"

    guide = load_guide(write_variant(tmp_path, "hostile", edit))
    (path,) = export(guide, "anki", tmp_path / "out")
    with fresh_collection() as col:
        import_package(col, path)
        card = notes_by_guid(col)[genanki.guid_for(guide.id, guide.domains[0].concepts[0].id)].cards()[0]
        question, answer = card.question(), card.answer()
        assert "<script" not in answer and "&lt;script&gt;" in answer
        assert "<img" not in question and "&lt;img" in question
        assert "javascript:" not in answer.replace("(javascript:alert(1))", "")  # shown as text, never a link
        assert "<a " not in answer
        assert "{{Term}}" in visible_text(answer) and "{{" not in answer  # shown, never run as a template
        facts = col.find_notes(f"tag:{tag_root(guide)}::kind::fact")
        assert len(facts) == expected_facts(guide)
        assert len(col.find_cards(f"tag:{tag_root(guide)}::kind::fact")) == len(facts)  # one cloze each
        replaces = notes_by_guid(col)[genanki.guid_for(guide.id, "exam-fact", "replaces")].cards()[0]
        assert "{{c2::a second cloze}} and :: a hint" in visible_text(replaces.answer())
        names = {d.name for d in col.decks.all_names_and_ids()}
        assert "ORCH 110:X::02 Pests:<b>bold</b>" in names  # "::" cannot nest decks
        assert all(" " not in tag for nid in col.find_notes("") for tag in col.get_note(nid).tags)
        assert col._backend.check_database() == []


def test_checker_reports_broken_and_missing_decks(tmp_path):
    broken = tmp_path / "broken.apkg"
    broken.write_bytes(b"not a zip")
    problems = check_artifacts([broken, tmp_path / "absent.apkg"])
    assert len(problems) == 2
    assert "cannot import" in problems[0] and "missing" in problems[1]


@functools.cache
def fixture_guide():
    return load_guide(SMALL_GUIDE)


# Tags the exporter and the Markdown renderer may write; anything else in a field came from source text.
_OUR_TAGS = re.compile(r"</?(?:strong|em|code|a|span|dl|dt|dd|ol|li)(?: [^<>]*)?>")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(term=st.text(alphabet='<>&"\'*_`[]():/ab{}', min_size=1, max_size=30).filter(str.strip),
       text=st.text(alphabet='<>&"\'*_`[]():/ab{}', min_size=1, max_size=60).filter(str.strip))
def test_any_source_text_reaches_the_fields_escaped(term, text):
    guide = fixture_guide()
    concept = Concept(id="probe", term=term, text=text, tier=1)
    domain = guide.domains[0].model_copy(update={"concepts": [concept]})
    probe = guide.model_copy(update={"domains": [domain, *guide.domains[1:]]})
    note = next(n for n in anki_plan.plan(probe).notes if n.seed == (guide.id, "probe"))
    for value in note.fields.values():
        assert "<" not in _OUR_TAGS.sub("", value), value
        assert "{{" not in value


def test_checker_reports_leftover_markdown_and_empty_sides(tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    shutil.copytree(build_templates.TEMPLATES_DIR, templates)
    (templates / "anki" / "trap-front.html").write_text("<div>**{{Claim}}**</div>", encoding="utf-8")
    (templates / "anki" / "trap-back.html").write_text("{{#Tier}}{{/Tier}}", encoding="utf-8")
    monkeypatch.setattr(build_templates, "TEMPLATES_DIR", templates)
    (path,) = export(fixture_guide(), "anki", tmp_path / "out")
    problems = check_artifacts([path])
    assert any("raw Markdown" in problem for problem in problems), problems
    assert any("empty answer" in problem for problem in problems), problems
