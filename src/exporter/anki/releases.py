"""The release ledger in the deck: each note's time and `changed` tag, the retired items, what is new.

Anki applies an incoming note only when its modification time is newer than
the learner's. So each note carries the date of the release that last changed
it, from the ledger beside the source (`releases/ledgers.py`): a re-import updates
exactly the changed notes, and a learner's own edits to all the others
survive. A note edited or added since the last release (or every note, before
the first) carries `build_time(guide)`. Notes changed by a release are tagged
`<CODE>::changed::<version>`; items a release retired stay in the package
under their GUID with a short notice, tagged `<CODE>::retired`, their cards
suspended (queue -1) and in a deck beside the parent deck, since Anki's
default import makes every incoming card new. An unchanged source and ledger
rebuild to identical bytes.
"""

from __future__ import annotations

import html

from markupsafe import Markup

from exporter.anki.notes import NOTE_TYPES, DeckLayout, NotePlan
from exporter.anki.text import cloze, field_text, say, tag
from exporter.model.guide import Guide
from exporter.releases import ledgers
from exporter.text.i18n import labels_for

RETIRED_ANSWER = "—"  # a retired question's key: no letter is right any more


def apply_releases(guide: Guide, layout: DeckLayout) -> None:
    """Give each note its release time and `changed` tag; add the retired items."""
    ledger = guide.ledger
    if ledger is None:
        return
    root = guide.exam_code.plain
    times = ledgers.note_releases(ledger, [note.content() for note in layout.notes])
    for note in layout.notes:
        release = times[note.key]
        note.mod = release.timestamp
        if release.changed_in:
            note.tags.append(tag(root, "changed", release.changed_in))
    current = {note.key for note in layout.notes}
    for item in ledgers.retired_items(ledger, current):
        layout.notes.append(_retired_note(guide, layout, item, root))


def _retired_note(guide: Guide, layout: DeckLayout, item: ledgers.ItemState, root: str) -> NotePlan:
    """The item's note under its old GUID, its text replaced by the notice. Its `Domain`
    is empty: the card templates then show the notice on the front instead of a question,
    so a learner who still has the card unstudied in a domain's deck (an update never
    moves a card) meets a notice, not a quiz."""
    labels = labels_for(guide)
    entry, version = item.entry, item.release.version
    meta = say(labels, "anki.retired.meta", version=field_text(version))
    label = field_text(entry.label)
    notice = say(labels, "anki.retired.notice") + (
        "<br>" + say(labels, "anki.retired.reason", reason=field_text(item.reason)) if item.reason else "")
    text = entry.text
    blank = cloze(labels.gettext("anki.retired.cloze-word"))
    by_kind = {
        "concept": {"Term": label, "Explanation": notice, "Glossary": "", "Tier": meta, "Domain": ""},
        "trap": {"Claim": label, "Correction": notice, "Tier": meta, "Domain": ""},
        "comparison": {"Name A": field_text(text.get("Name A", "")), "Use A when": notice,
                       "Name B": field_text(text.get("Name B", "")), "Use B when": notice, "Trap": meta,
                       "Domain": ""},
        "question": {"Question": label, "Instruction": "", "Options": "", "Answer": RETIRED_ANSWER,
                     "Explanation": notice, "Options explained": "", "Set": meta, "Domain": ""},
        # A cloze's front shows only Text: the notice goes there, so the front says what to do.
        "fact": {"Text": say(labels, "anki.retired.cloze", version=field_text(version), label=label, cloze=blank)
                 + "<br>" + notice, "Extra": "", "Topic": meta},
    }
    fields = {"Key": html.escape(f"{entry.kind} {item.key}"), **by_kind[entry.kind]}
    assert list(fields) == list(NOTE_TYPES[entry.kind].fields), (entry.kind, list(fields))
    tags = [tag(root, "retired"), tag(root, "kind", entry.kind), tag(root, "id", item.key.split("/")[-1])]
    return NotePlan(entry.kind, (guide.id, *item.key.split("/")), layout.retired, fields, tags, None,
                    mod=item.release.timestamp, suspended=True)


def whats_new(guide: Guide) -> str:
    """One line on the latest release, once there is more than the first and it is this version."""
    ledger = guide.ledger
    latest = ledger.latest if ledger else None
    if latest is None or len(ledger.releases) < 2 or latest.version != guide.version:
        return ""
    labels = labels_for(guide)
    counts = []
    if latest.added:
        counts.append(labels.ngettext("anki.whats-new.added", "anki.whats-new.added", len(latest.added)))
    if latest.changed:
        counts.append(labels.ngettext("anki.whats-new.changed", "anki.whats-new.changed", len(latest.changed)))
    if latest.retired:
        counts.append(labels.ngettext("anki.whats-new.retired", "anki.whats-new.retired", len(latest.retired)))
    root = guide.exam_code.plain
    changed = f"<code>tag:{html.escape(tag(root, 'changed', latest.version))}</code>"
    retired = f"<code>tag:{html.escape(tag(root, 'retired'))}</code>"
    nothing = labels.gettext("anki.whats-new.nothing")
    counted = field_text(labels.item_list(counts) or nothing)
    line = say(labels, "anki.whats-new", version=html.escape(latest.version), counts=counted,
               changed_search=changed, retired_search=retired)
    return str(labels.sentences(Markup(line), Markup(field_text(latest.summary)) if latest.summary else None))

