"""Check .apkg decks with the real Anki: import each into a fresh collection.

`check_artifacts(paths)` is what `make check` runs. Run as a module to render
cards for a person to look at:

    python -m tests.checkers.anki render dist/ai-300.apkg OUT_FOLDER

writes front/back HTML of one card per note type, light and night, and PNGs
of them at phone width when Chromium is installed.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageRequest

# Left-over Markdown in rendered text: strong/emphasis marks, inline code, links.
_RAW_MARKDOWN = re.compile(r"\*\*|__|`|\]\(")
_TAG = re.compile(r"<[^>]+>")
_STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)
_CODE = re.compile(r"<code>.*?</code>", re.DOTALL)  # code may hold `__init__` or `**kwargs` on purpose
# What Anki writes into a card when a template names a field that does not exist.
_TEMPLATE_ERRORS = ("there is no field called", "{{", "}}")


@contextmanager
def fresh_collection() -> Iterator[Collection]:
    """An empty Anki collection in its own temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="anki-check-") as folder:
        col = Collection(str(Path(folder) / "collection.anki2"))
        try:
            yield col
        finally:
            col.close()


def import_package(col: Collection, path: Path):
    """Import as Anki desktop does with its default options; returns the import log."""
    options = col._backend.get_import_anki_package_presets()
    request = ImportAnkiPackageRequest(package_path=str(Path(path).resolve()), options=options)
    return col.import_anki_package(request).log


def visible_text(card_html: str) -> str:
    return html.unescape(_TAG.sub(" ", _STYLE.sub("", card_html))).strip()


def card_problems(col: Collection) -> list[str]:
    """Every card must render a non-empty question and answer, with no template or Markdown left over."""
    problems = []
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        key = card.note().fields[0]
        for side, rendered in (("question", card.question()), ("answer", card.answer())):
            body = _STYLE.sub("", rendered)
            text = visible_text(rendered)
            if not text:
                problems.append(f"{key}: card {card.ord + 1} renders an empty {side}")
            for error in _TEMPLATE_ERRORS:
                if error in body:
                    problems.append(f"{key}: card {card.ord + 1} {side} contains {error!r}")
            if _RAW_MARKDOWN.search(visible_text(_CODE.sub("", rendered))):
                problems.append(f"{key}: card {card.ord + 1} {side} shows raw Markdown: {text[:80]!r}")
    return problems


def import_problems(log) -> list[str]:
    problems = []
    for name in ("conflicting", "missing_notetype", "missing_deck", "empty_first_field", "duplicate"):
        entries = getattr(log, name)
        if entries:
            problems.append(f"{len(entries)} note(s) imported as {name.replace('_', ' ')}")
    if not log.new:
        problems.append("the deck added no notes to an empty collection")
    return problems


def check_artifacts(paths: list[Path]) -> list[str]:
    problems = []
    for path in map(Path, paths):
        if not path.is_file():
            problems.append(f"{path}: missing")
            continue
        with fresh_collection() as col:
            try:
                log = import_package(col, path)
            except Exception as error:  # Anki's own message is the useful part
                problems.append(f"{path}: Anki cannot import it: {error}")
                continue
            found = import_problems(log) + card_problems(col)
            found += [f"check database: {problem}" for problem in col._backend.check_database()]
            if not any(deck["desc"] for deck in col.decks.all()):
                found.append("no deck has a description")
            problems += [f"{path.name}: {problem}" for problem in found]
    return problems


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


def inert_text_problems(deck: Path, guide) -> list[str]:
    """Note and card ids above 0 in the file and after import, a clean import and database
    check, and cards that show guide text as text: no sound, no LaTeX image, no MathJax
    delimiter, no template error, no empty side, every concept term as typed."""
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
                # By its tag: note type names follow the guide's language.
                if side == "front" and any(tag.endswith("::kind::concept") for tag in card.note().tags):
                    shown_terms.add(_squeezed("".join(runs.runs)))
        missing = [term for term in terms if not any(term in shown for shown in shown_terms)]
        if missing:
            problems.append(f"deck: concept terms not shown as typed: {missing[:3]}")
    return problems


# --- rendering cards for a person to look at -------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<style>html, body {{ margin: 0; }} body {{ padding: 1.25rem 1rem; min-height: 100vh; box-sizing: border-box; }}</style>
</head><body class="{classes}">{card}</body></html>
"""


def card_page(card_html: str, night: bool) -> str:
    """A card as Anki shows it: its HTML and CSS inside a body with the card classes."""
    classes = "card nightMode night_mode" if night else "card"
    return PAGE.format(classes=classes, card=card_html)


def sample_cards(col: Collection) -> dict[str, object]:
    """The first card of each note type, by the note type's last word (Concept, Question...)."""
    samples = {}
    for card_id in sorted(col.find_cards("")):
        card = col.get_card(card_id)
        kind = card.note_type()["name"].split()[-1].lower()
        samples.setdefault(kind, card)
    return samples


CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def screenshots(pages: list[Path], width: int = 412, height: int = 760) -> None:
    """A PNG beside each page, from one headless Chromium (Debian's, driven by Playwright): a
    browser started once, not once per page. A page it cannot capture (Chromium's "Unable to
    capture screenshot", seen once on a busy machine) is taken by a Chromium of its own."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium or not pages:
        return
    from playwright.sync_api import Error, sync_playwright

    missed = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            tab = browser.new_page(viewport={"width": width, "height": height})
            for page in pages:
                tab.goto(page.resolve().as_uri())
                try:
                    tab.screenshot(path=str(page.with_suffix(".png")))
                except Error:
                    missed.append(page)
        finally:
            browser.close()
    for page in missed:
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run([chromium, "--headless", *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                            f"--window-size={width},{height}", f"--screenshot={page.with_suffix('.png')}",
                            page.resolve().as_uri()], check=True, capture_output=True, timeout=120)


def render(apkg: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with fresh_collection() as col:
        import_package(col, apkg)
        for kind, card in sample_cards(col).items():
            for side, card_html in (("front", card.question()), ("back", card.answer())):
                for mode, night in (("light", False), ("night", True)):
                    page = out / f"{kind}-{side}-{mode}.html"
                    page.write_text(card_page(card_html, night), encoding="utf-8")
                    written.append(page)
    screenshots(written)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.checkers.anki")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check")
    check.add_argument("apkg", nargs="+", type=Path)
    shots = commands.add_parser("render")
    shots.add_argument("apkg", type=Path)
    shots.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.command == "render":
        for page in render(args.apkg, args.out):
            print(page)
        return 0
    problems = check_artifacts(args.apkg)
    print("\n".join(problems) or "ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
