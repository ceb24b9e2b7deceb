"""Fixed labels in the guide's language, and dates and numbers in its locale.

Every fixed string of every artifact is a message in a gettext catalog:
`locale/messages.pot` is the template Babel extracts from the code and the
templates (`make messages`), and `locale/<language>/LC_MESSAGES/messages.po`
holds one language's texts. Message ids are symbolic (`sheet.glance`), so a
guide can override any of them with `labels:` and the English catalog holds
the English texts like any other. Catalogs are compiled in memory when first
used, so no compiled file can go stale and the bytes never vary.

A guide's language picks its catalog (`de-AT` reads `de`, `pt-PT` reads `pt_BR`,
`zh-TW` reads `zh_Hant`: `languages.catalog_for`); a language
without one gets the English texts and one warning. Overrides from the guide
come first, then the catalog, then English. Dates, numbers, percentages and
money are formatted by Babel from CLDR data for the guide's locale, in the digits
and symbols of the locale's default numbering system (`ar-EG` writes ١٬٠٠٠ and
٢٥٪, `ar` 1,000 and 25%).

Pieces are joined here too, never with punctuation written into a template:
lists by the locale's CLDR list patterns ("a, b and c", "a、b、c", "a e b"),
sentences and a label and its text by the script's own spacing (no space after
a full-width "。" or "：", a full stop only where a sentence has none).

Every message is a `%`-format string (`%(name)s` placeholders, `%%` for a
percent sign), as Jinja's i18n extension expects, and plain text: callers
that write HTML escape it and put already-escaped HTML into its placeholders.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import gettext
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

from markupsafe import Markup

from exporter.text import languages

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
SOURCE_LANGUAGE = "en"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# CLDR's fallbacks between list styles (its root aliases), resolved one pattern at a time: a
# locale may give only a style's "end" and "2" and leave "start" and "middle" to the next style.
LIST_STYLE_FALLBACKS = {
    "standard": (), "standard-short": ("standard",), "standard-narrow": ("standard-short", "standard"),
}
# Scripts whose sentences end in an ideographic full stop. CLDR has no sentence terminator.
IDEOGRAPHIC_FULL_STOP_SCRIPTS = {"Hans", "Hant", "Hani", "Jpan"}
# What ends a sentence, so that a join adds no second full stop (Unicode's Sentence_Terminal,
# the marks in use in the languages of the big certification vendors).
SENTENCE_TERMINALS = frozenset(".!?。！？．｡؟۔।…‼⁇⁈⁉")
# The zero of each numbering system CLDR makes a locale's default (its numberingSystems.xml;
# Babel knows which system a locale uses and its symbols, not its digits): the other nine
# digits follow the zero in Unicode. A system not listed here is written in Latin digits.
NUMBERING_SYSTEM_ZEROS = {
    "latn": "0", "arab": "\u0660", "arabext": "\u06f0", "beng": "\u09e6", "deva": "\u0966",
    "mymr": "\u1040", "tibt": "\u0f20", "mtei": "\uabf0", "nkoo": "\u07c0", "olck": "\u1c50",
    "cakm": "\U00011136", "hmnp": "\U0001e140", "adlm": "\U0001e950",
}
# CLDR's Arabic percent sign ends in an Arabic letter mark, which keeps it with its number right
# to left; the sheet's Arabic font has no such character, and another font embedded for an
# invisible mark made the sheet seven times larger. A right-to-left mark does the same, in any font.
ARABIC_LETTER_MARK, RIGHT_TO_LEFT_MARK = "\u061c", "\u200f"


def N_(message_id: str) -> str:  # noqa: N802  # gettext's name for "a message id, translated later"
    """Marks a message id for extraction where it is translated later."""
    return message_id


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def shipped_languages() -> list[str]:
    """Languages with a catalog in the package, English first."""
    found = sorted(path.parent.parent.name for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return sorted(found, key=lambda language: language != SOURCE_LANGUAGE)


@functools.cache
def message_ids() -> tuple[str, ...]:
    """Every message id, from the template (read without Babel: the loader needs them fast)."""
    ids = []
    for match in re.finditer(r'^msgid "(.+)"$', TEMPLATE.read_text(encoding="utf-8"), re.MULTILINE):
        ids.append(match.group(1))
    return tuple(ids)


@functools.cache
def english_forms() -> dict[str, tuple[str, ...]]:
    """id -> its English text: one form, or a plural message's singular and plural."""
    forms = {}
    for message in _catalog(SOURCE_LANGUAGE):
        if message.id:
            message_id = message.id if isinstance(message.id, str) else message.id[0]
            forms[message_id] = message.string if isinstance(message.string, tuple) else (message.string,)
    return forms


