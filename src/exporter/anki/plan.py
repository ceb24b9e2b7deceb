"""The deck's plan: which notes the guide makes, with their decks, fields and tags, in study order.

A parent deck named after the exam code holds a subdeck for the exam facts,
one subdeck per domain in exam order, and one for the practice exam. Every
note carries hierarchical tags (`AI-300::domain::2`, `::tier::1`,
`::kind::trap`, `::id::<item id>`) so a learner can filter any way; its GUID
seed is the guide id and the item id, never its text. `plan` adds what the
release ledger says (`anki_releases`) to the notes the source makes
(`current_notes`).
"""

from __future__ import annotations

import html

from markupsafe import Markup

from exporter.anki.notes import NOTE_TYPES, DeckLayout, DeckPlan, NotePlan
from exporter.anki.releases import apply_releases, whats_new
from exporter.anki.text import cloze, cloze_html, deck_name, field_html, field_text, say, tag
from exporter.model.guide import Concept, Domain, Figure, Guide, Pair, Question, Trap
from exporter.model.numbering import book_place, figure_numbers
from exporter.text.i18n import N_, Labels, labels_for


def plan(guide: Guide) -> DeckLayout:
    """Every note of the deck, in study order, with its deck, fields, tags and release time."""
    layout = current_notes(guide)
    apply_releases(guide, layout)
    return layout


