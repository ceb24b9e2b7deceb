"""The field types of the guide model: texts, ids and patterned strings, release times, labels.

Each constraint is declared here once, with its rule in the author's words
(`PATTERN_RULES`), which the loader's messages quote.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, ValidationError
from pydantic_core import PydanticCustomError

from exporter.text import i18n
from exporter.text.characters import invisible_characters, shows_nothing, unfit_character_problem
from exporter.text.markup import Text, address_problem
from exporter.text.times import as_utc

MAX_TEXT_LENGTH = 5000
# Emphasis inside emphasis: a few levels are style; hundreds exhaust the layout's recursion.
MAX_EMPHASIS_DEPTH = 12


def _clean_text(value: object) -> object:
    """Refuse characters the formats cannot carry (before stripping, so none hide in
    the surrounding space), then strip."""
    if isinstance(value, str):
        if problem := unfit_character_problem(value):
            raise ValueError(problem)
        return value.strip()
    return value


def _renders_as_text(text: Text) -> Text:
    """What the Markdown makes of the text, checked like the text itself: a character
    reference (`&#12;`, `&nbsp;`) can spell a character or an emptiness the text may not
    hold, a code span or a link can hold only spaces, and emphasis can nest too deep for
    the layouts."""
    if text.isascii() and not any(mark in text for mark in "&*_`["):
        return text  # shows as written, and the raw text was checked
    if "&" in text and (problem := unfit_character_problem(text.html)):
        raise ValueError(f"{problem} (written as a character reference)")
    if shows_nothing(text.shown):
        read = " once its character references are read" if "&" in text else ""
        raise ValueError(f"shows nothing{read}{_invisible_ones(text.shown)}; write some text")
    if text.emphasis_depth > MAX_EMPHASIS_DEPTH:
        raise ValueError(f"nests emphasis {text.emphasis_depth} levels deep; at most {MAX_EMPHASIS_DEPTH}")
    return text


def _invisible_ones(shown: str) -> str:
    invisible = invisible_characters(shown)
    return f" (only invisible characters: {invisible})" if invisible else ""


def _visible(value: str) -> str:
    """A plain text (alt text, a label) that shows something."""
    if shows_nothing(value):
        raise ValueError(f"shows nothing{_invisible_ones(value)}; write some text")
    return value


def _inline_markdown(max_length: int):
    """A non-empty text of inline Markdown, at most `max_length` characters."""
    return Annotated[
        str,
        BeforeValidator(_clean_text),
        StringConstraints(min_length=1, max_length=max_length),
        AfterValidator(Text),
        AfterValidator(_renders_as_text),
    ]


# A line or paragraph.
RichText = _inline_markdown(MAX_TEXT_LENGTH)
# A short label: a name, a title or a term.
Label = _inline_markdown(200)


# A figure's text alternative: plain text (no Markdown: readers speak it as it is).
AltText = Annotated[
    str,
    BeforeValidator(_clean_text),
    StringConstraints(min_length=1, max_length=1000),
    AfterValidator(_visible),
]


# What each patterned string must look like, in the author's words: declared with
# its pattern, and read by the loader when a value does not match.
PATTERN_RULES: dict[str, str] = {}
# Patterns of ids, for which the loader suggests an id made from the value given.
ID_PATTERNS: set[str] = set()


def pattern(regex: str, rule: str, suggest_id: bool = False) -> StringConstraints:
    # The loader finds a rule by its pattern, so one pattern cannot have two wordings.
    assert PATTERN_RULES.setdefault(regex, rule) == rule, f"pattern {regex} already has another rule"
    if suggest_id:
        ID_PATTERNS.add(regex)
    return StringConstraints(pattern=regex)


WEB_ADDRESS = pattern(r"^https?://\S+$", "must be a web address starting with http:// or https://")
# A release's version: the guide's, and each of its ledger's releases.
Version = Annotated[str, pattern(r"^\d+(\.\d+){0,2}$", 'must be a version number in quotes, such as "1.2" or "1.2.3"')]


class Strict(BaseModel):
    """Unknown fields are errors: they are almost always typos. The base of every record
    read from a file (the guide, its release ledger)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _readable_address(value: str) -> str:
    if problem := address_problem(value):
        raise ValueError(problem)
    return value


# A web address every format can link to.
WebAddress = Annotated[str, WEB_ADDRESS, AfterValidator(_readable_address)]


