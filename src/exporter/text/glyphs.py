"""The glyph check: every character a written PDF sets has a glyph in the font that sets it.

A font without a character draws a box (its `.notdef` glyph), and WeasyPrint
can even draw glyphs of one face with the outlines of another (Arabic set in
DejaVu Sans Condensed Oblique, which has no Arabic, comes out as unrelated
shapes) while the text layer still reads right. So the check reads what the
PDF really draws: for each embedded font, every code it uses, the glyph that
code selects (from the font's encoding) and the characters it stands for
(from its ToUnicode map). A code that selects glyph 0, or stands for a
character missing from the embedded font's own character map, is a problem.

This module knows fonts and PDFs, not guides: `missing_glyphs` lists what a
PDF lacks, `covering_package` names a Debian package whose fonts have a
character. The sheet's check (`sheet/glyph_check.py`) and the cover name the
field behind each.
"""

from __future__ import annotations

import functools
import io
import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont
from pypdf import PdfReader

# Characters drawn as no glyph at all, whatever the font: controls, format
# characters (joiners, marks of direction) and variation selectors.
INVISIBLE_CATEGORIES = ("Cc", "Cf", "Zl", "Zp")
VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
# Where no installed font has a character: the Debian packages that cover the
# usual scripts, by the first word of the character's Unicode name.
PACKAGES_BY_SCRIPT = {
    "CJK": "fonts-noto-cjk", "HIRAGANA": "fonts-noto-cjk", "KATAKANA": "fonts-noto-cjk",
    "HANGUL": "fonts-noto-cjk", "IDEOGRAPHIC": "fonts-noto-cjk", "BOPOMOFO": "fonts-noto-cjk",
}
DEFAULT_PACKAGE = "fonts-noto-core"
EMOJI_PACKAGE = "fonts-noto-color-emoji"


@dataclass(frozen=True)
class MissingGlyph:
    character: str
    font: str  # the embedded font's name, subset tag removed


def missing_glyphs(pdf: Path) -> list[MissingGlyph]:
    """The characters the PDF sets with a font that has no glyph for them, in first-seen order."""
    found: dict[tuple[str, str], MissingGlyph] = {}
    for font in _fonts(pdf):
        for glyph in _font_problems(font):
            found.setdefault((glyph.character, glyph.font), glyph)
    return list(found.values())


def characters_by_font(pdf: Path) -> dict[str, set[str]]:
    """The visible characters each embedded font sets (font names without the subset tag)."""
    result: dict[str, set[str]] = {}
    for font in _fonts(pdf):
        name = str(font.get("/BaseFont", "?")).lstrip("/").split("+", 1)[-1]
        to_unicode = font.get("/ToUnicode")
        texts = _bf_map(to_unicode.get_object().get_data().decode("latin-1")).values() if to_unicode else ()
        result.setdefault(name, set()).update(c for text in texts for c in text if _visible(c))
    return result


def _fonts(pdf: Path):
    """Each font dictionary the pages use, once."""
    seen: set[int] = set()
    for page in PdfReader(pdf).pages:
        for reference in page.get("/Resources", {}).get("/Font", {}).values():
            if reference.idnum not in seen:
                seen.add(reference.idnum)
                yield reference.get_object()


def _font_problems(font) -> list[MissingGlyph]:
    name = str(font.get("/BaseFont", "?")).lstrip("/").split("+", 1)[-1]
    to_unicode = font.get("/ToUnicode")
    if to_unicode is None:
        return []
    characters = _bf_map(to_unicode.get_object().get_data().decode("latin-1"))
    encoding = font.get("/Encoding")
    codes_to_cids = None
    if encoding is not None and not isinstance(encoding.get_object(), str) and hasattr(encoding.get_object(), "get_data"):
        codes_to_cids = _cid_map(encoding.get_object().get_data().decode("latin-1"))
    descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
    subset_cmap, postscript_name = _subset_cmap(descendant)
    problems, unsure = [], []
    for code, text in characters.items():
        glyph = codes_to_cids.get(code, code) if codes_to_cids is not None else code
        visible = [c for c in text if _visible(c)]
        if glyph == 0:
            problems += [MissingGlyph(c, name) for c in visible[:1]]
        else:
            unsure += [c for c in visible if ord(c) not in subset_cmap]
    if unsure and postscript_name:
        # Not in the subset's map: a shaped form (fine) or a glyph of the wrong face.
        cmap = installed_cmap(postscript_name)
        if cmap is not None:
            problems += [MissingGlyph(c, name) for c in unsure if ord(c) not in cmap]
    return problems


def _visible(character: str) -> bool:
    return not (character.isspace() or unicodedata.category(character) in INVISIBLE_CATEGORIES
                or VARIATION_SELECTORS.match(character))


