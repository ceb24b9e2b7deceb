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
from dataclasses import dataclass, field

from exporter.releases import ledgers as releases
from exporter.text.i18n import N_, Labels

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


@functools.cache
def _shown_field_names(labels: Labels) -> dict[str, str]:
    """Every field's shown name. Anki refuses some characters in field names (they become
    spaces) and two fields alike (a guide's `labels:` could make them so: a repeat is numbered)."""
    shown: dict[str, str] = {}
    for number, (name, message_id) in enumerate(FIELD_LABELS.items(), 1):
        text = re.sub(r"\s+", " ", re.sub(r'[:"{}]', " ", labels.gettext(message_id))).strip().lstrip("#/^ ") or name
        taken = {other.casefold() for other in shown.values()}
        shown[name] = text if text.casefold() not in taken else f"{text} {number}"
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

    def content(self) -> releases.Note:
        return releases.Note(self.key, self.kind, dict(self.fields), list(self.tags))


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

