"""Anki exporter: one `<id>.apkg` deck per guide, built with genanki.

Layout: a parent deck named after the exam code, a subdeck for the exam facts,
one subdeck per domain in exam order, and one for the practice exam. Every
note carries hierarchical tags (`AI-300::domain::2`, `::tier::1`,
`::kind::trap`, `::id::<item id>`) so a learner can filter any way.

Identity: note GUIDs come from the guide id and the item id, deck and note
type ids from stable names, so a rebuilt deck updates the notes a learner
already has.

Releases (`releases.py`): Anki applies an incoming note only when its
modification time is newer than the learner's. So each note carries the date
of the release that last changed it, from the ledger beside the source: a
re-import updates exactly the changed notes, and a learner's own edits to all
the others survive. A note edited or added since the last release (or every
note, before the first) carries `build_time(guide)`. Notes changed by a
release are tagged `<CODE>::changed::<version>`; items a release retired stay
in the package under their GUID with a short notice, tagged `<CODE>::retired`,
their cards suspended (queue -1) and in a deck beside the parent deck, since
Anki's default import makes every incoming card new. An unchanged source and
ledger rebuild to identical bytes.

Card templates and CSS are files in `templates/anki/`. Fields hold the
renderer's escaped `.html` or text escaped here, never raw source text.
Every fixed text (deck, note type, card and field names, instructions,
verdicts, the exam facts' sentences) comes from the guide's message catalog
(`i18n`); the templates are rendered by Jinja first, with `[[ ]]` for its
expressions since `{{ }}` is Anki's.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import itertools
import re
import sqlite3
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import genanki
import jinja2
from markupsafe import Markup

from . import registry, releases
from .i18n import N_, Labels, labels_for
from .markup import Text
from .model import Concept, Domain, Guide, Pair, Question, Trap
from .output import TEMPLATES_DIR, build_time

TEMPLATES = TEMPLATES_DIR / "anki"

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


# --- the plan: which notes go where, independent of genanki ------------------------


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

    @property
    def decks(self) -> list[DeckPlan]:
        """The parent deck and every subdeck that holds notes (Anki would not import an empty one)."""
        used = {note.deck.key for note in self.notes}
        subdecks = (self.facts, *self.domains.values(), self.practice, self.retired)
        return [self.root] + [d for d in subdecks if d.key in used]


def plan(guide: Guide) -> DeckLayout:
    """Every note of the deck, in study order, with its deck, fields, tags and release time."""
    layout = current_notes(guide)
    _apply_releases(guide, layout)
    return layout


def current_notes(guide: Guide) -> DeckLayout:
    """The notes the source makes, before the ledger adds times, release tags and retired items."""
    labels = labels_for(guide)
    root_name = _deck_part(guide.exam_code.plain)
    retired_search = f"<code>tag:{html.escape(_tag_part(guide.exam_code.plain))}::retired</code>"
    practice_number = max(d.number for d in guide.domains) + 1
    width = max(2, len(str(practice_number)))  # zero-padded, so subdecks sort in exam order

    def subdeck(key: str, number: int, title: str) -> DeckPlan:
        return DeckPlan(key, f"{root_name}::{number:0{width}d} {_deck_part(title)}")

    layout = DeckLayout(
        root=DeckPlan("root", root_name, _description(guide)),
        facts=subdeck("exam-facts", 0, labels.gettext("anki.deck.exam-facts")),
        domains={d.id: subdeck(f"domain-{d.id}", d.number, d.title.plain) for d in guide.domains},
        practice=subdeck("practice-exam", practice_number, labels.gettext("anki.deck.practice-exam")),
        # Beside the parent deck, not in it: Anki's default import makes every card new,
        # suspended or not, and whoever studies the parent deck must never meet these.
        retired=DeckPlan("retired", _deck_part(labels.gettext("anki.retired.deck", code=root_name)),
                         "<p>" + _say(labels, "anki.retired.deck-description", search=retired_search) + "</p>"),
    )
    notes = _Notes(guide, layout, width)
    notes.exam_facts()
    for domain in guide.domains:
        notes.domain_weight(domain)
        for concept in domain.concepts:
            notes.concept(domain, concept)
        for trap in domain.traps:
            notes.trap(domain, trap)
        for pair in guide.pairs:
            if pair.domains[0] == domain.id:  # a pair lives in its first domain's deck
                notes.comparison(pair)
        for question in domain.questions:
            notes.question(question, layout.domains[domain.id], labels.gettext("anki.set.quick-check"),
                           domain.number)
    for question in guide.practice_exam:
        notes.question(question, layout.practice, labels.gettext("anki.set.practice-exam"), practice_number,
                       practice=True)
    return layout


def cards_by_domain(guide: Guide) -> dict[str, int]:
    """Cards per domain id; a practice question counts for its domain. General exam facts count for none."""
    counts: Counter[str] = Counter({d.id: 0 for d in guide.domains})
    for note in plan(guide).notes:
        if note.domain_id:
            counts[note.domain_id] += note.card_count
    return dict(counts)


def exam_facts(guide: Guide) -> list[tuple[str, str, str]]:
    """(name, cloze text, extra) for each fact of the exam, made from the data by rule."""
    labels = labels_for(guide)
    exam, code = guide.exam, _html(guide.exam_code)
    scale = exam.score_scale
    if exam.guessing_penalty:
        cost = labels.gettext("anki.fact.guessing-penalty.cost")
        guessing = _say(labels, "anki.fact.guessing-penalty", code=code, cost=_cloze(cost))
    else:
        cost = labels.gettext("anki.fact.guessing-free.cost")
        guessing = _say(labels, "anki.fact.guessing-free", code=code, cost=_cloze(cost))
    minutes = labels.ngettext("unit.minutes", "unit.minutes", exam.duration_minutes)
    questions = labels.ngettext("unit.question-range", "unit.question-range", exam.question_count.max,
                                range=labels.range(exam.question_count))
    facts = [
        ("pass-mark", _say(labels, "anki.fact.pass-mark", code=code, pass_mark=_cloze(labels.number(exam.pass_mark)),
                                  low=_escape(labels.number(scale.min)), high=_escape(labels.number(scale.max))),
         _html(exam.scoring_note) if exam.scoring_note else ""),
        ("duration", _say(labels, "anki.fact.duration", code=code, duration=_cloze(minutes)), ""),
        ("question-count", _say(labels, "anki.fact.question-count", code=code, questions=_cloze(questions)), ""),
        ("fee", _say(labels, "anki.fact.fee", code=code, fee=_cloze(labels.money(exam.fee))), ""),
        ("guessing", guessing, ""),
    ]
    if exam.replaces:
        facts.append(("replaces", _say(labels, "anki.fact.replaces", code=code,
                                              exam=_cloze_html(_html(exam.replaces))), ""))
    return facts


class _Notes:
    """Builds the NotePlans of one guide into its layout."""

    def __init__(self, guide: Guide, layout: DeckLayout, width: int):
        self.guide, self.layout, self.width = guide, layout, width
        self.labels = labels_for(guide)
        self.tag_root = _tag_part(guide.exam_code.plain)

    def add(self, kind: str, item_id: str, deck: DeckPlan, deck_number: int, fields: dict[str, str],
            domain: Domain | None, tier: int | None = None, extra_tags: tuple[str, ...] = (),
            domains: tuple[Domain, ...] = ()) -> None:
        note_type = NOTE_TYPES[kind]
        key = f"{deck_number:0{self.width}d} {kind} {item_id}"
        values = {"Key": html.escape(key), **{name: str(value) for name, value in fields.items()}}
        assert list(values) == list(note_type.fields), (kind, list(values))
        tags = [f"{self.tag_root}::domain::{d.number}" for d in (domains or ((domain,) if domain else ()))]
        if tier is not None:
            tags.append(f"{self.tag_root}::tier::{tier}")
        tags += [f"{self.tag_root}::kind::{kind}", *(f"{self.tag_root}::{tag}" for tag in extra_tags),
                 f"{self.tag_root}::id::{item_id}"]
        seed = (self.guide.id, item_id) if kind != "fact" else (self.guide.id, "exam-fact", item_id)
        self.layout.notes.append(NotePlan(kind, seed, deck, values, tags, domain.id if domain else None))

    def exam_facts(self) -> None:
        for name, text, extra in exam_facts(self.guide):
            self.add("fact", name, self.layout.facts, 0,
                     {"Text": text, "Extra": extra, "Topic": _escape(self.labels.gettext("anki.deck.exam-facts"))},
                     None)

    def domain_weight(self, domain: Domain) -> None:
        title = f"<em>{_html(domain.title)}</em>"
        text = _say(self.labels, "anki.fact.domain-weight", number=_escape(self.labels.number(domain.number)),
                    title=title, weight=_cloze(self.labels.percent(domain.weight)), code=_html(self.guide.exam_code))
        self.add("fact", f"weight-{domain.id}", self.layout.domains[domain.id], domain.number,
                 {"Text": text, "Extra": _html(domain.summary), "Topic": self.domain_label(domain)}, domain)

    def concept(self, domain: Domain, concept: Concept) -> None:
        self.add("concept", concept.id, self.layout.domains[domain.id], domain.number, {
            "Term": _html(concept.term),
            "Explanation": _html(concept.text),
            "Glossary": self.glossary(concept),
            "Tier": self.tier_label(concept.tier),
            "Domain": self.domain_label(domain),
        }, domain, concept.tier)

    def trap(self, domain: Domain, trap: Trap) -> None:
        self.add("trap", trap.id, self.layout.domains[domain.id], domain.number, {
            "Claim": _html(trap.myth),
            "Correction": _html(trap.truth),
            "Tier": self.tier_label(trap.tier),
            "Domain": self.domain_label(domain),
        }, domain, trap.tier)

    def comparison(self, pair: Pair) -> None:
        domains = tuple(self.guide.domain(d) for d in pair.domains)
        self.add("comparison", pair.id, self.layout.domains[domains[0].id], domains[0].number, {
            "Name A": _html(pair.a.name),
            "Use A when": _html(pair.a.use_when),
            "Name B": _html(pair.b.name),
            "Use B when": _html(pair.b.use_when),
            "Trap": _html(pair.trap),
            "Domain": " · ".join(self.domain_label(d) for d in domains),
        }, domains[0], domains=domains)

    def question(self, question: Question, deck: DeckPlan, set_name: str, deck_number: int,
                 practice: bool = False) -> None:
        domain = self.guide.question_domain(question)
        count = len(question.answer)
        words = self.labels.gettext(_NUMBER_WORDS[count]) if count in _NUMBER_WORDS else self.labels.number(count)
        # Translators: %(words)s is the count in words (number.two ...); the singular is a one-answer question.
        instruction = self.labels.ngettext("anki.choose-answers", "anki.choose-answers", count, words=words)
        if question.scenario:
            set_name = self.labels.gettext("anki.set.scenario", set=set_name)
        self.add("question", question.id, deck, deck_number, {
            "Question": _html(question.stem),
            "Instruction": _escape(instruction),
            "Options": _options(question, self.labels, explained=False),
            "Answer": ", ".join(option.id.upper() for option in question.correct),
            "Explanation": _html(question.explanation),
            "Options explained": _options(question, self.labels, explained=True),
            "Set": _escape(set_name),
            "Domain": self.domain_label(domain),
        }, domain, extra_tags=("practice-exam",) if practice else ())

    def glossary(self, concept: Concept) -> str:
        entries = self.guide.glossary_by_id
        # An entry that only repeats the concept's own term would say the same thing twice.
        used = [entries[ref] for ref in concept.glossary
                if ref in entries and entries[ref].term.plain.casefold() != concept.term.plain.casefold()]
        if not used:
            return ""
        return "<dl>" + "".join(f"<dt>{_html(e.term)}</dt><dd>{_html(e.definition)}</dd>" for e in used) + "</dl>"

    def tier_label(self, level: int) -> str:
        tier = self.guide.tiers_by_level.get(level)
        number = _escape(self.labels.number(level))
        if tier:
            return _say(self.labels, "anki.tier-named", level=number, name=_html(tier.name))
        return _say(self.labels, "anki.tier", level=number)

    def domain_label(self, domain: Domain) -> str:
        return _say(self.labels, "anki.domain", number=_escape(self.labels.number(domain.number)),
                                title=_html(domain.title))


# How many answers to choose, in words ("Choose two answers."): a question has at most six options.
_NUMBER_WORDS = {2: N_("number.two"), 3: N_("number.three"), 4: N_("number.four"), 5: N_("number.five"),
                 6: N_("number.six")}


def _options(question: Question, labels: Labels, explained: bool) -> str:
    """The lettered options; on the back each says whether it is right and why."""
    items = []
    for option in question.options:
        letter = f'<span class="letter">{option.id.upper()}</span>'
        if not explained:
            items.append(f"<li>{letter}<span>{_html(option.text)}</span></li>")
            continue
        right = option.id in question.answer
        mark = _say(labels, "anki.verdict.right") if right else _say(labels, "anki.verdict.wrong")
        items.append(
            f'<li class="{"right" if right else "wrong"}">{letter}<span>'
            f'<span class="verdict-mark">{mark}</span> {_html(option.text)}'
            f'<span class="why">{_html(option.why)}</span></span></li>'
        )
    return f'<ol class="options">{"".join(items)}</ol>'


def _description(guide: Guide) -> str:
    """The parent deck's description: what it is, which version, what is new, where the source lives."""
    labels = labels_for(guide)
    source = (f'<a href="{html.escape(guide.homepage)}">{html.escape(guide.homepage)}</a>'
              if guide.homepage else f"<code>sources/{html.escape(guide.id)}.yaml</code>")
    title = f"<strong>{_html(guide.title)}</strong>"
    tag = f"<code>{html.escape(_tag_part(guide.exam_code.plain))}::tier::1</code>"
    layout = (_say(labels, "anki.description.layout-with-exam") if guide.practice_exam
              else _say(labels, "anki.description.layout"))
    paragraphs = [
        _say(labels, "anki.description.what", title=title, code=_html(guide.exam_code),
             certification=_html(guide.certification), vendor=_html(guide.vendor)),
        " ".join((_say(labels, "anki.description.version", version=html.escape(guide.version),
                       date=html.escape(labels.date(guide.updated_datetime))),
                  layout, _say(labels, "anki.description.filter", tag=tag))),
        _whats_new(guide),
        _say(labels, "anki.description.source", source=source),
        _say(labels, "anki.description.by", authors=", ".join(_html(a) for a in guide.authors),
             license=_html(guide.license)),
    ]
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs if paragraph)


