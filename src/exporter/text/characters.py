"""Characters no artifact can carry: refused in the source file, the model and the ledger.

Control characters break XML and Anki's card HTML; noncharacters and surrogates are
no characters at all; a private-use character means whatever one font says; and no
format breaks a line on U+2028 or U+2029, which print as a box.
"""

from __future__ import annotations

import re
import unicodedata

# Characters that are never legitimate in guide text: C0/C1 controls other
# than tab and line breaks, which XML and Anki's card HTML cannot carry, and
# the noncharacters U+FFFE and U+FFFF, which XML refuses. The loader refuses
# them in the file as written; the model, also when written as YAML escapes ("\uFFFE").
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def forbidden_character_problem(character: str) -> str:
    kind = "noncharacter" if character in "\ufffe\uffff" else "control character"
    return f"contains the {kind} U+{ord(character):04X}; remove it"


# Characters no font has the same way (private use), that are no characters at all
# (surrogates, noncharacters) or that no format breaks a line on (U+2028, U+2029): fixed
# ranges, so one scan finds them.
_UNFIT_CHARACTERS = re.compile(
    "[\u2028\u2029\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\U000f0000-\U0010ffff"
    + "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(1, 16)) + "]")


def unfit_character_problem(text: str) -> str | None:
    """Why a character of the text can be in no artifact, or None: besides the forbidden
    ones, characters no font has the same way (private use, surrogates, the other
    noncharacters) and the line and paragraph separators, which the formats do not break
    on (they print as a box). Whether an installed font has a character is `validate`'s
    check (`sheet/glyph_check.py`, `fontless_problems`)."""
    if match := FORBIDDEN_CHARACTERS.search(text):
        return forbidden_character_problem(match.group())
    if text.isascii() or not (match := _UNFIT_CHARACTERS.search(text)):
        return None
    character = match.group()
    code = ord(character)
    if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
        return f"contains the noncharacter U+{code:04X}; remove it"
    if character in "\u2028\u2029":
        return f"contains U+{code:04X} {unicodedata.name(character)}; end the line with a line break instead"
    kind = "a surrogate" if 0xD800 <= code <= 0xDFFF else "a private-use"
    return f"contains U+{code:04X}, {kind} code point that no font draws the same way; remove it"


# Code points that show nothing on their own: Unicode's Default_Ignorable_Code_Point
# (DerivedCoreProperties.txt; fixed by Unicode's stability policy, and not in
# `unicodedata`), and the blank patterns that are letters or symbols by category
# (U+2800 BRAILLE PATTERN BLANK). Spaces and format characters are found by category.
_SHOWS_NOTHING = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff]")


def shows_nothing(text: str) -> bool:
    """Whether a text, as the formats show it, holds no visible character: only spaces,
    format characters (U+200B, U+00AD...), other default-ignorable code points and blank
    patterns."""
    return all(character.isspace() or unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp")
               or _SHOWS_NOTHING.match(character) for character in text)


def invisible_characters(text: str) -> str:
    """The invisible characters of the text other than spaces, named for a message."""
    found = dict.fromkeys(character for character in text if not character.isspace())
    return ", ".join(f"U+{ord(character):04X} {unicodedata.name(character, 'unnamed')}" for character in found)
