"""Typesetting by script, read back from what the build wrote: Korean lines break
between words (the sheet's PDF words, the book's and the cards' styles), no italic
face in a CJK or Arabic sheet, the trap's claim upright on a card as a browser
computes it, the CJK face of the guide's language; right to left, the sheet's exam box
(word positions) and the book's option letters (Chromium at a phone's width) mirrored."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import pdfplumber
import pytest
import yaml
from babel.messages.pofile import read_po

from exporter.source.loader import load_guide
from exporter.text import i18n, scripts
from exporter.text.i18n import labels_for
from tests.checkers.anki import CHROMIUM_FLAGS, card_page, fresh_collection, import_package
from tests.helpers import ROOT

GUIDES = ROOT / "tests" / "fixtures" / "guides"
KOREAN, JAPANESE, ARABIC, GERMAN = "dan-k120", "cld-j100", "dat-a150", "ksr-210"
NO_ITALIC_GUIDES = [KOREAN, JAPANESE, ARABIC]
PAPERS = ("a4", "letter")


# --- read back from the build ------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(reference_build) -> Path:
    assert reference_build.returncode == 0, reference_build.stderr
    return reference_build.out


def _source_tokens(guide_id: str) -> set[str]:
    """Every whitespace-separated token of the guide's source, without its Markdown marks."""
    text = (GUIDES / f"{guide_id}.yaml").read_text(encoding="utf-8")
    return {_bare(token) for token in re.sub(r"[*`]", "", text).split()}


def _bare(token: str) -> str:
    return token.strip(".,:;·()[]{}?!\"'“”‘’")


def _catalog_tokens(language: str) -> set[str]:
    """Every word of the language's catalog, its placeholders taken out."""
    with open(i18n.catalog_path(language), "rb") as source:
        catalog = read_po(source, locale=language)
    forms = [form for message in catalog if message.id
             for form in (message.string if isinstance(message.string, tuple) else (message.string,))]
    # A word with a placeholder ("%(range)s문항") stands for every word it makes: "*" there.
    return {_bare(i18n.PLACEHOLDER.sub("*", token)) for form in forms for token in form.split()}


def _pdf_words(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as document:
        return [word["text"] for page in document.pages for word in page.extract_words(use_text_flow=True)]


@pytest.mark.parametrize("paper", PAPERS)
def test_no_line_of_the_korean_sheet_ends_inside_a_word(built, paper):
    """Each Korean word on the sheet (a run of text between spaces or line ends in the
    PDF) is a whole word of the source: a line broken inside one leaves two pieces
    that the source does not have."""
    guide = load_guide(GUIDES / f"{KOREAN}.yaml")
    # The source's words, the catalog's and those of the dates Babel writes.
    tokens = _source_tokens(KOREAN) | set(labels_for(guide).date(guide.updated_datetime).split()) | _catalog_tokens("ko")
    hangul = re.compile("[\uac00-\ud7af]")
    korean_words = [_bare(part) for word in _pdf_words(built / f"{KOREAN}-cheatsheet-{paper}.pdf")
                    for part in re.split("[✓✗▸·]", word) if hangul.search(part)]
    assert len(korean_words) > 100
    patterns = [re.compile(".+".join(map(re.escape, token.split("*")))) for token in tokens
                if "*" in token and hangul.search(token)]  # a bare placeholder would match anything
    assert [word for word in korean_words
            if word not in tokens and not any(pattern.fullmatch(word) for pattern in patterns)] == []


def test_the_korean_fixture_would_break_inside_words_without_word_joiners(tmp_path):
    """The check above can fail: WeasyPrint alone breaks Korean between syllables."""
    from weasyprint import HTML

    text = " ".join(yaml.safe_load((GUIDES / f"{KOREAN}.yaml").read_text(encoding="utf-8"))["domains"][0]
                    ["concepts"][i]["text"] for i in range(3)).replace("**", "").replace("`", "")
    page = '<html lang="ko"><body style="width: 45mm; font: 7pt \'Noto Sans CJK KR\'">{}</body></html>'
    HTML(string=page.format(text)).write_pdf(tmp_path / "plain.pdf")
    HTML(string=page.format(scripts.keep_words_whole(text))).write_pdf(tmp_path / "joined.pdf")
    tokens = {_bare(token) for token in text.split()}
    assert any(_bare(word) not in tokens for word in _pdf_words(tmp_path / "plain.pdf"))
    assert all(_bare(word) in tokens for word in _pdf_words(tmp_path / "joined.pdf"))


def _fonts(pdf: Path) -> list[str]:
    output = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0].split("+", 1)[-1] for line in output.splitlines()[2:] if line.strip()]


