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
from exporter.build import registry
from exporter.model.clock import build_time
from exporter.model.guide import Guide


def write(guide: Guide, target: Path, variant: str = "") -> None:
    """The deck, written to `target` (the registry names the file)."""
    layout = plan(guide)
    write_apkg(package_of(guide, layout), target, build_time(guide).timestamp(), layout.media)


def export(guide: Guide, out_dir: Path) -> list[Path]:
    """The deck, written atomically into `out_dir` under the registry's name."""
    return registry.EXPORTERS["anki"].export(guide, out_dir)


def cards_by_domain(guide: Guide) -> dict[str, int]:
    """Cards per domain id; a practice question counts for its domain. General exam facts count for none."""
    counts: Counter[str] = Counter({d.id: 0 for d in guide.domains})
    for note in plan(guide).notes:
        if note.domain_id:
            counts[note.domain_id] += note.card_count
    return dict(counts)
