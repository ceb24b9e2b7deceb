"""`validate` passes ⇒ `build` succeeds: the cases that once broke the contract.

Each valid case builds into sound artifacts (checked with the same structural
checks as the generated guides); each case the formats cannot carry is refused
by `validate` and `build` alike, naming the field; and a failure inside an
exporter reaches the user as one line naming the guide and the format.
"""

from __future__ import annotations

import copy
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from exporter.anki import plan as anki_plan
from exporter.build import templates as build_templates
from exporter.cli.main import main
from exporter.sheet import glyph_check, pdf
from exporter.source.loader import load_guide
from exporter.text.glyphs import MissingGlyph

from ..checkers.anki import inert_text_problems
from ..checkers.epub import epubcheck, structure_problems
from ..helpers import export, run_cli, snapshot

MINIMAL = Path(__file__).resolve().parents[1] / "invalid" / "valid-minimal.yaml"


def minimal_data(guide_id: str) -> dict:
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    data["id"] = guide_id
    return data


def write(folder: Path, data: dict) -> Path:
    path = folder / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def book_text(book: Path, name: str) -> str:
    with zipfile.ZipFile(book) as archive:
        return archive.read(f"EPUB/text/{name}").decode("utf-8")


# --- valid guides that broke the build -----------------------------------------------------


def test_a_hard_line_break_is_a_line_break_in_every_format(tmp_path):
    data = minimal_data("hard-break")
    data["domains"][0]["concepts"][0]["text"] = "First line  \nsecond line\\\nthird line."
    guide = load_guide(write(tmp_path, data))
    (book,) = export(guide, "epub", tmp_path / "out")
    assert structure_problems(book) == []
    assert "First line<br />\nsecond line<br />\nthird line." in book_text(book, "domain-basics.xhtml")
    note = next(note for note in anki_plan.plan(guide).notes if note.seed == (guide.id, "first-idea"))
    assert note.fields["Explanation"] == "First line<br />\nsecond line<br />\nthird line."


@pytest.mark.slow
def test_ids_that_look_like_generated_anchors_give_unique_ids_and_right_links(tmp_path):
    """Domain ids `practice-exam` and `exam`, ids `x` and `x-title`, study paths `a` and
    `a-title`: once duplicate ids in the book and the NCX, and chart links on the sheet
    that jumped to the exam box."""
    data = minimal_data("anchors")
    first, second = data["domains"]
    first["id"], second["id"] = "practice-exam", "exam"
    first["concepts"][0]["id"], second["concepts"][0]["id"] = "x", "x-title"
    first["questions"][0]["tests"] = ["x"]
    second["questions"] = [{**copy.deepcopy(first["questions"][0]), "id": "weights", "stem": "Which is the title?",
                            "tests": ["x-title"]}]
    data["pairs"][0]["domains"] = ["practice-exam", "exam"]
    data["practice_exam"][0].update(domain="exam", tests=["x-title", "trap-one"])
    data["study_paths"] = [
        {"id": path_id, "title": f"Path {path_id}", "audience": "Anyone.",
         "steps": [{"id": f"step-{path_id}", "weeks": {"min": 1, "max": 1}, "focus": "Everything."}]}
        for path_id in ("a", "a-title")
    ]
    source = write(tmp_path, data)
    guide = load_guide(source)
    assert [d.id for d in guide.domains] == ["practice-exam", "exam"]
    (book,) = export(guide, "epub", tmp_path / "out")
    assert structure_problems(book) == []
    assert epubcheck(book) == []

    sheet = tmp_path / "anchors-a4.pdf"
    pdf.CheatSheet(guide, "a4").write(sheet)
    reader = PdfReader(sheet)
    destinations = set(reader.named_destinations)
    assert {"exam", "weights", "domain.practice-exam", "domain.exam"} <= destinations
    links = [annotation.get_object() for annotation in reader.pages[0].get("/Annots", [])]
    targets = [str(link.get("/Dest", link.get("/A", {}).get("/D"))) for link in links]
    assert targets.count("domain.exam") == 1 and targets.count("domain.practice-exam") == 1, targets


@pytest.mark.slow
def test_anki_syntax_in_any_field_shows_as_typed(tmp_path):
    syntax = ("[sound:winter.mp3] [latex]x^2[/latex] [$]y[/$] [$$]z[/$$] \\(z^2\\) \\[w\\] "
              "{{c1::hidden}} [anki:tts lang=en_US]hi[/anki:tts]")
    data = minimal_data("anki-syntax")
    data["exam_code"] = "MIN-100 [sound:code.mp3]"
    data["exam"]["replaces"] = "OLD-1 [sound:old.mp3] \\(q\\) {{c2::x}}"  # inside a cloze
    data["exam"]["scoring_note"] = syntax
    domain = data["domains"][0]
    domain["title"] = f"Basics {syntax}"
    domain["concepts"][0]["term"] = "Term [sound:term.mp3] \\(x\\)"
    domain["concepts"][0]["text"] = syntax
    domain["traps"][0]["myth"] = syntax
    domain["questions"][0]["options"][0]["text"] = syntax
    data["pairs"][0]["trap"] = syntax
    guide = load_guide(write(tmp_path, data))
    (deck,) = export(guide, "anki", tmp_path / "out")
    assert inert_text_problems(deck, guide) == []


