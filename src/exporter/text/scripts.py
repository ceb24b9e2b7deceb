"""Scripts: which fonts set each one, which have no italics, how each breaks its lines.

The one place for these decisions. The sheet's, the book's and the cards'
stylesheets hold no font family and no list of languages: each exporter adds
`stylesheet(language, target, css)` after its own stylesheet, made here for
the guide's language, and the cover reads `cover_families(language)`.

- **Fonts.** Each character goes to the first family of the list that has it:
  DejaVu Sans (Latin, Greek, Cyrillic, Arabic, Hebrew), Noto Sans and its
  script faces, the CJK face of the guide's language (Han characters are drawn
  differently in Japan, Korea, mainland China, Taiwan and Hong Kong), Symbola.
  Emoji come in colour from Noto Color Emoji, which Pango picks for them by
  itself on the sheet; named in a list, it would also set the digits, which it
  holds for keycaps. The build's glyph check fails on any character no font has.
- **No italics.** Arabic, Hebrew and the other right-to-left scripts, and Han,
  kana and Hangul have no italic faces; a slanted copy of an upright face is
  not emphasis there. Every rule of a stylesheet that sets italics is set
  upright for those languages, and emphasis (`em`) is shown another way:
  bold, or emphasis dots (`text-emphasis`) in CJK where the reader has them.
- **Line breaks.** Korean separates words with spaces and breaks lines only
  between them (`word-break: keep-all`); Chinese and Japanese break between
  characters but never before closing or after opening punctuation
  (`line-break: strict`). WeasyPrint has no `keep-all`, so on the sheet
  `keep_words_whole` joins the letters of each Korean word with word joiners.
"""

from __future__ import annotations

import functools
import re
import typing

from exporter.text import i18n, languages

# Scripts (ISO 15924) whose type has no italic faces.
NO_ITALIC_SCRIPTS = frozenset({
    "Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Samr", "Mand", "Adlm", "Rohg",  # right to left
    "Hani", "Hans", "Hant", "Jpan", "Kore", "Hira", "Kana", "Hang", "Bopo",  # Chinese, Japanese, Korean
})
RIGHT_TO_LEFT_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Samr", "Mand", "Adlm", "Rohg"})
assert RIGHT_TO_LEFT_SCRIPTS <= NO_ITALIC_SCRIPTS  # a right-to-left phrase is set upright in any guide
CJK_SCRIPTS = frozenset({"Hani", "Hans", "Hant", "Jpan", "Kore"})
# Scripts whose lines break only at spaces, never inside a word.
KEEP_ALL_SCRIPTS = frozenset({"Kore"})

# The families that set a page's text, in fallback order, before the CJK face and the last resort.
TEXT_FAMILIES = ("DejaVu Sans", "Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew")
# The sheet is set condensed, to fit more on two pages.
SHEET_FAMILIES = ("DejaVu Sans Condensed", *TEXT_FAMILIES)
LAST_FAMILIES = ("Symbola",)  # scalable symbols and emoji no other family has
# The Noto Sans CJK face for each CJK script (fonts-noto-cjk), and for Hong Kong's forms.
CJK_FACES = {"Jpan": "Noto Sans CJK JP", "Kore": "Noto Sans CJK KR", "Hans": "Noto Sans CJK SC",
             "Hant": "Noto Sans CJK TC"}
HONG_KONG_FACE = "Noto Sans CJK HK"
DEFAULT_CJK_FACE = CJK_FACES["Jpan"]  # Han in a guide of another language
# What phones and computers have for each CJK script, after the Noto face (cards, book).
SYSTEM_CJK_FACES = {
    "Jpan": ("Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic", "Meiryo"),
    "Kore": ("Apple SD Gothic Neo", "Malgun Gothic"),
    "Hans": ("PingFang SC", "Microsoft YaHei"),
    "Hant": ("PingFang TC", "Microsoft JhengHei"),
}
# The cards' families: the device's own interface font first, which reads best on a phone.
CARD_FAMILIES = ("system-ui", "-apple-system", "Segoe UI", "Roboto", "Noto Sans", "DejaVu Sans")
# Emphasis dots where a CJK reader's engine has them: Japanese sesame dots above,
# Korean dots above, Chinese dots below.
EMPHASIS_MARKS = {"Jpan": ("filled sesame", "over right"), "Kore": ("filled dot", "over right"),
                  "Hans": ("filled dot", "under right"), "Hant": ("filled dot", "under right")}
WORD_JOINER = "\u2060"
# The element each target's text sits in: the page, or Anki's card.
ROOTS = {"sheet": "html", "book": "html", "cards": ".card"}
# The CSS counter styles that count in a numbering system's digits (CSS Counter Styles 3), for
# the book's numbered lists: e-readers know these, not `@counter-style` (the sheet's way).
LIST_STYLES = {"arab": "arabic-indic", "arabext": "persian", "beng": "bengali", "deva": "devanagari",
               "mymr": "myanmar", "tibt": "tibetan"}


