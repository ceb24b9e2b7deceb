"""Language tags, read once, by Babel from the Unicode CLDR data.

Everything that depends on a guide's `language:` asks here: whether the tag
has BCP 47's shape, whether it names a language CLDR knows (the loader's checks), its script (likely subtags:
`ko` is written in Hangul, `zh-TW` in traditional Han), its direction, and the
Babel locale for dates and numbers. No other module splits a tag by hand.
"""

from __future__ import annotations

import difflib
import functools
import re

# The English catalog is written in British English, so a bare `en` guide gets
# British dates too ("30 November 2026"); `en-US` gets American ones.
FORMAT_LOCALES = {"en": "en_GB"}
FALLBACK_LOCALE = "en_GB"


# BCP 47's shape (RFC 5646), subtag by subtag: language, script, region, variants,
# extensions, private use. A tag of the right characters but not this shape
# (`en-US-US`) is refused by the book's checker.
_LANGUAGE_TAG = re.compile(
    r"[a-z]{2,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?P<variants>(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*)"
    r"(?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?", re.IGNORECASE)


def well_formed_language_tag(value: str) -> str:
    match = _LANGUAGE_TAG.fullmatch(value)
    variants = match.group("variants").lower().split("-")[1:] if match else []
    if not match or len(set(variants)) != len(variants):
        raise ValueError(f"is not a well-formed language tag (BCP 47), got {value!r}: a language, then at most "
                         "one script (Latn), one region (US or 419) and variants, each once, such as en-US or sr-Latn-RS")
    return value



@functools.cache
def locale(tag: str):
    """The Babel Locale of a BCP 47 tag (`pt-BR`, `zh-Hant`), or None if CLDR does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        parsed = Locale.parse(tag.replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    # `und` (undetermined) parses as the likeliest locale of all, English: not a language.
    return None if tag.split("-")[0].lower() == "und" else parsed


# The shape the model's `language:` pattern asks for (and the JSON schema shows editors).
TAG_SHAPE = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


def slip_problem(value: str) -> str | None:
    """A tag written the way locales are elsewhere (`ko_KR`, `EN`, `KR`), with the tag meant;
    None if it has a tag's shape (or is too far from one to guess)."""
    if re.fullmatch(TAG_SHAPE, value) or not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", value):
        return None
    head, *rest = value.replace("_", "-").split("-")
    fixed = "-".join([head.lower(), *rest])
    if "_" in value:
        return f"'{value}' uses '_'" + (f"; did you mean '{fixed}'?" if problem(fixed) is None else
                                        ", where a language tag has '-'")
    if problem(fixed) is None:  # `EN`: a language in capitals
        return f"'{value}' is a language in capitals; did you mean '{fixed}' ({english_name(fixed)})?"
    return problem(value)  # `KR`: a region, with its language


def written_as_a_tag(value: object) -> object:
    """The model's first check of `language:`, before its pattern: the slips `slip_problem` names."""
    if isinstance(value, str) and (found := slip_problem(value)) is not None:
        raise ValueError(found)
    return value


def _alias_problem(tag: str) -> str | None:
    """A language subtag CLDR replaces (deprecated `iw`, `sh`, `mo`; overlong `deu`; `tl`), with the tag
    meant. Babel would read some of them as their replacement and not others (`sh` as Saint Helena):
    all are refused alike, so the artifacts' `lang` is the modern tag."""
    from babel import Locale
    from babel.core import get_global

    primary, *rest = tag.replace("_", "-").split("-")
    replacement = get_global("language_aliases").get(primary.lower())
    if replacement is None:
        return None
    language, *implied = replacement.split("_")
    # The script or region an alias implies (`sh` is `sr-Latn`), unless the tag names its own.
    kinds = {len(part) == 4 for part in rest[:2]}
    suggestion = "-".join([language, *(part for part in implied if (len(part) == 4) not in kinds), *rest])
    old_name = Locale.parse("en").languages.get(primary.lower())
    return (f"'{primary}'{f' ({old_name})' if old_name else ''} is a code CLDR replaces (deprecated, or an "
            f"alias); did you mean '{suggestion}' ({english_name(suggestion)})?")


