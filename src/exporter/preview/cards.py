"""The deck's cards as a learner meets them: every card of every note, front and back.

Read from the package the Anki exporter writes (`anki_package.package`): its
note types' own templates and CSS, its decks, and each note's fields and tags,
filled in by `anki_templates` the way Anki fills them. Nothing here knows
what a concept or a question looks like on a card.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import genanki

from exporter.anki.package import package_of
from exporter.anki.plan import plan
from exporter.model.guide import Guide
from exporter.preview.anki_templates import cloze_ordinals, render


@dataclass(frozen=True)
class Card:
    guid: str  # the note's, as Anki knows it
    ord: int  # the card's number within its note, from 0, as Anki counts
    deck: str
    note_type: str
    card: str  # the card template's name ("Concept", "A rather than B"…)
    tags: list[str]
    front: str
    back: str
    style: int  # index into the deck's stylesheets (one per distinct note type CSS)


def deck_cards(guide: Guide) -> tuple[list[Card], list[str], dict[str, bytes]]:
    """Every card, in the deck's study order, the stylesheets they use, and the deck's
    media files by name (the figures its cards show)."""
    styles: list[str] = []
    cards: list[Card] = []
    layout = plan(guide)
    for deck in package_of(guide, layout).decks:
        for note in deck.notes:
            cards.extend(_note_cards(deck.name, note, styles))
    return cards, styles, dict(layout.media)


def as_json(cards: list[Card], styles: list[str]) -> dict:
    return {"cards": [asdict(card) for card in cards], "styles": styles}


def _note_cards(deck_name: str, note: genanki.Note, styles: list[str]) -> list[Card]:
    model = note.model
    if model.css not in styles:
        styles.append(model.css)
    style = styles.index(model.css)
    fields = {field["name"]: value for field, value in zip(model.fields, note.fields)}
    cards = []
    if model.model_type == genanki.Model.CLOZE:
        (template,) = model.templates
        sides = [(ordinal - 1, template, ordinal) for ordinal in cloze_ordinals(template["qfmt"], fields)]
    else:
        sides = [(number, template, 1) for number, template in enumerate(model.templates)]
    for number, template, ordinal in sides:
        front = render(template["qfmt"], fields, ordinal, question=True)
        back = render(template["afmt"], fields, ordinal, question=False, front_side=front)
        cards.append(Card(note.guid, number, deck_name, model.name, template["name"], list(note.tags), front, back, style))
    return cards
