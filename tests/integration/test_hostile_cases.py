"""The second hostile round: inputs that once passed `validate` and then broke a build
or a learner's deck, now built into artifacts that pass their checkers.

(What is refused instead has its golden case in `tests/invalid/`: label placeholders,
field names Anki takes for one, character references, numbers, addresses, language
tags, characters no font has, deep emphasis, a comma in a flow mapping.)
"""

from __future__ import annotations

import html
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporter.anki import notes as anki_notes
from exporter.anki.text import deck_name, deck_part, tag, tag_part
from exporter.source.loader import load_guide
from exporter.text import i18n
from exporter.text.markup import Text, address_problem

from ..checkers.anki import card_problems, fresh_collection, import_package, visible_text
from ..checkers.epub import epubcheck
from ..conftest import SMALL_GUIDE
from ..helpers import export, run_cli, run_main

FIELD_LABEL = "L'explication <&> \"x\""
LABELS = {
    "anki.field.explanation": FIELD_LABEL,  # every character HTML escapes
    "anki.field.term": "Terme & co",
    "anki.field.correction": "Re\u0301ponse",  # NFD: Anki keeps names in NFC
    "sheet.glance": "At a glance, 100%% sure",  # a percent sign as catalogs write it
    "anki.trap.prompt": "True at 50% or false?",  # and as an author would
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("hostile-cases")
    data = yaml.safe_load(SMALL_GUIDE.read_text(encoding="utf-8"))
    data["exam_code"] = "ORCH:::110:"  # a run of colons, and one where the code meets "::"
    data["domains"][0]["title"] = "Prune ::: and train"
    data["domains"][0]["concepts"][0]["term"] = "Winter \u202epruning"  # an override left open
    data["domains"][0]["concepts"][1]["term"] = "Summer &#x202E;pruning"  # ... and one written as a reference
    data["labels"] = LABELS
    source = folder / SMALL_GUIDE.name
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_cli("build", str(source), "--out", str(folder / "dist"))
    assert result.returncode == 0, result.stderr
    return folder / "dist", data


@pytest.mark.slow
def test_field_names_with_html_characters_name_their_fields_on_every_card(built):
    out, _ = built
    with fresh_collection() as col:
        import_package(col, out / "orch-110.apkg")
        assert card_problems(col) == []  # "there is no field called …" would show here
        assert col._backend.check_database() == []
        concept = next(model for model in col.models.all() if model["name"].endswith("Concept"))
        assert FIELD_LABEL.replace('"', " ").split() == [
            *next(field["name"] for field in concept["flds"] if field["name"].startswith("L'")).split()]
        (note_id, *_) = col.find_notes('"tag:ORCH:110::id::winter-pruning"')
        card = col.get_note(note_id).cards()[0]
        assert "dormant" in visible_text(card.answer())  # the explanation, shown by its field's name


@pytest.mark.slow
def test_colons_in_the_exam_code_and_a_domain_title_nest_no_deck(built):
    out, _ = built
    with fresh_collection() as col:
        import_package(col, out / "orch-110.apkg")
        names = [deck.name for deck in col.decks.all_names_and_ids() if deck.name != "Default"]
        assert "ORCH:110" in names
        assert all(name.count("::") <= 1 for name in names), names
        assert "ORCH:110::01 Prune : and train" in names
        assert {name.split("::")[0] for name in names} <= {"ORCH:110", "ORCH:110 (retired cards)"}, names
        tags = col.tags.all()
        assert tags and all(tag.startswith("ORCH:110::") and ":::" not in tag for tag in tags), tags


@pytest.mark.slow
def test_percent_signs_in_labels_print_as_percent_signs(built):
    out, _ = built
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out / "orch-110-cheatsheet-a4.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "At a glance, 100% sure" in " ".join(text.split())
    with fresh_collection() as col:
        import_package(col, out / "orch-110.apkg")
        fronts = [visible_text(col.get_card(card).question()) for card in col.find_cards("tag:ORCH:110::kind::trap")]
        assert fronts and all("True at 50% or false?" in front for front in fronts)


@pytest.mark.slow
def test_an_override_ends_before_the_colon_the_sheet_puts_after_its_term(built):
    out, _ = built
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out / "orch-110-cheatsheet-a4.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    # pdftotext writes the order the eye reads: the term reversed, its colon still after it.
    assert "Winter gninurp:" in text
    assert "Summer gninurp:" in text  # the override written as a character reference


@pytest.mark.slow
def test_the_book_of_these_texts_passes_epubcheck(built):
    out, _ = built
    book = out / "orch-110.epub"
    assert epubcheck(book) == []
    with zipfile.ZipFile(book) as archive:
        page = next(archive.read(name).decode() for name in archive.namelist() if "pruning" in name)
    assert "Winter \u202epruning\u202c" in page  # the override ends with the term
    assert "Summer \u202epruning\u202c" in page  # also when written as a character reference


def _cards_in_anki(guide, folder: Path) -> dict[tuple[str, int], tuple[str, str]]:
    """Every card's question and answer as real Anki renders them, by note key and card."""
    (deck,) = export(guide, "anki", folder)
    with fresh_collection() as col:
        import_package(col, deck)
        return {(card.note().fields[0], card.ord): (visible_text(card.question()), visible_text(card.answer()))
                for card in map(col.get_card, col.find_cards(""))}


@pytest.mark.slow
def test_the_field_names_validate_refuses_are_exactly_those_that_break_cards_in_anki(tmp_path):
    """Each name on a field of a card's back (a concept's explanation) and of a card's front (a
    trap's claim), built without the loader's check: real Anki must render every card as with
    the catalog's names exactly when `validate` accepts the name."""
    guide = load_guide(SMALL_GUIDE)
    as_catalog_names = _cards_in_anki(guide, tmp_path / "catalog")
    names = ["FrontSide", "#FrontSide", "frontside", "FRONTSIDE", "Tags", "Type", "Deck", "Subdeck", "Card",
             "CardFlag", "CardID"]
    verdicts = {}
    for number, name in enumerate(names):
        named = guide.model_copy(update={"labels": {"anki.field.explanation": name, "anki.field.claim": name}})
        refused = bool(anki_notes.field_name_problems(named))
        broken = _cards_in_anki(named, tmp_path / str(number)) != as_catalog_names
        verdicts[name] = (refused, broken)
    assert all(refused == broken for refused, broken in verdicts.values()), verdicts
    assert verdicts["FrontSide"] == (True, True) and verdicts["Tags"] == (False, False)


# Addresses at the edges of what EPUBCheck's URL parser takes (it follows WHATWG's rules; each
# was tried in a book): accepted as they are ...
EDGE_ADDRESSES = [
    "http://[2001:db8::1]:65535/a?b=1#c", "http://[::ffff:192.0.2.1]/", "http://example.com:0/", "http://example.com:/",
    "http://xn--bcher-kva.de./", "http://b%C3%BCcher.de/", "http://%61.example/", "http://a_b.example/",
    "http://-a.example/", "https://user:pw@example.com/p;x=1?a=b&c=d#a/b?c@d:e", "http://192.0.2.1/",
    "http://192.0.2.1./", "http://example.com/~user/!$&'()*+,;=:@", "http://example.com?q", "http://example.com#f",
    "http://" + "a" * 63 + ".example/",
]
# ... and refused by `validate`, since EPUBCheck refuses them (or WHATWG's parser fails on them).
REFUSED_ADDRESSES = [
    "http://example.com:65536/", "http://a..b/", "http://.a.b/", "http://xn--/", "http://xn--a.de/", "http://[::1]x/",
    "http://[v1.x]/", "http://[192.0.2.1]/", "http://[::1%25eth0]/", "http://a/[x]", "http://a/?q=[x]", "http://a/#[x]",
    "http://a/#frag#2", "http://" + "a" * 64 + ".example/", "http://example.123/", "http://256.1.1.1/",
    "mailto:", "mailto:a@example.com#x#y", "mailto:a[x]@example.com", "http://XN--A.de/", "http://%FF.example/",
]


def test_addresses_are_refused_where_epubcheck_refuses_them():
    assert {address: address_problem(address) for address in EDGE_ADDRESSES if address_problem(address)} == {}
    assert [address for address in REFUSED_ADDRESSES if address_problem(address) is None] == []


@settings(max_examples=2000, deadline=None)
@given(scheme=st.sampled_from(["http://", "https://", "mailto:"]),
       pieces=st.lists(st.sampled_from(list("ab1.:/?#[]@%fF0-_~!$&'()*+,;=x") + ["xn--", "%25", "%C3%BC", "::1"])))
def test_the_address_check_answers_every_address(scheme, pieces):
    """Whatever the address, a verdict and no exception (an exception would be a crash of `validate`)."""
    problem = address_problem(scheme + "".join(pieces))
    assert problem is None or isinstance(problem, str)


@pytest.mark.slow
def test_a_book_of_addresses_at_the_edges_passes_epubcheck(tmp_path):
    """The edge forms as the homepage, resources' addresses and Markdown links; the refused forms
    as links too, which the book shows as their text."""
    data = yaml.safe_load(SMALL_GUIDE.read_text(encoding="utf-8"))
    data["homepage"] = EDGE_ADDRESSES[0]
    links = " ".join(f"[edge {number}]({address})" for number, address in enumerate([*EDGE_ADDRESSES, "mailto:a@b.example?subject=Hi%20there"]))
    shown_as_text = " ".join(f"[refused {number}]({address})" for number, address in enumerate(REFUSED_ADDRESSES))
    data["preparation"]["resources"] = [
        {"id": f"edge-{number}", "name": f"Edge {number}", "url": address} for number, address in enumerate(EDGE_ADDRESSES)
    ] + [{"id": "links", "name": "Links", "note": f"{links} {shown_as_text}"}]
    source = tmp_path / SMALL_GUIDE.name
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (book,) = export(load_guide(source), "epub", tmp_path / "out")
    assert epubcheck(book) == []
    page = "".join(html.unescape(text) for text in _book_pages(book))
    assert all(f'href="{address}"' in page for address in EDGE_ADDRESSES[1:])
    assert f'href="{EDGE_ADDRESSES[0]}"' in page  # the homepage, on the title page


def _book_pages(book: Path) -> list[str]:
    with zipfile.ZipFile(book) as archive:
        return [archive.read(name).decode() for name in archive.namelist() if name.endswith(".xhtml")]


def test_an_override_left_open_ends_with_its_text():
    for written in ("Winter \u202epruning", "Winter &#x202E;pruning", "Winter &#8238;pruning"):
        for rendered in (Text(written).html, Text(written).plain, Text(written).html_in_link):
            assert rendered.endswith("\u202epruning\u202c"), written
    assert Text("`&#x202E;` code").html == "<code>&amp;#x202E;</code> code"  # a code span reads no reference
    nested = Text("a \u2067b \u202bc")  # an embedding inside an isolate: both closed, innermost first
    assert nested.html.endswith("\u202c\u2069")
    assert Text("closed \u2067b\u2069 here").html == "closed \u2067b\u2069 here"


def test_every_run_of_colons_becomes_one_in_deck_and_tag_names():
    assert deck_part("A:::B::::C::D") == "A:B:C:D"
    assert tag_part("A:::B C") == "A:B_C"
    # Where parts are joined, a colon at a part's end would make ":::", which Anki nests at.
    assert deck_name("ORCH:", "01 Prune") == "ORCH::01 Prune"
    assert deck_name(":ORCH: ", ":: 01 Prune :") == "ORCH::01 Prune"
    assert tag("ORCH:", "domain", 1) == "ORCH::domain::1"
    assert tag(":::", "retired") == "_::retired"


# --- labels: validate ⇒ build ---------------------------------------------------------------

MESSAGE_IDS = sorted(i18n.message_ids())
LABEL_TEXT = st.lists(st.sampled_from(
    list("%()sdxX .:-_é입") + ["%(", ")s", "%%", "%(code)s", "%(num)s", "%(fee)s", "%(title)", "{{", "}}", "<", "&",
                              "'", '"']), min_size=1, max_size=12).map("".join)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(message_id=st.sampled_from(MESSAGE_IDS), text=LABEL_TEXT)
def test_a_label_that_validates_formats_in_every_way_the_exporters_use_it(message_id, text):
    """validate ⇒ build, for labels: the model accepts a label only if it formats, as text,
    as HTML, counted, in a card's field and as a field's name."""
    from pydantic import TypeAdapter, ValidationError

    from exporter.anki.text import label_html, say
    from exporter.model.fields import LabelId, LabelText, label_placeholders

    try:
        label_placeholders({message_id: text}, TypeAdapter(dict[LabelId, LabelText]).validate_python)
    except ValidationError:
        return
    labels = i18n.Labels("en", {message_id: text})
    values = {name: "V" for name in i18n.placeholders(message_id)}
    plain = labels.gettext(message_id, **values)
    if "%%" not in text:
        assert "%(" not in plain  # no placeholder printed as typed
    labels.html(message_id, **values)
    if len(i18n.english_forms()[message_id]) > 1:  # a counted label
        labels.ngettext(message_id, message_id, 2, **{k: v for k, v in values.items() if k != "num"})
    say(labels, message_id, **values)
    label_html(labels, message_id)
    for name, label in anki_notes.FIELD_LABELS.items():
        if label == message_id:
            assert not {"{", "}", ":", '"'} & set(anki_notes.field_name(labels, name))


# --- the rest of the round ------------------------------------------------------------------


def test_the_english_labels_warning_names_the_ids_it_leaves_in_english():
    from exporter.source.loader import load_guide

    guide = load_guide(SMALL_GUIDE)
    everything_but_one = {message_id: "x" for message_id in i18n.message_ids() if message_id != "sheet.glance"}
    dutch = guide.model_copy(update={"language": "nl", "labels": everything_but_one})
    assert "; 1 fixed label stays in English (sheet.glance). Translate" in i18n.missing_catalog_warning(dutch)
    everything_but_two = {key: text for key, text in everything_but_one.items() if key != "book.contents"}
    two = i18n.missing_catalog_warning(dutch.model_copy(update={"labels": everything_but_two}))
    assert "; 2 fixed labels stay in English (book.contents, sheet.glance). Translate" in two
    many = i18n.missing_catalog_warning(guide.model_copy(update={"language": "nl"}))
    assert (f"and {len(i18n.message_ids()) - i18n.MISSING_NAMED} more, which `studyguide stats` lists). "
            in many)


@pytest.mark.slow
def test_stats_lists_every_label_left_in_english(tmp_path):
    """Where the warning sends the author: every id, and none of those the guide translates."""
    text = SMALL_GUIDE.read_text(encoding="utf-8")
    dutch = tmp_path / SMALL_GUIDE.name
    dutch.write_text(text.replace("language: en\n", "language: nl\nlabels:\n  sheet.glance: In één oogopslag\n")
                     , encoding="utf-8")
    result = run_main("stats", str(dutch))
    assert result.returncode == 0, result.stderr
    expected = [message_id for message_id in i18n.message_ids() if message_id != "sheet.glance"]
    lines = result.stdout.splitlines()
    start = lines.index(f"Labels left in English, with no catalog for 'nl' ({len(expected)}; "
                        "translate them under `labels:`):")
    listed = " ".join(line for line in lines[start + 1:] if line.startswith("  ")).replace(",", " ").split()
    assert listed == expected
    english = run_main("stats", str(SMALL_GUIDE))
    assert "Labels left in English" not in english.stdout


@pytest.mark.slow
def test_a_folder_in_an_artifacts_place_is_blamed_on_its_own_format(tmp_path):
    out = tmp_path / "dist"
    (out / "orch-110.epub").mkdir(parents=True)
    result = run_cli("build", str(SMALL_GUIDE), "--out", str(out), "--format", "anki,epub")
    assert result.returncode == 1
    assert result.stderr.startswith("error: writing the epub artifacts of orch-110 failed: IsADirectoryError")
    assert not (out / "orch-110.apkg").exists()  # all or nothing


@pytest.mark.slow
def test_release_refuses_a_summary_the_formats_cannot_carry_and_validate_a_ledger_holding_one(tmp_path):
    import json

    source = tmp_path / SMALL_GUIDE.name
    text = SMALL_GUIDE.read_text(encoding="utf-8")
    source.write_text(text.replace("version: 1.2.0", 'version: "1.9.0"').replace(
        "updated: 2026-03-01", "updated: 2026-06-01"), encoding="utf-8")
    ledger = SMALL_GUIDE.with_name("orch-110.releases.json")
    (tmp_path / ledger.name).write_text(ledger.read_text(encoding="utf-8"), encoding="utf-8")
    assert run_cli("release", str(source), "--summary", "Form feed", "--dry-run").returncode == 0
    result = run_cli("release", str(source), "--summary", "Form\x0cfeed")
    assert result.returncode == 1
    assert f"{source}: --summary: contains the control character U+000C; remove it" in result.stderr
    assert (tmp_path / ledger.name).read_text(encoding="utf-8") == ledger.read_text(encoding="utf-8")
    data = json.loads(ledger.read_text(encoding="utf-8"))
    data["releases"][-1]["summary"] = "Form\x0cfeed"  # written by an older version, or by hand
    (tmp_path / ledger.name).write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("validate", str(source))
    assert result.returncode == 1
    assert (f"{tmp_path / ledger.name}: releases[{len(data['releases']) - 1}].summary: contains the control "
            "character U+000C; remove it") in result.stderr


def test_debug_works_before_and_after_the_command():
    """The error's hint says to run with --debug; it works wherever it is put."""
    from exporter.cli.main import _parser

    for argv in (["--debug", "build", "x.yaml"], ["build", "x.yaml", "--debug"], ["validate", "--debug", "x.yaml"]):
        assert _parser().parse_args(argv).debug is True
    assert _parser().parse_args(["build", "x.yaml"]).debug is False
