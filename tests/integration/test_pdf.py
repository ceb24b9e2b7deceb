"""The printable cheat sheet: two pages, A4 and Letter, checked with the real PDF tools."""

from __future__ import annotations

import bisect
import http.server
import itertools
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader
from weasyprint import HTML

from exporter.build import output
from exporter.model import figure_fit
from exporter.model.clock import build_time
from exporter.sheet import pdf
from exporter.sheet import ranking as sheet_ranking
from exporter.sheet import templates as sheet_templates
from exporter.sheet.weasyprint import adapter as weasyprint_adapter
from exporter.source.loader import load_guide
from exporter.text import glyphs
from exporter.text.i18n import labels_for
from tests.checkers import pdf as checker
from tests.conftest import ALL_GUIDES, ROOT, SMALL_GUIDE
from tests.helpers import export

PAPERS = ("a4", "letter")
# Real layouts take seconds each, and most of these tests run poppler or qpdf too.
layout = pytest.mark.slow


@pytest.fixture(scope="module", params=ALL_GUIDES, ids=lambda path: path.stem)
def built(request, exported):
    """Each guide's two cheat sheets, from the build of every guide that the tests share (conftest.py)."""
    guide = load_guide(request.param)
    paths = exported[guide.id]["pdf"]
    return guide, {paper: path for paper, path in zip(PAPERS, paths, strict=True)}


def text_of(path: Path) -> str:
    """All text of the PDF, whitespace collapsed (titles may wrap over lines), and words
    hyphenated at a line's end (WeasyPrint adds U+2010 there) joined again."""
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return " ".join(re.sub(r"\u2010[ \t]*\n\s*", "", text).split())


def has_phrase(text: str, phrase: str, guide) -> bool:
    """The phrase in the text; on a right-to-left sheet pypdf gives a left-to-right phrase
    with a number in visual order, its number on the other side."""
    if phrase in text:
        return True
    if guide.direction != "rtl":
        return False
    words = phrase.split()
    # pypdf may also join a number to its right-to-left word ("دقيقة120" for "120 دقيقة").
    return (" ".join(words[-1:] + words[:-1]) in text or " ".join(words[1:] + words[:1]) in text
            or "".join(words[-1:] + words[:-1]) in text or "".join(words[1:] + words[:1]) in text)


def squeezed(text: str) -> str:
    """Letters and digits only: names may wrap anywhere, even after a hyphen, and on a
    right-to-left sheet text extractors move a line's punctuation to its other end."""
    return "".join(c for c in text if c.isalnum())


# --- the artifacts --------------------------------------------------------------------------


@layout
def test_writes_both_papers_with_registry_names(built):
    guide, paths = built
    assert [path.name for path in paths.values()] == [
        f"{guide.id}-cheatsheet-a4.pdf", f"{guide.id}-cheatsheet-letter.pdf"]
    assert not [p for p in paths["a4"].parent.iterdir() if p.name.endswith(".tmp")], "no temporary files left"


@layout
def test_passes_every_print_check(built):
    """Two pages, paper size, embedded subset fonts of one family, qpdf, type sizes,
    margins, no overlaps, no lonely headings, tags, language, outline, metadata, links."""
    _, paths = built
    assert checker.check_artifacts(list(paths.values())) == []


@layout
@pytest.mark.parametrize("paper", PAPERS)
def test_two_pages_of_the_right_size(built, paper):
    """Two pages; one only for a guide with nothing for the back, and then it says so."""
    guide, paths = built
    reader = PdfReader(paths[paper])
    assert checker.check_page_count(reader) == []
    assert len(reader.pages) == 2 or not (guide.pairs or guide.mistakes or guide.checklist)
    expected = {"a4": (595, 842), "letter": (612, 792)}[paper]
    for page in reader.pages:
        assert sorted(round(float(v)) for v in (page.mediabox.width, page.mediabox.height)) == sorted(expected)


