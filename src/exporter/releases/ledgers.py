"""The release ledger: what learners already have, release by release.

Each guide `sources/<id>.yaml` may have a ledger `sources/<id>.releases.json`
beside it, written only by `studyguide release` and committed with the
source. No ledger means "no release yet" (a new guide): every note then
carries the build time, as before releases existed. Builds read the ledger
and never the network or the clock, so the same commit builds the same bytes.

What the ledger holds. For each release, oldest first: its `version`, its
date (`updated`, as written in the source), optionally the author's summary,
and the notes it `added`, `changed` and `retired`. Each added or changed note
is recorded by its key (the item id; `exam-fact/<name>` for the facts made
from the exam data, as in the note's GUID), its note type, its digest, and
its text and tags as plain text (for the word-level diffs of the next
release, the names of retired items and the book's "What's new"; a
question's options are read back apart, text from why, by `recorded_options`,
from ledgers of any version). A retired note is recorded with the author's
reason, if any. Folding the releases in order gives each note's state: its
digest, and the release that last changed it, whose date becomes the note's
modification time.

What a digest covers, and why. Anki applies an incoming note only when its
modification time is newer than the learner's, and then replaces the fields
and tags wholesale. So a digest must change exactly when what the learner's
note shows would change, no more and no less:

- it covers the note type and every field (the sort key, labels such as the
  domain and tier names, the glossary terms, the options' explanations): a
  change to any of them, even to a domain's title shared by many notes, must
  reach learners, or they keep a stale card;
- it covers the tags, which Anki replaces on update too; but not the tags
  derived from the ledger itself (`::changed::<version>`, `::retired`);
- fields are compared as a learner sees them, not byte for byte: character
  references are decoded (`&#x27;` and `'` are the same quote), runs of
  white space collapse to one. So a change in how the exporter escapes
  text leaves untouched notes untouched, and learners' own edits to them
  survive. Only braces keep their escaped form distinct, since Anki reads a
  raw `{{c1::` as a cloze and `&#123;&#123;c1::` as text;
- it does not cover the deck, the card order or the note type's templates:
  an update never moves cards, and templates travel with the note type.

Book-only items (mistakes, checklist, FAQ, study paths) make no notes and are
not in the ledger; a change to a glossary entry reaches the concepts that
show it through their Glossary field.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import html
import json
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, ValidationError

from exporter.model.fields import OPTION_LETTERS, Strict, Version
from exporter.model.problems import data_path, format_path
from exporter.text.characters import unfit_character_problem
from exporter.text.times import iso_utc

LEDGER_SUFFIX = ".releases.json"
FORMAT = 1


def ledger_path(source: Path) -> Path:
    """The ledger beside a source: `sources/ai-300.yaml` -> `sources/ai-300.releases.json`."""
    source = Path(source)
    return source.with_name(source.stem + LEDGER_SUFFIX)


# --- the ledger file -------------------------------------------------------------


def _carried_text(value: str) -> str:
    """A text of the ledger goes into the deck and the book as it is: refused here,
    with its field, if they could not carry it (a hand edit, an old release)."""
    if problem := unfit_character_problem(value):
        raise ValueError(problem)
    return value


LedgerText = Annotated[str, AfterValidator(_carried_text)]


class Entry(Strict):
    """A note as one release shipped it."""

    kind: str
    digest: str = Field(pattern=r"^[0-9a-f]{64}$")
    text: dict[str, LedgerText]  # field name -> plain text, non-empty fields only
    tags: list[str]

    @property
    def label(self) -> str:
        """A short name for the item: its term, claim, pair, question or fact."""
        text = self.text
        if self.kind == "comparison":
            name = f"{text.get('Name A', '')} or {text.get('Name B', '')}"
        else:
            name = next((text[field] for field in _LABEL_FIELDS if field in text), "")
        return textwrap.shorten(name, 90, placeholder="…")


_LABEL_FIELDS = ("Term", "Claim", "Question", "Text")


class Retirement(Strict):
    reason: LedgerText | None = None


class Release(Strict):
    version: Version
    updated: str  # as in the source: a date, or an ISO date and time in UTC
    summary: LedgerText | None = None
    added: dict[str, Entry] = Field(default_factory=dict)
    changed: dict[str, Entry] = Field(default_factory=dict)
    retired: dict[str, Retirement] = Field(default_factory=dict)

    @property
    def time(self) -> dt.datetime:
        return parse_updated(self.updated)

    @property
    def timestamp(self) -> int:
        return int(self.time.timestamp())

    @property
    def date(self) -> dt.date:
        return self.time.date()


class Ledger(Strict):
    format: int = FORMAT
    guide: str
    releases: list[Release] = Field(default_factory=list)

    @property
    def latest(self) -> Release | None:
        return self.releases[-1] if self.releases else None

    def state(self) -> dict[str, ItemState]:
        """Every note any release shipped, as the latest release leaves it."""
        items: dict[str, ItemState] = {}
        for release in self.releases:
            for key, entry in release.added.items():
                items[key] = ItemState(key, entry, release, changed=False)
            for key, entry in release.changed.items():
                items[key] = ItemState(key, entry, release, changed=True)
            for key, retirement in release.retired.items():
                if key in items:
                    items[key] = ItemState(key, items[key].entry, release, changed=False,
                                           reason=retirement.reason, retired=True)
        return items

    def to_json(self) -> str:
        data = self.model_dump(mode="json", exclude_none=True)
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class ItemState:
    key: str
    entry: Entry  # its content as last shipped (for a retired item: before it was retired)
    release: Release  # the release that last changed it (added, changed or retired it)
    changed: bool  # that release changed it, rather than adding or retiring it
    reason: str | None = None
    retired: bool = False


def parse_ledger(text: str, guide_id: str | None) -> tuple[Ledger | None, list[tuple[int, int, str, str]]]:
    """The ledger, or its problems as (line, column, field, message)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return None, [(error.lineno, error.colno, "(file)", f"is not valid JSON: {error.msg}")]
    try:
        ledger = Ledger.model_validate(data)
    except ValidationError as error:
        return None, [(0, 0, format_path(data_path(e, data)), e["msg"].removeprefix("Value error, ")) for e in error.errors()]
    problems = []
    if ledger.format != FORMAT:
        problems.append((0, 0, "format", f"is {ledger.format}; this version of the compiler reads format {FORMAT}"))
    if guide_id is not None and ledger.guide != guide_id:
        problems.append((0, 0, "guide", f"is {ledger.guide!r}, but the source's id is {guide_id!r}"))
    for number, release in enumerate(ledger.releases):
        try:
            release.time  # noqa: B018  (reading it checks the date)
        except ValueError:
            problems.append((0, 0, f"releases[{number}].updated", f"{release.updated!r} is not a date"))
    return (None if problems else ledger), problems


