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

import html
import os
import posixpath
import re
import sqlite3
import tempfile
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag

import pdfplumber
import pytest
import yaml
from lxml import etree
from pypdf import PdfReader

from exporter.loader import load_guide
from exporter.registry import EXPORTERS

from .checkers import pdf as pdf_checker
from .checkers.anki import fresh_collection, import_package, import_problems
from .checkers.epub import epubcheck
from .generated import DIMENSIONS, generated_guide, stretch_for
from .helpers import run_cli

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
    validated = run_cli("validate", str(source))
    assert validated.returncode == 0, f"the generator made an invalid guide:\n{validated.stderr}"
    out = tmp_path / "dist"
    built = run_cli("build", str(source), "--out", str(out))
    assert built.returncode == 0, built.stderr
    assert "Traceback" not in built.stderr
    guide = load_guide(source)
    artifacts = {name: [out / artifact for artifact in exporter.artifact_names(guide.id)]
                 for name, exporter in EXPORTERS.items()}
    problems = (epub_problems(artifacts["epub"][0]) + anki_problems(artifacts["anki"][0], guide)
                + [problem for path in artifacts["pdf"] for problem in sheet_problems(path)])
    assert problems == [], f"{source.name} ({stretch_for(seed)}):\n" + "\n".join(problems[:30])


# --- the book ---------------------------------------------------------------------------


def epub_problems(book: Path) -> list[str]:
    problems: list[str] = []
    ids: dict[str, set[str]] = {}
    links: list[tuple[str, str]] = []  # (document, href)
    with zipfile.ZipFile(book) as archive:
        for name in archive.namelist():
            if not name.endswith((".xhtml", ".opf", ".ncx")):
                continue
            try:
                root = etree.fromstring(archive.read(name))
            except etree.XMLSyntaxError as error:
                problems.append(f"{name}: not well-formed: {error}")
                continue
            seen: set[str] = set()
            for element in root.iter():
                if not isinstance(element.tag, str):
                    continue
                for attribute in ("id", "{http://www.w3.org/XML/1998/namespace}id"):
                    value = element.get(attribute)
                    if value is None:
                        continue
                    if value in seen:
                        problems.append(f"{name}: duplicate id {value!r}")
                    seen.add(value)
                href = element.get("href") if name.endswith(".xhtml") else element.get("src")
                if href and not re.match(r"^[a-z]+:", href):
                    links.append((name, href))
            ids[name] = seen
    for document, href in links:
        path, fragment = urldefrag(href)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(document), unquote(path))) if path else document
        if target not in ids and not target.endswith((".css", ".png")):
            problems.append(f"{document}: link {href!r} leads to no document")
        elif fragment and fragment not in ids.get(target, set()):
            problems.append(f"{document}: link {href!r} leads to no id in {target}")
    return problems + epubcheck(book)


# --- the deck ---------------------------------------------------------------------------


class _TextRuns(HTMLParser):
    """The runs of text between tags: MathJax looks for its delimiters within one run."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.runs: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs).get("src", ""))

    def handle_data(self, data):
        self.runs.append(data)


MATHJAX_OPENERS = ("\\(", "\\[")


def _squeezed(text: str) -> str:
    return "".join(text.split())


def anki_problems(deck: Path, guide) -> list[str]:
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "collection.anki2"
        with zipfile.ZipFile(deck) as archive:
            database.write_bytes(archive.read("collection.anki2"))
        connection = sqlite3.connect(database)
        try:
            for table in ("notes", "cards"):
                (lowest,) = connection.execute(f"select min(id) from {table}").fetchone()  # noqa: S608
                if lowest is None or lowest <= 0:
                    problems.append(f"deck: the lowest {table[:-1]} id is {lowest}")
        finally:
            connection.close()
    terms = {_squeezed(concept.term.plain) for domain in guide.domains for concept in domain.concepts}
    with fresh_collection() as col:
        log = import_package(col, deck)
        problems += [f"deck: {problem}" for problem in import_problems(log)]
        problems += [f"deck: check database: {problem}" for problem in col._backend.check_database()]
        if any(note_id <= 0 for note_id in col.find_notes("")):
            problems.append("deck: a note id is 0 or less after import")
        shown_terms: set[str] = set()
        for card_id in col.find_cards(""):
            card = col.get_card(card_id)
            key = card.note().fields[0]
            sides = (("front", card.question(), card.question_av_tags()),
                     ("back", card.answer(), card.answer_av_tags()))
            for side, rendered, sounds in sides:
                where = f"deck: {html.unescape(key)} card {card.ord + 1} {side}"
                body = re.sub(r"<style>.*?</style>", "", rendered, flags=re.DOTALL)
                runs = _TextRuns()
                runs.feed(body)
                if sounds:
                    problems.append(f"{where} plays {sounds}")
                if runs.images:
                    problems.append(f"{where} shows images {runs.images} (LaTeX?)")
                if any(opener in run for run in runs.runs for opener in MATHJAX_OPENERS):
                    problems.append(f"{where} holds a MathJax delimiter in one run of text")
                if "{{" in body or "}}" in body or "there is no field called" in body:
                    problems.append(f"{where} shows a template error")
                if not "".join(runs.runs).strip():
                    problems.append(f"{where} is empty")
                if card.note_type()["name"].endswith("Concept") and side == "front":
                    shown_terms.add(_squeezed("".join(runs.runs)))
        missing = [term for term in terms if not any(term in shown for shown in shown_terms)]
        if missing:
            problems.append(f"deck: concept terms not shown as typed: {missing[:3]}")
    return problems


# --- the sheet --------------------------------------------------------------------------


def sheet_problems(path: Path) -> list[str]:
    problems = pdf_checker.check_qpdf(path)
    reader = PdfReader(path)
    problems += pdf_checker.check_links(reader) + pdf_checker.check_page_sizes(path, reader)
    if len(reader.pages) != pdf_checker.PAGES:
        problems.append(f"{len(reader.pages)} pages, expected {pdf_checker.PAGES}")
    with pdfplumber.open(path) as document:
        for number, page in enumerate(document.pages, 1):
            chars = [char for char in page.chars if char["text"].strip()]
            outside = [char for char in chars if not pdf_checker.inside_margins(char, page)]
            if outside:
                problems.append(f"page {number}: {len(outside)} characters outside the margins: "
                                f"{''.join(char['text'] for char in outside[:40])!r}")
            overlapping = pdf_checker.overlapping_pairs(chars)
            if overlapping:
                a, b = overlapping[0]
                problems.append(f"page {number}: {len(overlapping)} overlapping glyphs, e.g. {a['text']!r} "
                                f"and {b['text']!r} at {a['x0']:.0f},{a['top']:.0f} pt")
    return [f"{path.name}: {problem}" for problem in problems]
