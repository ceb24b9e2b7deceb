"""One preview build: what the page shows of a guide, written into a folder of its own.

`cards_and_book` runs in the server's process and imports no WeasyPrint: the
deck's cards (`cards.py`) and the built EPUB, unpacked so that its own XHTML
pages and their links work in the browser. The sheet is `sheet_job`'s, in a
process of its own. Each build gets a new folder, so a page never reads a
half-written one; the session removes the old ones.
"""

from __future__ import annotations

import json
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from exporter.build import registry
from exporter.model.guide import Guide
from exporter.preview.cards import as_json, deck_cards
from exporter.text import i18n

CARDS_FILE = "cards.json"
BOOK_FOLDER = "book"
MEDIA_FOLDER = "media"
_NS = {"c": "urn:oasis:names:tc:opendocument:xmlns:container", "o": "http://www.idpf.org/2007/opf",
       "x": "http://www.w3.org/1999/xhtml"}


def cards_and_book(guide: Guide, folder: Path) -> dict:
    """Write the cards and the book of `guide` into `folder` (new); what the page needs to show them."""
    i18n.prepare(guide)
    folder.mkdir(parents=True)
    cards, styles, media = deck_cards(guide)
    (folder / CARDS_FILE).write_text(json.dumps(as_json(cards, styles), ensure_ascii=False), encoding="utf-8")
    # The deck's media, where the page points the cards' pictures (Anki keeps them in its media folder).
    (folder / MEDIA_FOLDER).mkdir()
    for name, data in media.items():
        (folder / MEDIA_FOLDER / name).write_bytes(data)
    (epub_name,) = registry.EXPORTERS["epub"].artifact_names(guide.id)
    book = folder / epub_name
    registry.EXPORTERS["epub"].write(guide, registry.EXPORTERS["epub"].outputs[0], book)
    chapters = unpack_book(book, folder / BOOK_FOLDER)
    return {"cards": CARDS_FILE, "card_count": len(cards), "media": f"{MEDIA_FOLDER}/", "epub": epub_name,
            "chapters": [{"title": title, "href": f"{BOOK_FOLDER}/{href}"} for title, href in chapters]}


def unpack_book(epub: Path, folder: Path) -> list[tuple[str, str]]:
    """Unpack the EPUB into `folder`; its reading order as (title, path inside `folder`)."""
    with zipfile.ZipFile(epub) as archive:
        for name in archive.namelist():
            if name.startswith("/") or ".." in name.split("/"):  # never outside the folder
                raise ValueError(f"the book has an entry outside its folder: {name!r}")
        archive.extractall(folder)
    container = ElementTree.parse(folder / "META-INF" / "container.xml")
    package_path = container.find(".//c:rootfile", _NS).get("full-path")
    package = ElementTree.parse(folder / package_path)
    base = posixpath.dirname(package_path)
    manifest = {item.get("id"): item.get("href") for item in package.iterfind(".//o:manifest/o:item", _NS)}
    chapters = []
    for itemref in package.iterfind(".//o:spine/o:itemref", _NS):
        href = posixpath.join(base, manifest[itemref.get("idref")])
        title = ElementTree.parse(folder / href).findtext(".//x:head/x:title", "", _NS).strip()
        chapters.append((title or posixpath.basename(href), href))
    return chapters


@dataclass
class Outcome:
    """What one save gave: the build's manifest, or the source's problems; lint's findings either way it loaded."""

    manifest: dict | None = None
    problems: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    watched: list[Path] = field(default_factory=list)  # the files this source reads
    language: str | None = None  # the guide's, once it loads


def fast_build(source: Path, folder: Path) -> Outcome:
    """Load and check the source as `validate` and `lint` do; if it loads, build its cards and book into `folder`."""
    from exporter import lint
    from exporter.model.clock import source_date_epoch_problem
    from exporter.source.loader import SourceError, load_guide_located

    outcome = Outcome(watched=watched_files(source))
    try:
        guide, marks = load_guide_located(source, root=source.parent)
    except SourceError as error:
        outcome.problems = [str(problem) for problem in error.problems]
        return outcome
    outcome.language = guide.language
    if epoch := source_date_epoch_problem():
        outcome.problems = [f"(environment): SOURCE_DATE_EPOCH: {epoch}"]
        return outcome
    outcome.findings = [str(finding) for finding in lint.run(guide, marks, str(source))[0]]
    outcome.notes = [note] if (note := i18n.missing_catalog_warning(guide)) else []
    try:
        outcome.manifest = cards_and_book(guide, folder)
    except SourceError as error:  # what only an exporter sees: a character of the cover no font draws
        outcome.problems = [str(problem) for problem in error.problems]
    except Exception as error:  # a bug, as the build would say it
        cause = " ".join(f"{type(error).__name__}: {error}".split())[:300]
        outcome.problems = [f"error: building the preview of {guide.id} failed: {cause}. The guide is valid, "
                            "so this is a bug in the compiler: please report it with this line"]
    return outcome


def watched_files(source: Path) -> list[Path]:
    """The files a build of `source` reads: the source and its release ledger."""
    from exporter.releases.ledgers import ledger_path

    return [source, ledger_path(source)]