def date_or_datetime(value: object) -> object:
    """A bare date (even quoted) stays a date; pydantic would read it as midnight."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return dt.date.fromisoformat(value.strip())
    return value


# The release time (`updated`, or SOURCE_DATE_EPOCH) dates every artifact. Zip
# entries, in the deck and the book, can carry only 1980 to 2107; and Anki's
# note ids are that time in milliseconds, so 1970 would make a note id 0,
# which corrupts a learner's collection.
EARLIEST_RELEASE = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)
LATEST_RELEASE = dt.datetime(2107, 12, 31, 23, 59, 59, tzinfo=dt.timezone.utc)
RELEASE_RANGE = f"{EARLIEST_RELEASE.date()} and {LATEST_RELEASE.date()} (UTC)"


def release_time_problem(moment: dt.datetime, written: str) -> str | None:
    """Why a release time cannot date the artifacts, or None if it can."""
    if EARLIEST_RELEASE <= moment <= LATEST_RELEASE:
        return None
    return (f"must be between {RELEASE_RANGE}, the dates the deck's and the book's zip files "
            f"and Anki's note ids can hold; got {written}")


def releasable(value: dt.datetime | dt.date) -> dt.datetime | dt.date:
    if problem := release_time_problem(as_utc(value), value.isoformat()):
        raise ValueError(problem)
    return value


# Item ids: lower-case words joined by hyphens; they become anchors, tags and GUID seeds.
ItemId = Annotated[
    str,
    pattern(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", "must be lower-case letters and digits, joined by single hyphens",
             suggest_id=True),
    StringConstraints(max_length=64),
    Field(description="Stable identifier: lower-case letters, digits and hyphens."),
]
# A question's options are lettered a to f: the model, lint and the release ledgers read this one list.
OPTION_LETTERS = "abcdef"
OptionId = Annotated[str, pattern(f"^[{OPTION_LETTERS[0]}-{OPTION_LETTERS[-1]}]$",
                                  f"must be an option letter, {OPTION_LETTERS[0]} to {OPTION_LETTERS[-1]}")]
Tier = Annotated[int, Field(ge=1, le=3)]
DomainRef = Annotated[str, Field(description="The id of a domain of this guide.")]


def known_label_id(value: str) -> str:
    if value not in i18n.message_ids():
        close = difflib.get_close_matches(value, i18n.message_ids(), n=1, cutoff=0.6)
        raise ValueError("is not a known label id" + (f"; did you mean '{close[0]}'?" if close else
                                                      "; the ids are listed in the guide schema"))
    return value


def label_text(value: object) -> object:
    """Like other text, but kept as written: a label may be a separator such as "; "."""
    if isinstance(value, str):
        if problem := unfit_character_problem(value):
            raise ValueError(problem)
        if not value.strip():
            raise ValueError("must not be empty")
        _visible(value)
    return value


def label_placeholders(labels: object, validate) -> dict[str, str]:
    """`validate(labels)`, with a problem for every label whose placeholders do not fit its
    message (`i18n.label_problems`), located at that label; checked on the labels as
    written, so they are reported beside the other problems of `labels:`."""
    found = []
    if isinstance(labels, dict):
        for message_id, text in labels.items():
            if isinstance(text, str) and message_id in i18n.message_ids():
                found += [{"type": PydanticCustomError("label_format", message), "loc": (message_id,), "input": text}
                          for message in i18n.label_problems(message_id, text)]
    try:
        valid = validate(labels)
    except ValidationError as error:
        if not found:
            raise
        found += [{key: value for key, value in problem.items() if key in ("type", "loc", "input", "ctx")}
                  for problem in error.errors()]
        valid = None
    if found:
        raise ValidationError.from_exception_data("labels", found)
    return valid


LabelId = Annotated[str, AfterValidator(known_label_id)]
LabelText = Annotated[str, BeforeValidator(label_text), StringConstraints(min_length=1, max_length=500)]


def labels_schema(schema: dict) -> None:
    """Editors complete the label ids, each described by its English text."""
    english = i18n.english_forms()
    schema.clear()
    schema.update({
        "type": "object",
        "description": "Fixed labels in your own words, by message id; each replaces the catalog's text "
                       "in every artifact. `%(name)s` placeholders keep their names.",
        "properties": {message_id: {"type": "string", "description": " / ".join(english[message_id]) + (
                           " (one text for every count)" if len(english[message_id]) > 1 else "")}
                       for message_id in i18n.message_ids()},
        "additionalProperties": False,
    })
