"""Anki exporter: one `<id>.apkg` deck per guide, built with genanki.

The registry names this module; it writes the deck and counts its cards. The
work is split by job:

- `anki/notes.py`: the note types (fields, cards, the field names a learner
  sees) and the records of a planned deck;
- `anki/plan.py`: the deck's plan, which notes go in which deck with which
  fields and tags, from the model;
- `anki/releases.py`: what the release ledger adds, each note's modification
  time and `changed` tag, the retired items, what is new;
- `anki/text.py`: source text and labels made inert for Anki, clozes, deck and
  tag names;
- `anki/package.py`: the genanki note types from `templates/anki/`, the
  decks and notes, and the byte-reproducible `.apkg` file.

Fields hold the renderer's escaped `.html` or text escaped in `anki_text`,
never raw source text. Every fixed text (deck, note type, card and field
names, instructions, verdicts, the exam facts' sentences) comes from the
guide's message catalog (`i18n`).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from exporter.anki.package import package_of, write_apkg
from exporter.anki.plan import plan
from exporter.model.clock import build_time
from exporter.model.guide import Guide


def write(guide: Guide, target: Path, variant: str = "") -> None:
    """The deck, written to `target` (the registry names the file)."""
    layout = plan(guide)
    write_apkg(package_of(guide, layout), target, build_time(guide).timestamp(), layout.media)


# `cards_by_domain`'s keys for the cards of no domain (item ids cannot look like these).
GENERAL_CARDS = "(general)"
RETIRED_CARDS = "(retired)"


def cards_by_domain(guide: Guide) -> dict[str, int]:
    """Every card of the deck, as a fresh import holds them: per domain id (a practice
    question counts for its domain; a pair for its first, whose deck holds its cards),
    the general exam facts under GENERAL_CARDS and the retired items under RETIRED_CARDS."""
    counts: Counter[str] = Counter({d.id: 0 for d in guide.domains})
    counts.update({GENERAL_CARDS: 0, RETIRED_CARDS: 0})
    for note in plan(guide).notes:
        key = RETIRED_CARDS if note.suspended else (note.domain_id or GENERAL_CARDS)
        counts[key] += note.card_count
    return dict(counts)
