"""The build's own check of the laid-out sheet (exporter/sheet/check.py): every line inside
its column and the margins, no text over text, the pages the sheet promises."""

from __future__ import annotations

import subprocess

import pytest
import yaml

from exporter.sheet import check as sheet_check
from exporter.sheet import pdf
from exporter.sheet import templates as sheet_templates
from exporter.sheet.weasyprint import adapter as weasyprint_adapter
from exporter.sheet.weasyprint.adapter import PageText, Rect, TextRun
from exporter.source.loader import load_guide, load_guide_located
from tests.conftest import ALL_GUIDES, PYTHON, ROOT, SMALL_GUIDE

PAPERS = ("a4", "letter")
# 120 characters no rule of the language may break: no letters for a hyphenation dictionary.
TOKEN = "0x" + "".join(f"{n:02X}" for n in range(59))
# A test-only stylesheet that takes away the last-resort breaks: the token must overflow.
NO_LAST_RESORT = "li, td, th, dd, p, h1, h2 { overflow-wrap: normal; hyphens: manual }"
_BUILD_WITHOUT_LAST_RESORT = f"""
import sys
from exporter.cli import main as cli
from exporter.sheet import pdf
from exporter.sheet.weasyprint.adapter import CSS
setup = pdf.CheatSheet.__init__
def without_last_resort(self, *args):
    setup(self, *args)
    self.stylesheets.append(CSS(string={NO_LAST_RESORT!r}, font_config=self.font_config))
pdf.CheatSheet.__init__ = without_last_resort
sys.exit(cli.main(sys.argv[1:]))
"""


def with_token(tmp_path):
    """The small fixture with TOKEN in its first concept's text, and that text's line in the file."""
    data = yaml.safe_load(SMALL_GUIDE.read_text(encoding="utf-8"))
    data["domains"][0]["concepts"][0]["text"] = f"Its build id is {TOKEN} in every log."
    path = tmp_path / SMALL_GUIDE.name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if TOKEN in text)
    return path, line