@pytest.mark.parametrize("guide_id", NO_ITALIC_GUIDES)
def test_no_italic_face_in_the_sheet_of_a_cjk_or_arabic_guide(built, guide_id):
    for paper in PAPERS:
        fonts = _fonts(built / f"{guide_id}-cheatsheet-{paper}.pdf")
        assert not [font for font in fonts if re.search("Italic|Oblique", font)], fonts
    # The check reads real font names: a German sheet sets its myths in an oblique face.
    assert any("Oblique" in font for font in _fonts(built / f"{GERMAN}-cheatsheet-a4.pdf"))


def test_the_korean_sheet_is_set_in_the_korean_cjk_face(built):
    for paper in PAPERS:
        fonts = _fonts(built / f"{KOREAN}-cheatsheet-{paper}.pdf")
        cjk = {font for font in fonts if "CJK" in font}
        assert cjk and all("CJK-KR" in font for font in cjk), fonts


def test_the_korean_books_style_carries_keep_all_and_upright_emphasis(built):
    with zipfile.ZipFile(built / f"{KOREAN}.epub") as book:
        css = book.read("EPUB/css/book.css").decode("utf-8")
    assert "word-break: keep-all" in css and "line-break: strict" in css
    assert '"Noto Sans CJK KR"' in css
    assert re.search(r"\.tier-meaning, \.question-meta, \.disclaimer, em \{ font-style: normal; \}", css)


def _models_css(apkg: Path) -> list[str]:
    with fresh_collection() as col:
        import_package(col, apkg)
        return [model["css"] for model in col.models.all() if any(
            tag.startswith(("DAN-K120", "CLD-J100", "DAT-A150")) for tag in [model["name"]])]


def test_the_korean_cards_style_carries_keep_all(built):
    styles = _models_css(built / f"{KOREAN}.apkg")
    assert len(styles) == 5
    assert all("word-break: keep-all" in css and '"Noto Sans CJK KR"' in css for css in styles)