# --- releases: times, tags and retired items from the ledger -------------------------

RETIRED_ANSWER = "—"  # a retired question's key: no letter is right any more


def _apply_releases(guide: Guide, layout: DeckLayout) -> None:
    """Give each note its release time and `changed` tag; add the retired items."""
    ledger = guide.ledger
    if ledger is None:
        return
    root = _tag_part(guide.exam_code.plain)
    times = releases.note_releases(ledger, [note.content() for note in layout.notes])
    for note in layout.notes:
        release = times[note.key]
        note.mod = release.timestamp
        if release.changed_in:
            note.tags.append(f"{root}::changed::{_tag_part(release.changed_in)}")
    current = {note.key for note in layout.notes}
    for item in releases.retired_items(ledger, current):
        layout.notes.append(_retired_note(guide, layout, item, root))


def _retired_note(guide: Guide, layout: DeckLayout, item: releases.ItemState, root: str) -> NotePlan:
    """The item's note under its old GUID, its text replaced by the notice."""
    labels = labels_for(guide)
    entry, version = item.entry, item.release.version
    meta = _say(labels, "anki.retired.meta", version=_escape(version))
    label = _escape(entry.label)
    notice = _say(labels, "anki.retired.notice") + (
        "<br>" + _say(labels, "anki.retired.reason", reason=_escape(item.reason)) if item.reason else "")
    text = entry.text
    cloze = _cloze(labels.gettext("anki.retired.cloze-word"))
    by_kind = {
        "concept": {"Term": label, "Explanation": notice, "Glossary": "", "Tier": meta, "Domain": ""},
        "trap": {"Claim": label, "Correction": notice, "Tier": meta, "Domain": ""},
        "comparison": {"Name A": _escape(text.get("Name A", "")), "Use A when": notice,
                       "Name B": _escape(text.get("Name B", "")), "Use B when": notice, "Trap": meta,
                       "Domain": meta},
        "question": {"Question": label, "Instruction": "", "Options": "", "Answer": RETIRED_ANSWER,
                     "Explanation": notice, "Options explained": "", "Set": meta, "Domain": ""},
        "fact": {"Text": _say(labels, "anki.retired.cloze", version=_escape(version), label=label, cloze=cloze),
                 "Extra": notice, "Topic": meta},
    }
    fields = {"Key": html.escape(f"{entry.kind} {item.key}"), **by_kind[entry.kind]}
    assert list(fields) == list(NOTE_TYPES[entry.kind].fields), (entry.kind, list(fields))
    tags = [f"{root}::retired", f"{root}::kind::{entry.kind}", f"{root}::id::{item.key.split('/')[-1]}"]
    return NotePlan(entry.kind, (guide.id, *item.key.split("/")), layout.retired, fields, tags, None,
                    mod=item.release.timestamp, suspended=True)


