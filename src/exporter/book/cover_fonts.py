"""Fonts for the book's cover: the sheet's family and fallbacks, found through fontconfig.

The cover is set in DejaVu Sans, the sheet's family, with the same fallbacks in
the same order (exporter/text/scripts.py names them): each character goes to the first
of these fonts whose character map has it, then to the font fontconfig itself
picks for that character. Fonts are looked up by name with `fc-match` and
checked against their own character maps, so the same installed fonts always
give the same choice and the same bytes. Emoji come from Symbola
(fonts-symbola), as on the sheet; colour emoji fonts are skipped, their bitmaps
come in one size only.
"""

from __future__ import annotations

import bisect
import functools
import subprocess
import unicodedata
from dataclasses import dataclass, field

from PIL import ImageDraw, ImageFont, features

from exporter.model.problems import FieldPath, FieldProblem, GuideProblems
from exporter.text import bidi, scripts
from exporter.text.glyphs import charset_ranges

# fontconfig weights (fc-pattern(1)): regular and bold.
WEIGHTS = {False: 80, True: 200}


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int
    # Its character map as fontconfig reports it: sorted (first, last) code point ranges.
    ranges: tuple[tuple[int, int], ...] = field(default=(), compare=False, repr=False)

    def __contains__(self, code: int) -> bool:
        at = bisect.bisect_right(self.ranges, (code, 0x10FFFF)) - 1
        return at >= 0 and self.ranges[at][0] <= code <= self.ranges[at][1]


class Face:
    """One size and weight of the cover's fonts, measured like a Pillow font."""

    def __init__(self, fonts: CoverFonts, size: int, bold: bool):
        self.fonts, self.size, self.bold = fonts, size, bold

    def getlength(self, text: str) -> float:
        return sum(self.fonts.pillow(file, self.size).getlength(run, **self.fonts.layout(run))
                   for run, file in self.fonts.runs(text, self.bold))


class CoverFonts:
    def __init__(self, language: str, direction: str):
        if not features.check("raqm"):
            raise RuntimeError("Pillow has no Raqm text layout (libraqm with FriBiDi and HarfBuzz), which the "
                               "cover needs to shape and order Arabic and Hebrew: install libraqm0 "
                               "(Debian) or a Pillow wheel that bundles it")
        self.language, self.direction = language, direction
        self.families = scripts.cover_families(language)

    def regular(self, size: int) -> Face:
        return Face(self, size, False)

    def bold(self, size: int) -> Face:
        return Face(self, size, True)

    def font_for(self, character: str, bold: bool) -> FontFile | None:
        return _font_for(character, bold, self.families)

    def runs(self, text: str, bold: bool) -> list[tuple[str, FontFile]]:
        """The text cut where the font changes, in logical order (characters no font has are dropped)."""
        runs: list[tuple[str, FontFile]] = []
        current: FontFile | None = None
        for character in text:
            # Spaces, marks and joiners stay with the run they are in: Arabic is shaped as a whole.
            if runs and (character.isspace() or unicodedata.category(character) in ("Mn", "Me", "Cf")):
                runs[-1] = (runs[-1][0] + character, runs[-1][1])
                continue
            font = self.font_for(character, bold)
            if font is None:
                continue
            if font == current:
                runs[-1] = (runs[-1][0] + character, font)
            else:
                runs.append((character, font))
                current = font
        return runs

    def layout(self, run: str) -> dict:
        """Pillow's Raqm options for a run: the page's direction, the guide's language."""
        return {"direction": self.direction, "language": self.language}

    @staticmethod
    @functools.cache
    def pillow(file: FontFile, size: int) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(file.path, size, index=file.index, layout_engine=ImageFont.Layout.RAQM)

    def length(self, text: str, face: Face) -> float:
        return face.getlength(text)

    def draw(self, draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, face: Face, fill,
             width: int | None) -> None:
        """Draw one line from xy; right to left, flush with the right end of `width` when given."""
        runs = self.runs(text, face.bold)
        lengths = [self.pillow(file, face.size).getlength(run, **self.layout(run)) for run, file in runs]
        x, y = xy
        if self.direction == "rtl" and width is not None:
            x += width - round(sum(lengths))
        # One baseline for every font of the line: the main font's, at its ascent below y.
        main = _match(self.families[0], face.bold) or (runs[0][1] if runs else None)
        baseline = y + (self.pillow(main, face.size).getmetrics()[0] if main else 0)
        for index in _visual_order(runs, self.direction):
            run, file = runs[index]
            draw.text((x, baseline), run, font=self.pillow(file, face.size), fill=fill, anchor="ls",
                      **self.layout(run))
            x += lengths[index]

    def require(self, texts: dict[FieldPath, str]) -> None:
        """Fail the build, naming the character and its field, if no font has a character of the cover."""
        problems = []
        for path, text in texts.items():
            for bold in (False, True):
                missing = sorted({c for c in text if _drawn(c) and self.font_for(c, bold) is None})
                if missing:
                    from exporter.text.glyphs import EMOJI_PACKAGE, covering_package  # only when needed

                    package, installed = covering_package(missing[0])
                    shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing)
                    if installed or package == EMOJI_PACKAGE:  # a font of colour bitmaps, which the cover skips
                        advice = (f"the font of {package} that has it is made of colour bitmaps, which the "
                                  "cover cannot scale; write it another way, or install an outline font with it")
                    else:
                        advice = f"install {package}" if package else "write it another way"
                    problems.append(FieldProblem(path, f"the cover has no font for {shown}; {advice}",
                                                 words=missing[0], label="" if path else "(cover)"))
                    break
        if problems:
            raise GuideProblems(problems)