def _script(language: str) -> str | None:
    return languages.script(language)


def has_italics(language: str) -> bool:
    return _script(language) not in NO_ITALIC_SCRIPTS


def cjk_face(language: str) -> str:
    """The Noto Sans CJK face whose Han forms are the language's own (Japanese forms elsewhere)."""
    _, script, region = languages.likely(language)
    if script == "Hant" and region in ("HK", "MO"):
        return HONG_KONG_FACE
    return CJK_FACES.get(script, DEFAULT_CJK_FACE)


def sheet_families(language: str) -> tuple[str, ...]:
    return (*SHEET_FAMILIES, cjk_face(language), *LAST_FAMILIES)


def cover_families(language: str) -> tuple[str, ...]:
    return (*TEXT_FAMILIES, cjk_face(language), *LAST_FAMILIES)


def diagram_families(language: str) -> tuple[str, ...]:
    """The faces Graphviz sets a diagram in: the sheet's own face first, so that a diagram on
    the sheet adds no font to it, then the language's CJK face for Han; in a CJK guide the
    CJK face comes first, as its Latin is set in it elsewhere too."""
    if _script(language) in CJK_SCRIPTS:
        return (cjk_face(language), SHEET_FAMILIES[0])
    return (SHEET_FAMILIES[0], "Noto Sans", cjk_face(language))


def _system_cjk(language: str) -> tuple[str, ...]:
    script = _script(language)
    return (cjk_face(language), *SYSTEM_CJK_FACES[script]) if script in SYSTEM_CJK_FACES else ()


def card_families(language: str) -> tuple[str, ...]:
    return (*CARD_FAMILIES, *_system_cjk(language))


def _family_list(families: tuple[str, ...], generic: str | None = None) -> str:
    named = [family if family in ("system-ui", "-apple-system") else f'"{family}"' for family in families]
    return ", ".join([*named, generic] if generic else named)


# At-rules whose block holds style rules that apply as if outside it (when they apply at all).
_GROUPING_AT_RULES = frozenset({"media", "supports", "layer", "container", "document", "scope"})


def _sets_italics(declarations) -> tuple[bool, bool]:
    """Whether a rule's declarations leave its elements italic (`font-style` or the `font`
    shorthand, the last one winning, an `!important` one over the rest), and whether that
    declaration is `!important`."""
    import tinycss2

    italic, important = False, False
    for declaration in declarations:
        if declaration.type != "declaration" or declaration.lower_name not in ("font-style", "font"):
            continue
        if important and not declaration.important:
            continue
        words = {token.lower_value for token in declaration.value if token.type == "ident"}
        if declaration.lower_name == "font-style":
            italic = tinycss2.serialize(declaration.value).strip().lower().split(" ")[0] in ("italic", "oblique")
        else:  # `font: italic bold 10pt serif`; a shorthand without a style resets it to normal
            italic = bool(words & {"italic", "oblique"})
        important = declaration.important
    return italic, important


def _italic_rules(rules) -> typing.Iterator[tuple[str, bool]]:
    import tinycss2

    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword in _GROUPING_AT_RULES and rule.content is not None:
            yield from _italic_rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
        elif rule.type == "qualified-rule":
            italic, important = _sets_italics(
                tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True))
            if italic:
                for selector in _selector_list(rule.prelude):
                    yield selector, important


def _selector_list(prelude) -> list[str]:
    """A rule's selectors, split at its top-level commas only (`:is(a, b)` and `[title="a,b"]` stay whole)."""
    import tinycss2

    selectors, current = [], []
    for token in [*prelude, None]:
        if token is None or (token.type == "literal" and token.value == ","):
            selectors.append(" ".join(tinycss2.serialize(current).split()))
            current = []
        else:
            current.append(token)
    return [selector for selector in selectors if selector]


def italic_selectors(css: str, *, important: bool = False) -> list[str]:
    """The selectors of the stylesheet's rules that set italics, with `font-style` or the `font`
    shorthand, also inside @media, @supports and the other grouping at-rules; with `important`,
    those of `!important` declarations only."""
    import tinycss2

    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    found = [selector for selector, is_important in _italic_rules(rules) if is_important or not important]
    return list(dict.fromkeys(found))


