"""What a deck is made of: the note types with their fields and cards, and the planned deck.

The note types (`NOTE_TYPES`) fix each kind of note's fields, in order, and its
cards' template files; `field_name` is what a learner sees of a field. The
records `DeckPlan`, `NotePlan` and `DeckLayout` are the deck as planned
(`anki_plan`, `anki_releases`), independent of genanki, which `anki_package`
writes out.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from exporter.model.problems import FieldProblem
from exporter.releases import ledgers
from exporter.text.i18n import N_, Labels, labels_for

# Part of every note type's id seed. Bump it only when a note type's fields
# change: Anki cannot merge a changed field list into an existing note type.
SCHEMA = "v1"


# --- note types ------------------------------------------------------------------


@dataclass(frozen=True)
class NoteType:
    kind: str  # also the `kind` tag and the template file prefix
    title: str  # a message id, as are the card names
    fields: tuple[str, ...]  # the code's names for them; the first one, "Key", is the sort field
    cards: tuple[tuple[str, str], ...]  # (card name, template file stem)
    cloze: bool = False


NOTE_TYPES: dict[str, NoteType] = {
    note_type.kind: note_type
    for note_type in (
        NoteType("concept", N_("anki.type.concept"), ("Key", "Term", "Explanation", "Glossary", "Tier", "Domain"),
                 ((N_("anki.card.concept"), "concept"),)),
        NoteType("trap", N_("anki.type.trap"), ("Key", "Claim", "Correction", "Tier", "Domain"),
                 ((N_("anki.card.trap"), "trap"),)),
        NoteType("comparison", N_("anki.type.comparison"),
                 ("Key", "Name A", "Use A when", "Name B", "Use B when", "Trap", "Domain"),
                 ((N_("anki.card.a-rather-than-b"), "comparison-a"), (N_("anki.card.b-rather-than-a"), "comparison-b"))),
        NoteType("question", N_("anki.type.question"),
                 ("Key", "Question", "Instruction", "Options", "Answer", "Explanation", "Options explained",
                  "Set", "Domain"),
                 ((N_("anki.card.question"), "question"),)),
        NoteType("fact", N_("anki.type.fact"), ("Key", "Text", "Extra", "Topic"), ((N_("anki.card.fact"), "fact"),),
                 cloze=True),
    )
}
# What a learner sees of each field's name (in the browser and the editor), in the guide's language.
FIELD_LABELS = {
    "Key": N_("anki.field.key"),
    "Term": N_("anki.field.term"),
    "Explanation": N_("anki.field.explanation"),
    "Glossary": N_("anki.field.glossary"),
    "Tier": N_("anki.field.tier"),
    "Domain": N_("anki.field.domain"),
    "Claim": N_("anki.field.claim"),
    "Correction": N_("anki.field.correction"),
    "Name A": N_("anki.field.name-a"),
    "Use A when": N_("anki.field.use-a-when"),
    "Name B": N_("anki.field.name-b"),
    "Use B when": N_("anki.field.use-b-when"),
    "Trap": N_("anki.field.trap"),
    "Question": N_("anki.field.question"),
    "Instruction": N_("anki.field.instruction"),
    "Options": N_("anki.field.options"),
    "Answer": N_("anki.field.answer"),
    "Options explained": N_("anki.field.options-explained"),
    "Set": N_("anki.field.set"),
    "Text": N_("anki.field.text"),
    "Extra": N_("anki.field.extra"),
    "Topic": N_("anki.field.topic"),
}


def field_name(labels: Labels, name: str) -> str:
    """A field's shown name (`{{Name}}` in the card templates says the same)."""
    return _shown_field_names(labels)[name]


def _field_name_as_anki_keeps_it(labels: Labels, name: str) -> str:
    """A field's label as Anki would store it: in NFC (Anki normalises names, so a
    template naming the NFD form would find no field), without the characters Anki
    refuses in field names (they become spaces); the code's name if nothing is left."""
    text = unicodedata.normalize("NFC", labels.gettext(FIELD_LABELS[name]))
    return re.sub(r"\s+", " ", re.sub(r'[:"{}]', " ", text)).strip().lstrip("#/^ ") or name


def same_field_name(name: str) -> str:
    """What Anki compares when it looks for a field of that name: NFC, case-insensitive."""
    return unicodedata.normalize("NFC", name).casefold()


