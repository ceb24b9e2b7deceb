"""The sheet's glyph check: every character the written PDF sets has a glyph in its font.

A character no font draws would print as an empty box; the build stops instead,
naming the field that holds it (through the one walk over the model) and the
package whose fonts have it. The font-level reading is `text/glyphs.py`.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from exporter.model.guide import Guide
from exporter.model.problems import FieldProblem, GuideProblems
from exporter.model.walk import first_text_with, texts
from exporter.text.glyphs import covering_package, drawn, installed_code_points, missing_glyphs
from exporter.text.markup import Text


def require_glyphs(pdf: Path, guide: Guide) -> None:
    """Raise GuideProblems if the PDF sets any character without a glyph."""
    problems = check_pdf(pdf, guide)
    if problems:
        raise GuideProblems(problems)


def check_pdf(pdf: Path, guide: Guide) -> list[FieldProblem]:
    """One problem per character set without a glyph, named by the field that holds it."""
    missing = missing_glyphs(pdf)
    if not missing:
        return []
    # One problem per font: an Arabic word in the wrong face is one mistake, not six.
    grouped: dict[str, list[str]] = {}
    for glyph in missing:
        grouped.setdefault(glyph.font, []).append(glyph.character)
    problems = []
    for font, characters in grouped.items():
        path = (first_text_with(guide, (), lambda text, wanted=characters: all(c in _set(text) for c in wanted))
                or first_text_with(guide, (), lambda text, wanted=characters[0]: wanted in _set(text)))
        shown = ", ".join(f"{c!r} (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in characters[:5])
        more = f" and {len(characters) - 5} more" if len(characters) > 5 else ""
        package, installed = covering_package(characters[0])
        if installed:
            advice = (f"{package} has it in another face: set this text upright and not bold, "
                      f"or add a font family that has it in this style")
        elif package:
            advice = f"install {package}, whose fonts have it"
        else:
            advice = "no font here has it: install one that does, or write it another way"
        problems.append(FieldProblem(path or (), f"no glyph for {shown}{more} in the font {font} that sets it; {advice}",
                                     words=characters[0], label="" if path else "(sheet)"))
    return problems


def _set(text: Text) -> str:
    """The characters the formats set of a text: as written, and as its HTML, where its
    character references are read (`&#x378;` is U+0378)."""
    return str(text) + text.html


def fontless_problems(guide: Guide) -> list[FieldProblem]:
    """A problem for each character of the guide's texts that no installed font has: the
    sheet, which falls back on every installed font, would print it as a box, and its
    glyph check would stop the build. Run with the loader's rules, so `validate` refuses
    it; none where fontconfig cannot tell."""
    installed = installed_code_points()
    if installed is None:
        return []
    problems, seen = [], set()
    # Field by field: on a source with problems, the rules' guide holds only the accepted fields.
    every_text = (found for name in type(guide).model_fields if name in guide.model_fields_set
                  for found in texts(getattr(guide, name), (name,)))
    for path, text in every_text:
        if text.isascii() and "&" not in text:
            continue
        for character in dict.fromkeys(_set(text)):
            if ord(character) in installed or character in seen or not drawn(character):
                continue
            seen.add(character)
            package, _ = covering_package(character)
            advice = f"install {package}, whose fonts have it" if package else "write it another way"
            problems.append(FieldProblem(path, f"no installed font has {character!r} (U+{ord(character):04X} "
                                               f"{unicodedata.name(character, 'unnamed')}); {advice}",
                                         words=character))
    return problems
