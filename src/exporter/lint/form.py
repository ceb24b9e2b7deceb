"""Atomicity and form: one fact per card, stated as a fact."""

from __future__ import annotations

import typing

from exporter.lint.core import Context, Hit, rule
from exporter.lint.words import normalized, word_count, words


@rule("SG301", "concept-too-long",
      "a card holding several facts is hard to recall in one go, and Anki schedules it as one")
def concept_too_long(context: Context) -> typing.Iterator[Hit]:
    limit = context.thresholds.concept_max_words
    for at in context.testable:
        if at.path[2] == "concepts" and (count := word_count(at.item.text.plain)) > limit:
            yield Hit(at.path + ("text",), at.item.id, f"has {count} words; the limit is {limit}: split it")


@rule("SG302", "addresses-the-reader",
      "advice ('you must know…') in place of the fact leaves the learner nothing to recall on the card's back",
      needs_phrases=True)
def addresses_the_reader(context: Context) -> typing.Iterator[Hit]:
    for at in context.testable:
        field_name = "text" if at.path[2] == "concepts" else "truth"
        text = getattr(at.item, field_name).plain
        if match := context.phrases.advice_in(text):
            yield Hit(at.path + (field_name,), at.item.id,
                      f"tells the reader what to do ('{match.group().strip(' .;:!?')}') instead of stating a fact")


def _repeats(context: Context, label, text) -> bool:
    """The text is the label, or (where we know the language's small words)
    adds at most one content word to it."""
    if normalized(label.plain) == normalized(text.plain):
        return True
    language = context.words
    if language is None:
        return False
    label_words, text_words = language.content_words(label.plain), language.content_words(text.plain)
    return bool(text_words) and len(text_words - label_words) <= 1


@rule("SG303", "term-repeats-text",
      "when the back repeats the front, the card asks nothing and the learner rehearses no answer")
def term_repeats_text(context: Context) -> typing.Iterator[Hit]:
    for at in context.testable:
        if at.path[2] == "concepts" and _repeats(context, at.item.term, at.item.text):
            yield Hit(at.path + ("text",), at.item.id, "the text says little more than the term")
    for entry, path in context.glossary:
        if _repeats(context, entry.term, entry.definition):
            yield Hit(path + ("definition",), entry.id, "the definition says little more than the term")


@rule("SG304", "empty-why",
      "feedback that only repeats the option or says 'correct' leaves the learner not knowing why")
def empty_why(context: Context) -> typing.Iterator[Hit]:
    # Verdict words that explain nothing; English only, which elsewhere just means fewer findings.
    fillers = {"correct", "incorrect", "wrong", "right", "true", "false", "yes", "no", "this", "is", "the"}
    for at in context.questions:
        for i, option in enumerate(at.question.options):
            why, text = set(words(option.why.plain)), set(words(option.text.plain))
            if why <= text | fillers:
                yield Hit(at.path + ("options", i, "why"), at.question.id,
                          f"option {option.id}'s why adds nothing to the option itself")