def field_name_clashes(labels: Labels) -> list[tuple[str, str, str]]:
    """(earlier field, later field, shared name) for two fields of one note type that Anki
    would take for one: it would rename the second, and every card naming it would break."""
    clashes = []
    for note_type in NOTE_TYPES.values():
        seen: dict[str, str] = {}
        for name in note_type.fields:
            shown = _field_name_as_anki_keeps_it(labels, name)
            if (earlier := seen.get(same_field_name(shown))) is not None:
                clashes.append((earlier, name, shown))
            seen.setdefault(same_field_name(shown), name)
    return sorted(set(clashes), key=lambda clash: list(FIELD_LABELS).index(clash[1]))


# The field names Anki's card templates read as something else whatever the note's fields
# are: `{{FrontSide}}` is always the card's front, compared as written (case and all) with
# the name as Anki keeps it. Its other special names (Tags, Type, Deck, Subdeck, Card,
# CardFlag, CardID) give way to a note's field of that name in the Anki the tests run, so
# a field may take them; tests/integration/test_hostile_cases.py shows both in real Anki.
RESERVED_FIELD_NAMES = ("FrontSide",)


def field_name_problems(guide) -> list[FieldProblem]:
    """The registry's source check: a field the guide's labels give a name Anki's templates
    read as something else (`FrontSide`), and two fields of one note type that they name
    alike, as Anki compares names (NFC, case-insensitive). Anki would rename one, and
    every card naming it would break. Reported at the label the guide wrote (the later
    one, if it wrote both)."""
    if not {"labels", "language"} <= guide.model_fields_set or not guide.labels:
        return []  # nothing written, or a source whose language was rejected: its own problem says so
    labels = labels_for(guide)
    found = [FieldProblem(("labels", message_id), f"names a card field '{shown}', which Anki's card templates "
                          "read as the card's front, so the field would never show; give it another name")
             for name, message_id in FIELD_LABELS.items() if message_id in guide.labels
             and (shown := _field_name_as_anki_keeps_it(labels, name)) in RESERVED_FIELD_NAMES]
    for earlier, later, shown in field_name_clashes(labels):
        blamed, other = ((FIELD_LABELS[later], FIELD_LABELS[earlier]) if FIELD_LABELS[later] in guide.labels
                         else (FIELD_LABELS[earlier], FIELD_LABELS[later]))
        found.append(FieldProblem(("labels", blamed), f"names a card field '{shown}', as does {other} in the same "
                                  "note type (Anki compares field names ignoring case and Unicode form); give each "
                                  "field a name of its own"))
    return found


@functools.cache
def _shown_field_names(labels: Labels) -> dict[str, str]:
    """Every field's shown name. Two fields alike (in different note types, or from a
    catalog: `validate` refuses a guide's labels that make two of one type alike) get
    the repeat numbered."""
    shown: dict[str, str] = {}
    for number, name in enumerate(FIELD_LABELS, 1):
        text = _field_name_as_anki_keeps_it(labels, name)
        taken = {same_field_name(other) for other in shown.values()}
        shown[name] = text if same_field_name(text) not in taken else f"{text} {number}"
    return shown


# --- the planned deck ---------------------------------------------------------------


@dataclass(frozen=True)
class DeckPlan:
    key: str  # seeds the deck id: stays when a title is edited
    name: str
    description: str = ""


@dataclass
class NotePlan:
    kind: str
    seed: tuple[str, ...]  # seeds the GUID: guide id + item id, never field text
    deck: DeckPlan
    fields: dict[str, str]
    tags: list[str]
    domain_id: str | None  # the domain whose cards this note's cards count as
    mod: int | None = None  # modification time from the ledger; None: the build time
    suspended: bool = False  # a retired item's cards, for anyone who imports them fresh

    @property
    def card_count(self) -> int:
        return 1 if NOTE_TYPES[self.kind].cloze else len(NOTE_TYPES[self.kind].cards)

    @property
    def key(self) -> str:
        """The note's name in the release ledger: its GUID seed without the guide id."""
        return "/".join(self.seed[1:])

    def content(self) -> ledgers.Note:
        return ledgers.Note(self.key, self.kind, dict(self.fields), list(self.tags))


@dataclass
class DeckLayout:
    root: DeckPlan
    facts: DeckPlan
    domains: dict[str, DeckPlan]
    practice: DeckPlan
    retired: DeckPlan
    notes: list[NotePlan] = field(default_factory=list)
    # The package's media files by name (figures, named by their content) and their bytes.
    media: dict[str, bytes] = field(default_factory=dict)

    @property
    def decks(self) -> list[DeckPlan]:
        """The parent deck and every subdeck that holds notes (Anki would not import an empty one)."""
        used = {note.deck.key for note in self.notes}
        subdecks = (self.facts, *self.domains.values(), self.practice, self.retired)
        return [self.root] + [d for d in subdecks if d.key in used]

