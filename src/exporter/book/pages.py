"""The book's pages: which documents exist, in what order, and what each shows.

Each `Page` names its file, its title, its template with the data it needs,
its second-level TOC entries (anchors the template defines) and, if any, its
landmark. `Links` knows where every question, answer, concept, trap, pair,
exam fact and glossary term lives, so templates never build an href themselves.

Once the release ledger (`releases/ledgers.py`) holds more than the first release, a
"What's new in <version>" page follows "How to use this book": the notes
each release added, changed and retired, each linked to its place, the
newest release first. A first release has nothing to compare with, so a book
with one release has no such page.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from exporter.model.anchors import anchor, heading_anchor, release_anchor
from exporter.model.guide import Concept, Domain, Guide, Question
from exporter.model.numbering import domain_sections
from exporter.releases import ledgers
from exporter.text.i18n import N_, Labels, labels_for

PRACTICE_ANSWERS = "answers-practice-exam"  # a fixed anchor: no dot


# The fixed sections of the book's pages: anchor -> heading. The templates open each
# with the `section` macro (macros.xhtml.j2), the TOC lists them from here.
SECTION_TITLES = {
    "sec-format": N_("book.exam.format"),
    "sec-scoring": N_("book.exam.scoring"),
    "sec-registration": N_("book.exam.registration"),
    "sec-weights": N_("common.domain-weights"),
    "sec-ready": N_("book.exam.ready"),
    "sec-faq": N_("book.exam.faq"),
    "sec-preparation": N_("book.preparation"),
    "sec-overview": N_("book.domain.overview"),
    "sec-concepts": N_("book.domain.concepts"),
    "sec-traps": N_("book.domain.traps"),
    "sec-pairs": N_("common.pairs"),
    "sec-quick-check": N_("common.quick-check"),
}


def section_titles(guide: Guide) -> dict[str, str]:
    """The fixed sections' headings in the guide's language, by anchor."""
    labels = labels_for(guide)
    return {anchor: labels.gettext(message_id) for anchor, message_id in SECTION_TITLES.items()}


def _sections(guide: Guide, *anchors: str) -> tuple[tuple[str, str], ...]:
    titles = section_titles(guide)
    return tuple((anchor, titles[anchor]) for anchor in anchors)


@dataclass(frozen=True)
class Page:
    uid: str
    file_name: str  # inside the text folder
    title: str
    template: str
    context: dict = field(default_factory=dict)
    sections: tuple[tuple[str, str], ...] = ()  # (anchor, title): the TOC's second level
    landmark: tuple[str, str] | None = None  # (epub:type, label)


class Links:
    """Where things are: hrefs relative to the text folder, and question labels."""

    ANSWERS = "answers.xhtml"
    EXAM = "exam.xhtml"
    GLOSSARY = "glossary.xhtml"
    PAIRS = "pairs.xhtml"
    PRACTICE = "practice-exam.xhtml"

    def __init__(self, guide: Guide):
        self._has_pairs = bool(guide.pairs)
        labels = labels_for(guide)
        self._questions: dict[str, str] = {}
        # Concepts and traps, which answers send readers back to: id -> (href, name).
        self._reviewable: dict[str, tuple[str, str]] = {}
        self.labels: dict[str, str] = {}  # question id -> its heading ("Check 1.2")
        self.references: dict[str, str] = {}  # question id -> its name inside a sentence ("check 1.2")
        for domain in guide.domains:
            page = domain_file(domain)
            for concept in domain.concepts:
                self._reviewable[concept.id] = (f"{page}#{anchor('concept', concept.id)}", concept.term.plain)
            for trap in domain.traps:
                myth = textwrap.shorten(trap.myth.plain, 60, placeholder="…")
                self._reviewable[trap.id] = (f"{page}#{anchor('trap', trap.id)}",
                                           labels.gettext("book.review.trap", myth=myth))
            for number, question in enumerate(domain.questions, 1):
                self._questions[question.id] = f"{page}#{anchor('question', question.id)}"
                numbers = {"domain": labels.number(domain.number), "number": labels.number(number)}
                self.labels[question.id] = labels.gettext("book.check-label", **numbers)
                self.references[question.id] = labels.gettext("book.check-reference", **numbers)
        for number, question in enumerate(guide.practice_exam, 1):
            self._questions[question.id] = f"{self.PRACTICE}#{anchor('question', question.id)}"
            self.labels[question.id] = labels.gettext("book.question-label", number=labels.number(number))
            self.references[question.id] = labels.gettext("book.question-reference", number=labels.number(number))
        self._pairs = {pair.id for pair in guide.pairs}

    def domain(self, domain: Domain) -> str:
        return domain_file(domain)

    def question(self, question: Question) -> str:
        return self._questions[question.id]

    def answer(self, question: Question) -> str:
        return f"{self.ANSWERS}#{anchor('answer', question.id)}"

    def concept(self, concept: Concept) -> str:
        return self._reviewable[concept.id][0]

    def term(self, entry_id: str) -> str:
        return f"{self.GLOSSARY}#{anchor('term', entry_id)}"

    def note(self, key: str) -> str | None:
        """Where the item of a release ledger key (an Anki note) is in the book, if it still is."""
        if key.startswith("exam-fact/"):
            return self.EXAM
        if key in self._reviewable:
            return self._reviewable[key][0]
        if key in self._questions:
            return self._questions[key]
        return f"{self.PAIRS}#{anchor('pair', key)}" if self._has_pairs and key in self._pairs else None

    def review(self, question: Question) -> list[tuple[str, str]]:
        """(href, name) of the concepts and traps a question rests on."""
        return [self._reviewable[item_id] for item_id in question.tests if item_id in self._reviewable]


def domain_file(domain: Domain) -> str:
    return f"domain-{domain.id}.xhtml"


def plan_pages(guide: Guide, links: Links) -> list[Page]:
    """Every document in reading order (the cover and the nav come first)."""
    _ = labels_for(guide).gettext
    pages = [
        Page("cover", "cover.xhtml", _("book.cover"), "cover.xhtml.j2", landmark=("cover", _("book.cover"))),
        Page("titlepage", "title.xhtml", _("book.title-page"), "title.xhtml.j2"),
        Page("nav", "nav.xhtml", _("book.contents"), "nav.xhtml.j2", landmark=("toc", _("book.contents"))),
        Page("how-to-use", "how-to-use.xhtml", _("book.how-to-use"), "how-to-use.xhtml.j2",
             landmark=("bodymatter", _("book.start-reading"))),
        *_whats_new_page(guide, links),
        Page("exam", "exam.xhtml", _("book.exam"), "exam.xhtml.j2", sections=_exam_sections(guide)),
        Page("study-plans", "study-plans.xhtml", _("book.study-plans"), "study-plans.xhtml.j2",
             sections=(*_sections(guide, "sec-preparation"),
                       *((anchor("path", path.id), path.title.plain) for path in guide.study_paths))),
        Page("tiers", "tiers.xhtml", _("book.tiers"), "tiers.xhtml.j2"),
    ]
    for domain in guide.domains:
        pages.append(Page(
            anchor("domain", domain.id), domain_file(domain), domain_title(guide, domain),
            "domain.xhtml.j2", context={"domain": domain, "pairs": guide.pairs_for(domain),
                                        "concept_groups": _concept_groups(guide, domain),
                                        "section_numbers": domain_sections(guide, domain)},
            sections=_domain_sections(guide, domain),
        ))
    if guide.pairs:
        pages.append(Page("pairs", "pairs.xhtml", _("common.pairs"), "pairs.xhtml.j2"))
    if guide.mistakes:
        pages.append(Page("mistakes", "mistakes.xhtml", _("common.mistakes"), "mistakes.xhtml.j2"))
    if guide.practice_exam:
        pages.append(Page("practice-exam", links.PRACTICE, _("common.practice-exam"), "practice-exam.xhtml.j2"))
    groups = _answer_groups(guide)  # one per domain with quick checks, and the practice exam
    if groups:
        pages.append(Page("answers", links.ANSWERS, _("book.answers"), "answers.xhtml.j2", context={"groups": groups},
                          sections=tuple((group["anchor"], group["title"]) for group in groups),
                          landmark=("backmatter", _("book.answers"))))
    if guide.glossary:
        pages.append(Page("glossary", links.GLOSSARY, _("book.glossary"), "glossary.xhtml.j2",
                          context={"entries": sorted(guide.glossary, key=lambda e: e.term.plain.casefold()),
                                   "used_by": _glossary_users(guide)},
                          landmark=("glossary", _("book.glossary"))))
    if guide.checklist:
        pages.append(Page("checklist", "checklist.xhtml", _("common.checklist"), "checklist.xhtml.j2"))
    return pages


def _whats_new_page(guide: Guide, links: Links) -> list[Page]:
    ledger = guide.ledger
    if ledger is None or len(ledger.releases) < 2:
        return []
    labels = labels_for(guide)
    history = release_history(ledger, links, labels)
    return [Page("whats-new", "whats-new.xhtml", labels.gettext("book.whats-new", version=ledger.latest.version),
                 "whats-new.xhtml.j2", context={"releases": history},
                 sections=tuple((release["anchor"], labels.gettext("book.whats-new.version", version=release["version"]))
                                for release in history))]


def release_history(ledger: ledgers.Ledger, links: Links, labels: Labels) -> list[dict]:
    """Each release, newest first: its notes added, changed and retired, linked where they are."""
    shipped: dict[str, ledgers.Entry] = {}  # the content of each note as last shipped
    history = []
    for number, release in enumerate(ledger.releases):
        retired = [{"label": _note_label(key, shipped[key], links, labels), "href": None, "reason": retirement.reason}
                   for key, retirement in release.retired.items() if key in shipped]
        shipped.update(release.added)
        shipped.update(release.changed)
        history.append({
            "version": release.version,
            "anchor": release_anchor(release.version),
            "date": labels.date(release.time),
            "summary": release.summary,
            "first": number == 0,
            "groups": [(name, items) for name, items in (
                ("added", [_linked(key, entry, links, labels) for key, entry in release.added.items()]),
                ("changed", [_linked(key, entry, links, labels) for key, entry in release.changed.items()]),
                ("retired", retired)) if items],
        })
    return history[::-1]


def _linked(key: str, entry: ledgers.Entry, links: Links, labels: Labels) -> dict:
    return {"label": _note_label(key, entry, links, labels), "href": links.note(key), "reason": None}


def _note_label(key: str, entry: ledgers.Entry, links: Links, labels: Labels) -> str:
    if entry.kind == "question" and key in links.labels:
        return labels.gettext("book.whats-new.question", question=links.labels[key], stem=entry.label)
    return labels.gettext("book.review.trap", myth=entry.label) if entry.kind == "trap" else entry.label


def domain_title(guide: Guide, domain: Domain) -> str:
    """"2. Domain title": how the book names a domain in titles and lists."""
    labels = labels_for(guide)
    return labels.gettext("common.numbered-domain", number=labels.number(domain.number), title=domain.title.plain)


def _exam_sections(guide: Guide) -> tuple[tuple[str, str], ...]:
    anchors = ["sec-format", "sec-scoring", "sec-registration", "sec-weights"]
    if guide.exam.ready_when:
        anchors.append("sec-ready")
    if guide.faq:
        anchors.append("sec-faq")
    return _sections(guide, *anchors)


def _domain_sections(guide: Guide, domain: Domain) -> tuple[tuple[str, str], ...]:
    """The chapter's sections, numbered as the cards cite them ("2.2 Concepts")."""
    titles, numerals = section_titles(guide), labels_for(guide).numerals
    return tuple((anchor_, f"{numerals(number)} {titles[anchor_]}")
                 for anchor_, number in domain_sections(guide, domain).items())