def format_updated(moment: dt.date | dt.datetime) -> str:
    """A source's `updated` as the ledger records it: a date, or a UTC time (a time without zone is UTC)."""
    return iso_utc(moment) if isinstance(moment, dt.datetime) else moment.isoformat()


def parse_updated(value: str) -> dt.datetime:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.datetime.combine(dt.date.fromisoformat(value), dt.time(), tzinfo=dt.timezone.utc)
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)).astimezone(dt.timezone.utc)


def version_key(version: str) -> tuple[int, int, int]:
    parts = [int(part) for part in version.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))  # type: ignore[return-value]


# --- digests --------------------------------------------------------------------------

_OPEN_BRACE = re.compile(r"&(?:#0*123|#[xX]0*7[bB]|lbrace|lcub);")
_CLOSE_BRACE = re.compile(r"&(?:#0*125|#[xX]0*7[dD]|rbrace|rcub);")
_MARKUP = re.compile(r"(<[^>]*>)")
_SPACE = re.compile(r"\s+")
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}", re.DOTALL)
_BLOCK_TAG = re.compile(r"<(?:/?(?:li|dt|dd|div|p|br|ol|ul|dl)\b)[^>]*>", re.IGNORECASE)
# Spans that set apart parts of one line (an option's letter, verdict and why): a space, not nothing.
_PART_TAG = re.compile(r"</?span\b[^>]*>", re.IGNORECASE)
_LINE_SPACE = re.compile(r"[^\S\n]+")


def canonical_field(value: str) -> str:
    """A field as a learner sees it: references decoded (braces kept apart), spaces collapsed."""
    value = _CLOSE_BRACE.sub("\x00}", _OPEN_BRACE.sub("\x00{", value))
    return _SPACE.sub(" ", html.unescape(value)).strip()