def guide_characters(guide) -> set[str]:
    """Every visible character of the guide's text."""
    return {c for c in guide.model_dump_json() if c.isprintable() and not c.isspace()}


@layout
def test_every_font_embedded_and_subset(built):
    guide, paths = built
    for path in paths.values():
        rows = checker.pdffonts(path)
        assert rows and all(row["emb"] == "yes" and row["sub"] == "yes" for row in rows), rows
        families = {checker.font_family(row["name"]) for row in rows}
        assert checker.MAIN_FAMILY in families
        # Fallback fonts only for what DejaVu lacks: none for Latin, Greek, Cyrillic, Arabic, Hebrew.
        if all(ord(c) in glyphs.installed_cmap(checker.MAIN_FONT) for c in guide_characters(guide)):
            assert families == {checker.MAIN_FAMILY}
        assert checker.check_fonts(path) == []


@layout
def test_smallest_type_and_body_size(built):
    import pdfplumber

    _, paths = built
    for path in paths.values():
        with pdfplumber.open(path) as document:
            sizes = [round(char["size"], 2) for page in document.pages for char in page.chars if char["text"].strip()]
        assert min(sizes) >= 6.5
        assert max(set(sizes), key=sizes.count) >= 7.0, "the body text is at least 7 pt"


@layout
@pytest.mark.parametrize("paper", PAPERS)
def test_holds_the_exam_facts_domains_and_pairs(built, paper):
    guide, paths = built
    text = text_of(paths[paper])
    squeezed_text = squeezed(text)
    labels = labels_for(guide)  # the labels in the guide's language, no-break spaces read as spaces
    spaced = lambda label: " ".join(label.split())  # noqa: E731
    for domain in guide.domains:
        assert squeezed(domain.title.plain) in squeezed_text
        assert spaced(labels.share(domain)) in text
    pass_mark = labels.gettext("sheet.scoring.pass-mark", mark=labels.number(guide.exam.pass_mark))
    assert has_phrase(text, spaced(pass_mark), guide)
    minutes = labels.ngettext("unit.minutes", "unit.minutes", guide.exam.duration_minutes)
    assert has_phrase(text, spaced(minutes), guide)
    assert spaced(labels.gettext("sheet.guessing.free.no-penalty")) in text or guide.exam.guessing_penalty
    shown = [pair for pair in guide.pairs
             if squeezed(pair.a.name.plain) in squeezed_text and squeezed(pair.b.name.plain) in squeezed_text]
    # Pairs rank with the must-know items: all on the sheet unless it says some of those are left out.
    left_out = sheet_ranking.must_know(guide) and re.search(r"\d+ more must-know items? (is|are) in the book", text)
    assert shown == guide.pairs or (left_out and shown), [pair.id for pair in shown]
    for item in guide.checklist:
        if guide.direction == "rtl":  # pypdf may give a wrapped right-to-left item's lines out of order
            words = set(re.findall(r"\w+", text))
            assert set(re.findall(r"\w+", item.text.plain)) <= words
        else:
            assert squeezed(item.text.plain) in squeezed_text


