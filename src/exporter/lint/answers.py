"""Answer-pattern tells: ways to find the key without knowing the answer."""

from __future__ import annotations

import math
import typing

from exporter.lint.core import Context, Hit, QuestionAt, rule
from exporter.lint.stats import at_least_by_chance, chi_square_by_chance
from exporter.lint.words import words
from exporter.model.fields import OPTION_LETTERS


def _length(text) -> int:
    return len(" ".join(text.plain.split()))


def _singles(context: Context) -> list[QuestionAt]:
    return [at for at in context.questions if at.question.kind == "single"]


def _multiples(context: Context) -> list[QuestionAt]:
    return [at for at in context.questions if at.question.kind == "multiple"]


def _scopes(questions: list[QuestionAt], kind: str) -> typing.Iterator[tuple[str, list[QuestionAt]]]:
    """The whole guide, then the quick checks and the practice exam on their
    own (each is studied as a set), if the whole guide showed nothing."""
    yield f"{kind} questions", questions
    yield f"{kind} quick checks", [at for at in questions if at.path[0] == "domains"]
    yield f"{kind} practice-exam questions", [at for at in questions if at.path[0] == "practice_exam"]


def _first_scopes(context: Context, questions: list[QuestionAt], kind: str, test) -> typing.Iterator[Hit]:
    """Run a guide-level `test` on each scope with enough questions; a pattern
    in the whole guide is reported once, not again for its parts."""
    for label, scope in _scopes(questions, kind):
        if len(scope) >= context.thresholds.min_questions:
            hits = list(test(label, scope))
            yield from hits
            if hits and scope is questions:
                return


def _option_path(at: QuestionAt, option_id: str, *rest) -> tuple:
    return at.path + ("options", OPTION_LETTERS.index(option_id), *rest)


@rule("SG101", "key-longest-option",
      "test-wise learners pick the longest option and score without knowing the answer")
def key_longest_option(context: Context) -> typing.Iterator[Hit]:
    limits = context.thresholds
    for at in context.questions:
        q = at.question
        keys = [_length(o.text) for o in q.correct]
        others = [_length(o.text) for o in q.options if o.id not in q.answer]
        shortest_key, longest_other = min(keys), max(max(others), 1)  # markup alone renders as nothing
        if shortest_key >= limits.key_longest_ratio * longest_other and \
                shortest_key - longest_other >= limits.key_longest_min_extra:
            key = q.correct[keys.index(shortest_key)]
            what = "the key is" if q.kind == "single" else "every key is at least"
            yield Hit(_option_path(at, key.id, "text"), q.id,
                      f"{what} {shortest_key / longest_other:.1f} times as long as the longest wrong option "
                      f"({shortest_key} against {longest_other} characters)")


@rule("SG102", "key-longest-share",
      "across the guide, 'pick the longest option' beats chance, so learners practise a trick instead of the content")
def key_longest_share(context: Context) -> typing.Iterator[Hit]:
    def test(label: str, singles: list[QuestionAt]) -> typing.Iterator[Hit]:
        longest = []
        for at in singles:
            lengths = [_length(o.text) for o in at.question.options]
            key = OPTION_LETTERS.index(at.question.answer[0])
            if all(lengths[key] > length for i, length in enumerate(lengths) if i != key):
                longest.append(at.question.id)
        chances = [1 / len(at.question.options) for at in singles]
        if at_least_by_chance(chances, len(longest)) < context.thresholds.significance:
            yield Hit((), context.guide.id, f"the key is the longest option in {len(longest)} of {len(singles)} "
                      f"{label}; chance is about {round(sum(chances))}", tuple(longest))
    yield from _first_scopes(context, _singles(context), "single-answer", test)


def _position_balance(context: Context, questions: list[QuestionAt], kind: str) -> typing.Iterator[Hit]:
    yield from _first_scopes(context, questions, kind, lambda label, scope: _balance(context, scope, label))


def _letters(cell: list[int]) -> str:
    return OPTION_LETTERS[cell[0]] + (f"-{OPTION_LETTERS[cell[-1]]}" if len(cell) > 1 else "")


def _balance(context: Context, questions: list[QuestionAt], scope_name: str) -> typing.Iterator[Hit]:
    observed = [0.0] * len(OPTION_LETTERS)
    expected = [0.0] * len(OPTION_LETTERS)
    for at in questions:
        n, k = len(at.question.options), len(at.question.answer)
        for i in range(n):
            expected[i] += k / n
        for key in at.question.answer:
            observed[OPTION_LETTERS.index(key)] += 1
    bins = [[i] for i in range(len(OPTION_LETTERS)) if expected[i] > 0]
    # Pearson's test needs about five expected per cell: rare late letters join the one before.
    while len(bins) > 2 and sum(expected[i] for i in bins[-1]) < 5:
        last = bins.pop()
        bins[-1] += last
    obs = [sum(observed[i] for i in b) for b in bins]
    exp = [sum(expected[i] for i in b) for b in bins]
    if min(exp) < 5 or chi_square_by_chance(obs, exp) >= context.thresholds.significance:
        return
    counts = ", ".join(f"{_letters(b)} {o:.0f}" for b, o in zip(bins, obs))
    even = ", ".join(f"{_letters(b)} {e:.0f}" for b, e in zip(bins, exp))
    most = max(range(len(bins)), key=lambda j: obs[j] - exp[j])
    yield Hit((), context.guide.id,
              f"keys of the {len(questions)} {scope_name} sit at {counts}; even would be about {even} "
              f"({_letters(bins[most])} is favoured)",
              tuple(at.question.id for at in questions if set(at.question.answer) & {OPTION_LETTERS[i] for i in bins[most]}))