def digest(kind: str, fields: dict[str, str], tags: list[str]) -> str:
    content = {"kind": kind, "fields": {name: canonical_field(value) for name, value in fields.items()},
               "tags": sorted(tags)}
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def plain_text(value: str) -> str:
    """A field's text without markup, for diffs and names: clozes show their answer, and
    each block (an option, a glossary entry) is a line of its own."""
    value = _BLOCK_TAG.sub("\n", value)
    value = _PART_TAG.sub(" ", value)
    value = _MARKUP.sub("", value)
    value = _CLOZE.sub(r"\1", value)
    lines = (_LINE_SPACE.sub(" ", line).strip() for line in html.unescape(value).split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class Note:
    """One note of the current source, as the deck would ship it before any release tags."""

    key: str
    kind: str
    fields: dict[str, str]
    tags: list[str]

    @property
    def digest(self) -> str:
        return digest(self.kind, self.fields, self.tags)

    def entry(self) -> Entry:
        text = {name: plain_text(value) for name, value in self.fields.items() if name != "Key"}
        return Entry(kind=self.kind, digest=self.digest, text={k: v for k, v in text.items() if v},
                     tags=sorted(self.tags))


# --- a build's view: each note's time and tags ------------------------------------------


@dataclass(frozen=True)
class NoteRelease:
    timestamp: int | None  # None: edited or added since the last release, so the build time
    changed_in: str | None  # the version whose `::changed::` tag it carries


def note_releases(ledger: Ledger | None, notes: list[Note]) -> dict[str, NoteRelease]:
    """For each current note: the release time it carries, and its `changed` tag."""
    state = ledger.state() if ledger else {}
    result = {}
    for note in notes:
        item = state.get(note.key)
        if item and not item.retired and item.entry.digest == note.digest:
            result[note.key] = NoteRelease(item.release.timestamp, item.release.version if item.changed else None)
        else:
            result[note.key] = NoteRelease(None, None)
    return result


def retired_items(ledger: Ledger | None, current_keys: set[str]) -> list[ItemState]:
    """Items a recorded release retired and the source has not brought back, in key order."""
    if not ledger:
        return []
    return [item for key, item in sorted(ledger.state().items()) if item.retired and key not in current_keys]


# --- recording a release ---------------------------------------------------------------


@dataclass
class Changes:
    added: dict[str, Note]
    changed: dict[str, tuple[Entry, Note]]  # old entry, new note (a restored item is changed)
    retired: dict[str, Entry]

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.retired)


def pending_changes(ledger: Ledger | None, notes: list[Note]) -> Changes:
    state = ledger.state() if ledger else {}
    current = {note.key: note for note in notes}
    changes = Changes({}, {}, {})
    for key, note in current.items():
        item = state.get(key)
        if item is None:
            changes.added[key] = note
        elif item.retired or item.entry.digest != note.digest:
            changes.changed[key] = (item.entry, note)
    for key, item in state.items():
        if key not in current and not item.retired:
            changes.retired[key] = item.entry
    return changes


def reuse_problems(ledger: Ledger | None, notes: list[Note]) -> list[tuple[str, str]]:
    """(key, message) for each id that now names something else than what learners have.

    A note keeps its note type for life. A retired item may come back only as
    itself: the same note type and the same name (term, claim, pair or
    question), edited or not.
    """
    state = ledger.state() if ledger else {}
    problems = []
    for note in notes:
        item = state.get(note.key)
        if item is None:
            continue
        old = item.entry
        if old.kind != note.kind:
            problems.append((note.key, f"was a {old.kind} in {item.release.version} and is now a {note.kind}; "
                                       f"ids are never reused: give the new item an id of its own"))
        elif item.retired and _name(old) != _name(note.entry()):
            problems.append((note.key, f"was retired in {item.release.version} as {old.kind} "
                                       f"{old.label!r} and now names {note.entry().label!r}; ids are never "
                                       f"reused: give the new item an id of its own"))
    return problems


def _name(entry: Entry) -> str:
    return entry.label.casefold()


def record(ledger: Ledger | None, guide_id: str, version: str, updated: str, changes: Changes,
           reasons: dict[str, str], summary: str | None) -> Ledger:
    release = Release(
        version=version, updated=updated, summary=summary or None,
        added={key: note.entry() for key, note in sorted(changes.added.items())},
        changed={key: note.entry() for key, (_, note) in sorted(changes.changed.items())},
        retired={key: Retirement(reason=reasons.get(key)) for key in sorted(changes.retired)},
    )
    releases = list(ledger.releases) if ledger else []
    return Ledger(guide=guide_id, releases=[*releases, release])


# --- telling people what changed -------------------------------------------------------


