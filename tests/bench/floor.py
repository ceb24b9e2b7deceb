"""The library floor: the least work the build's libraries do for a guide, in one process.

`make bench` times a cold build against this, run for run: what PyYAML,
WeasyPrint, genanki, ebooklib and Graphviz cost for the same guide when
nothing else runs — the source parsed, each cheat sheet (A4 and Letter) laid
out once from the guide's items with the sheet's own stylesheet and written,
one deck of a note per item, one book of a chapter per domain (and a few
more), each diagram drawn by `dot` as the build draws it (SVG for the deck,
the sheet and the book; PNG for the book's raster copy), all one after the
other in this process. No checks, no ranking, no second layout, no workers:
the build's overhead is its ratio to this.

    python -m tests.bench.floor SOURCE OUT
"""

from __future__ import annotations

import html
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STYLESHEET = ROOT / "templates" / "pdf" / "cheatsheet.css"
PAPERS = {"a4": "A4", "letter": "letter"}
BOOK_CHAPTERS = 15  # AI-300's book: front matter, five domains, pairs, mistakes, exam, answers...
RASTER_DPI = 144  # of the book's raster copy of a diagram (model/figures.py)
SHEET_CHARACTERS = 21_000  # what two full pages of the sheet hold (pdf.py's CHARACTERS_PER_PAGE, twice)


def items(data: dict) -> list[tuple[str, str]]:
    """Every item as (title, text): concepts, traps, pairs, mistakes."""
    found = []
    for domain in data["domains"]:
        found += [(c["term"], c["text"]) for c in domain.get("concepts", [])]
        found += [(t["myth"], t["truth"]) for t in domain.get("traps", [])]
    found += [(f"{p['a']['name']} / {p['b']['name']}", f"{p['a']['use_when']} {p['b']['use_when']} {p['trap']}")
              for p in data.get("pairs", [])]
    found += [(m["title"], m["text"]) for m in data.get("mistakes", [])]
    return found


def diagrams(value) -> list[str]:
    """The DOT source of every diagram, wherever in the source its figure is."""
    if isinstance(value, dict):
        return ([value["graphviz"]] if isinstance(value.get("graphviz"), str) else []) + [
            found for item in value.values() for found in diagrams(item)]
    if isinstance(value, list):
        return [found for item in value for found in diagrams(item)]
    return []


def figures(data: dict, out: Path) -> None:
    for number, source in enumerate(diagrams(data)):
        for arguments in (["-Tsvg"], ["-Tpng", f"-Gdpi={RASTER_DPI}"]):
            drawn = subprocess.run(["dot", *arguments], input=source.encode(), capture_output=True, check=True)
            (out / f"figure-{number}.{arguments[0][2:]}").write_bytes(drawn.stdout)


def sheet(data: dict, out: Path) -> None:
    from weasyprint import CSS, HTML

    entries, used = [], 0
    for title, text in items(data):  # about as much text as the sheet holds: its two pages full
        if used >= SHEET_CHARACTERS:
            break
        entries.append((title, text))
        used += len(title) + len(text)
    body = "".join(f"<li><strong>{html.escape(title)}:</strong> {html.escape(text)}</li>" for title, text in entries)
    page = (f'<html lang="{data.get("language", "en")}"><body class="full"><div class="flow front">'
            f'<section><ul class="concepts">{body}</ul></section></div></body></html>')
    main = CSS(filename=str(STYLESHEET))
    for paper, size in PAPERS.items():
        document = HTML(string=page, base_url=str(STYLESHEET.parent) + "/").render(
            stylesheets=[main, CSS(string=f"@page {{ size: {size} portrait; }}")])
        document.pages = document.pages[:2]  # the sheet's two pages
        document.write_pdf(out / f"floor-{paper}.pdf")


def deck(data: dict, out: Path) -> None:
    import genanki

    model = genanki.Model(1607392319, "floor", fields=[{"name": "Front"}, {"name": "Back"}],
                          templates=[{"name": "Card", "qfmt": "{{Front}}", "afmt": "{{Back}}"}])
    result = genanki.Deck(2059400110, "floor")
    for title, text in items(data):
        result.add_note(genanki.Note(model=model, fields=[html.escape(title), html.escape(text)]))
    genanki.Package(result).write_to_file(out / "floor.apkg")


def book(data: dict, out: Path) -> None:
    from ebooklib import epub

    result = epub.EpubBook()
    result.set_identifier("floor")
    result.set_title(data["title"])
    result.set_language(data.get("language", "en"))
    entries = items(data)
    size = max(1, len(entries) // BOOK_CHAPTERS + 1)
    chapters = []
    for number in range(BOOK_CHAPTERS):
        part = entries[number * size:(number + 1) * size]
        chapter = epub.EpubHtml(title=f"Chapter {number + 1}", file_name=f"c{number + 1}.xhtml")
        chapter.content = f"<h1>Chapter {number + 1}</h1>" + "".join(
            f"<h2>{html.escape(title)}</h2><p>{html.escape(text)}</p>" for title, text in part)
        result.add_item(chapter)
        chapters.append(chapter)
    result.toc = chapters
    result.spine = ["nav", *chapters]
    result.add_item(epub.EpubNcx())
    result.add_item(epub.EpubNav())
    epub.write_epub(str(out / "floor.epub"), result)


def main(source: Path, out: Path) -> None:
    import yaml

    out.mkdir(parents=True, exist_ok=True)
    data = yaml.load(source.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    figures(data, out)
    sheet(data, out)
    deck(data, out)
    book(data, out)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