def stylesheet(language: str, target: str, css: str) -> str:
    """The rules a stylesheet (`target`: "sheet", "book" or "cards") adds for the guide's language.

    `css` is the stylesheet these rules follow, whose italic rules they set upright."""
    script = _script(language)
    rules = [f"/* Made for the language {language} (script {script}); see exporter/text/scripts.py. */"]
    if target == "sheet":
        families = _family_list(sheet_families(language))
        rules += [f"html {{ font-family: {families}; }}",
                  f"@page {{ @bottom-left {{ font-family: {families}; }} @bottom-right {{ font-family: {families}; }} }}"]
    elif target == "cards":
        rules.append(f".card {{ font-family: {_family_list(card_families(language), 'sans-serif')}; }}")
    elif script in CJK_SCRIPTS:  # the book names a face only where Han forms differ by region
        rules.append(f"html {{ font-family: {_family_list(_system_cjk(language), 'sans-serif')}; }}")
    if target == "book" and (counting := LIST_STYLES.get(i18n.numbering_system(language))):
        rules.append(f"ol {{ list-style-type: {counting}; }}")  # numbered lists in the guide's digits
    # A right-to-left phrase is upright in any guide.
    rules.append('bdi[dir="rtl"], bdi[dir="rtl"] * { font-style: normal; }')
    if script in NO_ITALIC_SCRIPTS:
        # After the stylesheet and outside any at-rule: each selector as specific as its italic rule
        # and later, so upright wherever that rule applies.
        rules.append(f"{', '.join(dict.fromkeys([*italic_selectors(css), 'em']))} {{ font-style: normal; }}")
        if important := italic_selectors(css, important=True):
            rules.append(f"{', '.join(important)} {{ font-style: normal !important; }}")
        rules.append("em { font-weight: bold; }")
        if script in EMPHASIS_MARKS and target != "sheet":  # WeasyPrint draws no emphasis marks
            style, position = EMPHASIS_MARKS[script]
            rules.append(
                "@supports (text-emphasis-style: dot) or (-webkit-text-emphasis-style: dot) {\n"
                f"  em {{ font-weight: inherit; -webkit-text-emphasis-style: {style}; text-emphasis-style: {style};"
                f" -webkit-text-emphasis-position: {position}; text-emphasis-position: {position}; }}\n}}")
    if script in CJK_SCRIPTS:
        # A particle or punctuation follows a code span with no gap; lines never break
        # before closing or after opening punctuation.
        rules.append("code { padding-left: 0; padding-right: 0; }")
        if target != "sheet":
            rules.append(f"{ROOTS[target]} {{ line-break: strict; }}")
    if script in KEEP_ALL_SCRIPTS and target == "sheet":
        # WeasyPrint breaks a word of an inline box that ends a line where `overflow-wrap:
        # anywhere` is inherited ("반드|시" in emphasis), word joiners or not.
        rules.append("em, strong, bdi { overflow-wrap: normal; }")
    if script in KEEP_ALL_SCRIPTS and target != "sheet":
        # After `word-break: break-word` of table cells and headings: words still
        # break (overflow-wrap) only when one alone is wider than the line.
        rules.append(f"{ROOTS[target]}, {ROOTS[target]} * {{ word-break: keep-all; }}")
    return "\n".join(rules) + "\n"


@functools.cache
def keeps_words_whole(language: str) -> bool:
    return _script(language) in KEEP_ALL_SCRIPTS


_TAG = re.compile(r"(<[^>]*>)")
# Letters of a script kept whole (Hangul syllables and jamo, and Han, which Korean may mix in).
_KEPT = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Between two characters of one word, one of them a kept letter: where a word joiner goes.
_INSIDE_WORD = re.compile(f"(?<=[{_KEPT}])(?=\\S)|(?<=\\S)(?=[{_KEPT}])")
_KEPT_LETTER = re.compile(f"[{_KEPT}]")


def keep_words_whole(html: str) -> str:
    """The HTML with a word joiner between each Korean letter and the character beside it in
    its word, also across inline tags (`<code>x</code>로`): for WeasyPrint, which has no
    `word-break: keep-all`. The joiners are not drawn and not in the PDF's text."""
    body = html.find("<body")
    head, html = (html[:body], html[body:]) if body >= 0 else ("", html)  # the title stays as it is
    parts = _TAG.split(html)
    previous = " "
    for index in range(0, len(parts), 2):
        part = parts[index]
        if not part or (index and parts[index - 1].lower().startswith(("<style", "<script"))):
            continue
        joined = _INSIDE_WORD.sub(WORD_JOINER, part)
        if (not previous[-1].isspace() and not part[0].isspace()
                and (_KEPT_LETTER.match(part[0]) or _KEPT_LETTER.match(previous[-1]))):
            joined = WORD_JOINER + joined
        parts[index] = re.sub(r"&[#\w\u2060]+;", lambda match: match.group().replace(WORD_JOINER, ""), joined)
        previous = part
    return head + "".join(parts)