def problem(tag: str) -> str | None:
    """Why a tag is not a language CLDR knows, with a suggestion; None if it is one."""
    if (alias := _alias_problem(tag)) is not None:
        return alias
    if locale(tag) is not None:
        return None
    from babel import Locale

    if tag.split("-")[0].lower() == "und":
        return "'und' (undetermined) names no language; write the guide's language, such as en or ko"

    english = Locale.parse("en")
    primary, *rest = tag.replace("_", "-").split("-")
    if locale(primary) is not None:  # a known language with a subtag CLDR does not know
        return f"'{tag}' is not a locale CLDR knows: '{'-'.join(rest)}' is no region or script of '{primary}'"
    region = primary.upper()
    if region in english.territories:
        likely = _likely_subtags().get(f"und_{region}")
        if likely:
            language = likely.split("_")[0]
            return (f"'{primary}' is a region ({english.territories[region]}); "
                    f"did you mean '{language}' ({english.languages.get(language, language)})?")
        return f"'{primary}' is a region ({english.territories[region]}), not a language"
    known = sorted(code for code in english.languages if "_" not in code and locale(code) is not None)
    close = difflib.get_close_matches(primary.lower(), known, n=1)
    hint = f"; did you mean '{close[0]}' ({english.languages[close[0]]})?" if close else ""
    return f"'{tag}' is not a language CLDR knows{hint}"


def known_language(tag: str) -> str:
    """The model's check of `language:`: a tag CLDR knows, or a ValueError that says what is wrong."""
    if (found := problem(tag)) is not None:
        raise ValueError(found)
    return tag


@functools.cache
def _likely_subtags() -> dict[str, str]:
    from babel.core import get_global

    return get_global("likely_subtags")


def primary(tag: str) -> str:
    """The language subtag (`ko` of `ko-KR`); Babel's canonical one (`he` for the deprecated `iw`) if it knows the tag."""
    found = locale(tag)
    return found.language if found is not None else tag.replace("_", "-").split("-")[0].lower()


def likely(tag: str) -> tuple[str, str | None, str | None]:
    """(language, script, region) of a tag, the missing parts filled in from CLDR's likely subtags."""
    found = locale(tag)
    if found is None:
        return primary(tag), None, None
    guess = _likely_subtags()
    for key in (f"{found.language}_{found.script}_{found.territory}" if found.script and found.territory else None,
                f"{found.language}_{found.territory}" if found.territory else None,
                f"{found.language}_{found.script}" if found.script else None,
                found.language):
        if key and key in guess:
            _, script, region = (guess[key].split("_") + [None, None])[:3]
            return found.language, found.script or script, found.territory or region
    return found.language, found.script, found.territory


def script(tag: str) -> str | None:
    """The ISO 15924 script the language is written in (`Kore`, `Jpan`, `Hans`, `Arab`, `Latn`)."""
    return likely(tag)[1]


def direction(tag: str) -> str:
    """"rtl" for a language written right to left (CLDR's character order), else "ltr"."""
    found = locale(tag)
    # CLDR says "ttb" for traditional Mongolian, which the formats set horizontally, left to right.
    return "rtl" if found is not None and found.text_direction == "rtl" else "ltr"


def format_locale(tag: str):
    """The Babel locale whose dates and numbers a guide uses (English's if CLDR does not know the tag)."""
    from babel import Locale

    found = locale(FORMAT_LOCALES.get(tag, tag))
    return found if found is not None else Locale.parse(FALLBACK_LOCALE)


def english_name(tag: str) -> str:
    found = locale(tag)
    return found.get_display_name("en") if found is not None else tag


def catalog_for(tag: str, catalogs: list[str]) -> str | None:
    """Which of the catalogs (`de`, `pt_BR`, `zh_Hant`…) a tag reads: its own, else one of its
    language in its script, the language's likeliest region first (`pt-PT` reads `pt_BR`
    unless there is a `pt`; `zh-HK` reads `zh_Hant`); None if none is of its language."""
    found = locale(tag)
    if found is None:
        return None
    language, written_in, region = likely(tag)
    for candidate in (str(found), f"{language}_{written_in}_{found.territory}", f"{language}_{written_in}",
                      f"{language}_{found.territory}", language):
        if candidate in catalogs:
            return candidate
    _, _, likeliest_region = likely(language)
    same_script = [name for name in catalogs
                   if likely(name)[0] == language and likely(name)[1] == written_in]
    same_script.sort(key=lambda name: (likely(name)[2] != likeliest_region, name))
    return same_script[0] if same_script else None
