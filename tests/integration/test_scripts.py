"""Any script, any direction: fonts that have every glyph, long words that stay in their
column, right-to-left guides that read right to left. Checked on the built artifacts."""

from __future__ import annotations

import io
import subprocess
import zipfile

import pdfplumber
import pytest
import yaml
from fontTools.ttLib import TTFont
from lxml import etree
from PIL import Image
from weasyprint import HTML

from exporter.anki import package as anki_package
from exporter.book.cover import cover_png
from exporter.book.cover_fonts import CoverFonts
from exporter.model.problems import GuideProblems
from exporter.sheet import pdf
from exporter.sheet.weasyprint import adapter as weasyprint_adapter
from exporter.source.loader import load_guide, load_guide_located
from exporter.text import bidi, languages
from exporter.text.markup import Text
from tests.checkers import pdf as checker
from tests.conftest import PYTHON, ROOT, SMALL_GUIDE
from tests.helpers import export

FIXTURES = ROOT / "tests" / "fixtures" / "guides"
GERMAN, JAPANESE, ARABIC = FIXTURES / "ksr-210.yaml", FIXTURES / "cld-j100.yaml", FIXTURES / "dat-a150.yaml"
# No installed font has a glyph for a private-use character of plane 15.
NO_FONT_HAS_IT = "\U000F0000"
COVER_TITLE = "Über Café-Größe – Ωμέγα Привет مرحبا بالعالم 日本語の試験 한국어"


def variant(tmp_path, source, edit):
    """A copy of a fixture guide with `edit(data)` applied, named after its id."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def build(path, out, formats="pdf"):
    return subprocess.run([PYTHON, "-m", "exporter", "build", "--format", formats, "--out", str(out), str(path)],
                          capture_output=True, text=True, cwd=ROOT)


# --- the cover draws every letter -------------------------------------------------------------


def test_cover_fonts_have_every_letter_of_a_many_script_title():
    fonts = CoverFonts("en", "ltr")
    for bold in (False, True):
        for character in set(COVER_TITLE) - {" "}:
            file = fonts.font_for(character, bold)
            assert file is not None, f"no font for {character!r}"
            # The font's own character map, read apart from fontconfig: no .notdef box.
            cmap = TTFont(file.path, fontNumber=file.index, lazy=True).getBestCmap()
            assert ord(character) in cmap, f"{character!r} would be drawn as .notdef in {file.path}"


def test_cover_with_a_many_script_title_is_drawn(tmp_path):
    guide = load_guide(SMALL_GUIDE)
    guide = guide.model_copy(update={"title": Text(COVER_TITLE)})
    image = Image.open(io.BytesIO(cover_png(guide, "1 March 2026")))
    assert image.size == (1600, 2560)


def test_cover_fails_naming_a_character_no_font_has(tmp_path):
    # An emoji newer than Symbola: only a colour-bitmap font has it, which the cover cannot scale.
    # (A character no font has at all is refused by the loader already.)
    source = variant(tmp_path, SMALL_GUIDE, lambda data: data.update(title="Orchard 🧪"))
    guide, source_map = load_guide_located(source)
    with pytest.raises(GuideProblems) as raised:
        cover_png(guide, "1 March 2026")
    (problem,) = source_map.source_error(raised.value).problems
    title_line = next(number for number, line in enumerate(source.read_text().splitlines(), 1)
                      if line.startswith("title:"))
    assert (problem.field, problem.line) == ("title", title_line) and "U+1F9EA" in problem.message


def test_cover_draws_right_to_left_text_shaped_and_from_the_right():
    guide = load_guide(ARABIC)
    image = Image.open(io.BytesIO(cover_png(guide, "20 November 2026"))).convert("L")
    # The title's lines end at the right margin (they start there, right to left).
    left, _, right, _ = image.crop((0, 680, 1600, 800)).point(lambda v: 255 if v > 200 else 0).getbbox()
    assert right > 1600 - 130 - 20 and left > 130


# --- the sheet: glyphs, long words, directions -------------------------------------------------------


def test_build_fails_naming_a_character_the_sheet_has_no_glyph_for(tmp_path):
    def edit(data):
        data["domains"][0]["concepts"][0]["text"] = f"Done while dormant {NO_FONT_HAS_IT} in winter."

    source = variant(tmp_path, SMALL_GUIDE, edit)
    result = build(source, tmp_path / "out")
    assert result.returncode == 1
    assert "U+F0000" in result.stderr and "domains[0].concepts[0].text" in result.stderr
    assert f"{source}:" in result.stderr and "Traceback" not in result.stderr
    assert not list((tmp_path / "out").glob("*.pdf")), "nothing written"


@pytest.mark.parametrize("myth", ["التقليم الشتائي يهدئ الشجرة", "In Arabic they say *التقليم الشتائي يهدئ* here"])
def test_arabic_myth_in_an_english_guide_is_set_upright_in_a_face_that_has_it(tmp_path, myth):
    def edit(data):
        data["domains"][0]["traps"][0]["myth"] = myth

    out = tmp_path / "out"
    result = build(variant(tmp_path, SMALL_GUIDE, edit), out)
    assert result.returncode == 0, result.stderr
    for sheet in out.glob("*.pdf"):
        assert checker.check_glyphs(sheet) == []
        assert not any("Oblique" in font and any("\u0600" <= c <= "\u06ff" for c in chars)
                       for font, chars in checker.glyphs.characters_by_font(sheet).items())


@pytest.fixture(scope="module")
def german_sheets(tmp_path_factory):
    return export(load_guide(GERMAN), "pdf", tmp_path_factory.mktemp("german"))


def test_an_unbreakable_token_stays_inside_its_column(german_sheets):
    token = next(c.text for d in load_guide(GERMAN).domains for c in d.concepts if "KSR210" in c.text)
    token = next(word for word in token.plain.split() if len(word) >= 120).rstrip(".")
    assert len(token) == 120
    for sheet in german_sheets:
        with pdfplumber.open(sheet) as document:
            found = 0
            for page in document.pages:
                # In the order they are drawn; a hyphen (U+2010) where pyphen broke the token is no loss.
                chars = [c for c in page.chars if c["text"].strip() and c["text"] != "\u2010"]
                at = "".join(c["text"] for c in chars).find(token)
                if at < 0:
                    continue
                found += 1
                columns = _column_bounds(page)
                for char in chars[at:at + len(token)]:  # every character there, none lost
                    assert any(left - 0.5 <= char["x0"] and char["x1"] <= right + 0.5 for left, right in columns), char
            assert found == 1, f"{sheet.name}: the token is not on the sheet whole"


def _column_bounds(page) -> list[tuple[float, float]]:
    """The three columns of a sheet page, from the page size and the sheet's margins and gap."""
    mm = 72 / 25.4
    left, right, gap = 10.5 * mm, page.width - 10.5 * mm, 4.5 * mm
    width = (right - left - 2 * gap) / 3
    return [(left + k * (width + gap), left + k * (width + gap) + width) for k in range(3)]


