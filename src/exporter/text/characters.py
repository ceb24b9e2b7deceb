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