def _whats_new(guide: Guide) -> str:
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
    root = html.escape(_tag_part(guide.exam_code.plain))
    changed = f"<code>tag:{root}::changed::{html.escape(_tag_part(latest.version))}</code>"
    retired = f"<code>tag:{root}::retired</code>"
    nothing = labels.gettext("anki.whats-new.nothing")
    counted = _escape(", ".join(counts) or nothing)
    line = _say(labels, "anki.whats-new", version=html.escape(latest.version), counts=counted,
                changed_search=changed, retired_search=retired)
    summary = f" {_escape(latest.summary)}" if latest.summary else ""
    return f"{line}{summary}"


# --- small text helpers ------------------------------------------------------------


def _say(labels: Labels, message_id: str, **html_values: str) -> str:
    """A message as field HTML. Its own text is escaped and inert (see `_inert`) (a guide's `labels:` may
    hold "{{c1::"); the values go in as they are: escaped source text, clozes, tags."""
    return str(_label_html(labels, message_id) % {name: Markup(value) for name, value in html_values.items()})


def _label_html(labels: Labels, message_id: str) -> Markup:
    return Markup(_inert(str(Markup.escape(labels.message(message_id)))))


def _html(text: Text) -> str:
    """A source text's rendered HTML, fit for a field."""
    return _inert(text.html)


