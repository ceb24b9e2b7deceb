"""What the cheat sheet holds and how it is laid out, read back from the PDFs.

Pair tables whole (each cell's first and last words under its header, in one
column, found by their positions), must-know items chosen across each domain,
the count of those left out equal to what the PDF lacks, the exam box's rows,
right-to-left sheets, four pages on request, sides balanced, and few layouts.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from lxml import html as lxml_html

from exporter.sheet import check as sheet_check
from exporter.sheet import pdf
from exporter.sheet.ranking import MUST_KNOW
from exporter.sheet.weasyprint.adapter import CSS, read_text
from exporter.source.loader import load_guide
from exporter.text.i18n import labels_for
from tests.conftest import ALL_GUIDES, PYTHON, ROOT, SMALL_GUIDE
from tests.helpers import export

PAPERS = ("a4", "letter")
LARGE_GUIDE = ROOT / "tests" / "fixtures" / "guides" / "hive-220.yaml"
ARABIC_GUIDE = ROOT / "tests" / "fixtures" / "guides" / "dat-a150.yaml"
AI_300 = ROOT / "sources" / "ai-300.yaml"
# The fill of a pair's names row (`--accent-light` in cheatsheet.css), as pdfplumber reads it.
HEADER_FILL = (0.862745, 0.909804, 0.94902)
CHUNK = 10  # letters of a cell's start and end looked for under its header
layout = pytest.mark.slow


def squeezed(text: str) -> str:
    """Letters and digits only: lines may wrap or hyphenate anywhere."""
    return "".join(c for c in text if c.isalnum())


def sheets(exported, source: Path) -> tuple:
    guide = load_guide(source)
    return guide, dict(zip(PAPERS, exported[guide.id]["pdf"], strict=True))


# --- pair tables are never split --------------------------------------------------------------


def _column_text(page, left: float, right: float, top: float, bottom: float, right_to_left: bool) -> str:
    """The letters inside a box, line by line (pdfplumber's lines, which allow for glyphs of
    several fonts on one line; a right-to-left line read from its right end)."""
    box = page.crop((max(0, left - 1), max(0, top - 1), min(page.width, right + 1), min(page.height, bottom + 1)),
                    strict=False)
    lines = [squeezed(line) for line in (box.extract_text() or "").splitlines()]
    return "".join(line[::-1] if right_to_left else line for line in lines)


def pair_tables(path: Path) -> list[dict]:
    """Each pair table's header cells, and the letters under each down to the next table's
    header in the same column (or the page's foot): where the whole table must be."""
    tables = []
    with pdfplumber.open(path) as document:
        for page in document.pages:
            cells = [r for r in page.rects if tuple(r.get("non_stroking_color") or ()) == HEADER_FILL]
            # A names row: two cells side by side, the first's right edge the second's left.
            heads = sorted(((a, b) for a in cells for b in cells
                            if abs(a["top"] - b["top"]) < 0.5 and abs(a["x1"] - b["x0"]) < 0.5),
                           key=lambda ab: (round(ab[0]["x0"]), ab[0]["top"]))
            assert len(heads) * 2 == len(cells), "every header cell has its neighbour"
            for k, (a, b) in enumerate(heads):
                bottom = min((other[0]["top"] for other in heads[k + 1:] if abs(other[0]["x0"] - a["x0"]) < 1),
                             default=page.height)
                tables.append({
                    "heads": tuple(page.crop((c["x0"], c["top"], c["x1"], c["bottom"])).extract_text() for c in (a, b)),
                    "under": {side: (_column_text(page, c["x0"], c["x1"], c["top"], bottom, False),
                                     _column_text(page, c["x0"], c["x1"], c["top"], bottom, True))
                              for side, c in (("a", a), ("b", b))}})
    return tables


def _found(chunk: str, table: dict, side: str) -> bool:
    return any(chunk in text for text in table["under"][side])


@layout
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("source", ALL_GUIDES, ids=lambda path: path.stem)
def test_each_pair_cell_lies_under_its_header_in_one_column(exported, source, paper):
    guide, paths = sheets(exported, source)
    tables = pair_tables(paths[paper])
    assert tables or not guide.pairs, "the sheet shows its pairs"
    def same(read: str, name: str) -> bool:  # a right-to-left name may be read back reversed
        return any(candidate.startswith(read[:CHUNK]) for candidate in (squeezed(name), squeezed(name)[::-1]))

    for table in tables:
        left, right = (squeezed(head) for head in table["heads"])
        # Left to right, the first side's name heads the left column; right to left, the right one.
        matches = [(pair, order) for pair in guide.pairs for order in (("a", "b"), ("b", "a"))
                   if same(left, getattr(pair, order[0]).name.plain) and same(right, getattr(pair, order[1]).name.plain)]
        assert matches, f"a header {table['heads']} names no pair"
        pair, (on_left, on_right) = matches[0]
        assert (on_left == "a") == (guide.direction == "ltr"), "the first side in the reading direction's first column"
        for side, cell in (("a", getattr(pair, on_left).use_when.plain), ("b", getattr(pair, on_right).use_when.plain)):
            letters = squeezed(cell)
            for chunk in {letters[:CHUNK], letters[-CHUNK:]}:
                assert _found(chunk, table, side), (
                    f"{pair.id}: {chunk!r} of cell {side} is not under its header in its column on {paper}")


@layout
def test_the_layout_check_refuses_a_planted_split(tmp_path):
    """A stylesheet that breaks a pair's table between its names and its cells: the build's
    check names the split (the same sheet without the plant passes), and so does the reading
    of the PDF above."""
    guide = load_guide(SMALL_GUIDE)
    sheet = pdf.CheatSheet(guide, "a4")
    count, split = sheet.choose()
    promised = sheet.promised_pages(count, split)
    assert sheet_check.problems(read_text(sheet.render(count, split)), promised, guide, "a4") == []
    sheet.stylesheets = [*sheet.stylesheets, CSS(
        string=".pairs table { break-inside: auto } .pairs tr.when { break-before: column }")]
    planted = sheet.render(count, split)
    found = sheet_check.problems(read_text(planted), promised, guide, "a4")
    assert [problem.path for problem in found] == [("pairs", 0, "a", "name")], found
    assert "table of a confusable pair is split across columns" in found[0].message
    planted.write_pdf(tmp_path / "planted.pdf")
    (table,) = pair_tables(tmp_path / "planted.pdf")
    cell = squeezed(guide.pairs[0].a.use_when.plain)
    assert not _found(cell[:CHUNK], table, "a") and not _found(cell[-CHUNK:], table, "a")


# --- must-know items: chosen across each domain, and those left out counted ---------------------


def printed(text: str, guide) -> dict[str, bool]:
    """For each must-know concept and trap: whether its term (a trap: its myth) is in the PDF's text."""
    letters = squeezed(text)
    return {item.id: squeezed(item.term.plain if hasattr(item, "term") else item.myth.plain) in letters
            for domain in guide.domains for item in [*domain.concepts, *domain.traps] if item.tier == MUST_KNOW}


# The column rules' colour (`column-rule` in cheatsheet.css), as pdfplumber reads it.
RULE_COLOUR = (0.784314, 0.815686, 0.847059)


def pdf_text(path: Path) -> str:
    """The PDF's text column by column (cut at the column rules), so that a line read
    across the page never runs one column's words into another's."""
    parts = []
    with pdfplumber.open(path) as document:
        for page in document.pages:
            rules = sorted({round(r["x0"], 1) for r in page.rects
                            if tuple(r.get("non_stroking_color") or ()) == RULE_COLOUR and r["width"] < 1})
            edges = [0.0, *rules, page.width]
            parts += [page.crop((left, 0, right, page.height)).extract_text() for left, right in zip(edges, edges[1:])]
    return " ".join(parts)


@layout
@pytest.mark.parametrize("paper", PAPERS)
def test_the_sheet_counts_the_must_know_items_it_leaves_out(exported, paper):
    guide, paths = sheets(exported, LARGE_GUIDE)
    text = pdf_text(paths[paper])
    stated = re.search(r"(\d+) more must-know items? (?:is|are) in the book", " ".join(text.split()))
    missing = [item_id for item_id, shown in printed(text, guide).items() if not shown]
    assert stated, "the sheet says how many must-know items it leaves out"
    assert int(stated.group(1)) == len(missing) > 0


@layout
@pytest.mark.parametrize("paper", PAPERS)
def test_must_know_items_are_printed_from_the_whole_of_each_domain(exported, paper):
    """Tier-1 concepts of each domain's last third are on the sheet about as often as those of its first."""
    guide, paths = sheets(exported, LARGE_GUIDE)
    shown = printed(pdf_text(paths[paper]), guide)
    first, last = [], []
    for domain in guide.domains:
        count = len(domain.concepts)
        for position, concept in enumerate(domain.concepts):
            if concept.tier == MUST_KNOW:
                if position < count / 3:
                    first.append(shown[concept.id])
                elif position >= 2 * count / 3:
                    last.append(shown[concept.id])
    share_first, share_last = sum(first) / len(first), sum(last) / len(last)
    assert 0.3 < share_last < 0.95, "the sheet holds some but not all of them: the case is a real cut"
    assert abs(share_first - share_last) <= 0.15, (share_first, share_last)


@layout
def test_stats_names_the_items_each_sheet_leaves_out(exported):
    guide, paths = sheets(exported, LARGE_GUIDE)
    result = subprocess.run([PYTHON, "-m", "exporter", "stats", str(LARGE_GUIDE)], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    for paper in PAPERS:
        missing = [item_id for item_id, shown in printed(pdf_text(paths[paper]), guide).items() if not shown]
        line = next(line for line in result.stdout.splitlines() if f"the {paper} cheat sheet" in line)
        assert f"leaves out {len(missing)} of " in line
        for item_id in missing:
            assert f"{item_id} (" in line


@layout
@pytest.mark.parametrize("paper", PAPERS)
def test_ai_300_keeps_every_must_know_item_with_one_layout_beyond_the_final(paper):
    guide = load_guide(AI_300)
    sheet = pdf.CheatSheet(guide, paper)
    count, split = sheet.choose()
    assert sheet.left_out(count) == []
    assert sheet.layouts() == 2, sheet.tried()  # the measuring layout and the one the sheet is written from


@layout
def test_an_item_pinned_on_or_kept_off_the_sheet(tmp_path):
    guide = load_guide(LARGE_GUIDE)
    domain = guide.domains[-1]
    rare = next(c for c in reversed(domain.concepts) if c.tier == 3)
    must = next(c for c in domain.concepts if c.tier == 1)
    concepts = [c.model_copy(update={"sheet": "always"}) if c is rare else
                c.model_copy(update={"sheet": "never"}) if c is must else c for c in domain.concepts]
    changed = guide.model_copy(update={"domains": [*guide.domains[:-1], domain.model_copy(update={"concepts": concepts})]})
    sheet = pdf.CheatSheet(changed, "a4")
    count, _ = sheet.choose()
    kept = sheet.kept(count)
    shown = {c.id for c in kept.concepts(changed.domains[-1])}
    assert rare.id in shown, "pinned: on the sheet though tier 3"
    assert must.id not in shown, "kept off: not on the sheet though tier 1"
    assert any(line.startswith(f"{must.id} (") for line in sheet.left_out(count))


@layout
def test_a_guide_may_ask_for_four_pages(tmp_path):
    source = tmp_path / "hive-220.yaml"
    source.write_text(LARGE_GUIDE.read_text(encoding="utf-8").replace(
        "\nexam:\n", "\nsheet: {pages: 4}\n\nexam:\n", 1), encoding="utf-8")
    guide = load_guide(source)
    assert guide.sheet.pages == 4
    four = pdf.CheatSheet(guide, "letter")
    target = tmp_path / "four.pdf"
    four.write(target)
    with pdfplumber.open(target) as document:
        assert len(document.pages) == 4
    two = pdf.CheatSheet(load_guide(LARGE_GUIDE), "letter")
    assert len(four.left_out(four.choose()[0])) < len(two.left_out(two.choose()[0]))


# --- sides balanced ----------------------------------------------------------------------------


@layout
@pytest.mark.parametrize("source", [path for path in ALL_GUIDES if path.parent.name == "guides"
                                    and path != LARGE_GUIDE], ids=lambda path: path.stem)
def test_a_guide_that_fits_uses_both_sides_alike(exported, source):
    guide, paths = sheets(exported, source)
    for path in paths.values():
        with pdfplumber.open(path) as document:
            lowest = [max((c["bottom"] for c in page.chars if c["bottom"] < page.height - 40), default=0)
                      for page in document.pages]
        if len(lowest) == 2:
            assert min(lowest) / max(lowest) > 0.3, f"{path.name}: a side is mostly empty ({lowest})"


# --- the exam box: each fact under its own label -------------------------------------------------


@pytest.mark.parametrize("source", ALL_GUIDES, ids=lambda path: path.stem)
def test_each_exam_fact_has_a_row_of_its_own(source):
    guide = load_guide(source)
    sheet = pdf.CheatSheet(guide, "a4")
    tree = lxml_html.fromstring(sheet.html(0, None))
    labels = labels_for(guide)
    def read(text: str) -> str:  # a Korean sheet binds each word's letters with word joiners
        return " ".join(text.replace("\u2060", "").split())

    rows = {read(row.xpath("string(dt)")): read(row.xpath("string(dd)"))
            for row in tree.xpath("//section[@id='exam']//div[@class='fact']")}
    exam = guide.exam
    fee = " ".join(labels.money(exam.fee).split())
    assert rows[labels.gettext("sheet.fee")] == fee
    assert rows[labels.gettext("sheet.delivery")] == " ".join(labels.item_list(d.plain for d in exam.delivery).split())
    if exam.scoring_note:
        assert rows[labels.gettext("sheet.scoring-note")] == " ".join(exam.scoring_note.plain.split())
    if exam.labs:
        assert rows[labels.gettext("sheet.labs")] == " ".join(exam.labs.plain.split())
    guessing = rows[labels.gettext("sheet.guessing")]
    assert not exam.scoring_note or squeezed(exam.scoring_note.plain) not in squeezed(guessing)


# --- right to left -------------------------------------------------------------------------------


@layout
@pytest.mark.parametrize("language", ["ar", "ar-EG", "fa-IR"])
def test_right_to_left_guides_with_english_labels_build_with_ranges_in_order(tmp_path, language):
    """English labels (no catalog) on an Arabic or Persian sheet stay inside their columns on both
    papers, and a question range reads low to high: left to right in Latin and Persian digits,
    right to left in Arabic-Indic ones (ar-EG), which Unicode's bidi algorithm sets that way."""
    source = tmp_path / "dat-a150.yaml"
    source.write_text(re.sub(r"(?m)^language: ar$", f"language: {language}", ARABIC_GUIDE.read_text("utf-8")),
                      encoding="utf-8")
    guide = load_guide(source)
    labels = labels_for(guide)
    low, high = (labels.number(n) for n in (guide.exam.question_count.min, guide.exam.question_count.max))
    # The PDF's text comes in visual order, from the left.
    shown = f"{high}–{low}" if unicodedata.bidirectional(low[0]) == "AN" else f"{low}–{high}"
    for path in export(guide, "pdf", tmp_path / "out"):  # the build's own layout check passes on both papers
        with pdfplumber.open(path) as document:
            first = "".join(document.pages[0].extract_text().split())
        assert shown in first, f"{path.name}: the range reads {low}–{high}"


def test_a_fixed_label_that_overflows_is_not_blamed_on_a_field_that_shares_a_word():
    """A word of a fixed label ("question") that also occurs in a field of the guide
    (a tier's meaning) is the label's, not that field's: the problem says so."""
    from exporter.sheet.weasyprint.adapter import PageText, Rect, TextRun

    guide = load_guide(SMALL_GUIDE)
    assert "questions" in guide.tiers[0].meaning.plain
    column = Rect(0, 0, 100, 500)
    label = TextRun("answer every question", Rect(60, 10, 103, 20), Rect(60, 10, 103, 20), None, 0, None)
    own = TextRun(guide.exam.scoring_note.plain[:20], Rect(60, 30, 103, 40), Rect(60, 30, 103, 40), None, 0, None)
    found = sheet_check.problems([PageText(column, [column], [label, own])], 1, guide, "letter")
    assert [problem.label or problem.path for problem in found] == ["(sheet)", ("exam", "scoring_note")], found
    assert "fixed label" in found[0].message