def word_diff(old: str, new: str, context: int = 4, limit: int = 240) -> str:
    """`… kept words [-removed-] {+inserted+} kept …`, with a few words of context.

    Words are compared alone; where a text has lines (blocks of a field), a ` | `
    stands between the words of two lines, so they never read as one run.
    """
    a, b = _words(old), _words(new)
    parts: list[str] = []
    opcodes = difflib.SequenceMatcher(a=[w for w, _ in a], b=[w for w, _ in b], autojunk=False).get_opcodes()
    for number, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = _with_line_marks(b[j1:j2])  # the new text's lines
            first, last = number == 0, number == len(opcodes) - 1
            if first and len(words) > context:
                words = ["…", *words[-context:]]
            elif last and len(words) > context:
                words = [*words[:context], "…"]
            elif not first and not last and len(words) > 2 * context:
                words = [*words[:context], "…", *words[-context:]]
            parts.extend(words)
            continue
        if i2 > i1:
            parts.append("[-" + " ".join(_with_line_marks(a[i1:i2])) + "-]")
        if j2 > j1:
            parts.append("{+" + " ".join(_with_line_marks(b[j1:j2])) + "+}")
    return textwrap.shorten(" ".join(parts), limit, placeholder=" …")


_LINE_BREAK = "|"


def _words(text: str) -> list[tuple[str, bool]]:
    """Each word, and whether it begins a line after the first."""
    return [(word, number > 0 and place == 0)
            for number, line in enumerate(text.split("\n")) for place, word in enumerate(line.split())]


def _with_line_marks(words: list[tuple[str, bool]]) -> list[str]:
    out: list[str] = []
    for word, new_line in words:
        if new_line:
            out.append(_LINE_BREAK)
        out.append(word)
    return out


# --- a question's options, text and why apart ---------------------------------------------

_OPTION_FIELDS = ("Options", "Options explained")
_LETTERS = OPTION_LETTERS.upper()  # as the cards show them
_VERDICT_MARK = re.compile(r"[✓✗]")
# The verdict label ends in a colon ("✗ Wrong:", "✗ Fausse :", "✗ 不正解：") before the option's text.
_VERDICT_END = r"[:：]\s*"


@dataclass(frozen=True)
class RecordedOption:
    letter: str
    text: str
    verdict: str  # "✗ Wrong:", or "" when the entry has no explanations
    why: str


def recorded_options(entry: Entry) -> list[RecordedOption] | None:
    """A question's options as an entry records them, or None when they cannot be told apart.

    Ledgers store them in one of two forms: one line per option ("B Prune in summer",
    and "B ✗ Wrong: Prune in summer Summer pruning slows growth."), or, written by
    versions before lines, every option on one line with the letter, text and why
    run together ("APrune in winter BPrune in summer", "A✓ Correct: Prune in
    winterWinter cuts…"). In both, the option's text (from `Options`) is what
    separates the verdict before it from the why after it.
    """
    listed, explained = entry.text.get("Options", ""), entry.text.get("Options explained", "")
    explanations = _explained_parts(explained) if explained else None
    texts = _listed_options(listed, len(explanations) if explanations is not None else None, explanations)
    if texts is None or (explanations is not None and len(explanations) != len(texts)):
        return None
    options = []
    for number, text in enumerate(texts):
        verdict, why = "", ""
        if explanations is not None:
            split = _verdict_and_why(explanations[number], text)
            if split is None:
                return None
            verdict, why = split
        options.append(RecordedOption(_LETTERS[number], text, verdict, why))
    return options


def _explained_parts(explained: str) -> list[str] | None:
    """Each option's explanation without its letter: one a line, or (the older form) each
    starting where its letter meets its verdict mark."""
    lines = explained.split("\n")
    if len(lines) > len(_LETTERS):  # a hard line break inside an option: its lines cannot be told apart
        return None
    if len(lines) > 1 or re.match(r"[A-F] ", explained):
        parts = []
        for number, line in enumerate(lines):
            if not line.startswith(_LETTERS[number] + " "):
                return None
            parts.append(line[2:])
        return parts
    starts = [m for m in re.finditer(r"(?:^|(?<= ))([A-F])(?=[✓✗])", explained)]
    letters = "".join(m.group(1) for m in starts)
    if not starts or letters != _LETTERS[:len(letters)]:
        return None
    ends = [m.start() for m in starts[1:]] + [len(explained)]
    return [explained[m.end():end].strip() for m, end in zip(starts, ends)]


def _listed_options(listed: str, count: int | None, explanations: list[str] | None) -> list[str] | None:
    """Each option's text: one a line ("B Prune in summer"), or (the older form) the letter
    run into the text and a space before the next letter ("APrune in winter BPrune…"),
    split where each text reads as its explanation's text."""
    lines = listed.split("\n")
    if len(lines) > len(_LETTERS):  # a hard line break inside an option: its lines cannot be told apart
        return None
    if len(lines) > 1 or re.match(r"[A-F] ", listed):
        if any(not line.startswith(_LETTERS[n] + " ") for n, line in enumerate(lines)):
            return None
        return [line[2:] for line in lines]
    if not listed.startswith("A") or count is None or explanations is None:
        return None

    def split(rest: str, number: int) -> list[str] | None:
        if number == count - 1:
            return [rest] if _verdict_and_why(explanations[number], rest) else None
        next_letter = " " + _LETTERS[number + 1]
        for cut in (m.start() for m in re.finditer(re.escape(next_letter), rest)):
            text = rest[:cut]
            if text and _verdict_and_why(explanations[number], text):
                tail = split(rest[cut + len(next_letter):], number + 1)
                if tail is not None:
                    return [text, *tail]
        return None

    return split(listed[1:], 0)