# --- what the formats cannot carry: refused, naming the field --------------------------------


def refused(args: list[str], cwd: Path, env: dict | None = None) -> list[str]:
    result = run_cli(*args, cwd=cwd, env=env)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr.splitlines()


@pytest.mark.parametrize("epoch, message", [
    ("0", "must be between 1980-01-01 and 2107-12-31 (UTC), the dates the deck's and the book's zip files "
          "and Anki's note ids can hold; got 0 (1970-01-01 00:00:00 UTC)"),
    ("4354819200", "must be between 1980-01-01 and 2107-12-31 (UTC), the dates the deck's and the book's zip "
                   "files and Anki's note ids can hold; got 4354819200 (2108-01-01 00:00:00 UTC)"),
    ("yesterday", "must be a whole number of seconds since 1970-01-01 UTC, got 'yesterday'"),
])
def test_a_source_date_epoch_the_artifacts_cannot_carry_is_refused(epoch, message, tmp_path):
    source = write(tmp_path, minimal_data("epoch"))
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "earlier.apkg").write_bytes(b"an earlier deck")
    before = snapshot(dist)
    for command in (["validate", source.name], ["build", source.name, "--out", "dist"]):
        lines = refused(command, tmp_path, env={"SOURCE_DATE_EPOCH": epoch})
        assert lines == [f"(environment): SOURCE_DATE_EPOCH: {message}", "1 problem found; nothing was written."]
    assert snapshot(dist) == before


def test_the_earliest_and_latest_release_times_build(tmp_path):
    for stamp, epoch in (("1980-01-01T00:00:00Z", "315532800"), ("2107-12-31T23:59:59Z", "4354819199")):
        data = minimal_data("edges")
        data["updated"] = stamp
        guide = load_guide(write(tmp_path, data))
        for environment in ({}, {"SOURCE_DATE_EPOCH": epoch}):
            with pytest.MonkeyPatch.context() as patch:
                for name, value in environment.items():
                    patch.setenv(name, value)
                (deck,) = export(guide, "anki", tmp_path / "out")
                (book,) = export(guide, "epub", tmp_path / "out")
            assert zipfile.ZipFile(deck).testzip() is None and zipfile.ZipFile(book).testzip() is None


def test_two_sources_with_one_id_are_refused_naming_both(tmp_path):
    for folder in ("spring", "autumn"):
        (tmp_path / folder).mkdir()
        write(tmp_path / folder, minimal_data("same"))
    lines = refused(["validate", "spring/same.yaml", "autumn/same.yaml"], tmp_path)
    assert lines == [
        "autumn/same.yaml:1:1: id: 'same' is also the id of spring/same.yaml; each guide of one build "
        "needs its own id, since artifacts are named after it",
        "1 problem found; nothing was written.",
    ]
    assert refused(["build", "spring/same.yaml", "autumn/same.yaml", "--out", "dist"], tmp_path) == lines
    assert not (tmp_path / "dist").exists()