@pytest.mark.slow
def test_build_refuses_a_sheet_whose_word_runs_out_of_its_column_and_writes_nothing(tmp_path):
    source, line = with_token(tmp_path)
    out = tmp_path / "dist"
    out.mkdir()
    earlier = out / "orch-110-cheatsheet-a4.pdf"
    earlier.write_bytes(b"the previous build's sheet")
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    result = subprocess.run([PYTHON, "-c", _BUILD_WITHOUT_LAST_RESORT, "build", "--format", "pdf",
                             "--out", str(out), str(source)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{source}:{line}:" in result.stderr
    assert "domains[0].concepts[0].text" in result.stderr
    assert f"the word '{TOKEN}' runs" in result.stderr and "past the edge of column" in result.stderr
    assert "nothing was written" in result.stderr
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before, "dist untouched"


# Every guide's build runs this check on its own sheets and writes nothing when it finds a
# problem (the test above), so the shared build of every guide has passed it already. Here
# it runs outside the build, on the guides where room is tightest: the largest, and right to left.
CHECKED_HERE = [path for path in ALL_GUIDES if path.stem in ("ai-300", "hive-220", "dat-a150")]


@pytest.mark.slow
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("source", CHECKED_HERE, ids=lambda path: path.stem)
def test_guides_lay_out_inside_their_columns(source, paper, exported):
    assert exported[source.stem]["pdf"], "the build of every guide wrote every sheet: its own check passed"
    guide = load_guide(source)
    sheet = pdf.CheatSheet(guide, paper)
    count, split = sheet.choose()
    document = sheet.render(count, split)
    pages = weasyprint_adapter.read_text(document)
    assert sum(len(page.runs) for page in pages) > 50, "the check reads the sheet's text"
    assert sheet_check.problems(pages, sheet.promised_pages(count, split), guide, paper) == []


@pytest.mark.slow
@pytest.mark.parametrize("paper", PAPERS)
def test_an_unbreakable_120_character_token_lays_out_inside_its_column(tmp_path, paper):
    source, _ = with_token(tmp_path)
    guide = load_guide(source)
    sheet = pdf.CheatSheet(guide, paper)
    count, split = sheet.choose()
    pages = weasyprint_adapter.read_text(sheet.render(count, split))
    assert sheet_check.problems(pages, sheet.promised_pages(count, split), guide, paper) == []
    runs = [run for page in pages for run in page.runs if run.slot == "concept " + guide.domains[0].concepts[0].id]
    assert TOKEN in "".join(run.text.replace("\u2010", "") for run in runs).replace(" ", "")
    for page in pages:
        for run in page.runs:
            if run in runs:
                column = page.columns[run.column]
                assert column.left - 0.1 <= run.box.left and run.box.right <= column.right + 0.1, run


# --- the check on made-up layouts: it finds what it should ------------------------------------------


def page_with(*runs: TextRun) -> PageText:
    return PageText(Rect(40, 40, 760, 1060), [Rect(40, 80, 270, 1060), Rect(287, 40, 517, 1060)], list(runs))


def run(text, left, top, right, column=0, slot=None) -> TextRun:
    box = Rect(left, top, right, top + 10)
    return TextRun(text, box, box, slot, column, None)


def test_a_run_past_its_column_names_the_word_and_its_item():
    guide, source_map = load_guide_located(SMALL_GUIDE)
    concept = guide.domains[1].concepts[0]
    word = max(concept.text.plain.split(), key=len).strip(".,;:")
    # A short word fits; the long one runs 20 px past the column's right edge.
    page = page_with(run(f"of {word}", 60, 100, 290, slot=f"concept {concept.id}"))
    (found,) = sheet_check.problems([page, page_with()], 2, guide, "a4")
    assert found.path == ("domains", 1, "concepts", 0, "text")
    problem = source_map.problem(found)  # the source map finds the word's own line
    line = next(number for number, text in enumerate(SMALL_GUIDE.read_text().splitlines(), 1) if word in text)
    assert (problem.field, problem.line) == ("domains[1].concepts[0].text", line)
    assert f"the word '{word}' runs 5.3 mm past the edge of column 1" in problem.message


def test_text_over_text_and_a_wrong_page_count_are_problems():
    guide = load_guide(SMALL_GUIDE)
    page = page_with(run("first words", 300, 100, 400, column=1), run("over them", 350, 104, 450, column=1))
    found = sheet_check.problems([page], 2, guide, "letter")
    assert any("is printed over 'over them'" in problem.message for problem in found)
    assert any("on 1 pages, not the 2 it promises" in problem.message for problem in found)


def test_runs_side_by_side_and_lines_one_under_another_are_fine():
    guide = load_guide(SMALL_GUIDE)
    page = page_with(run("one", 60, 100, 100), run("two", 100, 100, 140), run("three", 60, 110, 120),
                     run("other column", 300, 100, 500, column=1))
    assert sheet_check.problems([page, page_with()], 2, guide, "a4") == []


# --- one PDF font per font file (exporter/sheet/weasyprint/adapter.py) ----------------------------------

# Bold text with a character DejaVu Sans Condensed Bold lacks: Pango sets it in DejaVu Sans
# Condensed (regular), described as the bold face it stands in for.
MIXED_FACES = ("<p style=\"font-family: 'DejaVu Sans Condensed', 'DejaVu Sans'; font-weight: bold\">"
               "Bold A and \U0001d5a0 sans, <i>italic \u0628</i></p>")


def test_faces_under_one_description_keep_their_own_outlines(tmp_path):
    from weasyprint import HTML

    from exporter.text import glyphs

    assert weasyprint_adapter.FONTS_BY_FACE, f"WeasyPrint {weasyprint_adapter.VERSION} is not the pinned one"
    fixed, upstream = tmp_path / "fixed.pdf", tmp_path / "upstream.pdf"
    HTML(string=MIXED_FACES).write_pdf(fixed)
    weasyprint_adapter.undo_fonts_by_face()
    try:
        HTML(string=MIXED_FACES).write_pdf(upstream)
    finally:
        assert weasyprint_adapter.apply_fonts_by_face()
    assert glyphs.missing_glyphs(fixed) == []
    # WeasyPrint's own keying draws them with the bold face's outlines: the glyph check sees it.
    assert {glyph.character for glyph in glyphs.missing_glyphs(upstream)} == {"\U0001d5a0", "\u0628"}


# An exam box's row, as the sheet sets it: the label, then a value whose words before its
# emphasis fit the first line but for the space that ends them.
HANGING_SPACE_ROW = """<html lang="{lang}" dir="{dir}"><head><style>
@page {{ size: {width}mm 40mm; margin: 10mm; }}
body {{ font-family: 'DejaVu Sans Condensed'; font-size: 7pt; margin: 0; }}
dl, dd {{ margin: 0; padding: 0; }}
.fact {{ padding-inline-start: 13.6mm; }}
dt {{ display: inline-block; min-width: 12mm; margin-inline-start: -13.6mm; margin-inline-end: 1.6mm; font-weight: bold; }}
dd {{ display: inline; }} em {{ font-style: normal; font-weight: bold; }}
</style></head><body><dl><div class="fact"><dt>{label}</dt><dd>{value}</dd></div></dl></body></html>"""
HANGING_SPACE_CASES = [
    ("en", "ltr", 62, "Note", "No mark is taken off for a wrong answer, so answer <em>every</em> question."),
    ("ar", "rtl", 80, "ملاحظة", "لا يُخصم شيء على الإجابة الخاطئة، لذلك أجب عن <em>كل</em> سؤال."),
]


@pytest.mark.parametrize(("lang", "direction", "width", "label", "value"), HANGING_SPACE_CASES)
def test_words_before_an_inline_element_fill_the_line_their_ending_space_overflows(
        lang, direction, width, label, value):
    """WeasyPrint cut such words after the first ("لا" alone beside its label); fixed, the line
    ends after the last word that fits, and everything stays inside the page's content box."""
    import io

    import pdfplumber
    from weasyprint import HTML

    def lines() -> tuple[list[int], list[tuple[float, float]]]:
        page_html = HANGING_SPACE_ROW.format(lang=lang, dir=direction, width=width, label=label, value=value)
        with pdfplumber.open(io.BytesIO(HTML(string=page_html).write_pdf())) as document:
            page = document.pages[0]
            words = page.extract_words()
            edges = (10 * 72 / 25.4, page.width - 10 * 72 / 25.4)
        tops = sorted({round(word["top"]) for word in words})
        return [sum(1 for word in words if round(word["top"]) == top) for top in tops], [
            (word["x0"] - edges[0], edges[1] - word["x1"]) for word in words]

    assert weasyprint_adapter.HANGING_SPACE, f"WeasyPrint {weasyprint_adapter.VERSION} is not the pinned one"
    fixed, margins = lines()
    weasyprint_adapter.undo_hanging_space()
    try:
        upstream, _ = lines()
    finally:
        assert weasyprint_adapter.apply_hanging_space()

    def cut_short(words_per_line: list[int]) -> bool:  # a line of one word (the first: and the label) before more
        return any(count <= (2 if index == 0 else 1) for index, count in enumerate(words_per_line[:-1]))

    assert cut_short(upstream), f"upstream WeasyPrint no longer cuts a line after one word: {upstream}"
    assert not cut_short(fixed) and len(fixed) < len(upstream), (fixed, upstream)
    assert min(min(pair) for pair in margins) > -0.1, "a word runs past the content box"


@pytest.mark.slow
def test_a_sheet_mixing_those_faces_builds_and_passes_the_glyph_check(tmp_path):
    from exporter.text import glyphs

    data = yaml.safe_load(SMALL_GUIDE.read_text(encoding="utf-8"))
    data["domains"][0]["concepts"][0]["term"] = "Sans \U0001d5a0\U0001d5a1 rootstock"
    source = tmp_path / SMALL_GUIDE.name
    source.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    target = tmp_path / "sheet.pdf"
    pdf.CheatSheet(load_guide(source), "a4").write(target)  # the build's glyph check passes
    assert glyphs.missing_glyphs(target) == []
    assert "\U0001d5a0" in "".join(glyphs.characters_by_font(target).get("DejaVu-Sans-Bold-Semi-Condensed", ()))


@pytest.mark.slow
def test_every_character_a_condensed_face_lacks_is_drawn_from_its_own_file(tmp_path):
    """Each character DejaVu Sans has but some DejaVu Sans Condensed face lacks, in the sheet's
    font stack, upright, bold, italic and both: no glyph drawn from another file."""
    import unicodedata

    from weasyprint import HTML

    from exporter.text import glyphs

    condensed = [glyphs.installed_cmap(f"DejaVuSansCondensed{style}") or frozenset()
                 for style in ("", "-Bold", "-Oblique", "-BoldOblique")]
    wide = set().union(*(glyphs.installed_cmap(f"DejaVuSans{style}") or ()
                         for style in ("", "-Bold", "-Oblique", "-BoldOblique")))
    lacking = sorted(code for code in wide - frozenset.intersection(*condensed)
                     if unicodedata.category(chr(code)) not in ("Cs", "Cc", "Cn", "Co", "Cf", "Mn", "Me"))
    assert len(lacking) > 100, "DejaVu's condensed faces lack these (Arabic in italics, math sans in bold)"
    text = " ".join("".join(chr(code) for code in lacking[at:at + 8]) for at in range(0, len(lacking), 8))
    styles = ("", "font-weight: bold", "font-style: italic", "font-weight: bold; font-style: italic")
    page = "".join(f"<p style='{style}'>{text}</p>" for style in styles)
    stylesheet = sheet_templates.STYLESHEET  # the sheet's own font stack
    target = tmp_path / "lacking.pdf"
    HTML(string=f"<link rel=stylesheet href='{stylesheet.as_uri()}'>{page}").write_pdf(target)
    assert glyphs.missing_glyphs(target) == []


def test_a_list_number_may_hang_into_the_gap_but_not_to_its_rule():
    guide = load_guide(SMALL_GUIDE)

    def marker(left):
        box = Rect(left, 100, left + 16, 110)
        return TextRun("10. ", box, box, None, 1, None, False, True)

    # Column 2 starts at 287, 17 px after column 1: its rule is 8.5 px to the left.
    assert sheet_check.problems([page_with(marker(283)), page_with()], 2, guide, "a4") == []
    (problem,) = sheet_check.problems([page_with(marker(277)), page_with()], 2, guide, "a4")
    assert "the middle of the gap beside column 2" in problem.message
