"""Text for Anki fields: source text and fixed labels made safe, clozes, deck and tag names.

Everything a field, a deck name or a tag holds passes through here. Anki reads
its own syntax in the rendered HTML of a card (clozes, sound and TTS players,
LaTeX and MathJax), so source text and the guide's labels are made inert
first; only the clozes this exporter makes are left for Anki to read.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

from exporter.text.i18n import Labels
from exporter.text.markup import Text


def say(labels: Labels, message_id: str, **html_values: str) -> str:
    """A message as field HTML. Its own text is escaped and inert (see `inert`) (a guide's `labels:` may
    hold "{{c1::"); the values go in as they are: escaped source text, clozes, tags."""
    return str(label_html(labels, message_id) % {name: Markup(value) for name, value in html_values.items()})


def label_html(labels: Labels, message_id: str) -> Markup:
    """A message's own text, escaped and inert, its placeholders left for `%`."""
    return Markup(inert(str(Markup.escape(labels.message(message_id)))))


def field_html(text: Text) -> str:
    """A source text's rendered HTML, fit for a field."""
    return inert(text.html)


def field_text(value: object) -> str:
    """A plain value (a number, a label, a version) as field HTML: escaped and inert."""
    return inert(html.escape(str(value)))


# Anki reads its own syntax in the rendered HTML of a card: "{{c1::…}}" clozes,
# "[sound:…]" and "[anki:tts]" players, "[latex]", "[$]" and "[$$]" images, and
# MathJax's "\(" and "\[" in the text the webview shows.
_ANKI_SYNTAX = {"{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;"}
_MATHJAX_OPENER = re.compile(r"\\(?=\(|&#91;)")


def inert(markup: str) -> str:
    """Source text as text in a card: shown as typed, never read as Anki's syntax.

    Braces and brackets become entities, which look the same but match none of
    Anki's patterns. MathJax decodes entities before it looks for its
    delimiters, so an empty element goes between the backslash and the
    bracket: MathJax finds no delimiter across an element.
    """
    for character, entity in _ANKI_SYNTAX.items():
        markup = markup.replace(character, entity)
    return _MATHJAX_OPENER.sub(r"\\<span></span>", markup)


def cloze(value: object) -> str:
    """A plain value as the answer of cloze 1."""
    return cloze_html(field_text(value))


def cloze_html(answer: str) -> str:
    # Inside a cloze, "::" starts a hint and "}}" ends it: hide them as entities.
    return "{{c1::" + inert(answer).replace(":", "&#58;") + "}}"


# Anki nests decks and tags at "::". A part's own colons must never form one: a run of
# them becomes one colon, and one at either end goes (so "ORCH:" joined to "domain" is
# "ORCH::domain", not "ORCH:::domain", which Anki reads as "ORCH" and ":domain").
def deck_part(text: str) -> str:
    """One part of a deck's name: spaces collapsed, colons that could nest a deck removed."""
    return re.sub(r"\s+", " ", re.sub(r":{2,}", ":", text)).strip(" :") or "_"


def tag_part(text: str) -> str:
    """One part of a tag: no spaces (a tag ends at one), colons that could nest it removed."""
    return re.sub(r"\s+", "_", re.sub(r":{2,}", ":", text)).strip("_:") or "_"


def deck_name(*parts: str) -> str:
    """A deck's full name from its parts, outermost first: every deck name is made here."""
    return "::".join(deck_part(part) for part in parts)


def tag(*parts: str) -> str:
    """A hierarchical tag from its parts (`AI-300::domain::1`): every tag is made here."""
    return "::".join(tag_part(str(part)) for part in parts)

