"""The field types of the guide model: texts, ids and patterned strings, release times, labels.

Each constraint is declared here once, with its rule in the author's words
(`PATTERN_RULES`), which the loader's messages quote.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from exporter.text import i18n
from exporter.text.markup import Text
from exporter.text.times import as_utc

# Characters that are never legitimate in guide text: C0/C1 controls other
# than tab and line breaks, which XML and Anki's card HTML cannot carry, and
# the noncharacters U+FFFE and U+FFFF, which XML refuses. The loader refuses
# them in the file as written; the model, also when written as YAML escapes ("\uFFFE").
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def forbidden_character_problem(character: str) -> str:
    kind = "noncharacter" if character in "\ufffe\uffff" else "control character"
    return f"contains the {kind} U+{ord(character):04X}; remove it"


MAX_TEXT_LENGTH = 5000


def _clean_text(value: object) -> object:
    """Refuse forbidden characters (before stripping, so none hide in the
    surrounding space), then strip."""
    if isinstance(value, str):
        if match := FORBIDDEN_CHARACTERS.search(value):
            raise ValueError(forbidden_character_problem(match.group()))
        return value.strip()
    return value


# A non-empty line or paragraph of inline Markdown.
RichText = Annotated[
    str,
    BeforeValidator(_clean_text),
    StringConstraints(min_length=1, max_length=MAX_TEXT_LENGTH),
    AfterValidator(Text),
]
# A short label: a name, a title or a term.
Label = Annotated[
    str,
    BeforeValidator(_clean_text),
    StringConstraints(min_length=1, max_length=200),
    AfterValidator(Text),
]


# A figure's text alternative: plain text (no Markdown: readers speak it as it is).
AltText = Annotated[
    str,
    BeforeValidator(_clean_text),
    StringConstraints(min_length=1, max_length=1000),
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
OptionId = Annotated[str, pattern(r"^[a-f]$", "must be an option letter, a to f")]
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
        if match := FORBIDDEN_CHARACTERS.search(value):
            raise ValueError(forbidden_character_problem(match.group()))
        if not value.strip():
            raise ValueError("must not be empty")
    return value


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