def placeholders(message_id: str) -> set[str]:
    """The placeholders a label may use: those of its English forms, and `num` in a plural one."""
    forms = english_forms()[message_id]
    names = {name for form in forms for name in PLACEHOLDER.findall(form)}
    return names | {"num"} if len(forms) > 1 else names


@functools.cache
def _catalog(language: str):
    from babel.messages.pofile import read_po

    with open(catalog_path(language), "rb") as source:
        return read_po(source, locale=language, domain=DOMAIN)


@functools.cache
def _compiled(language: str) -> bytes:
    """One catalog compiled in memory (no .mo file to go stale or vary)."""
    from babel.messages.mofile import write_mo

    compiled = io.BytesIO()
    write_mo(compiled, _catalog(language))
    return compiled.getvalue()


def _translations(language: str) -> gettext.GNUTranslations:
    return gettext.GNUTranslations(io.BytesIO(_compiled(language)))


def catalog_language(language: str) -> str | None:
    """The shipped catalog a language tag reads (`pt-PT` reads `pt_BR`, `zh-HK` `zh_Hant`), or None."""
    return languages.catalog_for(language, shipped_languages())


def _visible_text(piece) -> str:
    """What a reader sees of a piece: a Markup piece without its tags and entities, a str as it is;
    without invisible marks (direction marks, joiners) and without spaces at its ends."""
    text = piece.striptags() if isinstance(piece, Markup) else str(piece)
    return "".join(character for character in text if unicodedata.category(character) != "Cf").strip()


def _is_full_width_punctuation(character: str) -> bool:
    """A full-width mark ("。", "：", "（", "、"), which carries its own space in CJK typesetting."""
    return unicodedata.category(character).startswith("P") and unicodedata.east_asian_width(character) in "FW"


def _ends_sentence(text: str) -> bool:
    """Whether a text ends in a sentence terminal, perhaps inside closing quotes or brackets."""
    text = text.rstrip()
    while text and (unicodedata.category(text[-1]) in ("Pe", "Pf") or text[-1] in "\"'"):
        text = text[:-1]
    return bool(text) and text[-1] in SENTENCE_TERMINALS


def _joined(pattern: str, first, second):
    """One CLDR list pattern ("{0}, {1}") applied. If either item is markup, so is the result,
    with the pattern's own text escaped."""
    joined = Markup() if isinstance(first, Markup) or isinstance(second, Markup) else ""
    for index, piece in enumerate(re.split(r"\{([01])\}", pattern)):
        joined += (first if piece == "0" else second) if index % 2 else piece
    return joined


# Every use of "%" in a label, in the order Python's %-formatting reads them: a
# percent sign written as "%%", a complete placeholder, a placeholder that lost
# its closing ")" or its "s" (`%(fee)입니다`), a bare conversion such as "%s"
# or "%d" (one not followed by a Latin letter: "50%ige" is a percent sign), or a lone
# "%", which an author means as a percent sign.
_PERCENT_USE = re.compile(
    r"(?P<escaped>%%)"
    r"|%\((?P<name>[^()]*)\)(?P<conversion>s?)"
    r"|(?P<unclosed>%\()"
    r"|(?P<bare>%[-+#0]*\d*(?:\.\d+)?[sdifrxXeEgGcoua](?![A-Za-z]))"
    r"|(?P<lone>%)"
)


def label_problems(message_id: str, text: str) -> list[str]:
    """What keeps an author's text for a label from formatting as that label: each
    placeholder must be one of the label's, written `%(name)s`; a percent sign is
    "%" or "%%". An empty list means `normalise_override(text)` always formats."""
    allowed = placeholders(message_id)
    offered = ", ".join(f"%({name})s" for name in sorted(allowed)) or "none"
    problems = []
    for use in _PERCENT_USE.finditer(text):
        name, written = use.group("name"), use.group()
        if name is not None and not use.group("conversion"):
            fix = f"%({name})s" if name in allowed else f"one of its placeholders ({offered})"
            problems.append(f"'{written}' is a placeholder without its closing 's'; write {fix}, "
                            "or '%%' for a percent sign")
        elif name is not None and name not in allowed:
            problems.append(f"uses {written}, which this label does not have (its placeholders: {offered})")
        elif use.group("unclosed") or use.group("bare"):
            problems.append(f"'{written}' is not a placeholder this label can fill; write one of its placeholders "
                            f"({offered}) as %(name)s, or '%%' for a percent sign")
    return problems


