"""Writes tests/fixtures/guides/hive-220.yaml: a large made-up guide, as a real exam's would be.

The cheat sheet's hard cases need a guide far larger than its two pages: 216
concepts in six domains of unequal weight, tier-1 items spread through each
domain (not bunched at its start), ten confusable pairs, traps, mistakes, and
enough questions that every must-know item is tested. Texts have the lengths
of real ones (a concept 20 to 40 words) and are made of plain words from a
fixed vocabulary, seeded, so the file is the same on every run.

Run it once, commit the YAML (it must validate and be lint-clean, or list its
findings in tests/lint/guides/hive-220.expected):

    .venv/bin/python -m tests.make_large_guide
"""

from __future__ import annotations

import random
from pathlib import Path

TARGET = Path(__file__).resolve().parent / "fixtures" / "guides" / "hive-220.yaml"
SEED = 220
CONCEPTS_PER_DOMAIN = 36
TRAPS_PER_DOMAIN = 5
PRACTICE_QUESTIONS = 60

DOMAINS = [  # id, title, weight, the domain's own words
    ("colonies", "Plan Colonies and Apiaries", 12, ["colony", "apiary", "site", "stand", "windbreak", "forage"]),
    ("brood", "Manage Brood and Queens", 22, ["brood", "queen", "cell", "frame", "larva", "comb"]),
    ("health", "Protect Colony Health", 18, ["mite", "virus", "spore", "treatment", "threshold", "sample"]),
    ("seasons", "Work Through the Seasons", 16, ["swarm", "nectar", "flow", "cluster", "store", "feeder"]),
    ("harvest", "Harvest and Process Honey", 20, ["super", "extractor", "moisture", "batch", "jar", "wax"]),
    ("records", "Keep Records and Comply", 12, ["register", "inspection", "permit", "label", "ledger", "audit"]),
]
ADJECTIVES = ["open", "closed", "early", "late", "split", "double", "single", "shallow", "deep", "sealed", "drawn",
              "spare", "weak", "strong", "mated", "virgin", "drone", "worker", "top", "bottom", "screened",
              "solid", "warm", "cool", "north", "south", "inner", "outer", "standard", "compact"]
VERBS = ["raises", "lowers", "shifts", "limits", "speeds", "slows", "marks", "records", "blocks", "feeds",
         "cools", "warms", "moves", "holds", "spreads", "checks"]
OBJECTS = ["the brood nest", "the honey stores", "the entrance traffic", "the mite load", "the queen's laying",
           "the comb space", "the forager count", "the moisture level", "the colony's temper", "the spring build-up",
           "the winter cluster", "the nectar intake", "the wax production", "the drone count", "the swarm urge"]
CONDITIONS = ["during a strong nectar flow", "after the first frost", "when the colony is queenless",
              "before the main flow", "in a wet spring", "once the supers are full", "when mites pass the threshold",
              "at the end of summer", "in a crowded apiary", "after a split", "when stores run low",
              "during an inspection"]
REASONS = ["so the colony keeps its workforce", "which protects the next season's bees",
           "so the beekeeper can act in time", "which keeps the honey within the legal moisture limit",
           "so diseases do not spread between hives", "which saves the beekeeper a second visit",
           "so the queen has room to lay", "which keeps robbing in check"]
QUALIFIERS = ["usually", "in most apiaries", "for a standard hive", "by the guild's rule", "in a typical season"]


