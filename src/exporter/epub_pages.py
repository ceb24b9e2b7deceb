"""The book's pages: which documents exist, in what order, and what each shows.

Each `Page` names its file, its title, its template with the data it needs,
its second-level TOC entries (anchors the template defines) and, if any, its
landmark. `Links` knows where every question, answer, concept, trap, pair,
exam fact and glossary term lives, so templates never build an href themselves.

Once the release ledger (`releases.py`) holds more than the first release, a
"What's new in <version>" page follows "How to use this book": the notes
each release added, changed and retired, each linked to its place, the
newest release first. A first release has nothing to compare with, so a book
with one release has no such page.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from . import releases
from .model import Concept, Domain, Guide, Question

PRACTICE_ANSWERS = "answers-practice-exam"  # a fixed anchor: no dot
MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")


# The fixed sections of the book's pages: anchor -> heading. The templates open each
# with the `section` macro (macros.xhtml.j2), the TOC lists them from here.
SECTION_TITLES = {
    "sec-format": "Format",
    "sec-scoring": "Scoring",
    "sec-registration": "Registration",
    "sec-weights": "Domain weights",
    "sec-ready": "Are you ready?",
    "sec-faq": "Frequently asked questions",
    "sec-preparation": "Preparation",
    "sec-overview": "Overview",
    "sec-concepts": "Concepts by tier",
    "sec-traps": "Exam traps",
    "sec-pairs": "Confusable pairs",
    "sec-quick-check": "Quick check",
}


def _sections(*anchors: str) -> tuple[tuple[str, str], ...]:
    return tuple((anchor, SECTION_TITLES[anchor]) for anchor in anchors)


@dataclass(frozen=True)
class Page:
    uid: str
    file_name: str  # inside the text folder
    title: str
    template: str
    context: dict = field(default_factory=dict)
    sections: tuple[tuple[str, str], ...] = ()  # (anchor, title): the TOC's second level
    landmark: tuple[str, str] | None = None  # (epub:type, label)


def anchor(kind: str, item_id: str, *part: str) -> str:
    """The anchor of an item in the book, such as `concept.tls-basics`.

    Ids hold only lower-case letters, digits and hyphens, so the dots make
    these anchors unique whatever the ids are: `path.a.title` and the anchor
    of a path `a-title` differ, and none equals a fixed anchor (`sec-overview`,
    `answers-practice-exam`), which never holds a dot.
    """
    return ".".join((kind, item_id, *part))


class Links:
    """Where things are: hrefs relative to the text folder, and question labels."""

    ANSWERS = "answers.xhtml"
    EXAM = "exam.xhtml"
    GLOSSARY = "glossary.xhtml"
    PAIRS = "pairs.xhtml"
    PRACTICE = "practice-exam.xhtml"

    def __init__(self, guide: Guide):
        self._has_pairs = bool(guide.pairs)
        self._questions: dict[str, str] = {}
        # Concepts and traps, which answers send readers back to: id -> (href, name).
        self._reviewable: dict[str, tuple[str, str]] = {}
        self.labels: dict[str, str] = {}
        for domain in guide.domains:
            page = domain_file(domain)
            for concept in domain.concepts:
                self._reviewable[concept.id] = (f"{page}#{anchor('concept', concept.id)}", concept.term.plain)
            for trap in domain.traps:
                self._reviewable[trap.id] = (f"{page}#{anchor('trap', trap.id)}",
                                           "Trap: " + textwrap.shorten(trap.myth.plain, 60, placeholder="…"))
            for number, question in enumerate(domain.questions, 1):
                self._questions[question.id] = f"{page}#{anchor('question', question.id)}"
                self.labels[question.id] = f"Check {domain.number}.{number}"
        for number, question in enumerate(guide.practice_exam, 1):
            self._questions[question.id] = f"{self.PRACTICE}#{anchor('question', question.id)}"
            self.labels[question.id] = f"Question {number}"
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


def date_label(moment) -> str:
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def plan_pages(guide: Guide, links: Links) -> list[Page]:
    """Every document in reading order (the cover and the nav come first)."""
    pages = [
        Page("cover", "cover.xhtml", "Cover", "cover.xhtml.j2", landmark=("cover", "Cover")),
        Page("titlepage", "title.xhtml", "Title page", "title.xhtml.j2"),
        Page("nav", "nav.xhtml", "Contents", "nav.xhtml.j2", landmark=("toc", "Contents")),
        Page("how-to-use", "how-to-use.xhtml", "How to use this book", "how-to-use.xhtml.j2",
             landmark=("bodymatter", "Start reading")),
        *_whats_new_page(guide, links),
        Page("exam", "exam.xhtml", "The exam", "exam.xhtml.j2", sections=_exam_sections(guide)),
        Page("study-plans", "study-plans.xhtml", "Study plans", "study-plans.xhtml.j2",
             sections=(*_sections("sec-preparation"),
                       *((anchor("path", path.id), path.title.plain) for path in guide.study_paths))),
        Page("tiers", "tiers.xhtml", "Priority tiers", "tiers.xhtml.j2"),
    ]
    for domain in guide.domains:
        pages.append(Page(
            anchor("domain", domain.id), domain_file(domain), f"{domain.number}. {domain.title.plain}",
            "domain.xhtml.j2", context={"domain": domain, "pairs": guide.pairs_for(domain),
                                        "concept_groups": _concept_groups(guide, domain)},
            sections=_domain_sections(guide, domain),
        ))
    if guide.pairs:
        pages.append(Page("pairs", "pairs.xhtml", "Confusable pairs", "pairs.xhtml.j2"))
    if guide.mistakes:
        pages.append(Page("mistakes", "mistakes.xhtml", "Top mistakes", "mistakes.xhtml.j2"))
    if guide.practice_exam:
        pages.append(Page("practice-exam", links.PRACTICE, "Practice exam", "practice-exam.xhtml.j2"))
    groups = _answer_groups(guide)  # one per domain with quick checks, and the practice exam
    if groups:
        pages.append(Page("answers", links.ANSWERS, "Answers", "answers.xhtml.j2", context={"groups": groups},
                          sections=tuple((group["anchor"], group["title"]) for group in groups),
                          landmark=("backmatter", "Answers")))
    if guide.glossary:
        pages.append(Page("glossary", links.GLOSSARY, "Glossary", "glossary.xhtml.j2",
                          context={"entries": sorted(guide.glossary, key=lambda e: e.term.plain.casefold()),
                                   "used_by": _glossary_users(guide)},
                          landmark=("glossary", "Glossary")))
    if guide.checklist:
        pages.append(Page("checklist", "checklist.xhtml", "Exam-ready checklist", "checklist.xhtml.j2"))
    return pages


def _whats_new_page(guide: Guide, links: Links) -> list[Page]:
    ledger = guide.ledger
    if ledger is None or len(ledger.releases) < 2:
        return []
    history = release_history(ledger, links)
    return [Page("whats-new", "whats-new.xhtml", f"What's new in {ledger.latest.version}", "whats-new.xhtml.j2",
                 context={"releases": history},
                 sections=tuple((release["anchor"], f"Version {release['version']}") for release in history))]


def release_history(ledger: releases.Ledger, links: Links) -> list[dict]:
    """Each release, newest first: its notes added, changed and retired, linked where they are."""
    shipped: dict[str, releases.Entry] = {}  # the content of each note as last shipped
    history = []
    for number, release in enumerate(ledger.releases):
        retired = [{"label": _note_label(key, shipped[key], links), "href": None, "reason": retirement.reason}
                   for key, retirement in release.retired.items() if key in shipped]
        shipped.update(release.added)
        shipped.update(release.changed)
        history.append({
            "version": release.version,
            "anchor": "release-" + release.version.replace(".", "-"),
            "date": date_label(release.time),
            "summary": release.summary,
            "first": number == 0,
            "groups": [(name, items) for name, items in (
                ("added", [_linked(key, entry, links) for key, entry in release.added.items()]),
                ("changed", [_linked(key, entry, links) for key, entry in release.changed.items()]),
                ("retired", retired)) if items],
        })
    return history[::-1]


def _linked(key: str, entry: releases.Entry, links: Links) -> dict:
    return {"label": _note_label(key, entry, links), "href": links.note(key), "reason": None}


def _note_label(key: str, entry: releases.Entry, links: Links) -> str:
    if entry.kind == "question" and key in links.labels:
        return f"{links.labels[key]}: {entry.label}"
    return f"Trap: {entry.label}" if entry.kind == "trap" else entry.label


def _exam_sections(guide: Guide) -> tuple[tuple[str, str], ...]:
    anchors = ["sec-format", "sec-scoring", "sec-registration", "sec-weights"]
    if guide.exam.ready_when:
        anchors.append("sec-ready")
    if guide.faq:
        anchors.append("sec-faq")
    return _sections(*anchors)


def _domain_sections(guide: Guide, domain: Domain) -> tuple[tuple[str, str], ...]:
    anchors = ["sec-overview"]
    if domain.concepts:
        anchors.append("sec-concepts")
    if domain.traps:
        anchors.append("sec-traps")
    if guide.pairs_for(domain):
        anchors.append("sec-pairs")
    if domain.questions:
        anchors.append("sec-quick-check")
    return _sections(*anchors)


def _concept_groups(guide: Guide, domain: Domain) -> list[dict]:
    """The domain's concepts by tier, most important first, each with its tier's name."""
    groups = []
    for level in sorted({concept.tier for concept in domain.concepts}):
        tier = guide.tiers_by_level.get(level)
        groups.append({
            "level": level,
            "name": tier.name.plain if tier else f"Tier {level}",
            "meaning": tier.meaning if tier else None,
            "concepts": [concept for concept in domain.concepts if concept.tier == level],
        })
    return groups


def _answer_groups(guide: Guide) -> list[dict]:
    groups = [
        {"anchor": anchor("answers", domain.id), "heading": anchor("answers", domain.id, "title"),
         "title": f"Quick checks: {domain.number}. {domain.title.plain}", "questions": domain.questions}
        for domain in guide.domains if domain.questions
    ]
    if guide.practice_exam:
        groups.append({"anchor": PRACTICE_ANSWERS, "heading": f"{PRACTICE_ANSWERS}-title",
                       "title": "Practice exam", "questions": guide.practice_exam})
    return groups


def _glossary_users(guide: Guide) -> dict[str, list]:
    """For each glossary entry, the concepts that use it (for links back to the chapters)."""
    users: dict[str, list] = {entry.id: [] for entry in guide.glossary}
    for domain in guide.domains:
        for concept in domain.concepts:
            for entry_id in concept.glossary:
                users.setdefault(entry_id, []).append(concept)
    return users