def _subset_cmap(descendant) -> tuple[set[int], str | None]:
    """The code points the embedded subset's own character map covers, and its PostScript name.

    A subset's map lists only the characters whose default glyph it kept:
    shaped letters (Arabic forms, ligatures) drop out, so a character missing
    here is then looked up in the installed font of that name.
    """
    descriptor = descendant.get("/FontDescriptor")
    program = descriptor.get_object().get("/FontFile2") or descriptor.get_object().get("/FontFile3") \
        if descriptor is not None else None
    if program is None:
        return set(), None
    try:
        subset = TTFont(io.BytesIO(program.get_object().get_data()), lazy=True)
        codes = {code for table in subset["cmap"].tables if table.isUnicode() for code in table.cmap}
        return codes, subset["name"].getDebugName(6)
    except Exception:  # noqa: BLE001  # a bare CFF or an unreadable program: only glyph 0 can be checked
        return set(), None


@functools.cache
def installed_cmap(postscript_name: str) -> frozenset[int] | None:
    """The code points of the installed font with this PostScript name (found with fontconfig)."""
    try:
        found = subprocess.run(["fc-list", "--format", "%{file}\t%{index}\n", f":postscriptname={postscript_name}"],
                               capture_output=True, text=True, check=True).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return None
    for line in sorted(found):  # sorted: the same file every time
        file, _, index = line.partition("\t")
        try:
            font = TTFont(file, fontNumber=int(index or 0), lazy=True)
            return frozenset(code for table in font["cmap"].tables if table.isUnicode() for code in table.cmap)
        except Exception:  # noqa: BLE001  # unreadable: try the next file of that name
            continue
    return None


_HEX = re.compile(r"<([0-9a-fA-F]+)>")


def _bf_map(cmap: str) -> dict[int, str]:
    """A ToUnicode CMap as {code: text} (bfchar and bfrange sections)."""
    result: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for source, target in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            result[int(source, 16)] = _utf16(target)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, rest in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]*>)", block):
            low, high = int(low, 16), int(high, 16)
            if rest.startswith("["):
                for offset, target in enumerate(_HEX.findall(rest)):
                    result[low + offset] = _utf16(target)
            else:
                start = _utf16(rest[1:-1])
                for offset in range(high - low + 1):
                    result[low + offset] = start[:-1] + chr(ord(start[-1]) + offset) if start else ""
    return result


def _cid_map(cmap: str) -> dict[int, int]:
    """An encoding CMap as {code: CID} (cidchar and cidrange sections)."""
    result: dict[int, int] = {}
    for block in re.findall(r"begincidchar(.*?)endcidchar", cmap, re.S):
        for code, cid in re.findall(r"<([0-9a-fA-F]+)>\s*(\d+)", block):
            result[int(code, 16)] = int(cid)
    for block in re.findall(r"begincidrange(.*?)endcidrange", cmap, re.S):
        for low, high, cid in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\d+)", block):
            for offset in range(int(high, 16) - int(low, 16) + 1):
                result[int(low, 16) + offset] = int(cid) + offset
    return result


def _utf16(hex_text: str) -> str:
    return bytes.fromhex(hex_text).decode("utf-16-be", errors="replace") if hex_text else ""


@functools.cache
def installed_code_points() -> frozenset[int] | None:
    """Every code point some installed font has (fontconfig's charsets, read once); None
    without fontconfig, when nothing can be said."""
    try:
        charsets = subprocess.run(["fc-list", "--format", "%{charset}\n"], capture_output=True, text=True,
                                  check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    codes: set[int] = set()
    for low, high in charset_ranges(" ".join(set(charsets.split()))):
        codes.update(range(low, high + 1))
    return frozenset(codes)


def charset_ranges(charset: str) -> list[tuple[int, int]]:
    """fontconfig's `%{charset}` ("20-7e a0-17f ...") as (first, last) code points."""
    ranges = []
    for span in charset.split():
        first, _, last = span.partition("-")
        ranges.append((int(first, 16), int(last or first, 16)))
    return ranges


def drawn(character: str) -> bool:
    """Whether a character is drawn as a glyph at all (not a space, control, mark of direction...)."""
    return _visible(character)


@functools.cache
def covering_package(character: str) -> tuple[str | None, bool]:
    """A Debian package with a font that has the character, and whether it is installed.

    The installed font's package if fontconfig finds one; else the usual
    package for the character's script; None for a character no package is
    known to cover (private use, unassigned).
    """
    try:
        files = subprocess.run(["fc-list", "--format", "%{file}\n", f":charset={ord(character):x}"],
                               capture_output=True, text=True, check=True).stdout.split("\n")
        for file in sorted(filter(None, files)):
            owner = subprocess.run(["dpkg", "-S", file], capture_output=True, text=True)
            if owner.returncode == 0:
                return owner.stdout.split(":", 1)[0], True
    except (OSError, subprocess.CalledProcessError):
        pass  # no fontconfig or no dpkg here: guess from the character
    if unicodedata.category(character) in ("Co", "Cn"):
        return None, False
    if unicodedata.category(character) == "So" and ord(character) >= 0x1F000:
        return EMOJI_PACKAGE, False
    first_word = unicodedata.name(character, "").split(" ", 1)[0]
    return PACKAGES_BY_SCRIPT.get(first_word, DEFAULT_PACKAGE), False