def _verdict_and_why(explanation: str, text: str) -> tuple[str, str] | None:
    """The explanation of an option with this text, apart: (verdict, why)."""
    mark = _VERDICT_MARK.search(explanation)
    if mark is None:
        return None
    found = re.search(_VERDICT_END + re.escape(text), explanation[mark.end():])
    if found is None:
        return None
    start = mark.end() + found.start() + 1  # after the colon
    return explanation[:start].strip(), explanation[mark.end() + found.end():].strip()


def _option_lines(old: list[RecordedOption], new: list[RecordedOption]) -> list[str]:
    """One line per changed part of each option: options matched by their text first,
    then by letter; the rest were added or removed."""
    pairs: dict[str, RecordedOption] = {}  # new letter -> the old option it continues
    unmatched_old = list(old)
    for option in new:
        same = next((o for o in unmatched_old if o.text == option.text), None)
        if same is not None:
            pairs[option.letter] = same
            unmatched_old.remove(same)
    for option in new:
        if option.letter not in pairs:
            same = next((o for o in unmatched_old if o.letter == option.letter), None)
            if same is not None:
                pairs[option.letter] = same
                unmatched_old.remove(same)
    lines = []
    for option in new:
        before = pairs.get(option.letter)
        if before is None:
            lines.append(f"Option {option.letter} (added): {option.text}")
            if option.verdict or option.why:
                lines.append(f"Option {option.letter} (added), why: {' '.join(filter(None, (option.verdict, option.why)))}")
            continue
        name = f"Option {option.letter}" + (f" (was {before.letter})" if before.letter != option.letter else "")
        changed = []
        if before.text != option.text:
            changed.append(f"{name}: {word_diff(before.text, option.text)}")
        if before.verdict != option.verdict:
            changed.append(f"{name}, verdict: {word_diff(before.verdict, option.verdict)}")
        if before.why != option.why:
            changed.append(f"{name}, why: {word_diff(before.why, option.why)}")
        if not changed and before.letter != option.letter:
            changed.append(f"{name}: {option.text}")
        lines += changed
    lines += [f"Option {option.letter} (removed): {option.text}" for option in unmatched_old]
    return lines


def _part_name(line: str, number: int) -> str:
    """An option by its letter ("C"), any other part of a field by its place ("2")."""
    first = line.split(" ", 1)[0]
    return first if re.fullmatch(r"[A-F]", first) else str(number)


def entry_diff(old: Entry, new: Entry) -> list[str]:
    """One line per changed field (and for the tags), each a short word-level diff; a
    question's options one line per changed text, verdict or why of each option."""
    lines = []
    old_options, new_options = recorded_options(old), recorded_options(new)
    # Options told apart take the place of both option fields (else they are diffed as fields).
    options = _option_lines(old_options, new_options) if old_options and new_options else None
    for name in dict.fromkeys([*old.text, *new.text]):
        before, after = old.text.get(name, ""), new.text.get(name, "")
        if options is not None and name in _OPTION_FIELDS:
            lines += options
            options = []  # said once, for both fields
            continue
        if before == after:
            continue
        if before.split() == after.split() and ("\n" not in before or "\n" not in after):
            continue  # an older ledger ran the lines together: the same words, nothing changed
        old_parts, new_parts = before.split("\n"), after.split("\n")
        if len(old_parts) == len(new_parts) > 1:  # an option or entry per line: only those that changed
            lines += [f"{name} {_part_name(part, number)}: {word_diff(a, b)}"
                      for number, (a, b, part) in enumerate(zip(old_parts, new_parts, new_parts), 1) if a != b]
        else:
            lines.append(f"{name}: {word_diff(before, after)}")
    removed = sorted(set(old.tags) - set(new.tags))
    added = sorted(set(new.tags) - set(old.tags))
    if removed or added:
        lines.append("tags: " + " ".join([*(f"-{tag}" for tag in removed), *(f"+{tag}" for tag in added)]))
    if not lines:
        lines.append("markup or sort key only (the text reads the same)")
    if old.kind != new.kind:
        lines.insert(0, f"note type: {old.kind} -> {new.kind}")
    return lines