def current_notes(guide: Guide) -> DeckLayout:
    """The notes the source makes, before the ledger adds times, release tags and retired items."""
    labels = labels_for(guide)
    root_name = deck_name(guide.exam_code.plain)
    retired_search = f"<code>tag:{html.escape(tag(guide.exam_code.plain, 'retired'))}</code>"
    practice_number = max(d.number for d in guide.domains) + 1
    width = max(2, len(str(practice_number)))  # zero-padded, so subdecks sort in exam order

    def subdeck(key: str, number: int, title: str) -> DeckPlan:
        return DeckPlan(key, deck_name(root_name, f"{number:0{width}d} {title}"))

    layout = DeckLayout(
        root=DeckPlan("root", root_name, _description(guide)),
        facts=subdeck("exam-facts", 0, labels.gettext("anki.deck.exam-facts")),
        domains={d.id: subdeck(f"domain-{d.id}", d.number, d.title.plain) for d in guide.domains},
        practice=subdeck("practice-exam", practice_number, labels.gettext("anki.deck.practice-exam")),
        # Beside the parent deck, not in it: Anki's default import makes every card new,
        # suspended or not, and whoever studies the parent deck must never meet these.
        retired=DeckPlan("retired", deck_name(labels.gettext("anki.retired.deck", code=root_name)),
                         "<p>" + say(labels, "anki.retired.deck-description", search=retired_search) + "</p>"),
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




def exam_facts(guide: Guide) -> list[tuple[str, str, str]]:
    """(name, cloze text, extra) for each fact of the exam, made from the data by rule."""
    labels = labels_for(guide)
    exam, code = guide.exam, field_html(guide.exam_code)
    scale = exam.score_scale
    if exam.guessing_penalty:
        cost = labels.gettext("anki.fact.guessing-penalty.cost")
        guessing = say(labels, "anki.fact.guessing-penalty", code=code, cost=cloze(cost))
    else:
        cost = labels.gettext("anki.fact.guessing-free.cost")
        guessing = say(labels, "anki.fact.guessing-free", code=code, cost=cloze(cost))
    minutes = labels.ngettext("unit.minutes", "unit.minutes", exam.duration_minutes)
    questions = labels.ngettext("unit.question-range", "unit.question-range", exam.question_count.max,
                                range=labels.range(exam.question_count))
    facts = [
        ("pass-mark", say(labels, "anki.fact.pass-mark", code=code, pass_mark=cloze(labels.number(exam.pass_mark)),
                          low=field_text(labels.number(scale.min)), high=field_text(labels.number(scale.max))),
         field_html(exam.scoring_note) if exam.scoring_note else ""),
        ("duration", say(labels, "anki.fact.duration", code=code, duration=cloze(minutes)), ""),
        ("question-count", say(labels, "anki.fact.question-count", code=code, questions=cloze(questions)), ""),
        ("fee", say(labels, "anki.fact.fee", code=code, fee=cloze(labels.money(exam.fee))), ""),
        ("guessing", guessing, ""),
    ]
    if exam.replaces:
        facts.append(("replaces", say(labels, "anki.fact.replaces", code=code,
                                      exam=cloze_html(field_html(exam.replaces))), ""))
    return facts


class _Notes:
    """Builds the NotePlans of one guide into its layout."""

    def __init__(self, guide: Guide, layout: DeckLayout, width: int):
        self.guide, self.layout, self.width = guide, layout, width
        self.labels = labels_for(guide)
        self.tag_root = guide.exam_code.plain
        self.figure_numbers = figure_numbers(guide)
        self.book_places = book_place(guide)

    def add(self, kind: str, item_id: str, deck: DeckPlan, deck_number: int, fields: dict[str, str],
            domain: Domain | None, tier: int | None = None, extra_tags: tuple[str, ...] = (),
            domains: tuple[Domain, ...] = ()) -> None:
        note_type = NOTE_TYPES[kind]
        key = f"{deck_number:0{self.width}d} {kind} {item_id}"
        values = {"Key": html.escape(key), **{name: str(value) for name, value in fields.items()}}
        assert list(values) == list(note_type.fields), (kind, list(values))
        tags = [tag(self.tag_root, "domain", d.number) for d in (domains or ((domain,) if domain else ()))]
        if tier is not None:
            tags.append(tag(self.tag_root, "tier", tier))
        tags += [tag(self.tag_root, "kind", kind), *(tag(self.tag_root, extra) for extra in extra_tags),
                 tag(self.tag_root, "id", item_id)]
        seed = (self.guide.id, item_id) if kind != "fact" else (self.guide.id, "exam-fact", item_id)
        self.layout.notes.append(NotePlan(kind, seed, deck, values, tags, domain.id if domain else None))

    def exam_facts(self) -> None:
        for name, text, extra in exam_facts(self.guide):
            self.add("fact", name, self.layout.facts, 0,
                     {"Text": text, "Extra": extra, "Topic": field_text(self.labels.gettext("anki.deck.exam-facts"))},
                     None)

    def domain_weight(self, domain: Domain) -> None:
        title = f"<em>{field_html(domain.title)}</em>"
        text = say(self.labels, "anki.fact.domain-weight", number=field_text(self.labels.number(domain.number)),
                   title=title, weight=cloze(self.labels.share(domain)), code=field_html(self.guide.exam_code))
        self.add("fact", f"weight-{domain.id}", self.layout.domains[domain.id], domain.number,
                 {"Text": text, "Extra": field_html(domain.summary), "Topic": self.domain_label(domain)}, domain)

    def concept(self, domain: Domain, concept: Concept) -> None:
        self.add("concept", concept.id, self.layout.domains[domain.id], domain.number, {
            "Term": field_html(concept.term),
            "Explanation": field_html(concept.text) + self.figure(concept.figure),
            "Glossary": self.glossary(concept),
            "Tier": self.tier_label(concept.tier),
            "Domain": self.domain_label(domain, concept.id),
        }, domain, concept.tier)

    def trap(self, domain: Domain, trap: Trap) -> None:
        self.add("trap", trap.id, self.layout.domains[domain.id], domain.number, {
            "Claim": field_html(trap.myth),
            "Correction": field_html(trap.truth),
            "Tier": self.tier_label(trap.tier),
            "Domain": self.domain_label(domain, trap.id),
        }, domain, trap.tier)

    def comparison(self, pair: Pair) -> None:
        domains = tuple(self.guide.domain(d) for d in pair.domains)
        self.add("comparison", pair.id, self.layout.domains[domains[0].id], domains[0].number, {
            "Name A": field_html(pair.a.name),
            "Use A when": field_html(pair.a.use_when),
            "Name B": field_html(pair.b.name),
            "Use B when": field_html(pair.b.use_when),
            "Trap": field_html(pair.trap),
            "Domain": " · ".join(self.domain_label(d) for d in domains) + self.book_reference(pair.id),
        }, domains[0], domains=domains)

    def question(self, question: Question, deck: DeckPlan, set_name: str, deck_number: int,
                 practice: bool = False) -> None:
        domain = self.guide.question_domain(question)
        count = len(question.answer)
        words = self.labels.gettext(_NUMBER_WORDS[count]) if count in _NUMBER_WORDS else self.labels.number(count)
        # The count in words for every count, one included (a language without plural forms has one text for all).
        instruction = self.labels.ngettext("anki.choose-answers", "anki.choose-answers", count, words=words)
        if question.scenario:
            set_name = self.labels.gettext("anki.set.scenario", set=set_name)
        self.add("question", question.id, deck, deck_number, {
            "Question": field_html(question.stem) + self.figure(question.figure),
            "Instruction": field_text(instruction),
            "Options": _options(question, self.labels, explained=False),
            "Answer": field_text(self.labels.item_list([option.id.upper() for option in question.correct])),
            "Explanation": field_html(question.explanation),
            "Options explained": _options(question, self.labels, explained=True),
            "Set": field_text(set_name),
            "Domain": self.domain_label(domain, question.id),
        }, domain, extra_tags=("practice-exam",) if practice else ())

    def glossary(self, concept: Concept) -> str:
        entries = self.guide.glossary_by_id
        # An entry that only repeats the concept's own term would say the same thing twice.
        used = [entries[ref] for ref in concept.glossary
                if ref in entries and entries[ref].term.plain.casefold() != concept.term.plain.casefold()]
        if not used:
            return ""
        return "<dl>" + "".join(f"<dt>{field_html(e.term)}</dt><dd>{field_html(e.definition)}</dd>" for e in used) + "</dl>"

    def tier_label(self, level: int) -> str:
        tier = self.guide.tiers_by_level.get(level)
        number = field_text(self.labels.number(level))
        if tier:
            return say(self.labels, "anki.tier-named", level=number, name=field_html(tier.name))
        return say(self.labels, "anki.tier", level=number)

    def domain_label(self, domain: Domain, item_id: str | None = None) -> str:
        label = say(self.labels, "anki.domain", number=field_text(self.labels.number(domain.number)),
                    title=field_html(domain.title))
        return label + (self.book_reference(item_id) if item_id else "")

    def book_reference(self, item_id: str) -> str:
        """Where the book holds the item ("Book § 2.3"), so a failed card leads to its page."""
        place = self.book_places.get(item_id)
        if place is None:
            return ""
        kind, number = place
        if kind == "section":
            reference = say(self.labels, "anki.book-section", number=field_text(self.labels.numerals(number)))
        else:
            reference = say(self.labels, "anki.book-practice-exam")
        return f' <span class="dot">· </span><span class="book-ref">{reference}</span>'


    def figure(self, figure: Figure | None) -> str:
        """A figure for a field: the image (a media file named by its content) with its alt
        text, its number and caption. The same number as on the sheet and in the book."""
        if figure is None:
            return ""
        rendered = self.guide.rendered(figure)
        self.layout.media[rendered.file_name] = rendered.data
        number = field_text(self.labels.numerals(self.figure_numbers[figure.id]))
        if figure.caption:
            caption = say(self.labels, "figure.caption", number=number, caption=field_html(figure.caption))
        else:
            caption = say(self.labels, "figure.number", number=number)
        credit = f' <span class="credit">{field_html(figure.credit)}</span>' if figure.credit else ""
        return (f'<figure class="figure"><img src="{rendered.file_name}" alt="{field_text(figure.alt)}">'
                f"<figcaption>{caption}{credit}</figcaption></figure>")


# How many answers to choose, in words ("Choose two answers."): a question has at most six options.
_NUMBER_WORDS = {1: N_("number.one"), 2: N_("number.two"), 3: N_("number.three"), 4: N_("number.four"), 5: N_("number.five"),
                 6: N_("number.six")}


def _options(question: Question, labels: Labels, explained: bool) -> str:
    """The lettered options; on the back each says whether it is right and why."""
    items = []
    for option in question.options:
        letter = f'<span class="letter">{option.id.upper()}</span>'
        if not explained:
            items.append(f"<li>{letter}<span>{field_html(option.text)}</span></li>")
            continue
        right = option.id in question.answer
        mark = say(labels, "anki.verdict.right") if right else say(labels, "anki.verdict.wrong")
        items.append(
            f'<li class="{"right" if right else "wrong"}">{letter}<span>'
            f'<span class="verdict-mark">{mark}</span>{labels.space_between(Markup(mark))}{field_html(option.text)}'
            f'<span class="why">{field_html(option.why)}</span></span></li>'
        )
    return f'<ol class="options">{"".join(items)}</ol>'


def _description(guide: Guide) -> str:
    """The parent deck's description: what it is, which version, what is new, where the source lives."""
    labels = labels_for(guide)
    source = (f'<a href="{html.escape(guide.homepage)}">{html.escape(guide.homepage)}</a>'
              if guide.homepage else f"<code>sources/{html.escape(guide.id)}.yaml</code>")
    title = f"<strong>{field_html(guide.title)}</strong>"
    tier_tag = f"<code>{html.escape(tag(guide.exam_code.plain, 'tier', 1))}</code>"
    layout = (say(labels, "anki.description.layout-with-exam") if guide.practice_exam
              else say(labels, "anki.description.layout"))
    paragraphs = [
        say(labels, "anki.description.what", title=title, code=field_html(guide.exam_code),
            certification=field_html(guide.certification), vendor=field_html(guide.vendor)),
        str(labels.sentences(Markup(say(labels, "anki.description.version", version=html.escape(guide.version),
                                        date=html.escape(labels.date(guide.updated_datetime)))),
                             Markup(layout), Markup(say(labels, "anki.description.filter", tag=tier_tag)))),
        whats_new(guide),
        say(labels, "anki.description.source", source=source),
        say(labels, "anki.description.by", license=field_html(guide.license),
            authors=str(labels.prose_list([Markup(field_html(author)) for author in guide.authors]))),
    ]
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs if paragraph)