@layout
def test_metadata_language_and_bookmarks(built):
    guide, paths = built
    reader = PdfReader(paths["a4"])
    info = reader.metadata
    assert guide.exam_code in info.title
    assert info.author == ", ".join(author.plain for author in guide.authors)
    assert guide.exam_code in info.subject
    assert guide.exam_code in info["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == guide.language
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    when = build_time(guide).strftime("%Y%m%d%H%M%S")
    assert info["/CreationDate"].startswith(f"D:{when}") and info["/ModDate"].startswith(f"D:{when}")
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    nested = [item.title for group in reader.outline if isinstance(group, list) for item in group]
    assert labels_for(guide).gettext("sheet.glance") in titles + nested
    assert any(domain.title.plain in " ".join(titles + nested) for domain in guide.domains)


@layout
def test_chart_links_lead_to_the_domains(built):
    guide, paths = built
    reader = PdfReader(paths["a4"])
    links = [a.get_object() for page in reader.pages for a in page.get("/Annots", []) or []
             if a.get_object()["/Subtype"] == "/Link"]
    assert len(links) >= len(guide.domains)
    assert checker.check_links(reader) == []


# --- selection by rules --------------------------------------------------------------------


def test_ranking_keeps_the_essentials_first_and_cuts_every_section_alike(guide):
    slots = sheet_ranking.ranked_slots(guide)
    keys = [slot.key for slot in slots]
    assert len(set(keys)) == len(keys), "each item once"
    items = {("concept", c.id): c.tier for d in guide.domains for c in d.concepts}
    items |= {("trap", t.id): t.tier for d in guide.domains for t in d.traps}
    items |= {("pair", p.id): 1 for p in guide.pairs} | {("mistake", m.id): 1 for m in guide.mistakes}
    # A figure the sheet prints ranks with its concept (sheet/figures.py).
    items |= {("figure", f.id): c.tier for d in guide.domains for c in d.concepts
              for f in [figure_fit.placed(guide)[0].get(c.id)] if f is not None}
    essential = {("topic", f"{d.id}/{k}") for d in guide.domains for k in range(len(d.key_topics))}
    essential |= {("check", c.id) for c in guide.checklist}
    assert set(keys) == essential | set(items)
    # Any cut of the ranking keeps all the key topics and the checklist before any other item ...
    assert set(keys[:len(essential)]) == essential
    # ... and then every item of a tier before any of a lower one (pairs and mistakes with tier 1).
    tiers = [items[key] for key in keys[len(essential):]]
    assert tiers == sorted(tiers)
    # Within a level, a cut anywhere gives each domain still holding items a share near its
    # weight (the highest-averages rule: within an item of its claim), and within a domain the
    # items tested by more questions go first.
    weights = {index: domain.weight for index, domain in enumerate(guide.domains)}
    slots = [slot for slot in slots if slot.key[0] != "figure"]  # a figure follows its level's text
    for tier in {slot.tier for slot in slots}:
        level = [slot for slot in slots if slot.tier == tier]
        sizes = {group: sum(1 for slot in level if slot.group == group) for group in {slot.group for slot in level}}
        domains = {group for group in sizes if group in weights}
        for cut in range(1, len(level) + 1):
            taken = {group: sum(1 for slot in level[:cut] if slot.group == group) for group in sizes}
            open_domains = [group for group in domains if taken[group] < sizes[group]]
            taken_by_open = sum(taken[group] for group in open_domains)
            weight_open = sum(weights[group] for group in open_domains)
            for group in open_domains:
                expected = taken_by_open * weights[group] / weight_open
                assert taken[group] >= expected - 1.5, (tier, cut, group, taken)
        for group in sizes:
            tested = [slot.tested for slot in level if slot.group == group]
            assert tested == sorted(tested, reverse=True)


def test_spread_order_leans_to_neither_end():
    for count in range(1, 60):
        order = sheet_ranking.spread_order(count)
        assert sorted(order) == list(range(count))
        for cut in range(1, count + 1):
            first = sum(1 for index in order[:cut] if index < (count - 1) / 2)
            last = sum(1 for index in order[:cut] if index > (count - 1) / 2)  # the middle one is in neither half
            assert abs(first - last) <= 2, (count, cut, order[:cut])


@layout
def test_small_guide_shows_everything_with_the_back_side_on_page_two(tmp_path):
    guide = load_guide(SMALL_GUIDE)
    sheet = pdf.CheatSheet(guide, "a4")
    count, split = sheet.choose()
    assert count == len(sheet.ranking) and split is not None, "each side on a page of its own"
    path = tmp_path / "sheet.pdf"
    sheet.write(path)
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]
    assert guide.domains[0].concepts[0].term.plain in pages[0]
    assert guide.domains[-1].concepts[0].term.plain in pages[1], "the sides balanced: the last domain on the back"
    labels = labels_for(guide)
    assert labels.gettext("common.pairs") in pages[1] and labels.gettext("common.checklist") in pages[1]


