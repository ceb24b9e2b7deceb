"""Fixed labels in the guide's language, and dates and numbers in its locale.

Every fixed string of every artifact is a message in a gettext catalog:
`locale/messages.pot` is the template Babel extracts from the code and the
templates (`make messages`), and `locale/<language>/LC_MESSAGES/messages.po`
holds one language's texts. Message ids are symbolic (`sheet.glance`), so a
guide can override any of them with `labels:` and the English catalog holds
the English texts like any other. Catalogs are compiled in memory when first
used, so no compiled file can go stale and the bytes never vary.

A guide's language picks its catalog (`de-AT` falls back to `de`); a language
without one gets the English texts and one warning. Overrides from the guide
come first, then the catalog, then English. Dates, numbers, percentages and
money are formatted by Babel from CLDR data for the guide's locale.

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
from collections.abc import Mapping
from pathlib import Path

from markupsafe import Markup

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
SOURCE_LANGUAGE = "en"
# The English catalog is written in British English, so a bare `en` guide gets
# British dates too ("30 November 2026"); `en-US` gets American ones.
FORMAT_LOCALES = {"en": "en_GB"}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


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
    """The shipped catalog for a language tag: the tag itself, else its shorter forms."""
    shipped = set(shipped_languages())
    parts = language.replace("_", "-").split("-")
    for length in range(len(parts), 0, -1):
        candidate = "_".join([parts[0].lower(), *parts[1:length]])
        if candidate in shipped:
            return candidate
    return None


def _format_locale(language: str):
    from babel import Locale, UnknownLocaleError

    tag = language.replace("-", "_")
    try:
        return Locale.parse(FORMAT_LOCALES.get(tag, tag))
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(tag.split("_")[0])
        except (UnknownLocaleError, ValueError):  # CLDR does not know it: English formats
            return Locale.parse(FORMAT_LOCALES[SOURCE_LANGUAGE])


def normalise_override(text: str) -> str:
    """An author's label as a format string: a lone % is a percent sign."""
    return re.sub(r"%(?!\(\w+\)s|%)", "%%", text)


class Labels:
    """The fixed texts and formats of one guide."""

    def __init__(self, language: str, overrides: Mapping[str, str] | None = None):
        self.language = language
        self.catalog = catalog_language(language)
        self.locale = _format_locale(language)
        self.overrides = {key: normalise_override(value) for key, value in (overrides or {}).items()}
        self._translations = _translations(self.catalog or SOURCE_LANGUAGE)
        if self.catalog not in (None, SOURCE_LANGUAGE):  # what a catalog lacks, English says
            self._translations.add_fallback(_translations(SOURCE_LANGUAGE))

    # --- messages: raw format strings, and formatted plain text -------------------

    def message(self, message_id: str) -> str:
        if message_id in self.overrides:
            return self.overrides[message_id]
        return self._translations.gettext(message_id)

    def plural_message(self, singular: str, plural: str, count: int) -> str:
        if singular in self.overrides:
            return self.overrides[singular]
        return self._translations.ngettext(singular, plural, count)

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
        environment.filters.update(number=self.number, percent=self.percent, share=self.share, money=self.money,
                                   date=self.date, range=self.range)

    # --- formats (CLDR, through Babel) ---------------------------------------------------

    def number(self, value) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.locale)

    def percent(self, whole_percent) -> str:
        """A share given in percent (25 for 25 %), in the locale's percent format."""
        from babel.numbers import format_percent

        return format_percent(whole_percent / 100, locale=self.locale)

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
            return format_currency(money.amount, money.currency, locale=self.locale)
        pattern = copy.copy(parse_pattern(self.locale.currency_formats["standard"]))
        pattern.frac_prec = (0, 0)
        return pattern.apply(int(money.amount), self.locale, currency=money.currency, currency_digits=False)

    def date(self, moment: dt.date | dt.datetime) -> str:
        """A date in the locale's long format ("30 November 2026", "30. November 2026")."""
        from babel.dates import format_date

        day = moment.astimezone(dt.timezone.utc).date() if isinstance(moment, dt.datetime) else moment
        return format_date(day, format="long", locale=self.locale)

    def range(self, value) -> str:
        """A model Range ("40–60", or one number when min equals max)."""
        if value.min == value.max:
            return self.number(value.min)
        return self.gettext("format.range", low=self.number(value.min), high=self.number(value.max))


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


def missing_catalog_warning(guide) -> str | None:
    """One warning for a guide whose language has no catalog (and whose labels do not cover it)."""
    if catalog_language(guide.language):
        return None
    missing = [message_id for message_id in message_ids() if message_id not in guide.labels]
    if not missing:
        return None
    shipped = ", ".join(shipped_languages())
    return (f"warning: {guide.id}: there is no message catalog for language '{guide.language}' "
            f"(shipped: {shipped}); {len(missing)} fixed labels stay in English. Translate them under "
            f"`labels:` in the guide, or add src/exporter/text/locale/{guide.language.replace('-', '_')}/"
            f"LC_MESSAGES/messages.po (see \"Writing in another language\" in the README).")
