"""The one owner of language tags and scripts: a tag's script, direction and catalog come
from CLDR (Babel); the fonts, the no-italic scripts and the line-breaking rules of each
script, and the stylesheet rules made from them."""

from __future__ import annotations

import re

import pytest

from exporter.text import languages, scripts
from tests.helpers import ROOT

# --- one owner: the language's script decides ------------------------------------------------


@pytest.mark.parametrize(("tag", "script", "face", "italics"), [
    ("ko", "Kore", "Noto Sans CJK KR", False), ("ja", "Jpan", "Noto Sans CJK JP", False),
    ("zh", "Hans", "Noto Sans CJK SC", False), ("zh-TW", "Hant", "Noto Sans CJK TC", False),
    ("zh-HK", "Hant", "Noto Sans CJK HK", False), ("ar", "Arab", "Noto Sans CJK JP", False),
    ("yi", "Hebr", "Noto Sans CJK JP", False), ("ur", "Arab", "Noto Sans CJK JP", False),
    ("de", "Latn", "Noto Sans CJK JP", True), ("en-US", "Latn", "Noto Sans CJK JP", True),
])
def test_the_script_of_a_language_picks_its_face_and_italics(tag, script, face, italics):
    assert languages.script(tag) == script
    assert scripts.cjk_face(tag) == face
    assert scripts.has_italics(tag) is italics
    assert face in scripts.sheet_families(tag) and face in scripts.cover_families(tag)


@pytest.mark.parametrize(("tag", "catalog"), [
    ("pt", "pt_BR"), ("pt-PT", "pt_BR"), ("pt-BR", "pt_BR"), ("zh", "zh_Hans"), ("zh-CN", "zh_Hans"),
    ("zh-SG", "zh_Hans"), ("zh-TW", "zh_Hant"), ("zh-HK", "zh_Hant"), ("zh-MO", "zh_Hant"),
    ("zh-Hant", "zh_Hant"), ("de-AT", "de"), ("ko-KR", "ko"), ("ar-EG", "ar"), ("nl", None), ("sr-Latn", None),
])
def test_a_tag_reads_the_catalog_of_its_language_and_script(tag, catalog):
    shipped = ["ar", "de", "en", "es", "fr", "id", "it", "ja", "ko", "pt_BR", "zh_Hans", "zh_Hant"]
    assert languages.catalog_for(tag, shipped) == catalog


def test_a_portuguese_catalog_of_its_own_wins_over_brazilian():
    assert languages.catalog_for("pt-PT", ["pt", "pt_BR"]) == "pt"
    assert languages.catalog_for("pt-PT", ["pt_BR", "pt_PT"]) == "pt_PT"