def _escape(value: object) -> str:
    return _inert(html.escape(str(value)))


# Anki reads its own syntax in the rendered HTML of a card: "{{c1::…}}" clozes,
# "[sound:…]" and "[anki:tts]" players, "[latex]", "[$]" and "[$$]" images, and
# MathJax's "\(" and "\[" in the text the webview shows.
_ANKI_SYNTAX = {"{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;"}
_MATHJAX_OPENER = re.compile(r"\\(?=\(|&#91;)")


def _inert(markup: str) -> str:
    """Source text as text in a card: shown as typed, never read as Anki's syntax.

    Braces and brackets become entities, which look the same but match none of
    Anki's patterns. MathJax decodes entities before it looks for its
    delimiters, so an empty element goes between the backslash and the
    bracket: MathJax finds no delimiter across an element.
    """
    for character, entity in _ANKI_SYNTAX.items():
        markup = markup.replace(character, entity)
    return _MATHJAX_OPENER.sub(r"\\<span></span>", markup)


def _cloze(value: object) -> str:
    return _cloze_html(_escape(value))


def _cloze_html(answer: str) -> str:
    # Inside a cloze, "::" starts a hint and "}}" ends it: hide them as entities.
    return "{{c1::" + _inert(answer).replace(":", "&#58;") + "}}"


