"""Hostile text in a valid source comes out as text in all three formats.

One guide carries markup, script, dangerous links, XML/CSS terminators,
bidi overrides, zero-width characters, emoji, CJK and right-to-left script in
every kind of text field. The deck is imported into real Anki, the book is
checked by EPUBCheck, and the sheet's text is read back with poppler.
"""

from __future__ import annotations

import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from exporter.build.registry import EXPORTERS

from ..checkers.anki import fresh_collection, import_package, visible_text
from ..checkers.epub import epubcheck
from ..conftest import SMALL_GUIDE
from ..helpers import run_cli

pytestmark = pytest.mark.slow

SCRIPT = "<script>alert(1)</script>"
HOSTILE = (
    f"{SCRIPT} <img src=x onerror=alert(1)> [js](javascript:alert(1)) [d](data:text/html,hi) "
    "</style> ]]> --> & &amp; \u202eevil\u202c zero\u200bwidth 🧪 機械学習 مرحبا שלום"
)
# What must survive as visible text (the bidi override itself is invisible).
MUST_SHOW = (SCRIPT, "<img src=x onerror=alert(1)>", "]]>", "-->", "</style>", " & ", "שלום", "مرحبا")
SAFE_SCHEMES = ("http://", "https://", "mailto:")


def hostile_guide(folder: Path) -> Path:
    source = SMALL_GUIDE
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    domain = data["domains"][0]
    domain["title"] = f"Prune {SCRIPT}"
    domain["concepts"][0]["term"] = f"Term {SCRIPT}"
    domain["concepts"][0]["text"] = HOSTILE
    domain["traps"][0]["myth"] = HOSTILE
    domain["traps"][0]["truth"] = HOSTILE
    domain["questions"][0]["stem"] = HOSTILE
    domain["questions"][0]["options"][0]["text"] = HOSTILE
    data["pairs"][0]["a"]["name"] = f"Winter {SCRIPT}"
    data["pairs"][0]["trap"] = HOSTILE
    data["mistakes"][0]["text"] = HOSTILE
    data["checklist"][0]["text"] = HOSTILE
    data["glossary"][0]["definition"] = HOSTILE
    data["practice_exam"][0]["explanation"] = HOSTILE
    path = folder / source.name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("hostile")
    source = hostile_guide(folder)
    result = run_cli("build", str(source), "--out", str(folder / "dist"))
    assert result.returncode == 0, result.stderr
    return folder / "dist", source.stem


def artifact(built, name: str, index: int = 0) -> Path:
    out, guide_id = built
    return out / EXPORTERS[name].artifact_names(guide_id)[index]


class ActiveContent(HTMLParser):
    """Collects anything in rendered HTML that a webview would run or follow."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "img"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src") and value and not value.startswith(SAFE_SCHEMES + ("#",)):
                self.found.append(f"{tag}[{name}={value}]")


def test_anki_cards_show_hostile_text_and_run_nothing(built):
    with fresh_collection() as col:
        import_package(col, artifact(built, "anki"))
        shown = 0
        for card_id in col.find_cards(""):
            card = col.get_card(card_id)
            for side in (card.question(), card.answer()):
                parser = ActiveContent()
                parser.feed(side)
                assert parser.found == [], parser.found
                text = visible_text(side)
                if "機械学習" in text:  # a side that shows one of the fully hostile fields
                    shown += 1
                    for fragment in MUST_SHOW:
                        assert fragment in text
        assert shown >= 5, "the hostile text should be visible on several cards"
        assert col._backend.check_database() == []


def test_epub_stays_well_formed_valid_and_inert(built):
    book = artifact(built, "epub")
    assert epubcheck(book) == []
    with zipfile.ZipFile(book) as archive:
        pages = [name for name in archive.namelist() if name.endswith(".xhtml")]
        visible = ""
        for name in pages:
            root = ElementTree.fromstring(archive.read(name))  # raises if not well-formed
            for element in root.iter():
                tag = element.tag.rsplit("}", 1)[-1]
                assert tag not in ("script", "iframe", "object", "embed"), (name, tag)
                for attribute, value in element.attrib.items():
                    assert not attribute.rsplit("}", 1)[-1].startswith("on"), (name, attribute)
                    if attribute == "href" and ":" in value.split("#")[0]:
                        assert value.startswith(SAFE_SCHEMES), (name, value)
            visible += "".join(root.itertext())
    for fragment in (*MUST_SHOW, "🧪", "機械学習"):
        assert fragment in visible


@pytest.mark.parametrize("index", [0, 1], ids=["a4", "letter"])
def test_pdf_shows_hostile_text(built, index):
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(artifact(built, "pdf", index)), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for fragment in (SCRIPT, "]]>", "-->", "</style>", " & "):
        assert fragment in flat
    # Right-to-left words, CJK and emoji: present as characters even where the
    # font has no glyph (a fallback box is drawn), never dropped silently.
    for fragment in ("שלום", "مرحبا", "機械学習", "🧪"):
        assert fragment in text