class Writer:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.used_terms: set[str] = set()
        self.questions = 0  # keys rotate over the letters, as a careful author's do

    def term(self, words: list[str]) -> str:
        while True:
            term = f"{self.rng.choice(ADJECTIVES).capitalize()} {self.rng.choice(words)} {self.rng.choice(['method', 'check', 'rule', 'board', 'cycle', 'plan', 'test', 'step', 'gate', 'count'])}"
            if term not in self.used_terms:
                self.used_terms.add(term)
                return term

    def sentence(self, words: list[str]) -> str:
        rng = self.rng
        return (f"It {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(CONDITIONS)}, "
                f"{rng.choice(REASONS)}")

    def text(self, words: list[str], low: int = 20, high: int = 40) -> str:
        parts: list[str] = []
        while len(" ".join(parts).split()) < low:
            parts.append(self.sentence(words) + ".")
        text = " ".join(parts)
        words_of = text.split()
        if len(words_of) > high:
            text = " ".join(words_of[:high]).rstrip(",;") + "."
        return text

    def short(self, words: list[str]) -> str:
        rng = self.rng
        return f"{rng.choice(VERBS).capitalize()} {rng.choice(OBJECTS)} {rng.choice(CONDITIONS)}"


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def build() -> str:
    w = Writer()
    rng = w.rng
    out: list[str] = []
    add = out.append
    add("# yaml-language-server: $schema=../../../schema/guide.schema.json")
    add("# A large made-up guide for the cheat sheet's hard cases; written by tests/make_large_guide.py.")
    add("id: hive-220")
    add("exam_code: HIVE-220")
    add("title: HIVE-220 Study Guide")
    add("certification: Certified Apiary Manager (fictional)")
    add("vendor: Example Beekeepers Guild")
    add("version: 1.0.0")
    add("updated: 2026-06-01")
    add("language: en")
    add("publisher: Study Guide Compiler project")
    add("authors: [Study Guide Compiler contributors]")
    add("license: CC BY 4.0")
    add("summary: A large practice guide for a fictional beekeeping exam, used to test the cheat sheet.")
    add("")
    add("exam:")
    add("  question_count: {min: 50, max: 60}")
    add("  duration_minutes: 100")
    add("  question_types: [Multiple choice]")
    add("  labs: Some exams include a hive inspection scored by an examiner.")
    add("  score_scale: {min: 100, max: 1000}")
    add("  pass_mark: 700")
    add("  guessing_penalty: false")
    add("  scoring_note: Unanswered questions score zero.")
    add("  fee: {amount: 120, currency: USD}")
    add("  delivery: [Test centre, Online proctored]")
    add("  ready_when:")
    add("    - You score 80% or more on the practice exam.")
    add("")
    add("preparation:")
    add("  study_weeks: {min: 6, max: 10}")
    add("  hands_on:")
    add("    - Inspect a colony every week through one season.")
    add("")
    add("tiers:")
    add("  - {level: 1, name: Must know, meaning: Asked in many questions.}")
    add("  - {level: 2, name: Should know, meaning: Asked in a few questions.}")
    add("  - {level: 3, name: Recognise, meaning: Seen in an option now and then.}")
    add("")
    add("domains:")
    must_know: dict[str, list[str]] = {}
    all_items: dict[str, list[str]] = {}
    for number, (domain_id, title, weight, words) in enumerate(DOMAINS, 1):
        add(f"  - id: {domain_id}")
        add(f"    number: {number}")
        add(f"    title: {title}")
        add(f"    weight: {weight}")
        add(f"    summary: {quoted(w.text(words, 12, 20))}")
        add(f"    key_topics: [{', '.join(w.term(words) for _ in range(4))}]")
        add("    concepts:")
        must_know[domain_id], all_items[domain_id] = [], []
        for k in range(CONCEPTS_PER_DOMAIN):
            concept_id = f"{domain_id}-c{k + 1:02d}"
            # Tier 1 in about 45% of places, spread evenly through the domain by chance.
            tier = 1 if rng.random() < 0.45 else rng.choice([2, 2, 3])
            add(f"      - id: {concept_id}")
            add(f"        term: {w.term(words)}")
            add(f"        text: {quoted(w.text(words))}")
            add(f"        tier: {tier}")
            all_items[domain_id].append(concept_id)
            if tier == 1:
                must_know[domain_id].append(concept_id)
        add("    traps:")
        for k in range(TRAPS_PER_DOMAIN):
            trap_id = f"{domain_id}-t{k + 1}"
            tier = 1 if k % 2 == 0 else 2
            add(f"      - id: {trap_id}")
            add(f"        myth: {quoted(w.short(words) + ' is harmless.')}")
            add(f"        truth: {quoted(w.text(words, 10, 22))}")
            add(f"        tier: {tier}")
            all_items[domain_id].append(trap_id)
            if tier == 1:
                must_know[domain_id].append(trap_id)
        add("    questions:")
        for k in range(3):  # at the start, the middle and the end of the domain's must-know items
            tested = must_know[domain_id][(2 * k + 1) * len(must_know[domain_id]) // 6]
            out.extend(question(w, f"{domain_id}-qc{k + 1}", None, words, [tested]))
    # Every must-know item tested once by the practice exam, which follows the domains' weights.
    add("")
    add("pairs:")
    for k in range(10):
        domain_id, _, _, words = DOMAINS[k % len(DOMAINS)]
        add(f"  - id: pair-{k + 1:02d}")
        add(f"    domains: [{domain_id}]")
        add(f"    a: {{name: {w.term(words)}, use_when: {quoted(w.text(words, 14, 26))}}}")
        add(f"    b: {{name: {w.term(words)}, use_when: {quoted(w.text(words, 14, 26))}}}")
        add(f"    trap: {quoted(w.text(words, 10, 18))}")
    add("")
    add("mistakes:")
    for k in range(8):
        words = DOMAINS[k % len(DOMAINS)][3]
        add(f"  - id: mistake-{k + 1}")
        add(f"    title: {w.short(words)}")
        add(f"    text: {quoted(w.text(words, 14, 28))}")
    add("")
    add("checklist:")
    for k in range(6):
        words = DOMAINS[k % len(DOMAINS)][3]
        add(f"  - id: check-{k + 1}")
        add(f"    text: {quoted('I can explain how ' + w.short(words).lower() + '.')}")
    add("")
    add("practice_exam:")
    counts = {domain_id: round(PRACTICE_QUESTIONS * weight / 100) for domain_id, _, weight, _ in DOMAINS}
    number = 0
    for domain_id, _, _, words in DOMAINS:
        items = must_know[domain_id]
        shares = [items[k::counts[domain_id]] for k in range(counts[domain_id])]
        for share in shares:
            number += 1
            tests = share or [rng.choice(all_items[domain_id])]
            out.extend(question(w, f"exam-{number:02d}", domain_id, words, tests, indent="  "))
    add("")
    return "\n".join(out)


def question(w: Writer, question_id: str, domain_id: str | None, words: list[str], tests: list[str],
             indent: str = "      ") -> tuple[str, ...]:
    lines = [f"{indent}- id: {question_id}"]
    if domain_id:
        lines.append(f"{indent}  domain: {domain_id}")
    lines.append(f"{indent}  stem: {quoted('A beekeeper meets a case. Which step fits the case described by ' + w.term(words) + '?')}")
    lines.append(f"{indent}  options:")
    answer = "abcd"[w.questions % 4]
    w.questions += 1
    for option in "abcd":
        why = "This step matches the case." if option == answer else "This step belongs to another case."
        lines.append(f"{indent}    - {{id: {option}, text: {quoted(w.short(words))}, why: {quoted(why)}}}")
    lines.append(f"{indent}  answer: [{answer}]")
    lines.append(f"{indent}  explanation: {quoted(w.text(words, 10, 20))}")
    lines.append(f"{indent}  tests: [{', '.join(tests)}]")
    return tuple(lines)


def main() -> None:
    TARGET.write_text(build(), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