def _concept_groups(guide: Guide, domain: Domain) -> list[dict]:
    """The domain's concepts by tier, most important first, each with its tier's name."""
    labels = labels_for(guide)
    groups = []
    for level in sorted({concept.tier for concept in domain.concepts}):
        tier = guide.tiers_by_level.get(level)
        groups.append({
            "level": level,
            "name": tier.name.plain if tier else labels.gettext("common.tier", level=labels.number(level)),
            "meaning": tier.meaning if tier else None,
            "concepts": [concept for concept in domain.concepts if concept.tier == level],
        })
    return groups


def _answer_groups(guide: Guide) -> list[dict]:
    labels = labels_for(guide)
    groups = [
        {"anchor": anchor("answers", domain.id), "heading": heading_anchor(anchor("answers", domain.id)),
         "title": labels.gettext("book.answers.quick-checks", domain=domain_title(guide, domain)),
         "questions": domain.questions}
        for domain in guide.domains if domain.questions
    ]
    if guide.practice_exam:
        groups.append({"anchor": PRACTICE_ANSWERS, "heading": heading_anchor(PRACTICE_ANSWERS),
                       "title": labels.gettext("common.practice-exam"), "questions": guide.practice_exam})
    return groups


def _glossary_users(guide: Guide) -> dict[str, list]:
    """For each glossary entry, the concepts that use it (for links back to the chapters)."""
    users: dict[str, list] = {entry.id: [] for entry in guide.glossary}
    for domain in guide.domains:
        for concept in domain.concepts:
            for entry_id in concept.glossary:
                users.setdefault(entry_id, []).append(concept)
    return users