def test_one_source_named_twice_is_built_once(tmp_path):
    source = write(tmp_path, minimal_data("twice"))
    result = run_cli("build", source.name, f"./{source.name}", "--out", "dist", "--format", "anki", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("twice: 2 domains") == 1


def test_a_character_the_cover_cannot_draw_is_refused_by_validate_as_by_build(tmp_path):
    """The cover stops the build on a character no cover font has; validate says so first,
    in the same words, so that a guide it passes builds."""
    data = minimal_data("emoji")
    data["title"] = "Lab safety 🧪"  # newer than Symbola, and the cover takes no colour emoji
    source = write(tmp_path, data)
    validated = refused(["validate", source.name], tmp_path)
    # Line and column of the character itself, after "title: Lab safety ".
    assert validated[0].startswith("emoji.yaml:3:19: title: the cover has no font for '🧪' (U+1F9EA)"), validated
    # Its advice must not be to install what is installed: Noto Color Emoji has it, in bitmaps.
    assert "the font of fonts-noto-color-emoji that has it is made of colour bitmaps" in validated[0], validated
    built = refused(["build", source.name, "--out", "dist", "--format", "epub"], tmp_path)
    assert built == validated


# --- failures inside an exporter --------------------------------------------------------------


def broken_book_templates(tmp_path: Path) -> Path:
    """A copy of the templates in which one of the book's names a value that does not exist."""
    templates = tmp_path / "templates"
    shutil.copytree(build_templates.TEMPLATES_DIR, templates)
    broken = templates / "epub" / "tiers.xhtml.j2"
    assert "level=tier.level|number" in broken.read_text(encoding="utf-8")  # the break below must land
    broken.write_text(broken.read_text(encoding="utf-8").replace("level=tier.level|number", "level=no_such_value", 1),
                      encoding="utf-8")
    return templates


def test_an_exporter_bug_is_one_line_naming_the_guide_and_the_format(tmp_path, monkeypatch, capsys):
    templates = broken_book_templates(tmp_path)
    monkeypatch.setattr(build_templates, "TEMPLATES_DIR", templates)
    source = write(tmp_path, minimal_data("bug"))
    status = main(["build", str(source), "--out", str(tmp_path / "dist"), "--format", "epub"])
    err = capsys.readouterr().err
    assert status == 1
    assert err.splitlines() == [
        "error: building the epub artifacts of bug failed: UndefinedError: 'no_such_value' is undefined. "
        "The guide is valid, so this is a bug in the compiler: please report it with this line "
        "(run with --debug for the traceback)"]
    assert not (tmp_path / "dist" / "bug.epub").exists()


def test_a_file_the_system_refuses_is_one_line_naming_the_guide_and_the_format(tmp_path, capsys):
    source = write(tmp_path, minimal_data("blocked"))
    (tmp_path / "dist" / "blocked.apkg").mkdir(parents=True)  # a folder where the deck goes
    (tmp_path / "dist" / "blocked.apkg" / "keep").write_text("a file inside\n")
    status = main(["build", str(source), "--out", str(tmp_path / "dist"), "--format", "anki"])
    (line,) = capsys.readouterr().err.splitlines()
    assert status == 1
    assert line.startswith("error: writing the anki artifacts of blocked failed: ")
    assert "Error" in line and "bug" not in line


# --- all or nothing, guide by guide ----------------------------------------------------------


@pytest.mark.slow
def test_a_build_stopped_by_the_glyph_check_names_no_artifact_it_did_not_write(tmp_path, monkeypatch, capsys):
    """The deck is complete before the sheet's glyph check fails (results come in the jobs'
    order, the deck's first): no line may announce a deck that never went into place."""
    source = write(tmp_path, minimal_data("glyphless"))
    dist = tmp_path / "dist"
    capsys.readouterr()
    with monkeypatch.context() as patch:  # the workers fork from this process, patch included
        patch.setattr(glyph_check, "missing_glyphs", lambda sheet: [MissingGlyph("\u0378", "DejaVuSans")])
        assert main(["build", str(source), "--out", str(dist), "--format", "anki,pdf"]) == 1
    said = capsys.readouterr()
    assert "no glyph for '\\u0378'" in said.err and said.err.endswith("nothing was written.\n")
    assert said.out == ""
    assert not dist.exists() or not any(dist.iterdir())
    assert main(["build", str(source), "--out", str(dist), "--format", "anki,pdf"]) == 0
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()[:3]] == [
        str(dist / name) for name in ("glyphless.apkg", "glyphless-cheatsheet-a4.pdf", "glyphless-cheatsheet-letter.pdf")]

    # Two guides, the second stopped: the first's artifacts are in place, and said to be.
    first = write(tmp_path, minimal_data("first"))
    with monkeypatch.context() as patch:
        patch.setattr(glyph_check, "missing_glyphs",
                      lambda sheet: [MissingGlyph("\u0378", "DejaVuSans")] if "glyphless" in sheet.name else [])
        assert main(["build", str(first), str(source), "--out", str(dist), "--format", "anki,pdf"]) == 1
    said = capsys.readouterr()
    assert [line.split()[0] for line in said.out.splitlines() if line.startswith(str(dist))] == [
        str(dist / name) for name in ("first.apkg", "first-cheatsheet-a4.pdf", "first-cheatsheet-letter.pdf")]
    assert said.err.endswith("1 problem found; nothing more was written (first in place).\n")


def test_a_failing_format_leaves_the_guides_whole_previous_set(tmp_path, monkeypatch, capsys):
    """The deck builds, the book fails: the new deck must not replace the old one, or
    dist/ would hold a deck and a book of different versions."""
    source = write(tmp_path, minimal_data("set"))
    dist = tmp_path / "dist"
    assert main(["build", str(source), "--out", str(dist), "--format", "anki,epub"]) == 0
    before = snapshot(dist)

    data = minimal_data("set")
    data["updated"] = "2026-02-01"
    data["domains"][0]["concepts"][0]["text"] = "The first thing to know, reworded."
    write(tmp_path, data)
    templates = broken_book_templates(tmp_path)
    capsys.readouterr()
    with monkeypatch.context() as patch:
        patch.setattr(build_templates, "TEMPLATES_DIR", templates)
        assert main(["build", str(source), "--out", str(dist), "--format", "anki,epub"]) == 1
    assert "error: building the epub artifacts of set failed" in capsys.readouterr().err
    assert snapshot(dist) == before, "the old deck and book, both, and no temporary file"

    assert main(["build", str(source), "--out", str(dist), "--format", "anki,epub"]) == 0
    after = snapshot(dist)
    assert after["set.apkg"] != before["set.apkg"] and after["set.epub"] != before["set.epub"]
    assert not [name for name in after if name.endswith(".tmp")]
