"""Content checks for the AI-300 guide: the counts, spreads and references the
issue asks for, and that no sentence was copied from the published seed guide."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest
from pydantic import BaseModel

from exporter.source.loader import load_guide

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "sources" / "ai-300.yaml"
# The seed is not part of the repository: it sits in shared/ beside the checkout,
# here and in CI alike.
SEED_DIR = ROOT.parent / "shared" / "seeds"

OFFICIAL_DOMAINS = [
    (1, "Design and Implement an MLOps Infrastructure", 18),
    (2, "Implement Machine Learning Model Lifecycle and Operations", 28),
    (3, "Design and Implement a GenAIOps Infrastructure", 24),
    (4, "Implement Generative AI Quality Assurance and Observability", 15),
    (5, "Optimize Generative AI Systems and Model Performance", 15),
]
CERTIFICATION = "Microsoft Certified: Machine Learning Operations Engineer Associate"

QUICK_CHECKS_PER_DOMAIN = [4, 5, 7, 5, 3]  # review pass 2 added qc-least-privilege-agent-caller and qc-eval-release-gate
MOCK_QUESTIONS_PER_DOMAIN = [9, 14, 12, 8, 7]
MAX_CONCEPT_WORDS = 45
COPY_RUN = 10  # this many consecutive words shared with the seed count as copied

# Official names and titles may be quoted verbatim. Each counts as one word
# in the copy check, so the words around a name must still be our own.
ALLOWED_NAMES = [title for _, title, _ in OFFICIAL_DOMAINS] + [
    CERTIFICATION,
    "Microsoft Foundry",
    "Azure AI Foundry (classic)",
    "Azure AI Studio",
    "Azure Machine Learning",
]



@pytest.fixture(scope="module")
def guide():
    return load_guide(SOURCE)


def _plain(text: str) -> str:
    return getattr(text, "plain", text)


def _normalized(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", _plain(text).lower()))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


# --- structure and counts -----------------------------------------------------------


def test_domains_are_the_official_five(guide):
    found = [(d.number, d.title, d.weight) for d in guide.domains]
    assert found == OFFICIAL_DOMAINS


def test_domains_carry_the_published_ranges(guide):
    """Microsoft publishes each domain's share as a range; the number the bars use lies in it."""
    found = [(d.weight_range.min, d.weight_range.max) for d in guide.domains]
    assert found == [(15, 20), (25, 30), (20, 25), (10, 15), (10, 15)]


def test_certification_name(guide):
    assert guide.certification == CERTIFICATION


@pytest.mark.parametrize(
    "field, expected", [("pairs", 7), ("mistakes", 10), ("checklist", 14)]
)
def test_section_counts(guide, field, expected):
    assert len(getattr(guide, field)) == expected


def test_quick_checks_spread(guide):
    assert [len(d.questions) for d in guide.domains] == QUICK_CHECKS_PER_DOMAIN


def test_practice_exam_spread(guide):
    per_domain = Counter(q.domain for q in guide.practice_exam)
    assert [per_domain[d.id] for d in guide.domains] == MOCK_QUESTIONS_PER_DOMAIN
    assert len(guide.practice_exam) == sum(MOCK_QUESTIONS_PER_DOMAIN)


def test_practice_exam_is_in_domain_order(guide):
    order = {d.id: d.number for d in guide.domains}
    numbers = [order[q.domain] for q in guide.practice_exam]
    assert numbers == sorted(numbers)


def test_practice_exam_mixes_question_styles(guide):
    exam = guide.practice_exam
    multiple = sum(q.kind == "multiple" for q in exam)
    scenarios = sum(q.scenario for q in exam)
    assert 10 <= multiple <= 15, f"{multiple} multiple-select questions"
    assert scenarios > len(exam) // 2, f"only {scenarios} scenario questions"
    keys = Counter(q.answer[0] for q in exam if q.kind == "single")
    assert len(keys) >= 4 and max(keys.values()) <= len(exam) // 2, f"answer letters: {keys}"


def test_no_duplicate_stems(guide):
    stems = Counter(_normalized(q.stem) for q in guide.all_questions)
    repeated = [stem for stem, count in stems.items() if count > 1]
    assert not repeated


def test_concepts_are_short(guide):
    long = [
        (c.id, len(_words(_plain(c.text))))
        for d in guide.domains
        for c in d.concepts
        if len(_words(_plain(c.text))) > MAX_CONCEPT_WORDS
    ]
    assert not long, f"concept texts over {MAX_CONCEPT_WORDS} words: {long}"


def test_no_stem_says_how_many_to_choose(guide):
    # The exporters say how many to choose, from the key; a stem that says it
    # too would show the instruction twice (and could disagree with the key).
    said = [q.id for q in guide.all_questions if re.search(r"\(choose \w+\.?\)", _plain(q.stem).lower())]
    assert not said, f"drop '(Choose N.)' from the stems of {said}"


# --- copy check against the seed ------------------------------------------------------


def _strings(value):
    """Every string in the model, however deeply nested."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        for field in type(value).model_fields:
            yield from _strings(getattr(value, field))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def _tokens(text: str) -> list[str]:
    """Words of a text, with each allowed official name collapsed into one token."""
    text = text.lower()
    for i, name in enumerate(sorted(ALLOWED_NAMES, key=len, reverse=True)):
        pattern = r"\s+".join(map(re.escape, name.lower().split()))
        text = re.sub(pattern, f" allowedname{i} ", text)
    return _words(text)


@lru_cache(maxsize=1)
def _seed_runs() -> frozenset[tuple[str, ...]]:
    runs: set[tuple[str, ...]] = set()
    for path in sorted(SEED_DIR.glob("*.txt")):
        words = _tokens(path.read_text(encoding="utf-8"))
        runs.update(tuple(words[i : i + COPY_RUN]) for i in range(len(words) - COPY_RUN + 1))
    return frozenset(runs)


def _copied(texts, seed: frozenset[tuple[str, ...]]) -> list[str]:
    """The first run of COPY_RUN words each text shares with the seed."""
    copied = []
    for text in texts:
        words = _tokens(str(text))
        for i in range(len(words) - COPY_RUN + 1):
            if tuple(words[i : i + COPY_RUN]) in seed:
                copied.append(" ".join(words[i : i + COPY_RUN]))
                break
    return copied


def test_copy_check_detects_a_copied_sentence():
    """The checker itself: a sentence lifted from the seed, re-cased, re-spaced and set among
    words of our own, is caught; the same words out of order are not."""
    if not any(SEED_DIR.glob("*.txt")):
        pytest.skip(f"no seed text in {SEED_DIR.name}/ beside the repository")
    seed_text = sorted(SEED_DIR.glob("*.txt"))[0].read_text(encoding="utf-8")
    lifted = re.findall(r"\S+", seed_text)[200 : 200 + 2 * COPY_RUN]
    ours = "Our own opening words, then " + "\n  ".join(word.upper() for word in lifted) + ", and our own close."
    assert _copied([ours], _seed_runs()), ours
    shuffled = " ".join(lifted[::-2] + lifted[::2])
    assert not _copied([shuffled], _seed_runs()), shuffled


def test_no_text_is_copied_from_the_seed(guide):
    if not any(SEED_DIR.glob("*.txt")):
        pytest.skip(f"no seed text in {SEED_DIR.name}/ beside the repository (expected at ../shared/seeds/)")
    copied = _copied(_strings(guide), _seed_runs())
    assert not copied, f"{len(copied)} texts share {COPY_RUN}+ consecutive words with the seed: {copied[:10]}"