@rule("SG103", "single-key-positions",
      "a favoured letter lets learners guess better than chance and hides gaps in what they know",
      position=True)
def single_key_positions(context: Context) -> typing.Iterator[Hit]:
    yield from _position_balance(context, _singles(context), "single-answer")


@rule("SG104", "multiple-key-positions",
      "a favoured letter lets learners guess better than chance and hides gaps in what they know",
      position=True)
def multiple_key_positions(context: Context) -> typing.Iterator[Hit]:
    yield from _position_balance(context, _multiples(context), "multiple-select")


@rule("SG105", "multiple-key-prefix",
      "when keys are always the first options, learners learn to tick a, b… instead of reading them",
      position=True)
def multiple_key_prefix(context: Context) -> typing.Iterator[Hit]:
    def test(label: str, multiples: list[QuestionAt]) -> typing.Iterator[Hit]:
        prefixes = [at.question.id for at in multiples
                    if sorted(at.question.answer) == list(OPTION_LETTERS[:len(at.question.answer)])]
        chances = [1 / math.comb(len(at.question.options), len(at.question.answer)) for at in multiples]
        if at_least_by_chance(chances, len(prefixes)) < context.thresholds.significance:
            yield Hit((), context.guide.id, f"the keys are the first options (a, b…) in {len(prefixes)} of "
                      f"{len(multiples)} {label}; chance is about {round(sum(chances))}", tuple(prefixes))
    yield from _first_scopes(context, _multiples(context), "multiple-select", test)


@rule("SG106", "all-or-none-of-the-above",
      "it can be judged from two other options alone, and 'none' only asks what is wrong, not what is right",
      needs_phrases=True)
def all_or_none_of_the_above(context: Context) -> typing.Iterator[Hit]:
    for at in context.questions:
        for i, option in enumerate(at.question.options):
            if context.phrases.refers_to_options(option.text.plain):
                yield Hit(at.path + ("options", i, "text"), at.question.id,
                          f"option {option.id} refers to the other options ('{option.text.plain}')")


def _has_absolute(context: Context, text) -> bool:
    return bool(context.words.absolute_in(text.plain))


@rule("SG107", "absolute-words-in-distractors",
      "learners learn that sweeping words ('only', 'always', 'never') mark a wrong option, and skip reading",
      needs_words=True)
def absolute_words_in_distractors(context: Context) -> typing.Iterator[Hit]:
    for at in context.questions:
        q = at.question
        wrong = [o for o in q.options if o.id not in q.answer]
        marked = [o.id for o in wrong if _has_absolute(context, o.text)]
        if len(marked) >= 2 and len(marked) == len(wrong) and not any(_has_absolute(context, o.text) for o in q.correct):
            yield Hit(at.path + ("options",), q.id,
                      f"every wrong option ({', '.join(marked)}) has a sweeping word such as "
                      f"'{sorted(context.words.absolute_in(' '.join(o.text.plain for o in wrong)))[0]}'"
                      f" and no key has one")


@rule("SG108", "only-key-echoes-stem",
      "the key is the one option that repeats the stem's words, so matching words finds it without understanding",
      needs_words=True)
def only_key_echoes_stem(context: Context) -> typing.Iterator[Hit]:
    language = context.words
    for at in _singles(context):
        q = at.question
        stem = language.content_words(q.stem.plain)
        shared = {o.id: stem & language.content_words(o.text.plain) for o in q.options}
        key = q.answer[0]
        if len(shared[key]) >= context.thresholds.echo_min_words and \
                not any(shared[o.id] for o in q.options if o.id != key):
            yield Hit(_option_path(at, key, "text"), q.id,
                      f"only the key ({key}) repeats words of the stem: {', '.join(sorted(shared[key]))}")


def _opposed(context: Context, first: list[str], second: list[str]) -> str | None:
    """How two options turn each other around: by one opposite word or one negation."""
    language = context.words
    if len(first) == len(second):
        differ = [(x, y) for x, y in zip(first, second) if x != y]
        if len(differ) == 1 and frozenset(differ[0]) in language.opposites:
            return f"'{differ[0][0]}' against '{differ[0][1]}'"
    longer, shorter = (first, second) if len(first) > len(second) else (second, first)
    if len(longer) == len(shorter) + 1:
        for i, word in enumerate(longer):
            if word in language.negations and longer[:i] + longer[i + 1:] == shorter:
                return f"one adds '{word}'"
    return None


@rule("SG109", "opposite-options",
      "two options that say opposite things tell the learner the key is probably one of them",
      needs_words=True)
def opposite_options(context: Context) -> typing.Iterator[Hit]:
    for at in _singles(context):
        q = at.question
        tokens = [words(o.text.plain) for o in q.options]
        for i in range(len(tokens)):
            for j in range(i + 1, len(tokens)):
                how = _opposed(context, tokens[i], tokens[j])
                pair = f"options {q.options[i].id} and {q.options[j].id} differ only in {how}"
                if how and q.answer[0] in (q.options[i].id, q.options[j].id):
                    yield Hit(at.path + ("options", j, "text"), q.id, f"{pair}, and one of them is the key")
                elif how and how.startswith("one adds"):
                    yield Hit(at.path + ("options", j, "text"), q.id,
                              f"{pair}, so one of them must be true, yet neither is the key")
