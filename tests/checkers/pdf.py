"""Checks for the printable cheat sheets, with the real tools: qpdf, pdffonts, pdftotext, pypdf,
pdfplumber, and the fonts' own character maps (fontTools, as the build's glyph check).

`check_artifacts(paths)` returns the problems found, one readable line each.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pdfplumber
from pypdf import PdfReader
from pypdf.generic import ArrayObject

from exporter.text import glyphs

PAGES = 2
MM = 72 / 25.4
MARGIN = 10 * MM  # home printers cannot print closer to the edge
MIN_SIZE = 6.5
MIN_BODY_SIZE = 7.0
# Paper sizes in points, keyed by the suffix of the artifact's name.
PAPER_SIZES = {"a4": (595, 842), "letter": (612, 792)}
SIZE_TOLERANCE = 1.0
# The sheet's font, and the fallbacks it may use for what that font lacks.
MAIN_FAMILY = "DejaVu-Sans-Semi-Condensed"
MAIN_FONT = "DejaVuSansCondensed"  # its PostScript name
FALLBACK_FAMILY = re.compile(r"^(Noto-|Symbola)")
# pdfplumber may read a little less than pdftotext (ligatures, marks); a font
# with a custom encoding hides most of the text from it.
TEXT_READ_SHARE = 0.9
STYLE_WORDS = re.compile(r"-(Bold|Oblique|Italic|BoldOblique|BoldItalic)(?=-|$)")


def check_artifacts(paths: list[Path]) -> list[str]:
    problems = []
    for path in map(Path, paths):
        if not path.is_file():
            problems.append(f"{path.name}: missing")
            continue
        problems += [f"{path.name}: {problem}" for problem in check_pdf(path)]
    return problems


def check_pdf(path: Path) -> list[str]:
    problems = check_qpdf(path) + check_fonts(path) + check_glyphs(path)
    reader = PdfReader(path)
    problems += check_structure(reader) + check_links(reader) + check_page_count(reader)
    problems += check_page_sizes(path, reader)
    with pdfplumber.open(path) as pdf:
        problems += check_text_readable(path, pdf) + check_text_geometry(pdf)
    return problems


def check_qpdf(path: Path) -> list[str]:
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    if result.returncode != 0:  # 2 is an error, 3 a warning: both are problems here
        return [f"qpdf --check: exit {result.returncode}: {(result.stdout + result.stderr).strip()[-400:]}"]
    return []


def pdffonts(path: Path) -> list[dict[str, str]]:
    """Rows of `pdffonts` as {name, emb, sub, uni}."""
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    rows = []
    for line in lines[2:]:
        # The font type may contain spaces ("CID TrueType"); the last five columns never do.
        tokens = line.split()
        emb, sub, uni = tokens[-5:-2]
        rows.append({"name": tokens[0], "emb": emb, "sub": sub, "uni": uni})
    return rows


def font_family(name: str) -> str:
    """`ABCDEF+DejaVu-Sans-Bold-Semi-Condensed` -> `DejaVu-Sans-Semi-Condensed`."""
    return STYLE_WORDS.sub("", name.split("+", 1)[-1])


def check_fonts(path: Path) -> list[str]:
    rows = pdffonts(path)
    problems = [f"font {row['name']} is not embedded" for row in rows if row["emb"] != "yes"]
    problems += [f"font {row['name']} is not subset" for row in rows if row["sub"] != "yes"]
    families = sorted({font_family(row["name"]) for row in rows})
    if not rows:
        problems.append("no fonts at all")
    elif MAIN_FAMILY not in families:
        problems.append(f"the sheet is not set in {MAIN_FAMILY}: {', '.join(families)}")
    else:
        # A fallback font sets only what the main font lacks (CJK, emoji, rarer scripts).
        main = glyphs.installed_cmap(MAIN_FONT) or frozenset()
        for font, characters in sorted(glyphs.characters_by_font(path).items()):
            family = font_family(font)
            if family == MAIN_FAMILY:
                continue
            if not FALLBACK_FAMILY.match(family):
                problems.append(f"more than one font family: {family} besides {MAIN_FAMILY}")
                continue
            needless = sorted(c for c in characters if ord(c) in main)
            if needless:
                problems.append(f"fallback font {font} sets {''.join(needless[:20])!r}, which {MAIN_FAMILY} has")
    return problems


def check_glyphs(path: Path) -> list[str]:
    """Every character drawn with a glyph of its own font: no box, no glyph of another face."""
    return [f"no glyph for {glyph.character!r} (U+{ord(glyph.character):04X}) in the font {glyph.font} that sets it"
            for glyph in glyphs.missing_glyphs(path)]


def check_text_readable(path: Path, pdf) -> list[str]:
    """pdfplumber, which the geometry checks read with, sees the text that pdftotext sees.

    A font with a custom encoding can hide most of a page's text from
    pdfplumber, and with it every box and overflow on it.
    """
    problems = []
    for number, page in enumerate(pdf.pages, 1):
        text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"],
                              capture_output=True, text=True, check=True).stdout
        expected = sum(1 for c in text if not c.isspace() and unicodedata.category(c) not in ("Cf", "Mn"))
        read = sum(1 for char in page.chars if char["text"].strip())
        if expected and read < TEXT_READ_SHARE * expected:
            problems.append(f"page {number}: pdfplumber reads {read} of {expected} characters: "
                            f"a font's encoding hides the text")
    return problems


def check_structure(reader: PdfReader) -> list[str]:
    problems = []
    catalog = reader.trailer["/Root"]
    if not catalog.get("/MarkInfo", {}).get("/Marked"):
        problems.append("not a tagged PDF (no /MarkInfo /Marked true)")
    if "/StructTreeRoot" not in catalog:
        problems.append("no structure tree (/StructTreeRoot)")
    if not str(catalog.get("/Lang", "")).strip():
        problems.append("no document language (/Lang)")
    if not reader.outline:
        problems.append("no bookmarks (outline)")
    info = reader.metadata or {}
    for field in ("/Title", "/Author", "/Subject", "/Keywords", "/CreationDate", "/ModDate"):
        if not str(info.get(field, "")).strip():
            problems.append(f"metadata {field[1:]} is missing")
    return problems


def check_links(reader: PdfReader) -> list[str]:
    """Every internal link must lead to a destination that exists."""
    named = set(reader.named_destinations)
    pages = {page.indirect_reference.idnum for page in reader.pages}
    problems = []
    for number, page in enumerate(reader.pages, 1):
        for annotation in page.get("/Annots", []) or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A", {})
            target = annotation.get("/Dest", action.get("/D") if action.get("/S") == "/GoTo" else None)
            if target is None:
                if action.get("/S") != "/URI":
                    problems.append(f"page {number}: link with neither destination nor URI")
                continue
            if isinstance(target, ArrayObject):
                if target[0].idnum not in pages:
                    problems.append(f"page {number}: link to a page that does not exist")
            elif str(target) not in named:
                problems.append(f"page {number}: link to unknown destination {target}")
    return problems


def _says_one_of_one(reader: PdfReader) -> bool:
    """The one page's footer says "page 1 of 1" in the sheet's language (the PDF's /Lang).
    pypdf gives a right-to-left footer in visual order, its number glued to a word
    ("1 من1 الصفحة"): there every word of it is looked for, in any order."""
    from exporter.text.i18n import Labels

    language = str(reader.trailer["/Root"].get("/Lang", "en"))
    labels = Labels(language)
    phrase = labels.gettext("sheet.page-of", page=labels.number(1), pages=labels.number(1))
    text = " ".join(reader.pages[0].extract_text().split())
    if phrase in text:
        return True
    right_to_left = any(unicodedata.bidirectional(character) in ("R", "AL") for character in phrase)
    return right_to_left and all(word in text for word in re.findall(r"[^\W\d]+", phrase))


def check_page_count(reader: PdfReader) -> list[str]:
    """Two pages, front and back; or one, when the whole guide fits on the front and
    nothing goes on the back (the sheet then says "page 1 of 1")."""
    if len(reader.pages) == PAGES:
        return []
    if len(reader.pages) == 1 and _says_one_of_one(reader):
        return []
    return [f"{len(reader.pages)} pages, expected exactly {PAGES} (or 1, saying so)"]


def check_page_sizes(path: Path, reader: PdfReader) -> list[str]:
    paper = next((name for name in PAPER_SIZES if path.stem.endswith(f"-{name}")), None)
    if paper is None:
        return [f"cannot tell the paper size from the name {path.name}"]
    expected = sorted(PAPER_SIZES[paper])
    problems = []
    for number, page in enumerate(reader.pages, 1):
        size = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        if any(abs(got - want) > SIZE_TOLERANCE for got, want in zip(size, expected, strict=True)):
            problems.append(f"page {number} is {size[0]:.0f}×{size[1]:.0f} pt, expected {paper} "
                            f"{expected[0]}×{expected[1]} pt")
    return problems


def check_text_geometry(pdf) -> list[str]:
    """Type sizes, margins, overlaps and lonely headings, from the extracted character boxes."""
    problems = []
    sizes: Counter[float] = Counter()
    for number, page in enumerate(pdf.pages, 1):
        chars = [char for char in page.chars if char["text"].strip()]
        sizes.update(round(char["size"], 1) for char in chars)
        too_small = sorted({round(char["size"], 2) for char in chars if char["size"] < MIN_SIZE})
        if too_small:
            problems.append(f"page {number}: text smaller than {MIN_SIZE} pt: {too_small}")
        outside = [char for char in chars if not inside_margins(char, page)]
        if outside:
            sample = "".join(char["text"] for char in outside[:40])
            problems.append(f"page {number}: {len(outside)} characters within {MARGIN / MM:.0f} mm of the edge: "
                            f"{sample!r}")
        overlapping = overlapping_pairs(chars)
        if overlapping:
            a, b = overlapping[0]
            problems.append(f"page {number}: {len(overlapping)} overlapping characters, e.g. {a['text']!r} "
                            f"and {b['text']!r} at {a['x0']:.0f},{a['top']:.0f} pt")
        problems += [f"page {number}: {problem}" for problem in _lonely_headings(page, chars)]
    if sizes:
        body = sizes.most_common(1)[0][0]
        if body < MIN_BODY_SIZE:
            problems.append(f"body text is {body} pt, expected at least {MIN_BODY_SIZE} pt")
    return problems


def inside_margins(char: dict, page) -> bool:
    return (char["x0"] >= MARGIN and char["x1"] <= page.width - MARGIN
            and char["top"] >= MARGIN and char["bottom"] <= page.height - MARGIN)


def overlapping_pairs(chars: list[dict]) -> list[tuple[dict, dict]]:
    """Characters whose boxes overlap clearly: text running into a neighbour column or line."""
    grid: dict[tuple[int, int], list[dict]] = defaultdict(list)
    cell = 20.0
    for index, char in enumerate(chars):
        char = {**char, "index": index}
        for gx in range(int(char["x0"] // cell), int(char["x1"] // cell) + 1):
            for gy in range(int(char["top"] // cell), int(char["bottom"] // cell) + 1):
                grid[gx, gy].append(char)
    found, seen = [], set()
    for members in grid.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pair = (id(a), id(b)) if id(a) < id(b) else (id(b), id(a))
                if pair in seen:
                    continue
                seen.add(pair)
                if abs(a["index"] - b["index"]) == 1:
                    continue  # neighbours in one run of text: kerning ("y." or "Tr") may touch
                width = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                smaller = min((a["x1"] - a["x0"]) * (a["bottom"] - a["top"]),
                              (b["x1"] - b["x0"]) * (b["bottom"] - b["top"]))
                # Kerning and line spacing make boxes touch a little; a third is an overlap.
                if width > 0 and height > 0 and smaller > 0 and width * height > smaller / 3:
                    found.append((a, b))
    return found


def _lines(chars: list[dict]) -> list[list[dict]]:
    """Characters grouped into lines: same baseline, adjacent on the x axis."""
    lines: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (round(c["bottom"], 0), c["x0"])):
        last = lines[-1] if lines else None
        if last and abs(last[-1]["bottom"] - char["bottom"]) < 1 and char["x0"] - last[-1]["x1"] < char["size"]:
            last.append(char)
        else:
            lines.append([char])
    return lines


def _lonely_headings(page, chars: list[dict]) -> list[str]:
    """A heading (bold and larger than body text) must have text below it in its column."""
    if not chars:
        return []
    body = Counter(round(char["size"], 1) for char in chars).most_common(1)[0][0]
    problems = []
    for line in _lines(chars):
        is_heading = all(char["size"] > body + 0.8 and "Bold" in char["fontname"] for char in line)
        if not is_heading:
            continue
        # Its extent, not its first and last characters: a mark or a number set apart
        # (an Arabic heading's vowel sign, its domain's number) may sort anywhere in the line.
        left, right = min(char["x0"] for char in line), max(char["x1"] for char in line)
        bottom = max(char["bottom"] for char in line)
        size = line[0]["size"]
        below = [c for c in chars if bottom - 0.5 < c["top"] < bottom + 3 * size and left - 2 < c["x0"] < right]
        # Headings that wrap continue on the next line in the same size; look past them.
        if not any(c["size"] <= body + 0.8 for c in below):
            text = "".join(char["text"] for char in line)
            problems.append(f"heading {text!r} is left alone at the bottom of its column")
    return problems


def layout_problems(path: Path) -> list[str]:
    """qpdf, paper size, two pages, links that lead somewhere, and every character inside
    the margins with no two glyphs overlapping (not the font and type-size rules, which
    a guide in a script DejaVu lacks cannot meet)."""
    problems = check_qpdf(path)
    reader = PdfReader(path)
    problems += check_links(reader) + check_page_sizes(path, reader)
    problems += check_page_count(reader)
    with pdfplumber.open(path) as document:
        for number, page in enumerate(document.pages, 1):
            chars = [char for char in page.chars if char["text"].strip()]
            if number == 1:
                problems += masthead_problems(chars)
            outside = [char for char in chars if not inside_margins(char, page)]
            if outside:
                problems.append(f"page {number}: {len(outside)} characters outside the margins: "
                                f"{''.join(char['text'] for char in outside[:40])!r}")
            overlapping = overlapping_pairs(chars)
            if overlapping:
                a, b = overlapping[0]
                problems.append(f"page {number}: {len(overlapping)} overlapping glyphs, e.g. {a['text']!r} "
                                f"and {b['text']!r} at {a['x0']:.0f},{a['top']:.0f} pt")
    return [f"{path.name}: {problem}" for problem in problems]


# The masthead's type sizes (cheatsheet.css): the title and the subtitle, set in no other size.
MASTHEAD_SIZES = (13.0, 7.6)


def masthead_problems(chars: list[dict]) -> list[str]:
    """Nothing drawn into the masthead: every other character starts below its last line."""
    masthead = [char for char in chars if round(char["size"], 1) in MASTHEAD_SIZES]
    if not masthead:
        return ["page 1: no masthead found"]
    bottom = max(char["bottom"] for char in masthead)
    intruders = [char for char in chars if round(char["size"], 1) not in MASTHEAD_SIZES and char["top"] < bottom]
    if intruders:
        return [f"page 1: {len(intruders)} characters drawn into the masthead: "
                f"{''.join(char['text'] for char in intruders[:40])!r}"]
    return []