def _computed(card_html: str, selector: str, properties: tuple[str, ...]) -> dict[str, str]:
    """The computed style of the first element matching `selector`, as headless Chromium has it."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("no chromium")
    script = (f"<script>const s = getComputedStyle(document.querySelector({json.dumps(selector)})); document.body.setAttribute("
              f"'data-computed', JSON.stringify(Object.fromEntries({json.dumps(list(properties))}.map(p => [p, s.getPropertyValue(p)]))));"
              "</script>")
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "card.html"
        page.write_text(card_page(card_html + script, night=False), encoding="utf-8")
        dom = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                              f"--user-data-dir={folder}/profile", "--dump-dom", page.as_uri()],
                             capture_output=True, text=True, check=True, timeout=120).stdout
    found = re.search(r'data-computed="([^"]*)"', dom)
    assert found, dom[:500]
    import html

    return json.loads(html.unescape(found.group(1)))


@pytest.mark.slow
@pytest.mark.parametrize("guide_id", [*NO_ITALIC_GUIDES, GERMAN])
def test_the_trap_claim_is_upright_on_cards_rendered_by_anki(built, guide_id):
    """Upright in scripts without italics; the German card shows the check sees italics."""
    with fresh_collection() as col:
        import_package(col, built / f"{guide_id}.apkg")
        card_id = col.find_cards(f"tag:{guide_id.upper()}::kind::trap")[0]
        front = col.get_card(card_id).question()
    assert 'class="prompt claim"' in front
    style = _computed(front, ".claim", ("font-style", "word-break"))
    assert style["font-style"] == ("italic" if guide_id == GERMAN else "normal")
    if guide_id == KOREAN:
        assert style["word-break"] == "keep-all"


def _chars(pdf: Path) -> list[dict]:
    with pdfplumber.open(pdf) as document:
        return [char for page in document.pages for char in page.chars]


def test_korean_emphasis_is_bold_and_a_particle_follows_a_code_span_with_no_gap(built):
    chars = _chars(built / f"{KOREAN}-cheatsheet-a4.pdf")
    text = "".join(char["text"] for char in chars)
    # `*반드시*` in the exam box's scoring note: upright, in the bold face.
    at = text.index("반드시")
    assert all("Bold" in char["fontname"] for char in chars[at:at + 3])
    assert not any(re.search("Italic|Oblique", char["fontname"]) for char in chars)
    # "`is.na()`로": the particle starts where the code span's last glyph ends.
    at = text.index("is.na()로")
    closing, particle = chars[at + 6], chars[at + 7]
    assert closing["top"] == pytest.approx(particle["top"], abs=1)
    assert particle["x0"] - closing["x1"] < 0.3


# --- right to left: the same layout, mirrored --------------------------------------------------

ENGLISH = "orch-110"
# The exam box's labels, in the template's order (the optional ones only where the guide has them).
EXAM_FACTS = ("sheet.format", "sheet.labs", "sheet.duration", "sheet.scoring", "sheet.scoring-note",
              "sheet.guessing", "sheet.fee", "sheet.delivery", "sheet.replaces")
ALWAYS_THERE = {"sheet.format", "sheet.duration", "sheet.scoring", "sheet.guessing", "sheet.fee", "sheet.delivery"}
MM = 72 / 25.4
LABEL_GAP = 1 * MM  # the least room between a label and its value for the eye to part them
HEADING_SIZE = 7.5  # the exam box's text is 7 pt; the next section's heading is larger
LINE_PITCH = 7 * 1.15  # the sheet's line height: a gap of several of these ends the column


def _letters(word: str) -> list[str]:
    """A word's letters in any order, without combining marks: a PDF reader gives right-to-left
    words in visual order, a ligature ("لا") in logical order, a mark before or after its letter."""
    return sorted(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _lines(words: list[dict]) -> list[list[dict]]:
    """Words grouped into lines by their baseline (a mark above a letter raises its word's top, not its bottom)."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: w["bottom"]):
        if lines and abs(lines[-1][0]["bottom"] - word["bottom"]) < 1.5:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def _exam_box_rows(pdf: Path, guide) -> dict[str, tuple[dict, list[dict], list[list[dict]]]]:
    """Each exam fact on the sheet's front, by label id: the label's box, the words on the label's
    line, and the lines its value wraps onto, read from the first column (at the right, right to left)."""
    labels, rtl = labels_for(guide), guide.direction == "rtl"
    wanted = {fact: [_letters(word) for word in labels.message(fact).split()] for fact in EXAM_FACTS}
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        first_column = [w for w in page.extract_words(extra_attrs=["size"])
                        if ((w["x0"] + w["x1"]) / 2 > page.width * 2 / 3 if rtl else (w["x0"] + w["x1"]) / 2 < page.width / 3)]
    rows: dict[str, tuple[dict, list[dict], list[list[dict]]]] = {}
    current, previous = None, None
    for line in _lines(first_column):
        line.sort(key=lambda w: -w["x1"] if rtl else w["x0"])  # from the side the line starts
        fact = next((fact for fact, words in wanted.items()
                     if [_letters(w["text"]) for w in line[:len(words)]] == words), None)
        if current and line[0]["bottom"] - previous > 3 * LINE_PITCH:
            break  # the footer
        previous = line[0]["bottom"]
        if fact:
            count = len(wanted[fact])
            box = {"x0": min(w["x0"] for w in line[:count]), "x1": max(w["x1"] for w in line[:count])}
            current = rows[fact] = (box, line[count:], [])
        elif current and max(w["size"] for w in line) > HEADING_SIZE:
            break  # the next section
        elif current:
            current[2].append(line)
    return rows


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("guide_id", [ARABIC, ENGLISH, GERMAN, KOREAN])
def test_each_exam_fact_label_keeps_apart_from_its_value_and_wrapped_lines_stay_on_the_values_side(built, guide_id, paper):
    """The exam box at a glance: a label, then its value, a gap between them, the value's later
    lines in the value's column (never back under the labels), in either direction, and a value
    that wraps fills its first line (not "لا" alone: sheet/weasyprint/adapter.py)."""
    guide = load_guide(GUIDES / f"{guide_id}.yaml")
    rtl = guide.direction == "rtl"
    rows = _exam_box_rows(built / f"{guide_id}-cheatsheet-{paper}.pdf", guide)
    assert ALWAYS_THERE <= set(rows), (f"exam box labels not found: {sorted(ALWAYS_THERE - set(rows))} "
                                       "(a label that touches its value reads as one word with it)")

    def gap(label: dict, word: dict) -> float:  # from the label's end to the word's near edge
        return label["x0"] - word["x1"] if rtl else word["x0"] - label["x1"]

    for fact, (label, beside, _) in rows.items():
        assert beside, f"{fact}: no value on the label's line"
        nearest = min(gap(label, word) for word in beside)
        assert nearest >= LABEL_GAP, f"{fact}: {nearest:.1f} pt between the label and its value"
    # Where the values start beside the labels, nearest the column's edge: the value column.
    value_edge = (max(max(w["x1"] for w in beside) for _, beside, _ in rows.values()) if rtl
                  else min(min(w["x0"] for w in beside) for _, beside, _ in rows.values()))
    wrapped = [(fact, word) for fact, (_, _, lines) in rows.items() for line in lines for word in line]
    strays = [(fact, word["text"]) for fact, word in wrapped
              if (word["x1"] > value_edge + 0.5 if rtl else word["x0"] < value_edge - 0.5)]
    assert not strays, f"wrapped value words back under the labels: {strays}"

    def extent(words: list[dict]) -> float:
        return max(w["x1"] for w in words) - min(w["x0"] for w in words)

    short = [fact for fact, (_, beside, lines) in rows.items()
             if lines and extent(beside) < max(extent(line) for line in lines) / 2]
    assert not short, f"a wrapped value's first line holds less than half a line: {short}"
    if guide_id == ARABIC:
        assert wrapped, "the Arabic fixture's values wrap: the check has lines to read"


PHONE = {"width": 390, "height": 844}
# Each option's letter box, and the body's content box, as the browser lays out the page.
MARKER_BOXES = """() => {
  const body = document.body, style = getComputedStyle(body), rect = body.getBoundingClientRect();
  const content = {left: rect.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft),
                   right: rect.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight)};
  const letters = [...document.querySelectorAll("ol.options .letter, ul.why .letter")].map(letter => {
    const box = letter.getBoundingClientRect();
    return {text: letter.textContent.trim(), left: box.left, right: box.right};
  });
  return {content, letters};
}"""


@pytest.mark.slow
@pytest.mark.parametrize("guide_id", [ARABIC, ENGLISH])
def test_the_books_option_letters_hang_inside_the_text_column_on_a_phone(built, guide_id, tmp_path):
    """The practice exam's and the answers' option letters, in headless Chromium at a phone's
    width: inside the body's content box, at the side the lines start from (right, right to left)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("no chromium")
    from playwright.sync_api import sync_playwright

    rtl = load_guide(GUIDES / f"{guide_id}.yaml").direction == "rtl"
    with zipfile.ZipFile(built / f"{guide_id}.epub") as book:
        book.extractall(tmp_path)
    laid_out = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            tab = browser.new_page(viewport=PHONE)
            for name in ("practice-exam.xhtml", "answers.xhtml"):
                tab.goto((tmp_path / "EPUB" / "text" / name).as_uri())
                laid_out[name] = tab.evaluate(MARKER_BOXES)
        finally:
            browser.close()
    for name, boxes in laid_out.items():
        content, letters = boxes["content"], boxes["letters"]
        assert letters, f"{name}: no option letters"
        outside = [letter for letter in letters
                   if letter["left"] < content["left"] - 0.5 or letter["right"] > content["right"] + 0.5]
        assert not outside, f"{name}: letters outside the text column {content}: {outside[:3]}"
        start = [abs(letter["right"] - content["right"]) if rtl else abs(letter["left"] - content["left"])
                 for letter in letters]
        assert max(start) < 1, f"{name}: a letter does not hang at the start of its line: {letters[:3]}"