@layout
def test_a_fifty_times_larger_guide_still_fills_exactly_two_pages(tmp_path):
    from tests.bench.synthetic import write_scaled_guide

    source = next(iter(sorted((ROOT / "sources").glob("*.yaml"))), SMALL_GUIDE)
    guide = load_guide(write_scaled_guide(source, 50, tmp_path))
    sheet = pdf.CheatSheet(guide, "a4")
    count, split = sheet.choose()
    assert split is None and 0 < count < len(sheet.ranking)
    assert sheet.pages(count) == 2 and sheet.fill(count) > 1.9, "the sheet is full"
    kept = [slot.tier for slot in sheet.ranking[:count]]
    assert kept == sorted(kept)
    assert sheet.layouts() <= 3, sheet.tried()  # the measuring layout, the final one, at most one more


# --- no network, and only our own folders -----------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (the standard library's name)
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorder.requests = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_url_fetcher_refuses_the_network_and_outside_files(local_server, tmp_path):
    outside = tmp_path / "outside.css"
    outside.write_text("body { color: red }")
    inside = sheet_templates.STYLESHEET
    page = (f'<link rel="stylesheet" href="{local_server}/remote.css">'
            f'<link rel="stylesheet" href="{outside.as_uri()}">'
            f'<link rel="stylesheet" href="{inside.as_uri()}">'
            f'<img src="{local_server}/picture.png" alt="">'
            f'<style>@import url("{local_server}/imported.css");</style><p>hello</p>')
    fetcher = sheet_templates.LocalOnlyFetcher()
    HTML(string=page, base_url=str(tmp_path) + "/", url_fetcher=fetcher).write_pdf(tmp_path / "out.pdf")
    assert _Recorder.requests == [], "nothing reached the server"
    assert sorted(fetcher.refused) == sorted([
        f"{local_server}/remote.css", outside.as_uri(), f"{local_server}/picture.png",
        f"{local_server}/imported.css"])


def test_the_recording_server_would_see_an_ordinary_fetch(local_server, tmp_path):
    """The previous test can fail: WeasyPrint's default fetcher does go to the network."""
    HTML(string=f'<link rel="stylesheet" href="{local_server}/remote.css"><p>hi</p>').write_pdf(tmp_path / "o.pdf")
    assert _Recorder.requests == ["/remote.css"]


def test_url_fetcher_refuses_paths_that_climb_out_of_templates():
    fetcher = sheet_templates.LocalOnlyFetcher()
    sneaky = (sheet_templates.PDF_TEMPLATES / ".." / ".." / "pyproject.toml").as_uri()
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(sneaky)
    assert fetcher.fetch(sheet_templates.STYLESHEET.as_uri()).read()


# --- reproducible bytes ----------------------------------------------------------------------


@layout
def test_two_builds_give_the_same_bytes(exported, tmp_path):
    guide = load_guide(SMALL_GUIDE)
    first = exported[guide.id]["pdf"]  # built once for the run, perhaps in another test process
    second = export(guide, "pdf", tmp_path / "two")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert re.search(rb"/ID \[", first[0].read_bytes()), "the file identifier is pinned, not absent"


# The column code's cases: the shipped guide, the largest, figures in columns, and lines broken
# the Japanese and the right-to-left way (the other fixtures add no case it handles differently).
COLUMN_CASES = [path for path in ALL_GUIDES if path.stem in ("ai-300", "hive-220", "fig-120", "cld-j100", "dat-a150")]