def smallest_unit_problem(amount: float, currency: str) -> str | None:
    """Why a positive amount would print as nothing (`€0.00`), or None: it is below the
    currency's smallest unit, which CLDR gives as its number of decimal digits."""
    from babel.numbers import get_currency_precision

    unit = 10 ** -get_currency_precision(currency)
    if 0 < amount < unit:
        return (f"must be at least {unit:g} {currency}, the smallest amount of {currency}, "
                f"or it prints as zero; got {amount:g}")
    return None


def normalise_override(text: str) -> str:
    """An author's label (with no `label_problems`) as a format string: a lone % is a percent sign."""
    return _PERCENT_USE.sub(lambda use: "%%" if use.group("lone") else use.group(), text)


def numbering_system(language: str) -> str:
    """The digits a language tag's locale writes numbers in: CLDR's default numbering system
    ("arab" for ar-EG), or Latin where this module knows no digits for it."""
    system = languages.format_locale(language).default_numbering_system
    return system if system in NUMBERING_SYSTEM_ZEROS else "latn"


class Labels:
    """The fixed texts and formats of one guide."""

    def __init__(self, language: str, overrides: Mapping[str, str] | None = None):
        self.language = language
        self.catalog = catalog_language(language)
        self.locale = languages.format_locale(language)
        self.numbering_system = numbering_system(language)
        zero = ord(NUMBERING_SYSTEM_ZEROS[self.numbering_system])
        self.digits = "".join(chr(zero + digit) for digit in range(10))  # 0 to 9, as the locale writes them
        self._numerals = str.maketrans(dict(zip("0123456789", self.digits, strict=True))
                                       | {ARABIC_LETTER_MARK: RIGHT_TO_LEFT_MARK})
        self.overrides = {key: normalise_override(value) for key, value in (overrides or {}).items()}
        self._translations = _translations(self.catalog or SOURCE_LANGUAGE)
        if self.catalog not in (None, SOURCE_LANGUAGE):  # what a catalog lacks, English says
            self._translations.add_fallback(_translations(SOURCE_LANGUAGE))

    # --- messages: raw format strings, and formatted plain text -------------------

    def message(self, message_id: str) -> str:
        if message_id in self.overrides:
            return self.overrides[message_id]
        return self.numerals(self._translations.gettext(message_id))  # a catalog's "tier 1" too

    def plural_message(self, singular: str, plural: str, count: int) -> str:
        if singular in self.overrides:
            return self.overrides[singular]
        return self.numerals(self._translations.ngettext(singular, plural, count))

    def gettext(self, message_id: str, **values) -> str:
        return self.message(message_id) % values

    def ngettext(self, singular: str, plural: str, count: int, **values) -> str:
        values.setdefault("num", self.number(count))
        return self.plural_message(singular, plural, count) % values

    def html(self, message_id: str, **values) -> Markup:
        """The message as HTML: its text escaped, and its values too unless they are Markup."""
        return Markup.escape(self.message(message_id)) % values

    def nhtml(self, singular: str, plural: str, count: int, **values) -> Markup:
        values.setdefault("num", self.number(count))
        return Markup.escape(self.plural_message(singular, plural, count)) % values

    # --- Jinja: the i18n extension's callables -----------------------------------------

    def install(self, environment) -> None:
        """Give a Jinja environment (with `jinja2.ext.i18n`, autoescaping) these texts and formats.

        `_`, `gettext` and `ngettext` work as the extension's "newstyle" ones
        (placeholders as keywords, `num` for the count), but return the message
        escaped, with its values escaped unless they are markup, and `num`
        formatted for the locale. `strong` and `link` build the markup that a
        message may take as a value.
        """
        environment.newstyle_gettext = True
        environment.globals.update(
            _=self.html, gettext=self.html, ngettext=self.nhtml,
            strong=lambda inner: Markup("<strong>%s</strong>") % inner,
            link=lambda href, inner: Markup('<a href="%s">%s</a>') % (href, inner),
        )
        environment.filters.update(number=self.number, numerals=self.numerals, percent=self.percent,
                                   share=self.share, money=self.money, date=self.date, range=self.range,
                                   prose_list=self.prose_list, item_list=self.item_list,
                                   number_ranges=self.number_ranges)
        environment.globals.update(sentences=self.sentences, space_between=self.space_between)

    # --- formats (CLDR, through Babel) ---------------------------------------------------

    def numerals(self, text: str) -> str:
        """Latin digits in the locale's own: Babel's formats (it writes only the symbols of a numbering
        system), a section's or a figure's number ("2.3"), a catalog's text."""
        return text.translate(self._numerals)

    def number(self, value) -> str:
        from babel.numbers import format_decimal

        return self.numerals(format_decimal(value, locale=self.locale, numbering_system=self.numbering_system))

    def percent(self, whole_percent) -> str:
        """A share given in percent (25 for 25 %), in the locale's percent format."""
        from babel.numbers import format_percent

        formatted = format_percent(whole_percent / 100, locale=self.locale, numbering_system=self.numbering_system)
        if self.numbering_system != "latn":  # Babel keeps the pattern's "%"; CLDR's is the system's own ("٪")
            symbols = self.locale.number_symbols[self.numbering_system]
            formatted = formatted.replace("%", symbols.get("percentSign", "%"))
        return self.numerals(formatted)

    def share(self, domain) -> str:
        """A domain's exam weight as learners read it: its published range ("15–20%") where it
        has one, else its weight ("18%")."""
        if domain.weight_range is None:
            return self.percent(domain.weight)
        low, high = domain.weight_range.min, domain.weight_range.max
        if low == high:
            return self.percent(low)
        return self.gettext("format.range", low=self.number(low), high=self.percent(high))

    def money(self, money) -> str:
        """An amount with its currency; a whole amount without decimals ("US$165", "40 €")."""
        from babel.numbers import format_currency, parse_pattern

        if money.amount != int(money.amount):
            return self.numerals(format_currency(money.amount, money.currency, locale=self.locale,
                                                   numbering_system=self.numbering_system))
        pattern = copy.copy(parse_pattern(self.locale.currency_formats["standard"]))
        pattern.frac_prec = (0, 0)
        return self.numerals(pattern.apply(int(money.amount), self.locale, currency=money.currency,
                                             currency_digits=False, numbering_system=self.numbering_system))

    def date(self, moment: dt.date | dt.datetime) -> str:
        """A date in the locale's long format ("30 November 2026", "30. November 2026")."""
        from babel.dates import format_date

        day = moment.astimezone(dt.timezone.utc).date() if isinstance(moment, dt.datetime) else moment
        return self.numerals(format_date(day, format="long", locale=self.locale))

    def range(self, value) -> str:
        """A model Range ("40–60", or one number when min equals max)."""
        if value.min == value.max:
            return self.number(value.min)
        return self.gettext("format.range", low=self.number(value.min), high=self.number(value.max))

    # --- joins: lists, sentences, a label and its text --------------------------------

    def prose_list(self, items: Iterable) -> str:
        """Names in a sentence, joined as the language joins them: "A, B and C", "A、B、C", "A e B".
        (CLDR's "standard" list.) Markup items stay markup, and so does the list."""
        return self._list(items, "standard")

    def item_list(self, items: Iterable) -> str:
        """Short items that are not prose (option letters, links, counts, labels): "A, C", "A、C"
        (CLDR's "standard-narrow" list, which in English adds no "and")."""
        return self._list(items, "standard-narrow")

    def _list(self, items: Iterable, style: str):
        items = list(items)
        if len(items) < 2:
            return items[0] if items else ""
        pattern = functools.partial(self._list_pattern, style)
        if len(items) == 2:
            return _joined(pattern("2"), items[0], items[1])
        joined = _joined(pattern("start"), items[0], items[1])
        for item in items[2:-1]:
            joined = _joined(pattern("middle"), joined, item)
        return _joined(pattern("end"), joined, items[-1])

    def _list_pattern(self, style: str, part: str) -> str:
        for candidate in (style, *LIST_STYLE_FALLBACKS[style]):
            patterns = self.locale.list_patterns.get(candidate)
            if patterns is not None and part in patterns:
                return patterns[part]
        return "{0}, {1}"  # CLDR's root pattern; every locale Babel knows has its own

    def number_ranges(self, numbers: Iterable[int]) -> str:
        """`[1, 2, 3, 5, 7, 8]` as "1–3, 5, 7, 8" (in the locale's range format and list): runs of three
        or more as a range."""
        runs: list[list[int]] = []
        for number in sorted(numbers):
            if runs and number == runs[-1][-1] + 1:
                runs[-1].append(number)
            else:
                runs.append([number])
        shown = []
        for run in runs:
            if len(run) > 2:
                shown.append(self.gettext("format.range", low=self.number(run[0]), high=self.number(run[-1])))
            else:
                shown.extend(self.number(number) for number in run)
        return self.item_list(shown)

    @functools.cached_property
    def full_stop(self) -> str:
        """The mark that ends a sentence: "。" in Chinese and Japanese, "." elsewhere."""
        from babel.core import get_global, parse_locale

        script = self.locale.script
        if script is None:  # CLDR's likely script for the language ("ja" is written in Jpan)
            likely = get_global("likely_subtags").get(self.locale.language)
            script = parse_locale(likely)[2] if likely else None
        return "。" if script in IDEOGRAPHIC_FULL_STOP_SCRIPTS else "."

    def space_between(self, before, after="") -> str:
        """The space between a label (or a sentence) and what follows it: one, or none next to a
        full-width mark ("正解：", "。", "（有料）"), which carries its own space."""
        before_text, after_text = _visible_text(before), _visible_text(after)
        if before_text and _is_full_width_punctuation(before_text[-1]):
            return ""
        if after_text and _is_full_width_punctuation(after_text[0]):
            return ""
        return " "

    def sentences(self, *parts):
        """Sentences run together as the script runs them: each ended with a full stop where it has
        no terminal mark of its own, then a space, or none after "。". Empty parts are left out;
        markup stays markup."""
        parts = [part for part in parts if part and _visible_text(part)]
        if not parts:
            return ""
        markup = any(isinstance(part, Markup) for part in parts)
        joined = Markup.escape(parts[0]) if markup else parts[0]
        for part in parts[1:]:
            if not _ends_sentence(_visible_text(joined)):
                joined += self.full_stop
            joined += self.space_between(joined, part) + (Markup.escape(part) if markup else part)
        return joined