def test_german_sheet_is_hyphenated_by_its_language(german_sheets):
    text = subprocess.run(["pdftotext", str(german_sheets[0]), "-"], capture_output=True, text=True).stdout
    assert "\u2010\n" in text, "WeasyPrint marks a hyphenated line end with U+2010"


def test_right_to_left_guide_reads_right_to_left_in_every_format(tmp_path):
    guide = load_guide(ARABIC)
    sheet = pdf.CheatSheet(guide, "a4")
    assert '<html lang="ar" dir="rtl">' in sheet.html(0, False)
    out = tmp_path / "out"
    assert build(ARABIC, out, "pdf,epub").returncode == 0
    with pdfplumber.open(out / "dat-a150-cheatsheet-a4.pdf") as document:
        page = document.pages[0]
        title = [c for c in page.chars if c["size"] > 12]
        assert max(c["x1"] for c in title) > page.width - 10.5 * 72 / 25.4 - 2, "the title starts at the right"
    with zipfile.ZipFile(out / "dat-a150.epub") as book:
        opf = etree.fromstring(book.read("EPUB/content.opf"))
        (spine,) = opf.xpath("//*[local-name()='spine']")
        assert spine.get("page-progression-direction") == "rtl"
        pages = [name for name in book.namelist() if name.endswith(".xhtml")]
        assert all(etree.fromstring(book.read(name)).get("dir") == "rtl" for name in pages)
    template = anki_package._directed(guide, "<div class='sg'></div>")
    assert template.startswith('<div dir="rtl" lang="ar">')


def test_left_to_right_guides_say_nothing_of_direction(tmp_path):
    guide = load_guide(JAPANESE)
    assert "dir=" not in pdf.CheatSheet(guide, "a4").html(0, False).split("<body", 1)[0]
    assert anki_package._directed(guide, "x") == "x"


# --- bidi isolation ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "page", "expected"), [
    ("Winter pruning", "ltr", "Winter pruning"),
    ("القيم المفقودة", "ltr", '<bdi dir="rtl">القيم المفقودة</bdi>'),
    ("Power BI", "rtl", '<bdi dir="ltr">Power BI</bdi>'),
    ("Power Query أداة في Excel تسجل خطوات التنظيف", "rtl", "Power Query أداة في Excel تسجل خطوات التنظيف"),
    ("2026", "rtl", "2026"),
    ("Greet people with *مرحبا بكم* in the morning", "ltr",
     'Greet people with <em><bdi dir="rtl">مرحبا بكم</bdi></em> in the morning'),
])
def test_source_text_is_isolated_only_where_it_runs_against_the_page(text, page, expected):
    assert bidi.isolated(Text(text), page) == expected


def test_language_direction():
    assert [languages.direction(code) for code in ("ar", "he-IL", "fa", "de", "ja", "en-US")] == [
        "rtl", "rtl", "rtl", "ltr", "ltr", "ltr"]


# --- the checker sees boxes that the text layer hides ------------------------------------------------


def test_checker_finds_boxes_and_glyphs_of_the_wrong_face(tmp_path):
    bad = tmp_path / "boxes-cheatsheet-a4.pdf"
    # WeasyPrint's own font keying draws italic Arabic with the oblique face's outlines
    # (the adapter keeps the faces apart: undone here to make such a sheet).
    weasyprint_adapter.undo_fonts_by_face()
    try:
        HTML(string=f"""<body style="font-family: 'DejaVu Sans Condensed'">
            <p>Plain text, then a box: {NO_FONT_HAS_IT} and more plain text to read.</p>
            <p><i>Italic Arabic: مرحبا بالعالم</i></p></body>""").write_pdf(bad)
    finally:
        weasyprint_adapter.apply_fonts_by_face()
    problems = checker.check_glyphs(bad)
    assert any("U+F0000" in problem for problem in problems)
    assert any("U+0645" in problem and "Oblique" in problem for problem in problems)
    with pdfplumber.open(bad) as document:
        assert checker.check_text_readable(bad, document), "the custom encoding hides text from pdfplumber"