@layout
@pytest.mark.parametrize("source", COLUMN_CASES, ids=lambda path: path.stem)
def test_faster_columns_are_in_place_and_change_no_byte(source, tmp_path):
    """exporter/sheet/weasyprint/columns.py applies to the pinned WeasyPrint, and the sheets laid out
    with it are byte for byte those of WeasyPrint's own function: filling both pages,
    running onto a third, and with balanced columns (everything shown, back on page 2)."""
    assert weasyprint_adapter.FASTER_COLUMNS, f"WeasyPrint {weasyprint_adapter.VERSION} is not the pinned one"
    guide = load_guide(source)
    sheet = pdf.CheatSheet(guide, "letter")
    total = len(sheet.ranking)
    split = next((section for section in sheet_templates.BACK_SECTIONS if getattr(guide, section)), pdf.FRONT_ONLY)
    sizes = list(itertools.accumulate(slot.size + pdf.SLOT_OVERHEAD for slot in sheet.ranking))

    def about(pages: float) -> int:
        """The items forecast to fill about this many pages, or all of them: a large guide's
        every item would take many pages, each laid out twice, and prove no more."""
        return min(total, bisect.bisect_right(sizes, pages * pdf.CHARACTERS_PER_PAGE) + 1)

    cases = [(min(total // 2, about(2)), None), (about(3), None), (about(2), split)]

    def sheets() -> list[bytes]:
        written = []
        for count, split in cases:
            path = tmp_path / f"{count}-{split}.pdf"
            with output.pinned_font_clock(build_time(guide)):  # as the build writes them
                sheet.render(count, split).write_pdf(path, **pdf.PDF_OPTIONS)
            written.append(path.read_bytes())
        return written

    faster = sheets()
    weasyprint_adapter.undo_faster_columns()
    try:
        assert sheets() == faster
    finally:
        assert weasyprint_adapter.apply_faster_columns()


_IMPORT_PROBE = """
import ctypes.util, sys
find_library = ctypes.util.find_library
{prelude}
from exporter.sheet.weasyprint import adapter
from weasyprint.text import ffi
assert ctypes.util.find_library is find_library, "the real lookup is back"
print(ffi.pango.pango_layout_new and "pango loaded")
"""

# The first import of weasyprint fails as if no library name had loaded; the second is real.
_FAIL_FIRST_IMPORT = """
import importlib.abc
class FailOnce(importlib.abc.MetaPathFinder):
    failed = False
    def find_spec(self, name, path, target=None):
        if name == "weasyprint" and not FailOnce.failed:
            FailOnce.failed = True
            raise OSError("no library loaded")
        return None
sys.meta_path.insert(0, FailOnce())
import atexit
atexit.register(lambda: print("the fast import failed" if FailOnce.failed else ""))
"""


@pytest.mark.parametrize("prelude", ["", _FAIL_FIRST_IMPORT], ids=["fast", "falls-back"])
def test_weasyprint_loads_its_libraries_with_the_fast_lookup_or_the_usual_one(prelude):
    """The fast library lookup (exporter/sheet/weasyprint/adapter.py) loads Pango; when it
    fails, WeasyPrint is imported the usual way, and the real lookup is restored."""
    code = _IMPORT_PROBE.format(prelude=prelude)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "pango loaded" in result.stdout
    assert ("the fast import failed" in result.stdout) == bool(prelude)


# --- the checker itself catches what it should ---------------------------------------------------


@layout
def test_checker_reports_a_sheet_that_breaks_the_print_rules(tmp_path):
    bad = tmp_path / "bad-cheatsheet-a4.pdf"
    HTML(string="""<style>@page { size: A5; margin: 2mm }
        body { font-family: 'DejaVu Serif'; font-size: 5pt }
        .h { font-family: 'DejaVu Sans'; font-size: 12pt; font-weight: bold; margin-top: 180mm }</style>
        <p>tiny text close to the edge</p><p class="h">Alone</p>""").write_pdf(bad)
    problems = " | ".join(checker.check_artifacts([bad, tmp_path / "missing-cheatsheet-letter.pdf"]))
    for expected in ("1 pages, expected exactly 2", "expected a4", "smaller than 6.5 pt",
                     "of the edge", "is not set in DejaVu-Sans-Semi-Condensed", "not a tagged PDF", "no bookmarks",
                     "metadata Title is missing", "left alone", "missing-cheatsheet-letter.pdf: missing"):
        assert expected in problems, expected