@functools.cache
def _labels(language: str, overrides: tuple[tuple[str, str], ...]) -> Labels:
    return Labels(language, dict(overrides))


def labels_for(guide) -> Labels:
    """The labels of a guide: its language's catalog under its own `labels:`."""
    return _labels(guide.language, tuple(sorted(guide.labels.items())))


def prepare(guide) -> None:
    """Read and compile the guide's catalogs and locale data now: forked workers then share them."""
    labels = labels_for(guide)
    labels.date(dt.date(2000, 1, 1))
    labels.number(1000)


# How many missing label ids the warning names: all of a few, the first of many (`stats` lists all).
MISSING_NAMED = 10


def labels_left_in_english(guide) -> list[str]:
    """The label ids a guide whose language has no catalog leaves in English (none if it has one)."""
    if catalog_language(guide.language):
        return []
    return [message_id for message_id in message_ids() if message_id not in guide.labels]


def missing_catalog_warning(guide) -> str | None:
    """One warning for a guide whose language has no catalog (and whose labels do not cover it)."""
    missing = labels_left_in_english(guide)
    if not missing:
        return None
    shipped = ", ".join(shipped_languages())
    count = "1 fixed label stays" if len(missing) == 1 else f"{len(missing)} fixed labels stay"
    named = ", ".join(missing[:MISSING_NAMED]) + (
        f" and {len(missing) - MISSING_NAMED} more, which `studyguide stats` lists"
        if len(missing) > MISSING_NAMED else "")
    return (f"warning: {guide.id}: there is no message catalog for language '{guide.language}' "
            f"(shipped: {shipped}); {count} in English ({named}). Translate them under "
            f"`labels:` in the guide, or add src/exporter/text/locale/{languages.primary(guide.language)}/"
            f"LC_MESSAGES/messages.po (see \"Writing in another language\" in the README).")
