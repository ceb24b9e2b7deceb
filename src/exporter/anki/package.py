"""The deck written out: genanki note types from the card templates, decks, notes, and the `.apkg` file.

Card templates and CSS are files in `templates/anki/`, rendered by Jinja
first, with `[[ ]]` for its expressions since `{{ }}` is Anki's; their fixed
texts come from the guide's message catalog. Deck and note type ids come from
stable names (`stable_id`), note GUIDs from the plan's seeds, so a rebuilt
deck updates the notes a learner already has. The package is written
byte-reproducibly: every time in it comes from the build time or the ledger.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import itertools
import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import genanki
import jinja2
from markupsafe import Markup

from exporter.anki.notes import NOTE_TYPES, SCHEMA, DeckLayout, field_name
from exporter.anki.plan import plan
from exporter.anki.text import deck_part, label_html
from exporter.build.templates import TEMPLATES_DIR, template_environment
from exporter.build.zips import entry_time, pinned_entry
from exporter.model.guide import Guide
from exporter.text import scripts
from exporter.text.i18n import Labels, labels_for

TEMPLATES = TEMPLATES_DIR / "anki"


def stable_id(*names: str) -> int:
    """An id in genanki's recommended range, from a hash of stable names."""
    digest = hashlib.sha256("\x1f".join(names).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)





def _template_environment(labels: Labels, language: str) -> jinja2.Environment:
    """Card templates are Jinja first: `[[ ]]` and `[% %]`, since `{{ }}`, `{{# }}` belong to Anki."""
    environment = template_environment("anki", labels, card_syntax=True)
    # A label's braces must not reach Anki, which would read "{{" as a field.
    say = lambda message_id, **values: label_html(labels, message_id) % values  # noqa: E731
    environment.globals.update(_=say, gettext=say)

    def field(name: str, prefix: str = "") -> Markup:
        """An Anki field reference, `{{Name}}` (or `{{#Name}}`, `{{cloze:Name}}`), by its shown name."""
        # Anki matches the name as written, so it goes in raw: escaped ("L&#39;explication")
        # it would name no field. Braces and colons are never in it (`field_name`).
        return Markup("{{" + prefix + field_name(labels, name) + "}}")

    environment.globals.update(field=field, lang=language, strong=lambda inner: Markup("<strong>%s</strong>") % inner)
    return environment


def _directed(guide: Guide, card_template: str) -> str:
    """A right-to-left guide's cards read right to left: the card wrapped in dir="rtl"."""
    if guide.direction != "rtl":
        return card_template
    return f'<div dir="rtl" lang="{html.escape(guide.language)}">{card_template}</div>'


def _models(guide: Guide) -> dict[str, genanki.Model]:
    labels = labels_for(guide)
    environment = _template_environment(labels, guide.language)

    def template(name: str) -> str:
        return environment.get_template(name).render()

    css = (TEMPLATES / "style.css").read_text(encoding="utf-8")
    css += "\n" + scripts.stylesheet(guide.language, "cards", css)  # the fonts and typesetting of its script
    models = {}
    for kind, note_type in NOTE_TYPES.items():
        models[kind] = genanki.Model(
            model_id=stable_id("model", guide.id, kind, SCHEMA),
            name=f"{deck_part(guide.exam_code.plain)} {labels.gettext(note_type.title)}",
            fields=[{"name": field_name(labels, name)} for name in note_type.fields],
            templates=[
                {"name": labels.gettext(card), "qfmt": _directed(guide, template(f"{stem}-front.html")),
                 "afmt": _directed(guide, template(f"{stem}-back.html"))}
                for card, stem in note_type.cards
            ],
            css=css,
            model_type=genanki.Model.CLOZE if note_type.cloze else genanki.Model.FRONT_BACK,
            sort_field_index=0,
        )
    return models


def package(guide: Guide) -> genanki.Package:
    return package_of(guide, plan(guide))


def package_of(guide: Guide, layout: DeckLayout) -> genanki.Package:
    """The decks and notes of a planned deck (its media go in beside them: `write_apkg`)."""
    models = _models(guide)
    decks = {
        deck.key: genanki.Deck(stable_id("deck", guide.id, deck.key), deck.name, deck.description)
        for deck in layout.decks
    }
    for position, note in enumerate(layout.notes):
        anki_note = _TimedNote(
            model=models[note.kind],
            fields=list(note.fields.values()),
            tags=note.tags,
            guid=genanki.guid_for(*note.seed),
            due=position,  # new cards come in study order
        )
        anki_note.mod = note.mod
        for card in anki_note.cards:
            card.suspend = note.suspended  # queue -1 in the collection
        decks[note.deck.key].add_note(anki_note)
    return genanki.Package(list(decks.values()))


class _TimedNote(genanki.Note):
    """A note (and its cards) with its own modification time, when it has one."""

    mod: int | None = None

    def write_to_db(self, cursor, timestamp: float, deck_id, id_gen):
        super().write_to_db(cursor, _storable_time(self.mod if self.mod is not None else timestamp), deck_id, id_gen)


def _storable_time(timestamp: float) -> int:
    # Anki stores seconds since 1970; a time at or before it would read as "never modified".
    return max(1, int(timestamp))




def write_apkg(deck_package: genanki.Package, path: Path, timestamp: float,
               media_files: dict[str, bytes] | None = None) -> None:
    """Like genanki's write_to_file, but byte-reproducible and leaving no temp file.

    genanki stamps the zip entry with the temp file's mtime and leaves that file
    behind; here every time comes from `timestamp`. Media files go in by name
    order, as the numbered entries and the `media` map Anki reads.
    """
    with tempfile.TemporaryDirectory(prefix="studyguide-anki-") as folder:
        db_path = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(db_path)
        try:
            # Note and card ids, as Anki makes them; never 0 or below, which corrupts a collection.
            ids = itertools.count(max(1, int(timestamp * 1000)))
            deck_package.write_to_db(connection.cursor(), timestamp, ids)
            connection.commit()
        finally:
            connection.close()
        database = db_path.read_bytes()
    date_time = entry_time(dt.datetime.fromtimestamp(timestamp, dt.timezone.utc))
    names = sorted(media_files or {})
    index = json.dumps({str(number): name for number, name in enumerate(names)}, sort_keys=True).encode()
    entries = [("collection.anki2", database), ("media", index),
               *((str(number), media_files[name]) for number, name in enumerate(names))]
    with zipfile.ZipFile(path, "w") as archive:
        for name, payload in entries:
            archive.writestr(pinned_entry(name, date_time), payload)