def _deck_part(text: str) -> str:
    """A deck name part: "::" would nest a deck, so it becomes ":"."""
    return re.sub(r"\s+", " ", text.replace("::", ":")).strip()


def _tag_part(text: str) -> str:
    """Tags cannot hold spaces, and "::" would nest them."""
    return re.sub(r"\s+", "_", text.replace("::", ":")).strip("_")


def stable_id(*names: str) -> int:
    """An id in genanki's recommended range, from a hash of stable names."""
    digest = hashlib.sha256("\x1f".join(names).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


# --- genanki objects and the .apkg file ------------------------------------------------


def _template_environment(labels: Labels, language: str) -> jinja2.Environment:
    """Card templates are Jinja first: `[[ ]]` and `[% %]`, since `{{ }}`, `{{# }}` belong to Anki."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        variable_start_string="[[", variable_end_string="]]",
        block_start_string="[%", block_end_string="%]",
        comment_start_string="[#", comment_end_string="#]",
    )
    labels.install(environment)
    # A label's braces must not reach Anki, which would read "{{" as a field.
    say = lambda message_id, **values: _label_html(labels, message_id) % values  # noqa: E731
    environment.globals.update(_=say, gettext=say)

    def field(name: str, prefix: str = "") -> Markup:
        """An Anki field reference, `{{Name}}` (or `{{#Name}}`, `{{cloze:Name}}`), by its shown name."""
        return Markup("{{%s%s}}") % (prefix, field_name(labels, name))

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
    models = {}
    for kind, note_type in NOTE_TYPES.items():
        models[kind] = genanki.Model(
            model_id=stable_id("model", guide.id, kind, SCHEMA),
            name=f"{_deck_part(guide.exam_code.plain)} {labels.gettext(note_type.title)}",
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
    layout = plan(guide)
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


def write(guide: Guide, target: Path, variant: str = "") -> None:
    """The deck, written to `target` (the registry names the file)."""
    write_apkg(package(guide), target, build_time(guide).timestamp())


def export(guide: Guide, out_dir: Path) -> list[Path]:
    """The deck, written atomically into `out_dir` under the registry's name."""
    return registry.EXPORTERS["anki"].export(guide, out_dir)


def write_apkg(deck_package: genanki.Package, path: Path, timestamp: float) -> None:
    """Like genanki's write_to_file, but byte-reproducible and leaving no temp file.

    genanki stamps the zip entry with the temp file's mtime and leaves that file
    behind; here every time comes from `timestamp`.
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
    stamp = max(dt.datetime.fromtimestamp(timestamp, dt.timezone.utc), dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc))
    with zipfile.ZipFile(path, "w") as archive:
        for name, payload in (("collection.anki2", database), ("media", b"{}")):
            entry = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, payload)