def _drawn(character: str) -> bool:
    return not (character.isspace() or unicodedata.category(character) in ("Cc", "Cf", "Mn", "Me"))


def _visual_order(runs: list[tuple[str, FontFile]], direction: str) -> list[int]:
    """The runs' order on the line: within a run Raqm orders the characters; between runs,
    a right-to-left line reverses them, except that runs of left-to-right text keep their order."""
    order = list(range(len(runs)))
    if direction != "rtl":
        # A left-to-right line: consecutive right-to-left runs swap places.
        return _reverse_groups(order, [bidi.text_direction(run) == "rtl" for run, _ in runs])
    order.reverse()
    return _reverse_groups(order, [bidi.text_direction(runs[i][0]) == "ltr" for i in order])


def _reverse_groups(order: list[int], flagged: list[bool]) -> list[int]:
    result, group = [], []
    for index, flag in zip(order, flagged, strict=True):
        if flag:
            group.append(index)
            continue
        result += group[::-1] + [index]
        group = []
    return result + group[::-1]


@functools.cache
def _font_for(character: str, bold: bool, families: tuple[str, ...]) -> FontFile | None:
    code = ord(character)
    for family in families:
        file = _match(family, bold)
        if file is not None and code in file:
            return file
    file = _fontconfig_fallback(character, bold)
    return file if file is not None and code in file else None


@functools.cache
def _match(family: str, bold: bool) -> FontFile | None:
    """The installed file of this family and weight, or None if fontconfig would substitute another family."""
    found = _fc("fc-match", f"{family}:weight={WEIGHTS[bold]}")
    if not found:
        return None
    file, families = found[0]
    return file if family in families.split(",") else None


@functools.cache
def _fontconfig_fallback(character: str, bold: bool) -> FontFile | None:
    """The first outline font fontconfig lists for the character, by file name: the same every time."""
    found = (_fc("fc-list", f":charset={ord(character):x}:weight={WEIGHTS[bold]}")
             or _fc("fc-list", f":charset={ord(character):x}"))
    for file, _ in sorted(found, key=lambda row: (row[0].path, row[0].index)):
        if "Color" not in file.path:  # one-size bitmaps (Noto Color Emoji) cannot be drawn at any size
            return file
    return None


def _fc(command: str, pattern: str) -> list[tuple[FontFile, str]]:
    """Fonts fontconfig finds for the pattern, each with its family names."""
    try:
        output = subprocess.run([command, "--format", "%{file}\t%{index}\t%{family}\t%{charset}\n", pattern],
                                capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    rows = []
    for line in output.splitlines():
        path, index, families, charset = (line.split("\t") + ["", "", ""])[:4]
        rows.append((FontFile(path, int(index or 0), tuple(sorted(charset_ranges(charset)))), families))
    return rows
