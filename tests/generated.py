"""Valid guides made by a seeded generator, each stretching the compiler somewhere.

`generated_guide(seed)` gives the same guide (a plain dict, ready for YAML) for
the same seed. Every guide is valid by construction; what varies is where it
pushes: a dimension is chosen from the seed (`DIMENSIONS`, in turn), and the
others are drawn at random at a lower intensity, so any sample of seeds covers
every dimension and mixes them.

Dimensions:
- domains: 1 to 100 domains (weights still sum to 100);
- empty: every optional list empty and every optional field left out;
- limits: texts at their length limits (5,000 characters, labels 200);
- unbreakable: long tokens with no break opportunity (words, URLs, CJK runs);
- markdown: every construct of the inline subset, hard breaks included,
  and raw HTML and escapes;
- anki: Anki's own syntaxes ([sound:…], [latex], [$], [$$], \\(…\\), \\[…\\], clozes);
- anchors: ids that look like the anchors the exporters generate;
- dates: `updated` at the edges the formats can store, with offsets;
- scripts: Latin with diacritics, CJK, Arabic, Hebrew and emoji, with a
  matching language tag.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from exporter.model.fields import MAX_TEXT_LENGTH

LABEL_LENGTH = 200  # as the model's Label
DIMENSIONS = ("domains", "empty", "limits", "unbreakable", "markdown", "anki", "anchors", "dates", "scripts")
DOMAIN_COUNTS = (1, 2, 3, 7, 19, 40, 100)

WORDS = {
    "latin": "exam model data pipeline deploy monitor drift feature registry endpoint batch online".split(),
    "diacritics": "Prüfung Straße naïve façade Åland Øresund crème brûlée Łódź Dvořák São coração".split(),
    "cjk": "機械学習 モデル デプロイ 監視 データ 試験 模型 部署 数据 시험 모델 배포".split(),
    "arabic": "التعلم الآلي نموذج بيانات اختبار نشر مراقبة".split(),
    "hebrew": "למידת מכונה מודל נתונים מבחן פריסה ניטור".split(),
    # Emoji the cover can draw: it takes them from Symbola (no colour fonts), which lacks
    # the newer ones, such as 🧪; validate refuses those (tests/test_contract.py).
    "emoji": "🎓 🚀 📦 ✅ ❌ 🇩🇪 👩🏽‍💻 🔥".split(),
}
LANGUAGES = {"latin": "en", "diacritics": "de", "cjk": "ja", "arabic": "ar", "hebrew": "he", "emoji": "en"}
MARKDOWN = (
    "*emphasis*", "**strong**", "`code`", "[a link](https://example.com/path?q=1)", "[mail](mailto:a@example.com)",
    "line one  \nline two", "line one\\\nline two", "\\*not emphasis\\*", "&amp; &lt;b&gt; &#91;x&#93;",
    "<b>raw html</b>", "<script>alert(1)</script>", "soft\nbreak", "**_nested_ emphasis**",
    "[bad link](javascript:alert(1))", "`**not strong**`", "# not a heading", "- not a list",
)
ANKI = (
    "[sound:winter.mp3]", "[latex]x^2[/latex]", "[$]y_1[/$]", "[$$]\\sum z[/$$]", "\\(z^2\\)", "\\[w\\]",
    "{{c1::hidden}}", "{{c2::a::hint}}", "[anki:tts lang=en_US]hello[/anki:tts]", "{{Front}}", "[[double]]",
)
# Ids that look like what the exporters make of ids, or like their fixed anchors.
ANCHOR_IDS = (
    "exam", "weights", "pairs", "mistakes", "checklist", "practice-exam", "answers", "answers-practice-exam",
    "sec-overview", "sec-concepts", "chapter-title", "toc", "nav", "cover", "glossary", "title", "x", "x-title",
    "a", "a-title", "domain-a", "concept-a", "answer-a", "question-a", "term-a", "path-a", "a-sec-overview",
)
EDGE_DATES = (
    "1980-01-01", "1980-01-01T00:00:00Z", "1980-01-01T09:00:00+09:00", "2107-12-31", "2107-12-31T23:59:59Z",
    "2107-12-31T12:00:00-11:00", "2024-02-29", "2000-01-01T00:00:00.123456Z", "2026-01-02 03:04:05",
)


@dataclass(frozen=True)
class Stretch:
    """How hard one guide pushes in each dimension: a probability per text, or a choice."""

    dimension: str
    domains: int
    empty: float
    limits: float
    unbreakable: float
    markdown: float
    anki: float
    anchors: float
    date: str
    script: str


def stretch_for(seed: int) -> Stretch:
    rng = random.Random(f"stretch:{seed}")
    dimension = DIMENSIONS[seed % len(DIMENSIONS)]

    def level(name: str, strong: float, weak: float) -> float:
        return strong if dimension == name else rng.choice((0.0, weak))

    return Stretch(
        dimension=dimension,
        domains=(rng.choice(DOMAIN_COUNTS[3:]) if dimension == "domains" else rng.choice(DOMAIN_COUNTS[:4])),
        empty=level("empty", 1.0, 0.3),
        limits=level("limits", 0.12, 0.01),
        unbreakable=level("unbreakable", 0.5, 0.05),
        markdown=level("markdown", 0.7, 0.1),
        anki=level("anki", 0.7, 0.1),
        anchors=level("anchors", 1.0, 0.2),
        date=rng.choice(EDGE_DATES) if dimension == "dates" or rng.random() < 0.3 else "2026-01-15",
        script=(rng.choice(list(WORDS)[1:]) if dimension == "scripts" else rng.choice(("latin", "latin", "diacritics"))),
    )


class _Writer:
    """Draws the texts and ids of one guide."""

    def __init__(self, seed: int, stretch: Stretch):
        self.rng = random.Random(f"guide:{seed}")
        self.stretch = stretch
        self.serial = itertools.count(1)
        self.used_ids: set[str] = set()
        self.anchor_ids = list(ANCHOR_IDS)
        self.rng.shuffle(self.anchor_ids)

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def item_id(self, prefix: str) -> str:
        """A fresh id; with the anchors stretch, preferably one that looks like an anchor."""
        while self.anchor_ids and self.chance(self.stretch.anchors * 0.6):
            candidate = self.anchor_ids.pop()
            if candidate not in self.used_ids:
                self.used_ids.add(candidate)
                return candidate
        candidate = f"{prefix}-{next(self.serial)}"
        self.used_ids.add(candidate)
        return candidate

    def words(self, count: int) -> str:
        pool = WORDS[self.stretch.script] + (WORDS["latin"] if self.chance(0.3) else [])
        return " ".join(self.rng.choice(pool) for _ in range(count))

    def piece(self) -> str:
        roll = self.rng.random()
        if roll < self.stretch.markdown * 0.4:
            return self.rng.choice(MARKDOWN)
        if roll < (self.stretch.markdown + self.stretch.anki) * 0.4:
            return self.rng.choice(ANKI)
        if self.chance(self.stretch.unbreakable * 0.3):
            return self.unbreakable()
        if self.chance(0.05):
            return self.rng.choice(list(WORDS.values()))[0]  # another script, mixed in
        return self.words(self.rng.randint(1, 6))

    def unbreakable(self) -> str:
        kind = self.rng.randrange(3)
        length = self.rng.choice((40, 120, 190))
        if kind == 0:
            return ("Supercalifragilistic" * 10)[:length]
        if kind == 1:
            return ("https://example.com/" + "segment" * 30)[:length]
        return ("機械学習モデル" * 30)[:length // 2]

    def text(self, limit: int = MAX_TEXT_LENGTH, short: bool = False) -> str:
        """A non-empty text of at most `limit` characters, sometimes exactly at it."""
        if self.chance(self.stretch.limits):
            return self._at_limit(limit)
        target = self.rng.randint(3, 40 if short else 220)
        parts: list[str] = []
        while sum(len(part) + 1 for part in parts) < target:
            parts.append(self.piece())
        text = " ".join(parts)
        if len(text) > limit:
            text = text[:limit]
        text = text.strip()
        return text or "text"

    def _at_limit(self, limit: int) -> str:
        if self.chance(self.stretch.unbreakable):
            return ("Unbreakable" * (limit // 11 + 1))[:limit]
        parts, length = [], 0
        while length < limit:
            part = self.piece()
            parts.append(part)
            length += len(part) + 1
        text = " ".join(parts)[:limit].strip()
        return text + "x" * (limit - len(text)) if len(text) < limit else text

    def label(self) -> str:
        return self.text(LABEL_LENGTH, short=True)

    def optional(self, value_factory):
        """A value, or nothing when empty sections are being stretched."""
        return None if self.chance(self.stretch.empty) else value_factory()

    def some(self, factory, low: int, high: int) -> list:
        count = 0 if self.chance(self.stretch.empty) else self.rng.randint(low, high)
        return [factory() for _ in range(count)]


def generated_guide(seed: int) -> dict:
    """A valid guide for this seed, as plain data; its id is `generated-<seed>`."""
    stretch = stretch_for(seed)
    w = _Writer(seed, stretch)
    domain_count = stretch.domains
    weights = [100 // domain_count] * domain_count
    for index in range(100 - sum(weights)):
        weights[index] += 1
    stems = itertools.count(1)

    def question(domain_id: str | None, testable: list[str]) -> dict:
        option_count = w.rng.randint(3, 6)
        letters = "abcdef"[:option_count]
        multiple = w.chance(0.3)
        answer = sorted(w.rng.sample(letters, w.rng.randint(2, option_count - 1))) if multiple else [w.rng.choice(letters)]
        data = {
            "id": w.item_id("question"),
            "stem": f"{w.text(MAX_TEXT_LENGTH - 12)} ({next(stems)})",
            "kind": "multiple" if multiple else "single",
            "scenario": w.chance(0.3),
            "options": [{"id": letter, "text": w.text(), "why": w.text()} for letter in letters],
            "answer": answer,
            "explanation": w.text(),
            "tests": w.rng.sample(testable, min(len(testable), w.rng.randint(1, 2))),
        }
        if domain_id:
            data["domain"] = domain_id
        return data

    glossary = [{"id": w.item_id("term"), "term": w.label(), "definition": w.text()}
                for _ in range(0 if w.chance(stretch.empty) else w.rng.randint(1, 4))]
    domains = []
    testable: list[tuple[str, str]] = []  # (domain id, concept or trap id)
    for number in range(1, domain_count + 1):
        domain_id = w.item_id("domain")
        concepts = w.some(lambda: {
            "id": w.item_id("concept"), "term": w.label(), "text": w.text(), "tier": w.rng.randint(1, 3),
            "glossary": w.rng.sample([g["id"] for g in glossary], min(len(glossary), w.rng.randint(0, 2))),
        }, 1, 6 if domain_count < 20 else 2)
        traps = w.some(lambda: {"id": w.item_id("trap"), "myth": w.text(), "truth": w.text(),
                                "tier": w.rng.randint(1, 3)}, 0, 3 if domain_count < 20 else 1)
        own = [item["id"] for item in concepts + traps]
        testable += [(domain_id, item_id) for item_id in own]
        domain = {
            "id": domain_id, "number": number, "title": w.label(), "weight": weights[number - 1],
            "summary": w.text(), "key_topics": [w.label() for _ in range(w.rng.randint(1, 4))],
            "concepts": concepts, "traps": traps,
            "questions": [question(None, own) for _ in range(w.rng.randint(0, 2))] if own else [],
        }
        domains.append(domain)
    domain_ids = [domain["id"] for domain in domains]
    practice = []
    if testable and not w.chance(stretch.empty):
        for _ in range(w.rng.randint(1, 8)):
            domain_id, _item = w.rng.choice(testable)
            practice.append(question(domain_id, [item for d, item in testable if d == domain_id]))

    def study_path() -> dict:
        return {"id": w.item_id("path"), "title": w.label(), "audience": w.text(),
                "steps": [{"id": w.item_id("step"), "weeks": {"min": 1, "max": w.rng.randint(1, 3)},
                           "focus": w.text()} for _ in range(w.rng.randint(1, 3))]}

    question_min = w.rng.choice((1, 10, 40))
    exam = {
        "question_count": {"min": question_min, "max": question_min + w.rng.choice((0, 10))},
        "duration_minutes": w.rng.choice((1, 30, 100, 600)),
        "question_types": [w.label() for _ in range(w.rng.randint(1, 3))],
        "labs": w.optional(w.text),
        "score_scale": {"min": 0, "max": 1000},
        "pass_mark": w.rng.choice((1, 700, 1000)),
        "guessing_penalty": w.chance(0.5),
        "scoring_note": w.optional(lambda: w.text(2000)),  # with labs at 5,000, the exam box still fits
        "fee": {"amount": w.rng.choice((1, 99.5, 165, 100000)), "currency": w.rng.choice(("EUR", "USD", "JPY"))},
        "delivery": [w.label() for _ in range(w.rng.randint(1, 3))],
        "replaces": w.optional(w.label),
        "ready_when": w.some(w.text, 1, 3),
    }
    guide = {
        "id": f"generated-{seed}",
        "exam_code": w.label(),
        "title": w.label(),
        "certification": w.label(),
        "vendor": w.label(),
        "version": w.rng.choice(("1", "1.0", "10.20.30")),
        "updated": stretch.date,
        "language": LANGUAGES[stretch.script],
        "publisher": w.label(),
        "authors": [w.label() for _ in range(w.rng.randint(1, 3))],
        "license": w.label(),
        "homepage": w.optional(lambda: "https://example.com/guide"),
        "summary": w.text(),
        "exam": exam,
        "preparation": {
            "study_weeks": {"min": 1, "max": w.rng.randint(1, 12)},
            "resources": w.some(lambda: {"id": w.item_id("resource"), "name": w.label(), "note": w.optional(w.text),
                                         "free": w.chance(0.5), "url": w.optional(lambda: "https://example.com/r")},
                                1, 3),
            "hands_on": w.some(w.text, 1, 3),
        },
        "study_paths": w.some(study_path, 1, 3),
        "tiers": [{"level": level, "name": w.label(), "meaning": w.text()} for level in (1, 2, 3)],
        "domains": domains,
        "pairs": w.some(lambda: {
            "id": w.item_id("pair"), "domains": w.rng.sample(domain_ids, min(len(domain_ids), w.rng.randint(1, 2))),
            "a": {"name": w.label(), "use_when": w.text()}, "b": {"name": w.label(), "use_when": w.text()},
            "trap": w.text()}, 1, 4),
        "mistakes": w.some(lambda: {"id": w.item_id("mistake"), "title": w.label(), "text": w.text()}, 1, 10),
        "checklist": w.some(lambda: {"id": w.item_id("check"), "text": w.text()}, 1, 5),
        "faq": w.some(lambda: {"id": w.item_id("faq"), "question": w.text(), "answer": w.text()}, 1, 3),
        "glossary": glossary,
        "practice_exam": practice,
    }
    return _without_nothing(guide)


def _without_nothing(value):
    """Leave out optional fields that were drawn as nothing: the source omits them."""
    if isinstance(value, dict):
        return {key: _without_nothing(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nothing(item) for item in value]
    return value
