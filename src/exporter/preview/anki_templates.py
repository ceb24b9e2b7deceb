"""Anki's card template language, as Anki fills it: fields, `{{FrontSide}}`, sections and clozes.

Only what Anki itself does, checked against real Anki's rendering of the
built deck (`tests/integration/test_preview_cards.py`): a field is inserted as it is
stored (HTML), `{{#Field}}…{{/Field}}` shows its inside when the field is not
empty and `{{^Field}}…{{/Field}}` when it is, `{{cloze:Field}}` shows the
card's cloze as `[...]` on the front and its answer on the back, and the back's
`{{FrontSide}}` is the rendered front.
"""

from __future__ import annotations

import re

_TAG = re.compile(r"\{\{(?P<name>.*?)\}\}", re.DOTALL)
# Anki's test for an empty field: only white space, <br> and <div> tags.
_EMPTY = re.compile(r"^(?:\s|</?(?:br|div)\s*/?>)*$", re.IGNORECASE)
_CLOZE = re.compile(r"\{\{c(?P<ordinal>\d+)::(?P<body>.*?)(?:::(?P<hint>.*?))?\}\}", re.DOTALL)


class TemplateError(ValueError):
    """A card template that Anki would not render: an unclosed section or an unknown field."""


def render(template: str, fields: dict[str, str], ordinal: int = 1, question: bool = True,
           front_side: str = "") -> str:
    """One side of a card: `template` filled with `fields` (shown name → stored HTML)."""
    return _render(_parse(template), fields, ordinal, question, front_side)


def cloze_ordinals(template: str, fields: dict[str, str]) -> list[int]:
    """The cards a cloze note makes: one per cloze number in the fields its template names with `cloze:`."""
    names = [tag.removeprefix("cloze:").strip() for tag in _TAG.findall(template) if tag.startswith("cloze:")]
    found = {int(match["ordinal"]) for name in names for match in _CLOZE.finditer(fields.get(name, ""))}
    return sorted(number for number in found if number > 0) or [1]


def _parse(template: str) -> list:
    """Text and tags as a tree: a section is ("#" or "^", name, children)."""
    root: list = []
    stack: list[tuple[str, str, list]] = []
    children = root
    position = 0
    for match in _TAG.finditer(template):
        children.append(template[position:match.start()])
        position = match.end()
        tag = match["name"].strip()
        if tag[:1] in "#^":
            section = (tag[0], tag[1:].strip(), [])
            children.append(section)
            stack.append(section)
            children = section[2]
        elif tag[:1] == "/":
            if not stack or stack[-1][1] != tag[1:].strip():
                raise TemplateError(f"{{{{{tag}}}}} closes no open section")
            stack.pop()
            children = stack[-1][2] if stack else root
        else:
            children.append(("", tag, []))
    if stack:
        raise TemplateError(f"{{{{#{stack[-1][1]}}}}} is never closed")
    children.append(template[position:])
    return root


def _render(nodes: list, fields: dict[str, str], ordinal: int, question: bool, front_side: str) -> str:
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
            continue
        kind, name, children = node
        if kind:
            shown = not _EMPTY.match(fields.get(name, ""))
            if shown == (kind == "#"):
                out.append(_render(children, fields, ordinal, question, front_side))
        elif name == "FrontSide":
            out.append(front_side)
        else:
            out.append(_field(name, fields, ordinal, question))
    return "".join(out)


def _field(tag: str, fields: dict[str, str], ordinal: int, question: bool) -> str:
    *filters, name = tag.split(":")
    if name not in fields:
        raise TemplateError(f"there is no field called {name!r}")
    value = fields[name]
    for filter_name in reversed(filters):
        if filter_name != "cloze":
            raise TemplateError(f"the filter {filter_name!r} is not one the deck uses")
        value = _cloze(value, ordinal, question)
    return value


def _cloze(text: str, ordinal: int, question: bool) -> str:
    def replace(match: re.Match) -> str:
        number, body, hint = int(match["ordinal"]), match["body"], match["hint"]
        if number != ordinal:
            return f'<span class="cloze-inactive" data-ordinal="{number}">{body}</span>'
        if question:
            return (f'<span class="cloze" data-cloze="{_attribute(body)}" data-ordinal="{number}">'
                    f'[{hint if hint else "..."}]</span>')
        return f'<span class="cloze" data-ordinal="{number}">{body}</span>'

    return _CLOZE.sub(replace, text)


def _attribute(text: str) -> str:
    """Anki's attribute escaping: every character below 256 but ASCII letters and digits as `&#xHH;`."""
    return "".join(f"&#x{ord(c):X};" if ord(c) < 256 and not (c.isascii() and c.isalnum()) else c for c in text)