@pytest.mark.parametrize(("tag", "direction"), [
    ("ar", "rtl"), ("he-IL", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("yi", "rtl"), ("ckb", "rtl"),
    ("ku", "ltr"), ("de", "ltr"), ("ja", "ltr"), ("en-US", "ltr"), ("mn-Mong", "ltr")])
def test_direction_comes_from_cldr(tag, direction):
    assert languages.direction(tag) == direction


def test_no_stylesheet_names_a_font_family_or_a_language():
    """Families and the no-italic list live in exporter/text/scripts.py only."""
    for css in (ROOT / "templates").glob("*/*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r":lang\(", text), css
        assert not re.search(r'"(DejaVu|Noto)', text.replace('"DejaVu Sans Mono"', "")), css


# Italics written every way a stylesheet may: the shorthand, inside @media and @supports (nested
# too), `!important`, and selectors with commas of their own.
ITALICS_EVERY_WAY = """
.plain { font-style: italic; }
.short { font: italic bold 10pt serif; }
@media print { .printed, .list > li { font-style: oblique 10deg; }
  @supports (display: grid) { .nested { font: italic 1em sans-serif; } } }
@supports (color: red) { :is(.a, .b) span, a[title="x,y"] { font-style: italic; } }
.loud { font-style: italic !important; }
.undone { font-style: italic; font: bold 1em serif; }
"""


def _style_declarations(css: str) -> list[tuple[int, str, tuple, bool, str]]:
    """(order, selector, specificity, !important, style) of every declaration that sets a font style,
    read here with cssselect2's selector parser, apart from the code that makes the rules."""
    import tinycss2
    from cssselect2 import parser

    found = []

    def walk(rules):
        for rule in rules:
            if rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content:
                walk(tinycss2.parse_rule_list(rule.content, skip_whitespace=True, skip_comments=True))
            elif rule.type == "qualified-rule":
                for declaration in tinycss2.parse_declaration_list(rule.content, skip_whitespace=True,
                                                                   skip_comments=True):
                    if declaration.type != "declaration" or declaration.lower_name not in ("font", "font-style"):
                        continue
                    idents = [token.lower_value for token in declaration.value if token.type == "ident"]
                    style = next((word for word in idents if word in ("italic", "oblique")), "normal")
                    for selector in parser.parse(rule.prelude):
                        found.append((len(found), str(selector.parsed_tree), selector.specificity,
                                      declaration.important, style))

    walk(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True))
    return found


def _left_italic(css: str) -> list[str]:
    """Selectors whose italics no later upright declaration of at least equal specificity and
    importance overrides (for the elements they match, the cascade's last word is italic)."""
    declarations = _style_declarations(css)
    left = []
    for order, selector, specificity, important, style in declarations:
        if style != "normal" and not any(
                later > order and other == selector and other_specificity >= specificity
                and other_important >= important and other_style == "normal"
                and not any(italic_order > later and italic_selector == other and italic_style != "normal"
                            and italic_important >= other_important
                            for italic_order, italic_selector, _, italic_important, italic_style in declarations)
                for later, other, other_specificity, other_important, other_style in declarations):
            left.append(selector)
    return left


STYLESHEETS = (("sheet", "pdf/cheatsheet.css"), ("book", "epub/book.css"), ("cards", "anki/style.css"))


@pytest.mark.parametrize("tag", ["ko", "ja", "zh-Hant", "ar", "he", "yi", "ur"])
def test_every_italic_of_a_stylesheet_is_made_upright_for_scripts_without_italics(tag):
    for target, css in [*((target, (ROOT / "templates" / name).read_text(encoding="utf-8"))
                          for target, name in STYLESHEETS), ("book", ITALICS_EVERY_WAY)]:
        assert _left_italic(css), (target, css[:40])  # the check finds italics in the stylesheet alone
        added = scripts.stylesheet(tag, target, css)
        assert _left_italic(css + "\n" + added) == [], (tag, target)
        assert "em { font-weight: bold; }" in added


def test_the_italics_of_a_latin_guide_stay():
    for target, name in STYLESHEETS:
        css = (ROOT / "templates" / name).read_text(encoding="utf-8")
        assert _left_italic(css + "\n" + scripts.stylesheet("de", target, css)) == _left_italic(css)
    assert _left_italic(ITALICS_EVERY_WAY) == [
        ".plain", ".short", ".printed", ".list>li", ".nested", ":is(.a, .b) span", "a[{}title='x,y']", ".loud"]


def test_korean_words_are_joined_across_inline_tags_and_nowhere_else():
    joined = scripts.keep_words_whole('<p>값을 <code>is.na()</code>로 찾는다 &amp; Latin words</p>')
    assert joined == ('<p>값\u2060을 <code>is.na()</code>\u2060로 찾\u2060는\u2060다 &amp; Latin words</p>')


@pytest.mark.parametrize(("tag", "problem"), [
    ("kr", "'kr' is a region (South Korea); did you mean 'ko' (Korean)?"),
    ("jp", "'jp' is a region (Japan); did you mean 'ja' (Japanese)?"),
    ("cn", "'cn' is a region (China); did you mean 'zh' (Chinese)?"),
    ("und", "'und' (undetermined) names no language; write the guide's language, such as en or ko"),
    ("de-XQ", "'de-XQ' is not a locale CLDR knows: 'XQ' is no region or script of 'de'"),
    ("ko", None), ("zh-Hant-TW", None), ("pt-PT", None), ("he", None), ("sr-Latn", None), ("no", None),
    # Codes CLDR replaces, each refused with its modern tag (Babel reads `iw` as Hebrew, `sh` as Saint Helena).
    ("iw", "'iw' is a code CLDR replaces (deprecated, or an alias); did you mean 'he' (Hebrew)?"),
    ("mo", "'mo' is a code CLDR replaces (deprecated, or an alias); did you mean 'ro' (Romanian)?"),
    ("in-ID", "'in' is a code CLDR replaces (deprecated, or an alias); did you mean 'id-ID' (Indonesian (Indonesia))?"),
    ("sh", "'sh' (Serbo-Croatian) is a code CLDR replaces (deprecated, or an alias); did you mean 'sr-Latn' "
           "(Serbian (Latin))?"),
    ("sh-Cyrl", "'sh' (Serbo-Croatian) is a code CLDR replaces (deprecated, or an alias); did you mean 'sr-Cyrl' "
                "(Serbian (Cyrillic))?"),
    ("deu", "'deu' is a code CLDR replaces (deprecated, or an alias); did you mean 'de' (German)?"),
])
def test_language_tags_are_checked_against_cldr(tag, problem):
    assert languages.problem(tag) == problem


@pytest.mark.parametrize(("value", "problem"), [
    ("ko_KR", "'ko_KR' uses '_'; did you mean 'ko-KR'?"),
    ("zh_Hant_TW", "'zh_Hant_TW' uses '_'; did you mean 'zh-Hant-TW'?"),
    ("xq_YY", "'xq_YY' uses '_', where a language tag has '-'"),
    ("KR", "'KR' is a region (South Korea); did you mean 'ko' (Korean)?"),
    ("EN", "'EN' is a language in capitals; did you mean 'en' (English)?"),
    ("ko-KR", None), ("en", None), ("Deutsch!", None),
])
def test_a_tag_written_as_a_locale_is_named_with_the_tag_meant(value, problem):
    assert languages.slip_problem(value) == problem
